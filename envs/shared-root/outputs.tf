output "webhook_url" {
  description = "POST the agnostic envelope here."
  value       = module.app.webhook_url
}

output "data_api_url" {
  description = "Invoke URL of the data API."
  value       = module.app.data_api_url
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the environment."
  value       = module.app.dashboard_name
}

output "alarm_topic_arn" {
  description = "SNS topic receiving the environment's alarms."
  value       = module.app.alarm_topic_arn
}
