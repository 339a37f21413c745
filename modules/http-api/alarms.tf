# --- Alarms (issue 6): 5xx and p99 latency on the $default stage ----------------------------------
# HTTP API metrics: namespace AWS/ApiGateway, metric names "5xx", "Count", "Latency",
# dimensions ApiId + Stage (API Gateway "Monitor HTTP API metrics", http-api-metrics.html).
# No traffic is not an outage: missing data is notBreaching. One alarm per entry of
# local.alarms; `purpose` is its key in the alarm_arns output (the two 5xx alarms, one per
# server_error_alarm_mode, share "server_errors").

locals {
  alarm_dimensions = {
    ApiId = aws_apigatewayv2_api.this.id
    Stage = "$default"
  }

  # `for ... if`, not `cond ? {...} : {}`: a conditional would unify the entries into one map
  # type; the for keeps each entry's own attributes (an entry leaves out what it does not use).
  alarms = { for key, alarm in {
    server_errors_rate = {
      enabled     = var.server_error_alarm_mode == "rate"
      purpose     = "server_errors"
      name        = "${var.name}-http-api-5xx-rate"
      description = "More than ${var.server_error_rate_threshold}% of requests to ${var.name} got a 5xx (periods with fewer than ${var.server_error_min_requests} requests are ignored)."
      threshold   = var.server_error_rate_threshold
      # Metric math: the rate query returns the alarm's value from the two Sum metrics.
      expression = "IF(requests >= ${var.server_error_min_requests}, 100 * errors / requests, 0)"
      label      = "5xx rate (%)"
      metrics    = { errors = "5xx", requests = "Count" }
    }
    server_errors_count = {
      enabled     = var.server_error_alarm_mode == "count"
      purpose     = "server_errors"
      name        = "${var.name}-http-api-5xx"
      description = "More than ${var.server_error_count_threshold} 5xx responses per ${var.alarm_period_seconds}s from ${var.name}."
      threshold   = var.server_error_count_threshold
      metric      = "5xx"
      statistic   = "Sum"
    }
    latency_p99 = {
      enabled            = true
      purpose            = "latency_p99"
      name               = "${var.name}-http-api-latency-p99"
      description        = "p99 latency of ${var.name} above ${var.latency_p99_threshold_ms} ms."
      threshold          = var.latency_p99_threshold_ms
      metric             = "Latency"
      extended_statistic = "p99"
    }
  } : key => alarm if var.alarms_enabled && alarm.enabled }
}

module "alarms" {
  source = "../internal/metric-alarms"

  # A single-metric alarm (metric set) or a metric-math one (expression set): the rate
  # expression over its two Sum metrics.
  alarms = { for key, alarm in local.alarms : key => {
    name                = alarm.name
    description         = alarm.description
    threshold           = alarm.threshold
    comparison_operator = "GreaterThanThreshold"
    evaluation_periods  = var.alarm_evaluation_periods
    namespace           = "AWS/ApiGateway"
    dimensions          = local.alarm_dimensions
    period              = var.alarm_period_seconds
    metric              = lookup(alarm, "metric", null)
    statistic           = lookup(alarm, "statistic", null)
    extended_statistic  = lookup(alarm, "extended_statistic", null)
    expression          = lookup(alarm, "expression", null) == null ? null : { id = "rate", expression = alarm.expression, label = lookup(alarm, "label", null) }
    metrics             = { for id, metric in lookup(alarm, "metrics", {}) : id => { metric = metric, stat = "Sum" } }
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
  from = aws_cloudwatch_metric_alarm.server_errors_rate[0]
  to   = aws_cloudwatch_metric_alarm.this["server_errors_rate"]
}

moved {
  from = aws_cloudwatch_metric_alarm.server_errors_count[0]
  to   = aws_cloudwatch_metric_alarm.this["server_errors_count"]
}

moved {
  from = aws_cloudwatch_metric_alarm.latency_p99[0]
  to   = aws_cloudwatch_metric_alarm.this["latency_p99"]
}
