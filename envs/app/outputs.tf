output "api_endpoint" {
  description = "Base URL of the public HTTP API."
  value       = module.api.api_endpoint
}

output "webhook_url" {
  description = "POST the agnostic envelope here."
  value       = "${module.api.api_endpoint}/webhook"
}

output "data_api_url" {
  description = "Invoke URL of the data API (SigV4, execute-api:Invoke)."
  value       = module.data_api.invoke_url
}

output "data_api_invoke_policy_json" {
  description = "Policy granting a caller execute-api:Invoke on the data API."
  value       = module.data_api.invoke_policy_json
}

output "webhook_queue_url" {
  description = "URL of the webhook queue."
  value       = module.webhook_queue.queue_url
}

output "webhook_dlq_url" {
  description = "URL of the webhook queue's DLQ."
  value       = module.webhook_queue.dlq_url
}

output "users_table_name" {
  description = "Name of the users table."
  value       = module.users_table.table_name
}

output "idempotency_table_name" {
  description = "Name of the idempotency table."
  value       = module.idempotency_table.table_name
}

output "worker_function_name" {
  description = "Name of the webhook worker function."
  value       = module.webhook_worker.function_name
}

output "alarm_topic_arn" {
  description = "SNS topic receiving every alarm of the environment."
  value       = module.alerts.topic_arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the environment."
  value       = module.dashboard.dashboard_name
}
