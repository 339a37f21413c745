# --- Alarms (AWS/CloudFront, dimensions DistributionId + Region = Global) -------------------------
# CloudFront publishes its default metrics, 5xxErrorRate included, in us-east-1 with dimensions
# DistributionId and Region = Global ("Monitor CloudFront metrics with Amazon CloudWatch").
# The alarm therefore lives in us-east-1 and can notify only us-east-1 topics. One alarm per
# entry of local.alarms, keyed as the alarm_arns output.

locals {
  alarms = { for key, alarm in {
    cloudfront_5xx_rate = {
      name        = "${var.name}-cloudfront-5xx-rate"
      description = "5xx responses were ${var.error_rate_5xx_threshold}%+ of ${var.domain_name}'s requests over ${var.alarm_evaluation_periods} x ${var.alarm_period_seconds}s (API errors, origin timeouts or CloudFront failing to reach the API)."
      metric      = "5xxErrorRate"
      threshold   = var.error_rate_5xx_threshold
    }
  } : key => alarm if local.cloudfront && var.alarms_enabled }
}

module "alarms" {
  source = "../internal/metric-alarms"

  alarms = { for key, alarm in local.alarms : key => merge(alarm, {
    namespace          = "AWS/CloudFront"
    dimensions         = { DistributionId = aws_cloudfront_distribution.this[0].id, Region = "Global" }
    statistic          = "Average"
    period             = var.alarm_period_seconds
    evaluation_periods = var.alarm_evaluation_periods
  }) }
  alarm_actions = var.alarm_actions
  tags          = var.tags
}

# The alarms moved into the shared internal module: state follows, no replace.
moved {
  from = aws_cloudwatch_metric_alarm.this
  to   = module.alarms.aws_cloudwatch_metric_alarm.this
}

# The alarm was a count-based resource of its own: moved keeps it in state (no replace).
moved {
  from = aws_cloudwatch_metric_alarm.error_rate_5xx[0]
  to   = aws_cloudwatch_metric_alarm.this["cloudfront_5xx_rate"]
}
