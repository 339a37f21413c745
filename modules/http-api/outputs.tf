output "api_id" {
  description = "ID of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "api_endpoint" {
  description = "Default endpoint of the API (https://{api_id}.execute-api.{region}.amazonaws.com)."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "execution_arn" {
  description = "Execution ARN of the API, the prefix of invoke permissions' source ARNs."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "stage_name" {
  description = "Name of the stage (always \"$default\")."
  value       = aws_apigatewayv2_stage.default.name
}

output "stage_invoke_url" {
  description = "Invoke URL of the $default stage; append a route path to call it."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "integration_role_arn" {
  description = "ARN of the role API Gateway assumes for AWS service routes: queue, workflow, event, stream (null when no route needs one)."
  value       = one(aws_iam_role.integration[*].arn)
}

output "integration_role_name" {
  description = "Name of the integration role (null when no route needs one)."
  value       = one(aws_iam_role.integration[*].name)
}

output "access_log_group_name" {
  description = "CloudWatch Logs group holding the JSON access log."
  value       = aws_cloudwatch_log_group.access.name
}

output "access_log_group_arn" {
  description = "ARN of the access log group."
  value       = aws_cloudwatch_log_group.access.arn
}

output "route_ids" {
  description = "Route IDs keyed by route key."
  value       = { for k, r in aws_apigatewayv2_route.this : k => r.id }
}

output "integration_ids" {
  description = "Integration IDs keyed by route key."
  value       = { for k, i in aws_apigatewayv2_integration.this : k => i.id }
}

output "authorizer_id" {
  description = "ID of the JWT authorizer (null without jwt_authorizer)."
  value       = one(aws_apigatewayv2_authorizer.jwt[*].id)
}

output "lambda_authorizer_id" {
  description = "ID of the Lambda REQUEST authorizer (null without lambda_authorizer)."
  value       = one(aws_apigatewayv2_authorizer.lambda[*].id)
}

output "request_id_attribute" {
  description = "Name of the SQS message attribute carrying the API request id on queue routes (the worker's correlation id)."
  value       = var.request_id_attribute
}

output "alarm_arns" {
  description = "ARNs of the API's alarms keyed by purpose (empty when alarms_enabled = false)."
  value       = { for k, arn in module.alarms.arns : local.alarms[k].purpose => arn }
}
