output "invoke_url" {
  description = "URL clients POST large bodies to (stage URL + route path)."
  value       = "${aws_api_gateway_stage.this.invoke_url}/${join("/", var.path_parts)}"
}

output "rest_api_id" {
  description = "ID of the REST API."
  value       = aws_api_gateway_rest_api.this.id
}

output "stage_arn" {
  description = "ARN of the stage (associate a WAF web ACL with it)."
  value       = aws_api_gateway_stage.this.arn
}

output "route_key" {
  description = "\"POST /<path>\", stored with every object as x-amz-meta-route (the worker's route for signature checks)."
  value       = local.route_key
}

output "bucket_name" {
  description = "Name of the claim-check bucket."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the claim-check bucket."
  value       = aws_s3_bucket.this.arn
}

output "key_prefix" {
  description = "Prefix of the stored bodies' keys."
  value       = var.key_prefix
}

output "queue_policy_json" {
  description = "Queue policy document allowing this bucket (aws:SourceArn, aws:SourceAccount) to send to queue_arn; pass it to modules/queue's source_policy_documents."
  value       = jsonencode({ Version = "2012-10-17", Statement = [local.queue_statement] })
}

output "worker_policy_statements" {
  description = "Statements for the worker's role (modules/queue-worker policy_statements): s3:GetObject on the stored bodies only, kms:Decrypt with SSE-KMS."
  value       = local.worker_statements
}

output "integration_role_arn" {
  description = "ARN of the role API Gateway assumes to write the bodies."
  value       = aws_iam_role.integration.arn
}

output "integration_request_parameters" {
  description = "The integration's request parameter mapping (key, metadata, content type)."
  value       = local.integration_request_parameters
}

output "access_log_group_name" {
  description = "CloudWatch Logs group of the access log."
  value       = aws_cloudwatch_log_group.access.name
}

output "alarm_arns" {
  description = "ARNs of the module's alarms keyed by purpose (empty when alarms_enabled = false)."
  value = merge(
    { for a in aws_cloudwatch_metric_alarm.error_rate : "server_errors" => a.arn },
    { for a in aws_cloudwatch_metric_alarm.latency_p99 : "latency_p99" => a.arn },
  )
}
