# --- Alarms (AWS/ApiGateway, dimensions ApiName + Stage) ------------------------------------------
# One alarm per entry of local.alarms; the alarm_arns output lists error_rate, then latency_p99.

locals {
  alarms = { for key, alarm in {
    error_rate = {
      name        = "${var.name}-data-api-5xx-rate"
      description = "More than ${var.error_rate_threshold * 100}% of ${var.name} data API requests returned 5xx."
      metric      = "5XXError"
      statistic   = "Average"
      threshold   = var.error_rate_threshold
    }
    latency_p99 = {
      name                = "${var.name}-data-api-p99-latency"
      description         = "p99 latency of the ${var.name} data API above ${var.latency_p99_threshold_ms} ms."
      metric              = "Latency"
      extended_statistic  = "p99"
      evaluation_periods  = 3
      datapoints_to_alarm = 3
      threshold           = var.latency_p99_threshold_ms
    }
  } : key => alarm if var.alarms_enabled }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = each.value.name
  alarm_description   = each.value.description
  namespace           = "AWS/ApiGateway"
  metric_name         = each.value.metric
  dimensions          = { ApiName = aws_api_gateway_rest_api.this.name, Stage = aws_api_gateway_stage.this.stage_name }
  statistic           = lookup(each.value, "statistic", null)
  extended_statistic  = lookup(each.value, "extended_statistic", null)
  period              = 300
  evaluation_periods  = lookup(each.value, "evaluation_periods", 1)
  datapoints_to_alarm = lookup(each.value, "datapoints_to_alarm", null)
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching" # no requests is not an error
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

# Each alarm was a count-based resource of its own: moved keeps it in state (no replace).
moved {
  from = aws_cloudwatch_metric_alarm.error_rate[0]
  to   = aws_cloudwatch_metric_alarm.this["error_rate"]
}

moved {
  from = aws_cloudwatch_metric_alarm.latency_p99[0]
  to   = aws_cloudwatch_metric_alarm.this["latency_p99"]
}
