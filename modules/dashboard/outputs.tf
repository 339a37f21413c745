output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "dashboard_arn" {
  description = "ARN of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_arn
}

output "dashboard_body" {
  description = "The dashboard JSON, for inspection and tests."
  value       = aws_cloudwatch_dashboard.this.dashboard_body
}

output "widget_count" {
  description = "How many widgets the inventory produced."
  value       = length(local.widgets)
}
