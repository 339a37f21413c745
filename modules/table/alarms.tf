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

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = each.value.name
  alarm_description   = each.value.description
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  threshold           = each.value.threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions

  metric_query {
    id          = each.value.sum_id
    expression  = "SUM(METRICS())"
    label       = each.value.sum_label
    return_data = true
  }

  dynamic "metric_query" {
    for_each = each.value.metrics
    content {
      id = metric_query.key
      metric {
        namespace   = "AWS/DynamoDB"
        metric_name = metric_query.value.metric
        dimensions  = metric_query.value.dimensions
        stat        = "Sum"
        period      = var.alarm_period_seconds
      }
    }
  }

  tags = var.tags
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
