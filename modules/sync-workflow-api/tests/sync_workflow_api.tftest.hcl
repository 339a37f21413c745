mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values (tests/mocks/aws)
}

variables {
  name = "customers"
  routes = {
    customers = {
      state_machine_arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:signup"
      client_errors     = { ValidationError = 400, AlreadyExists = 409 }
    }
  }
}

run "rest_aws_integration_to_start_sync_execution" {
  command = apply

  assert {
    condition     = aws_api_gateway_integration.sync["customers"].type == "AWS" && aws_api_gateway_integration.sync["customers"].uri == "arn:aws:apigateway:eu-west-1:states:action/StartSyncExecution"
    error_message = "POST /customers must be an AWS integration to states:action/StartSyncExecution"
  }
  assert {
    condition     = aws_api_gateway_integration.sync["customers"].passthrough_behavior == "NEVER" && aws_api_gateway_method.post["customers"].authorization == "AWS_IAM"
    error_message = "only JSON reaches Step Functions; AWS_IAM by default"
  }
  assert {
    # The status comes from the body: 200 for SUCCEEDED, the declared 4xx, else 500 / 504.
    condition = alltrue([for s in ["#if($status == \"SUCCEEDED\")", "$context.responseOverride.status = 504", "#elseif($err == \"AlreadyExists\")", "$context.responseOverride.status = 409", "$context.responseOverride.status = 500"] :
    strcontains(aws_api_gateway_integration_response.answered["customers"].response_templates["application/json"], s)])
    error_message = "the response template must map the execution status to the client's status"
  }
  assert {
    condition     = toset([for k, r in aws_api_gateway_method_response.this : r.status_code]) == toset(["200", "400", "409", "500", "503", "504"])
    error_message = "every status the template can set is a declared method response"
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.integration.policy).Statement == [{
      Sid      = "StartRoutedSyncExecutions", Effect = "Allow", Action = ["states:StartSyncExecution"],
      Resource = ["arn:aws:states:eu-west-1:123456789012:stateMachine:signup"]
    }]
    error_message = "the role may only StartSyncExecution on the routed machines"
  }
  assert {
    condition     = !strcontains(aws_iam_role.integration.assume_role_policy, "Condition")
    error_message = "trust names the API Gateway principal only (no condition keys API Gateway does not send)"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["server_errors"].metric_name == "5XXError" && aws_cloudwatch_metric_alarm.this["server_errors"].dimensions["ApiName"] == "customers" && aws_cloudwatch_metric_alarm.this["server_errors"].dimensions["Stage"] == "v1"
    error_message = "5XXError alarm by ApiName + Stage"
  }
  assert {
    condition     = alltrue([for r in aws_api_gateway_gateway_response.json : !can(regex("#set|#if|\\$util|\\$input", r.response_templates["application/json"]))])
    error_message = "gateway responses are substitution-only"
  }
  assert {
    condition     = output.route_urls["customers"] == "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1/customers"
    error_message = "route URL"
  }
}

run "rejects_a_5xx_as_client_error" {
  command = plan
  variables {
    routes = { customers = { state_machine_arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:signup", client_errors = { Boom = 500 } } }
  }
  expect_failures = [var.routes]
}

run "rejects_a_nested_path" {
  command = plan
  variables {
    routes = { "a/b" = { state_machine_arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:signup" } }
  }
  expect_failures = [var.routes]
}
