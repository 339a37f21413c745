output "rest_api_id" {
  description = "ID of the REST API."
  value       = aws_api_gateway_rest_api.this.id
}

output "invoke_url" {
  description = "Invoke URL of the stage; POST <invoke_url>/<route>."
  value       = aws_api_gateway_stage.this.invoke_url
}

output "route_urls" {
  description = "Route key -> full URL clients POST to."
  value       = { for k in keys(var.routes) : k => "${aws_api_gateway_stage.this.invoke_url}/${k}" }
}

output "execution_arn" {
  description = "Execution ARN of the API (prefix for execute-api:Invoke policies)."
  value       = aws_api_gateway_rest_api.this.execution_arn
}

output "stage_arn" {
  description = "ARN of the stage (associate a WAF web ACL with it)."
  value       = aws_api_gateway_stage.this.arn
}

output "integration_role_arn" {
  description = "Role API Gateway assumes to call StartSyncExecution."
  value       = aws_iam_role.integration.arn
}

output "response_templates" {
  description = "Route key -> the integration response template (for tests and docs)."
  value       = local.response_templates
}

output "request_templates" {
  description = "Route key -> the integration request template (for tests and docs)."
  value       = local.request_templates
}

output "alarm_arns" {
  description = "Alarm ARNs keyed by purpose (empty when alarms_enabled = false)."
  value       = { for k, a in aws_cloudwatch_metric_alarm.this : k => a.arn }
}

output "api_name" {
  description = "Name of the REST API (the ApiName metric dimension)."
  value       = aws_api_gateway_rest_api.this.name
}

output "stage_name" {
  description = "Name of the stage (the Stage metric dimension)."
  value       = aws_api_gateway_stage.this.stage_name
}
