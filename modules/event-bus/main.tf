# A custom EventBridge bus whose rules fan events out to SQS queues (each with a DLQ for
# events EventBridge could not deliver). HTTP API `event` routes (modules/http-api) put events
# on it with EventBridge-PutEvents, no Lambda. Events are encrypted at rest by EventBridge
# (AWS owned key by default; "Data encryption in EventBridge").

locals {
  rule_names = { for k, r in var.rules : k => "${var.name}-${k}" }
  # A rule does not depend on its queue, so the queue policies can name the rule ARNs
  # without a cycle.
  rule_arns = { for k, r in aws_cloudwatch_event_rule.this : k => r.arn }

  # Queue policy statement per rule: EventBridge may send to the target queue (and its DLQ)
  # for this rule only ("Permissions for Amazon SQS" in "Using resource-based policies for
  # Amazon EventBridge": principal events.amazonaws.com, aws:SourceArn = the rule ARN).
  queue_statements = { for k, r in var.rules : k => { for role, q in { queue = r.queue.arn, dlq = r.queue.dlq_arn } : role => {
    Sid       = "AllowEventBridgeRule${replace(title(replace(k, "/[^A-Za-z0-9]/", " ")), " ", "")}"
    Effect    = "Allow"
    Principal = { Service = "events.amazonaws.com" }
    Action    = "sqs:SendMessage"
    Resource  = q
    Condition = { ArnEquals = { "aws:SourceArn" = local.rule_arns[k] } }
  } if q != null } }
}

resource "aws_cloudwatch_event_bus" "this" {
  name = var.name
  tags = var.tags
}

resource "aws_cloudwatch_event_rule" "this" {
  for_each       = var.rules
  name           = local.rule_names[each.key]
  description    = each.value.description
  event_bus_name = aws_cloudwatch_event_bus.this.name
  event_pattern  = jsonencode(each.value.event_pattern)
  tags           = var.tags
}

# The rule's queue policy names the rule, so the queue (policy inline) waits for the rule and
# the caller passes the queue's ARN as built from its name. The target then waits here for the
# queue itself (its URL exists only once it is created): built-in terraform_data, no provider.
resource "terraform_data" "queue_ready" {
  for_each = var.rules
  input    = lookup(var.queue_urls, each.key, null)
}

resource "aws_cloudwatch_event_target" "queue" {
  for_each       = var.rules
  depends_on     = [terraform_data.queue_ready]
  rule           = aws_cloudwatch_event_rule.this[each.key].name
  event_bus_name = aws_cloudwatch_event_bus.this.name
  target_id      = "queue"
  arn            = each.value.queue.arn

  retry_policy {
    maximum_event_age_in_seconds = each.value.maximum_event_age_in_seconds
    maximum_retry_attempts       = each.value.maximum_retry_attempts
  }

  # Events still undeliverable after the retries go to the DLQ, whose policy must allow the
  # rule too (dlq_policy_json); without one they are dropped and counted in FailedInvocations.
  dynamic "dead_letter_config" {
    for_each = each.value.queue.dlq_arn == null ? [] : [each.value.queue.dlq_arn]
    content {
      arn = dead_letter_config.value
    }
  }
}

resource "aws_cloudwatch_event_archive" "this" {
  count            = var.archive_retention_days > 0 ? 1 : 0
  name             = substr("${var.name}-archive", 0, 48)
  event_source_arn = aws_cloudwatch_event_bus.this.arn
  retention_days   = var.archive_retention_days
}

# FailedInvocations (AWS/Events, dimension RuleName; "Monitoring Amazon EventBridge"): events
# the rule matched but could not deliver (e.g. a queue policy that does not allow the rule).
resource "aws_cloudwatch_metric_alarm" "failed_invocations" {
  for_each            = var.alarms_enabled ? var.rules : {}
  alarm_name          = "${local.rule_names[each.key]}-failed-invocations"
  alarm_description   = "Rule ${local.rule_names[each.key]} on bus ${var.name} failed to deliver events to its queue."
  namespace           = "AWS/Events"
  metric_name         = "FailedInvocations"
  dimensions          = { EventBusName = var.name, RuleName = local.rule_names[each.key] }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
