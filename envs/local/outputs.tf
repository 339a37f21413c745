output "webhook_url" {
  description = "POST the agnostic envelope here (the emulated API's URL)."
  value       = module.app.webhook_url
}

output "data_api_url" {
  description = "Invoke URL of the data API."
  value       = module.app.data_api_url
}

output "local_seed_route" {
  description = "The route the local stack's printed curl uses for the seed operation."
  value       = { api_id = module.app.api_id, route_key = "POST /webhook" }
}

output "app" {
  description = "Every output of the app composition (names the e2e tests use)."
  value       = module.app
}
