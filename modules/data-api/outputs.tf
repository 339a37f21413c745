output "rest_api_id" {
  description = "REST API id."
  value       = aws_api_gateway_rest_api.this.id
}

output "invoke_url" {
  description = "The one URL callers POST envelopes to."
  value       = aws_api_gateway_stage.this.invoke_url
}

output "execution_arn" {
  description = "Execution ARN of the API (for IAM policies)."
  value       = aws_api_gateway_rest_api.this.execution_arn
}

output "stage_name" {
  description = "Stage name."
  value       = aws_api_gateway_stage.this.stage_name
}

output "invoke_policy_json" {
  description = "IAM policy document granting execute-api:Invoke on this API's envelope URL; attach it to callers' roles."
  value       = data.aws_iam_policy_document.invoke.json
}

output "role_arn" {
  description = "The API Gateway integration role (only the catalog's PartiQL actions on the table and its indexes)."
  value       = aws_iam_role.integration.arn
}

output "access_log_group_name" {
  description = "CloudWatch log group of the stage's access logs."
  value       = aws_cloudwatch_log_group.access.name
}

output "operations" {
  description = "Operation name -> kind, from the catalog."
  value       = module.catalog.operations
}

output "alarm_arns" {
  description = "ARNs of the alarms (empty when alarms_enabled = false)."
  value       = [for k in ["error_rate", "latency_p99"] : aws_cloudwatch_metric_alarm.this[k].arn if var.alarms_enabled]
}
