output "arns" {
  description = "Alarm ARNs keyed as var.alarms."
  value       = { for k, a in aws_cloudwatch_metric_alarm.this : k => a.arn }
}

output "names" {
  description = "Alarm names keyed as var.alarms."
  value       = { for k, a in aws_cloudwatch_metric_alarm.this : k => a.alarm_name }
}

output "resources" {
  description = "The aws_cloudwatch_metric_alarm resources keyed as var.alarms: what the calling modules' terraform test files assert on (a test reads a child module's outputs, not its resources)."
  value       = aws_cloudwatch_metric_alarm.this
}
