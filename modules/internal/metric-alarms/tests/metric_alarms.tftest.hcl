# Plan against a mocked AWS provider: no credentials, no network.
mock_provider "aws" {
  source = "../../../tests/mocks/aws" # shared mock values (tests/mocks/aws)
}

variables {
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:alerts"]
  tags          = { team = "storefirst" }
  alarms = {
    errors = {
      name        = "ping-errors"
      description = "ping errors"
      namespace   = "AWS/Lambda"
      metric      = "Errors"
      dimensions  = { FunctionName = "ping" }
      statistic   = "Sum"
      period      = 300
      threshold   = 1
    }
    rate = {
      name                = "api-5xx-rate"
      description         = "api 5xx rate"
      namespace           = "AWS/ApiGateway"
      dimensions          = { ApiId = "a1b2c3d4e5", Stage = "$default" }
      period              = 60
      evaluation_periods  = 3
      comparison_operator = "GreaterThanThreshold"
      threshold           = 5
      expression          = { id = "rate", expression = "100 * errors / requests", label = "5xx rate (%)" }
      metrics = {
        errors   = { metric = "5xx", stat = "Sum" }
        requests = { metric = "Count", stat = "Sum", dimensions = { ApiId = "a1b2c3d4e5" } }
      }
    }
  }
}

run "single_metric_and_metric_math" {
  command = plan

  assert {
    condition = (aws_cloudwatch_metric_alarm.this["errors"].namespace == "AWS/Lambda" &&
      aws_cloudwatch_metric_alarm.this["errors"].dimensions == tomap({ FunctionName = "ping" }) &&
      aws_cloudwatch_metric_alarm.this["errors"].period == 300 && aws_cloudwatch_metric_alarm.this["errors"].evaluation_periods == 1 &&
      aws_cloudwatch_metric_alarm.this["errors"].comparison_operator == "GreaterThanOrEqualToThreshold" &&
    aws_cloudwatch_metric_alarm.this["errors"].treat_missing_data == "notBreaching")
    error_message = "A single-metric alarm takes its metric and the defaults (1 period, >=, notBreaching)."
  }

  assert {
    condition = (aws_cloudwatch_metric_alarm.this["rate"].namespace == null && aws_cloudwatch_metric_alarm.this["rate"].metric_name == null &&
    aws_cloudwatch_metric_alarm.this["rate"].period == null && aws_cloudwatch_metric_alarm.this["rate"].dimensions == null)
    error_message = "A metric-math alarm leaves the single-metric attributes null."
  }

  assert {
    condition = { for q in aws_cloudwatch_metric_alarm.this["rate"].metric_query : q.id => [q.metric[0].namespace, q.metric[0].metric_name, q.metric[0].dimensions, q.metric[0].stat, q.metric[0].period] if length(q.metric) > 0 } == {
      errors   = ["AWS/ApiGateway", "5xx", tomap({ ApiId = "a1b2c3d4e5", Stage = "$default" }), "Sum", 60]
      requests = ["AWS/ApiGateway", "Count", tomap({ ApiId = "a1b2c3d4e5" }), "Sum", 60]
    }
    error_message = "Each metric is in the alarm's namespace and period, with the alarm's dimensions unless it has its own."
  }

  assert {
    condition     = [for q in aws_cloudwatch_metric_alarm.this["rate"].metric_query : [q.expression, q.label, q.return_data] if q.id == "rate"] == [["100 * errors / requests", "5xx rate (%)", true]]
    error_message = "The expression is the query that returns the alarm's value."
  }

  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.this : a.alarm_actions == toset(var.alarm_actions) && a.ok_actions == toset(var.alarm_actions) && a.tags == tomap(var.tags)])
    error_message = "Every alarm notifies alarm_actions on ALARM and OK and carries the tags."
  }

  assert {
    condition     = keys(output.arns) == ["errors", "rate"] && output.names == { errors = "ping-errors", rate = "api-5xx-rate" }
    error_message = "The outputs are keyed as var.alarms."
  }
}

run "rejects_an_alarm_with_both_or_neither_kind" {
  command = plan
  variables {
    alarms = {
      both    = { name = "a", description = "a", namespace = "N", period = 60, threshold = 1, metric = "M", statistic = "Sum", expression = { id = "e", expression = "m" }, metrics = { m = { metric = "M", stat = "Sum" } } }
      neither = { name = "b", description = "b", namespace = "N", period = 60, threshold = 1 }
    }
  }
  expect_failures = [var.alarms]
}

run "rejects_a_metric_with_both_statistics" {
  command = plan
  variables {
    alarms = { p99 = { name = "a", description = "a", namespace = "N", period = 60, threshold = 1, metric = "M", statistic = "Sum", extended_statistic = "p99" } }
  }
  expect_failures = [var.alarms]
}

run "rejects_bad_enums_and_periods" {
  command = plan
  variables {
    alarms = {
      op     = { name = "a", description = "a", namespace = "N", period = 60, threshold = 1, metric = "M", statistic = "Sum", comparison_operator = "Above" }
      period = { name = "b", description = "b", namespace = "N", period = 90, threshold = 1, metric = "M", statistic = "Sum", treat_missing_data = "zero" }
    }
  }
  expect_failures = [var.alarms]
}
