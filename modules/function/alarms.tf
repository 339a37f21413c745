# --- Alarms (AWS/Lambda, dimension FunctionName; "Types of metrics for Lambda functions") ---------
# One alarm per entry of local.alarms, keyed as the alarm_arns output; an entry leaves out what
# it does not change (the defaults of modules/internal/metric-alarms). No invocations = no
# Errors/Throttles/Duration data points: missing data is "idle", not an incident.

locals {
  # A `for ... if` rather than `cond ? {...} : {}`: the conditional would unify the entries
  # into one map type (numbers turned into strings); the for keeps each entry's own type.
  alarms = { for key, alarm in {
    errors = {
      name        = "${var.name}-errors"
      description = "${var.name} returned ${var.errors_alarm_threshold}+ errors in ${var.alarm_period_seconds}s (unhandled exceptions, timeouts, out-of-memory)."
      metric      = "Errors"
      statistic   = "Sum"
      threshold   = var.errors_alarm_threshold
    }
    throttles = {
      name        = "${var.name}-throttles"
      description = "${var.name} was throttled ${var.throttles_alarm_threshold}+ times in ${var.alarm_period_seconds}s (reserved or account concurrency exhausted)."
      metric      = "Throttles"
      statistic   = "Sum"
      threshold   = var.throttles_alarm_threshold
    }
    duration = {
      name               = "${var.name}-p99-duration"
      description        = "p99 duration of ${var.name} reached ${floor(var.duration_alarm_fraction * 100)}% of its ${var.timeout}s timeout."
      metric             = "Duration"
      extended_statistic = "p99"
      evaluation_periods = var.duration_alarm_evaluation_periods
      threshold          = floor(var.timeout * 1000 * var.duration_alarm_fraction) # Duration is in ms
    }
  } : key => alarm if var.alarms_enabled }
}

module "alarms" {
  source = "../internal/metric-alarms"

  alarms = { for key, alarm in local.alarms : key => merge(alarm, {
    namespace  = "AWS/Lambda"
    dimensions = { FunctionName = aws_lambda_function.this.function_name }
    period     = var.alarm_period_seconds
  }) }
  alarm_actions = var.alarm_actions
  tags          = var.tags
}

# The alarms moved into the shared internal module: state follows, no replace.
moved {
  from = aws_cloudwatch_metric_alarm.this
  to   = module.alarms.aws_cloudwatch_metric_alarm.this
}

# Alarms were one count-based resource each before: keep them in state, no replace.
moved {
  from = aws_cloudwatch_metric_alarm.errors[0]
  to   = aws_cloudwatch_metric_alarm.this["errors"]
}

moved {
  from = aws_cloudwatch_metric_alarm.throttles[0]
  to   = aws_cloudwatch_metric_alarm.this["throttles"]
}

moved {
  from = aws_cloudwatch_metric_alarm.duration[0]
  to   = aws_cloudwatch_metric_alarm.this["duration"]
}
