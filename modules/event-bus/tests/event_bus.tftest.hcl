mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values; the blocks below are this file's own
  mock_resource "aws_cloudwatch_event_bus" {
    defaults = { arn = "arn:aws:events:eu-west-1:123456789012:event-bus/orders" }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:123456789012:rule/orders/orders-placed" }
  }
}

variables {
  name = "orders"
  rules = {
    placed = {
      event_pattern = { source = ["shop.orders"], "detail-type" = ["OrderPlaced"] }
      queue         = { arn = "arn:aws:sqs:eu-west-1:123456789012:billing", dlq_arn = "arn:aws:sqs:eu-west-1:123456789012:billing-dlq" }
    }
    audit = {
      event_pattern = { source = ["shop.orders"] }
      queue         = { arn = "arn:aws:sqs:eu-west-1:123456789012:audit" }
    }
  }
}

run "rules_fan_out_to_their_queues" {
  command = apply

  assert {
    condition     = aws_cloudwatch_event_rule.this["placed"].name == "orders-placed" && aws_cloudwatch_event_rule.this["placed"].event_bus_name == "orders" && jsondecode(aws_cloudwatch_event_rule.this["placed"].event_pattern) == { source = ["shop.orders"], "detail-type" = ["OrderPlaced"] }
    error_message = "one rule per key on the bus, with its pattern"
  }
  assert {
    condition     = aws_cloudwatch_event_target.queue["placed"].arn == "arn:aws:sqs:eu-west-1:123456789012:billing" && one(aws_cloudwatch_event_target.queue["placed"].dead_letter_config).arn == "arn:aws:sqs:eu-west-1:123456789012:billing-dlq"
    error_message = "the target is the queue, undeliverable events go to its DLQ"
  }
  assert {
    condition     = length(aws_cloudwatch_event_target.queue["audit"].dead_letter_config) == 0 && one(aws_cloudwatch_event_target.queue["audit"].retry_policy).maximum_retry_attempts == 185
    error_message = "no DLQ when none is given; default retry policy"
  }
}

run "queue_policies_allow_their_rule_only" {
  command = apply

  assert {
    condition = jsondecode(output.queue_policy_json["placed"]).Statement == [{
      Sid       = "AllowEventBridgeRulePlaced"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = "arn:aws:sqs:eu-west-1:123456789012:billing"
      Condition = { ArnEquals = { "aws:SourceArn" = "arn:aws:events:eu-west-1:123456789012:rule/orders/orders-placed" } }
    }]
    error_message = "EventBridge may send to the billing queue for the placed rule only"
  }
  assert {
    condition     = jsondecode(output.dlq_policy_json["placed"]).Statement[0].Resource == "arn:aws:sqs:eu-west-1:123456789012:billing-dlq" && !contains(keys(output.dlq_policy_json), "audit")
    error_message = "a DLQ grant only for rules with a DLQ"
  }
}

run "alarms_on_failed_invocations" {
  command = apply

  assert {
    condition     = aws_cloudwatch_metric_alarm.failed_invocations["placed"].metric_name == "FailedInvocations" && aws_cloudwatch_metric_alarm.failed_invocations["placed"].dimensions == tomap({ EventBusName = "orders", RuleName = "orders-placed" })
    error_message = "FailedInvocations alarm per rule"
  }
}

run "refuses_the_default_bus_name" {
  command = plan
  variables {
    name = "default"
  }
  expect_failures = [var.name]
}
