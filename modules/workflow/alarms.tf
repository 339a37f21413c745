# --- Alarms (AWS/States, dimension StateMachineArn) -----------------------------------------------
# One alarm per entry of local.alarms, named <name>-<key> and keyed so in the alarm_arns output.

locals {
  alarms = var.alarms_enabled ? {
    "executions-failed" = {
      metric      = "ExecutionsFailed"
      threshold   = var.executions_failed_threshold
      description = "Executions of ${var.name} failed (a Fail state or an unhandled error)."
    }
    "executions-timed-out" = {
      metric      = "ExecutionsTimedOut"
      threshold   = var.executions_timed_out_threshold
      description = "Executions of ${var.name} exceeded their TimeoutSeconds."
    }
    "executions-throttled" = {
      metric      = "ExecutionThrottled"
      threshold   = var.executions_throttled_threshold
      description = "StartExecution calls for ${var.name} were throttled."
    }
  } : {}
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name        = "${var.name}-${each.key}"
  alarm_description = each.value.description
  namespace         = "AWS/States"
  metric_name       = each.value.metric
  dimensions        = { StateMachineArn = aws_sfn_state_machine.this.arn }
  statistic         = "Sum"
  period            = var.alarm_period_seconds
  # Any period above the threshold alarms: one failed order is worth a look.
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  # No executions means no data points: an idle workflow is healthy, not alarming.
  treat_missing_data = "notBreaching"
  alarm_actions      = var.alarm_actions
  ok_actions         = var.alarm_actions
  tags               = var.tags
}
