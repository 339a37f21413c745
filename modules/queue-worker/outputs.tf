output "function_name" {
  description = "Worker function name."
  value       = module.function.function_name
}

output "function_arn" {
  description = "Worker function ARN."
  value       = module.function.function_arn
}

output "invoke_arn" {
  description = "Invoke ARN of the worker function."
  value       = module.function.invoke_arn
}

output "role_arn" {
  description = "Execution role ARN."
  value       = module.function.role_arn
}

output "role_name" {
  description = "Execution role name."
  value       = module.function.role_name
}

output "log_group_name" {
  description = "The worker's log group."
  value       = module.function.log_group_name
}

output "timeout" {
  description = "Function timeout in seconds."
  value       = module.function.timeout
}

output "alarm_arns" {
  description = "The function's alarm ARNs (errors, throttles, duration)."
  value       = module.function.alarm_arns
}

output "layers" {
  description = "Layer version ARNs attached to the worker."
  value       = module.function.layers
}

output "event_source_mapping_uuid" {
  description = "UUID of the SQS event source mapping."
  value       = aws_lambda_event_source_mapping.this.uuid
}

output "event_source_mapping_arn" {
  description = "ARN of the SQS event source mapping."
  value       = aws_lambda_event_source_mapping.this.arn
}

output "maximum_concurrency" {
  description = "Concurrency cap of the mapping."
  value       = var.maximum_concurrency
}

output "vpc_config" {
  description = "The worker's VPC attachment ({ subnet_ids, security_group_ids, vpc_id }) or null."
  value       = module.function.vpc_config
}
