output "api_endpoint" {
  description = "Base URL of the public HTTP API."
  value       = module.api.api_endpoint
}

output "webhook_url" {
  description = "POST the agnostic envelope here."
  value       = "${module.api.api_endpoint}/webhook"
}

output "large_webhook_url" {
  description = "POST bodies too large for a queue message (up to 10 MB) here: 202 with the request id; the worker reads the body from S3."
  value       = module.large_webhook.invoke_url
}

output "github_webhook_url" {
  description = "POST here with X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body> (GitHub style)."
  value       = "${module.api.api_endpoint}/webhook/github"
}

output "github_webhook_secret_arn" {
  description = "Secrets Manager secret holding the signing secret of POST /webhook/github (set its value with put-secret-value)."
  value       = aws_secretsmanager_secret.github_webhook.arn
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

output "api_id" {
  description = "Id of the public HTTP API."
  value       = module.api.api_id
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

output "users_url" {
  description = "GET users here (simple web service)."
  value       = "${module.api.api_endpoint}/users"
}

output "orders_url" {
  description = "POST an order here: starts the order saga (202-style, asynchronous)."
  value       = "${module.api.api_endpoint}/orders"
}

output "customers_url" {
  description = "POST a customer here: runs the sign-up workflow synchronously (REST API: 200 with the output, 400/409 naming the problem, 500/504 on faults)."
  value       = module.customers_api.route_urls["customers"]
}

output "internal_pricing_function_arn" {
  description = "Internal API: invoke this ARN with the SDK (RequestResponse)."
  value       = module.internal_pricing.invoke_target_arn
}

output "internal_pricing_invoker_policy_json" {
  description = "Attach to a caller's role to let it invoke the internal pricing function."
  value       = module.internal_pricing.invoker_policy_json
}

output "orders_table_name" {
  description = "Table where the order saga records orders."
  value       = module.orders_table.table_name
}

output "inventory_table_name" {
  description = "Stock levels the order saga reserves from."
  value       = module.inventory_table.table_name
}

output "customers_table_name" {
  description = "Table written by the customer sign-up workflow."
  value       = module.customers_table.table_name
}

output "dashboard_body" {
  description = "The dashboard JSON (inspection and tests)."
  value       = module.dashboard.dashboard_body
}
