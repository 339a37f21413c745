mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values (tests/mocks/aws)
}

variables {
  name = "storefirst-test"
  inventory = {
    http_apis      = { public = { api_id = "abc123" } }
    rest_apis      = { data = { api_name = "storefirst-test-data", stage = "v1" } }
    queues         = { webhook = { queue_name = "storefirst-test-webhook", dlq_name = "storefirst-test-webhook-dlq" } }
    functions      = { worker = "storefirst-test-worker" }
    tables         = { users = "storefirst-test-users" }
    state_machines = { orders = "arn:aws:states:eu-west-1:123456789012:stateMachine:storefirst-test-orders" }
  }
}

run "widgets_follow_the_inventory" {
  command = plan

  assert {
    condition     = output.widget_count == 7
    error_message = "one widget per API, function, table and workflow, two per queue (queue + DLQ)"
  }
  assert {
    condition     = contains(flatten(jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets[*].properties.metrics), "5xx")
    error_message = "HTTP API widgets use the HTTP API metric name 5xx"
  }
  assert {
    condition     = contains(flatten(jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets[*].properties.metrics), "5XXError")
    error_message = "REST API widgets use the REST API metric name 5XXError"
  }
  assert {
    condition     = contains(flatten(jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets[*].properties.metrics), "storefirst-test-webhook-dlq")
    error_message = "the DLQ has its own widget"
  }
  assert {
    condition     = alltrue([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.region == "eu-west-1"])
    error_message = "widgets use the provider's region"
  }
}

run "empty_inventory_is_refused" {
  command = plan
  variables {
    inventory = {}
  }
  expect_failures = [aws_cloudwatch_dashboard.this]
}
