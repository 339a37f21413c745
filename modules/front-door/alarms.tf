# CloudFront publishes its default metrics, 5xxErrorRate included, in us-east-1 with dimensions
# DistributionId and Region = Global ("Monitor CloudFront metrics with Amazon CloudWatch").
# The alarm therefore lives in us-east-1 and can notify only us-east-1 topics.
resource "aws_cloudwatch_metric_alarm" "error_rate_5xx" {
  count = local.cloudfront && var.alarms_enabled ? 1 : 0

  alarm_name          = "${var.name}-cloudfront-5xx-rate"
  alarm_description   = "5xx responses were ${var.error_rate_5xx_threshold}%+ of ${var.domain_name}'s requests over ${var.alarm_evaluation_periods} x ${var.alarm_period_seconds}s (API errors, origin timeouts or CloudFront failing to reach the API)."
  namespace           = "AWS/CloudFront"
  metric_name         = "5xxErrorRate"
  dimensions          = { DistributionId = aws_cloudfront_distribution.this[0].id, Region = "Global" }
  statistic           = "Average"
  period              = var.alarm_period_seconds
  evaluation_periods  = var.alarm_evaluation_periods
  threshold           = var.error_rate_5xx_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
