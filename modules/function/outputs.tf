output "function_name" {
  description = "Function name (the FunctionName metric dimension)."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "Function ARN (unqualified)."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "ARN API Gateway uses to invoke the function."
  value       = aws_lambda_function.this.invoke_arn
}

output "role_arn" {
  description = "Execution role ARN."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Execution role name (attach further policies to it if needed)."
  value       = aws_iam_role.this.name
}

output "log_group_name" {
  description = "The function's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the function's log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "timeout" {
  description = "Function timeout in seconds (consumers size queue visibility from it)."
  value       = aws_lambda_function.this.timeout
}

output "runtime" {
  description = "Python runtime of the function."
  value       = var.runtime
}

output "architecture" {
  description = "Instruction set of the function."
  value       = var.architecture
}

output "powertools_layer_arn" {
  description = "The Powertools v3 layer version ARN for this Region/runtime/architecture (whether attached or not)."
  value       = local.powertools_layer_arn
}

output "layers" {
  description = "Layer version ARNs attached to the function."
  value       = local.layers
}

output "alarm_arns" {
  description = "Map of alarm ARNs (errors, throttles, duration); empty when alarms_enabled = false."
  value = var.alarms_enabled ? {
    errors    = aws_cloudwatch_metric_alarm.errors[0].arn
    throttles = aws_cloudwatch_metric_alarm.throttles[0].arn
    duration  = aws_cloudwatch_metric_alarm.duration[0].arn
  } : {}
}

output "role_policy_json" {
  description = "The execution role's inline policy document (JSON), for review and tests."
  value       = aws_iam_role_policy.this.policy
}
