# --- Alarms (AWS/DynamoDB; "DynamoDB metrics and dimensions") -------------------------------------
# Read/WriteThrottleEvents are published per TableName; SystemErrors only per TableName +
# Operation, hence each alarm sums its metrics (SUM(METRICS())). One alarm per entry of
# local.alarms, keyed as the alarm_arns output. No requests = no data = not an incident.

locals {
  alarms = { for key, alarm in {
    throttles = {
      name        = "${var.name}-throttles"
      description = "Table ${var.name} throttled ${var.throttle_alarm_threshold}+ read/write events in ${var.alarm_period_seconds}s (on-demand: a hot partition or a spike beyond 2x the previous peak)."
      threshold   = var.throttle_alarm_threshold
      sum_id      = "throttles"
      sum_label   = "ReadThrottleEvents + WriteThrottleEvents"
      metrics = {
        reads  = { metric = "ReadThrottleEvents", dimensions = { TableName = aws_dynamodb_table.this.name } }
        writes = { metric = "WriteThrottleEvents", dimensions = { TableName = aws_dynamodb_table.this.name } }
      }
    }
    system_errors = {
      name        = "${var.name}-system-errors"
      description = "DynamoDB returned ${var.system_errors_alarm_threshold}+ HTTP 500 errors for table ${var.name} in ${var.alarm_period_seconds}s."
      threshold   = var.system_errors_alarm_threshold
      sum_id      = "errors"
      sum_label   = "SystemErrors (all listed operations)"
      metrics = { for i, op in var.system_errors_operations : "op${i}" => {
        metric     = "SystemErrors"
        dimensions = { TableName = aws_dynamodb_table.this.name, Operation = op }
      } }
    }
  } : key => alarm if var.alarms_enabled }
}

module "alarms" {
  source = "../internal/metric-alarms"

  alarms = { for key, alarm in local.alarms : key => {
    name        = alarm.name
    description = alarm.description
    threshold   = alarm.threshold
    namespace   = "AWS/DynamoDB"
    period      = var.alarm_period_seconds
    expression  = { id = alarm.sum_id, expression = "SUM(METRICS())", label = alarm.sum_label }
    metrics     = { for id, m in alarm.metrics : id => { metric = m.metric, dimensions = m.dimensions, stat = "Sum" } }
  } }
  alarm_actions = var.alarm_actions
  tags          = var.tags
}

# The alarms moved into the shared internal module: state follows, no replace.
moved {
  from = aws_cloudwatch_metric_alarm.this
  to   = module.alarms.aws_cloudwatch_metric_alarm.this
}

# Each alarm was a count-based resource of its own: moved keeps it in state (no replace).
moved {
  from = aws_cloudwatch_metric_alarm.throttles[0]
  to   = aws_cloudwatch_metric_alarm.this["throttles"]
}

moved {
  from = aws_cloudwatch_metric_alarm.system_errors[0]
  to   = aws_cloudwatch_metric_alarm.this["system_errors"]
}
