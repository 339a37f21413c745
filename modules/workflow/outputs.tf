output "state_machine_arn" {
  description = "ARN of the state machine (StartExecution / StartSyncExecution target)."
  value       = aws_sfn_state_machine.this.arn
}

output "state_machine_name" {
  description = "Name of the state machine."
  value       = aws_sfn_state_machine.this.name
}

output "type" {
  description = "STANDARD or EXPRESS; only EXPRESS state machines accept StartSyncExecution."
  value       = aws_sfn_state_machine.this.type
}

output "role_arn" {
  description = "ARN of the execution role generated from var.integrations."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the execution role (attach extra policies to it if you must)."
  value       = aws_iam_role.this.name
}

output "log_group_name" {
  description = "CloudWatch log group receiving the execution history; null when log_level is OFF."
  value       = one(aws_cloudwatch_log_group.this[*].name)
}

output "log_group_arn" {
  description = "ARN of the log group; null when log_level is OFF."
  value       = one(aws_cloudwatch_log_group.this[*].arn)
}

output "alarm_arns" {
  description = "Alarm ARNs keyed executions-failed, executions-timed-out, executions-throttled (empty when alarms are disabled)."
  value       = module.alarms.arns
}
