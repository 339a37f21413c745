output "function_name" {
  description = "Function name (the FunctionName metric dimension)."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "Function ARN (unqualified: invokes $LATEST). With an alias, SDK callers should use invoke_target_arn and routes api_target."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "ARN API Gateway uses to invoke the function, unqualified ($LATEST). With an alias (publish/snap_start/provisioned_concurrency) routes must use alias_invoke_arn (or api_target), or they bypass SnapStart and provisioned concurrency."
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
  value       = module.alarms.arns
}

output "role_policy_json" {
  description = "The execution role's inline policy document (JSON), for review and tests."
  value       = aws_iam_role_policy.this.policy
}

# --- versions and alias ---------------------------------------------------------------------------

output "version" {
  description = "Published version number, or \"$LATEST\" when no version is published."
  value       = aws_lambda_function.this.version
}

output "qualified_arn" {
  description = "ARN qualified with the published version (\":$LATEST\" when nothing is published)."
  value       = aws_lambda_function.this.qualified_arn
}

output "alias_name" {
  description = "Alias name, or null when no alias is created."
  value       = local.alias_enabled ? aws_lambda_alias.this[0].name : null
}

output "alias_arn" {
  description = "Alias ARN (function ARN + \":<alias>\"), or null when no alias is created."
  value       = local.alias_enabled ? aws_lambda_alias.this[0].arn : null
}

output "alias_invoke_arn" {
  description = "Invoke ARN of the alias for API Gateway integrations, or null when no alias is created."
  value       = local.alias_enabled ? aws_lambda_alias.this[0].invoke_arn : null
}

output "invoke_target_arn" {
  description = "What an SDK caller passes as FunctionName: the alias ARN when there is an alias, else the function ARN."
  value       = local.alias_enabled ? aws_lambda_alias.this[0].arn : aws_lambda_function.this.arn
}

output "api_target" {
  description = "Entry for modules/http-api `functions`: { arn (unqualified, for the permission), invoke_arn (the alias's when there is one), qualifier (alias name or null) }."
  value = {
    arn        = aws_lambda_function.this.arn
    invoke_arn = local.alias_enabled ? aws_lambda_alias.this[0].invoke_arn : aws_lambda_function.this.invoke_arn
    qualifier  = local.alias_enabled ? aws_lambda_alias.this[0].name : null
  }
}

output "provisioned_concurrency" {
  description = "Provisioned concurrency configured on the alias (0 = none)."
  value       = var.provisioned_concurrency
}

# --- secrets and internal API ---------------------------------------------------------------------

output "secret_environment" {
  description = "Environment variables the module sets from secrets: SECRET_<NAME>_ARN => ARN (no values)."
  value       = local.secret_env
}

output "invoker_policy_json" {
  description = "IAM policy (JSON) for another service's role: lambda:InvokeFunction on this function and its alias only (attach it to call the function with the SDK, InvocationType RequestResponse)."
  value = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "InvokeFunction"
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = concat([aws_lambda_function.this.arn], local.alias_enabled ? [aws_lambda_alias.this[0].arn] : [])
    }]
  })
}

output "vpc_config" {
  description = "The function's VPC attachment: { subnet_ids, security_group_ids, vpc_id } (vpc_id known after apply), or null when it is not in a VPC."
  value = local.vpc_enabled ? {
    subnet_ids         = var.vpc_subnet_ids
    security_group_ids = var.vpc_security_group_ids
    vpc_id             = aws_lambda_function.this.vpc_config[0].vpc_id
  } : null
}
