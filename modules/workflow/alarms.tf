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

module "alarms" {
  source = "../internal/metric-alarms"

  alarms = { for key, alarm in local.alarms : key => merge(alarm, {
    name       = "${var.name}-${key}"
    namespace  = "AWS/States"
    dimensions = { StateMachineArn = aws_sfn_state_machine.this.arn }
    statistic  = "Sum"
    period     = var.alarm_period_seconds
    # Any period above the threshold alarms: one failed order is worth a look.
    evaluation_periods  = 1
    comparison_operator = "GreaterThanThreshold"
    # No executions means no data points: an idle workflow is healthy, not alarming.
    treat_missing_data = "notBreaching"
  }) }
  alarm_actions = var.alarm_actions
  tags          = var.tags
}

# The alarms moved into the shared internal module: state follows, no replace.
moved {
  from = aws_cloudwatch_metric_alarm.this
  to   = module.alarms.aws_cloudwatch_metric_alarm.this
}
