# --- CloudWatch metric alarms: one per entry of var.alarms ----------------------------------------
# Internal building block of the function, queue, table, http-api, workflow and front-door
# modules: each keeps what its alarms watch (its local.alarms) and hands them here. An entry
# is either a single-metric alarm (`metric` with `statistic` or `extended_statistic`) or a
# metric-math one (`expression` over `metrics`); the attributes of the other kind stay null,
# as the provider expects. OK notifications go to the same actions as ALARM ones.

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = var.alarms

  alarm_name          = each.value.name
  alarm_description   = each.value.description
  comparison_operator = each.value.comparison_operator
  evaluation_periods  = each.value.evaluation_periods
  threshold           = each.value.threshold
  treat_missing_data  = each.value.treat_missing_data
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions

  # A single-metric alarm (metric set) ...
  namespace          = each.value.metric == null ? null : each.value.namespace
  metric_name        = each.value.metric
  dimensions         = each.value.metric == null ? null : each.value.dimensions
  statistic          = each.value.statistic
  extended_statistic = each.value.extended_statistic
  period             = each.value.metric == null ? null : each.value.period

  # ... or a metric-math one (expression set): the expression returns the alarm's value ...
  dynamic "metric_query" {
    for_each = each.value.expression == null ? {} : { (each.value.expression.id) = each.value.expression }
    content {
      id          = metric_query.key
      label       = metric_query.value.label
      expression  = metric_query.value.expression
      return_data = true
    }
  }

  # ... from these metrics, in the alarm's namespace and period (and dimensions unless their own).
  dynamic "metric_query" {
    for_each = each.value.metrics
    content {
      id = metric_query.key
      metric {
        namespace   = each.value.namespace
        metric_name = metric_query.value.metric
        dimensions  = metric_query.value.dimensions != null ? metric_query.value.dimensions : each.value.dimensions
        stat        = metric_query.value.stat
        period      = each.value.period
      }
    }
  }

  tags = var.tags
}
