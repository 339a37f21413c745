output "bus_name" {
  description = "Name of the event bus."
  value       = aws_cloudwatch_event_bus.this.name
}

output "bus_arn" {
  description = "ARN of the event bus (modules/http-api event_buses[...].arn)."
  value       = aws_cloudwatch_event_bus.this.arn
}

output "rule_arns" {
  description = "Rule ARNs keyed like var.rules."
  value       = local.rule_arns
}

output "queue_policy_json" {
  description = "Per rule key: a queue policy document letting that rule (aws:SourceArn) send to its queue; pass it to modules/queue's source_policy_documents."
  value       = { for k, s in local.queue_statements : k => jsonencode({ Version = "2012-10-17", Statement = [s.queue] }) }
}

output "dlq_policy_json" {
  description = "Per rule key with a dlq_arn: the same grant for the target's DLQ."
  value       = { for k, s in local.queue_statements : k => jsonencode({ Version = "2012-10-17", Statement = [s.dlq] }) if contains(keys(s), "dlq") }
}

output "alarm_arns" {
  description = "FailedInvocations alarm ARNs keyed by rule key (empty when alarms_enabled = false)."
  value       = { for k, a in aws_cloudwatch_metric_alarm.failed_invocations : k => a.arn }
}
