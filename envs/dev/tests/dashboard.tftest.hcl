# The env's dashboard, rendered with a mock provider (the plan cannot show it: the HTTP API's
# id is unknown until apply): valid JSON naming only this env's resources.

mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values; the blocks below are this file's own
  mock_resource "aws_sfn_state_machine" {
    defaults = {
      arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:mock"
    }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = {
      arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/mock"
    }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = {
      arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:storefirst-dev/webhook/github-AbC123"
    }
  }
  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:eu-west-1:123456789012:mock"
    }
  }
  mock_resource "aws_apigatewayv2_api" {
    defaults = {
      id            = "mockapi123"
      api_endpoint  = "https://mockapi123.execute-api.eu-west-1.amazonaws.com"
      execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:mockapi123"
    }
  }
  # Policy documents are not under test here; any valid policy JSON will do.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"apigateway.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"
    }
  }
}

# Real-shaped queue ARNs: modules/queue checks the work queue's ARN against the one it
# built from the DLQ's (a single mock ARN for every queue would fail that postcondition).

override_resource {
  target = module.app.module.webhook_queue.aws_sqs_queue.dlq
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:storefirst-dev-webhook-dlq"
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/storefirst-dev-webhook-dlq"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/storefirst-dev-webhook-dlq"
  }
}

override_resource {
  target = module.app.module.webhook_queue.aws_sqs_queue.this
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:storefirst-dev-webhook"
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/storefirst-dev-webhook"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/storefirst-dev-webhook"
  }
}

override_resource {
  target = module.app.module.fulfilment_queue.aws_sqs_queue.dlq
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:storefirst-dev-fulfilment-dlq"
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/storefirst-dev-fulfilment-dlq"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/storefirst-dev-fulfilment-dlq"
  }
}

override_resource {
  target = module.app.module.fulfilment_queue.aws_sqs_queue.this
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:storefirst-dev-fulfilment"
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/storefirst-dev-fulfilment"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/storefirst-dev-fulfilment"
  }
}

run "dashboard_names_only_this_env" {
  command = apply

  assert {
    condition     = length(jsondecode(module.app.dashboard_body).widgets) >= 10
    error_message = "the dashboard must cover the env's APIs, queues, functions, tables and workflows"
  }

  # Every name-like dimension value (queues, functions, tables, REST API) carries this env's
  # prefix; the rest are this env's HTTP API id and state machine ARNs.
  assert {
    condition = alltrue([
      for v in flatten([for w in jsondecode(module.app.dashboard_body).widgets : [
        for m in w.properties.metrics : [for i, x in m : x if i > 1 && i % 2 == 1 && can(tostring(x))]
      ]]) : startswith(v, "storefirst-dev-") || v == "mockapi123" || v == "$default" || v == "v1" || startswith(v, "arn:aws:states:")
    ])
    error_message = "the dashboard names a resource outside this env"
  }
}
