mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values; the blocks below are this file's own
  # Mocked policy JSON would be random text; the statements themselves are asserted below.
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  name         = "users"
  catalog_path = "../../envs/catalogs/users.yaml"
  table = {
    name = "users"
    arn  = "arn:aws:dynamodb:eu-west-1:123456789012:table/users"
  }
}

run "defaults_validate_authorize_log" {
  command = plan

  assert {
    condition     = aws_api_gateway_method.post.authorization == "AWS_IAM"
    error_message = "AWS_IAM must be the default authorization"
  }
  assert {
    condition     = aws_api_gateway_request_validator.body.validate_request_body
    error_message = "the request validator must validate the body"
  }
  assert {
    condition     = aws_api_gateway_method.post.request_models["application/json"] == "Envelope"
    error_message = "the method must use the catalog's Envelope model"
  }
  assert {
    condition     = jsondecode(aws_api_gateway_model.envelope.schema)["$schema"] == "http://json-schema.org/draft-04/schema#"
    error_message = "the model must be draft-04 (API Gateway's dialect)"
  }
  assert {
    condition     = toset(jsondecode(aws_api_gateway_model.envelope.schema).properties.operation.enum) == toset(["delete-user", "get-user", "list-users-by-last-name", "store-new-user", "update-user-email"])
    error_message = "the model must enumerate exactly the catalog's operations"
  }
  assert {
    condition     = endswith(aws_api_gateway_integration.dynamodb.uri, ":dynamodb:action/ExecuteStatement") && aws_api_gateway_integration.dynamodb.passthrough_behavior == "NEVER"
    error_message = "one ExecuteStatement integration, no passthrough"
  }
  assert {
    condition     = strcontains(aws_api_gateway_integration.dynamodb.request_templates["application/json"], "$input.json('$.data.email')")
    error_message = "the request template must carry values with $input.json"
  }
  assert {
    condition     = !strcontains(aws_api_gateway_integration.dynamodb.request_templates["application/json"], "escapeJavaScript")
    error_message = "the request template must not build JSON with escapeJavaScript"
  }
  assert {
    condition     = length(aws_api_gateway_stage.this.access_log_settings) == 1 && strcontains(aws_api_gateway_stage.this.access_log_settings[0].format, "$context.requestId")
    error_message = "access logs with the request id must be on"
  }
  assert {
    condition     = aws_api_gateway_method_settings.all.settings[0].metrics_enabled && !aws_api_gateway_method_settings.all.settings[0].data_trace_enabled
    error_message = "metrics on, data trace off"
  }
  assert {
    condition     = aws_cloudwatch_log_group.access.retention_in_days == 30
    error_message = "access logs keep 30 days by default"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["error_rate"].metric_name == "5XXError" && aws_cloudwatch_metric_alarm.this["error_rate"].namespace == "AWS/ApiGateway" && aws_cloudwatch_metric_alarm.this["error_rate"].dimensions["ApiName"] == "users" && aws_cloudwatch_metric_alarm.this["error_rate"].dimensions["Stage"] == "v1"
    error_message = "5XXError alarm on AWS/ApiGateway by ApiName + Stage"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["latency_p99"].extended_statistic == "p99" && aws_cloudwatch_metric_alarm.this["latency_p99"].metric_name == "Latency"
    error_message = "p99 Latency alarm"
  }
  assert {
    condition     = aws_api_gateway_gateway_response.bad_request_body.status_code == "400" && strcontains(aws_api_gateway_gateway_response.bad_request_body.response_templates["application/json"], "\"operations\":[\"")
    error_message = "validation failures must return 400 naming the contract (the catalog's operations)"
  }
  assert {
    # Gateway responses are substitution-only: no VTL directive, no $util/$input (they would be
    # returned as literal text), and no validationErrorString (unescaped, it can break the JSON).
    condition = alltrue([for t in values(merge(
      aws_api_gateway_gateway_response.bad_request_body.response_templates,
      [for r in aws_api_gateway_gateway_response.json : r.response_templates]...
    )) : !can(regex("#set|#if|#foreach|\\$util|\\$input|validationErrorString", t))])
    error_message = "gateway response templates may only use simple $context substitution of JSON-safe values"
  }
}

run "trust_policy_uses_only_what_api_gateway_sends" {
  command = plan

  # API Gateway is not documented to send aws:SourceArn / aws:SourceAccount when it assumes
  # an integration role (main.tf): a condition on them would make every call a 500.
  assert {
    condition     = jsondecode(aws_iam_role.integration.assume_role_policy).Statement == [{ Effect = "Allow", Principal = { Service = "apigateway.amazonaws.com" }, Action = "sts:AssumeRole" }]
    error_message = "the integration role must trust apigateway.amazonaws.com with no condition keys"
  }
  assert {
    condition     = !strcontains(aws_iam_role.integration.assume_role_policy, "Condition")
    error_message = "no Condition in the integration role's trust policy"
  }
}

run "role_allows_only_the_catalog_actions" {
  # apply (against the mocks) so the API's execution ARN is known
  command = apply

  assert {
    condition     = toset(data.aws_iam_policy_document.integration.statement[0].actions) == toset(["dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate"])
    error_message = "table statement must hold exactly the catalog's PartiQL actions"
  }
  assert {
    condition     = data.aws_iam_policy_document.integration.statement[0].resources == toset(["arn:aws:dynamodb:eu-west-1:123456789012:table/users"])
    error_message = "table statement must name only the table ARN"
  }
  assert {
    condition     = length(data.aws_iam_policy_document.integration.statement) == 2 && data.aws_iam_policy_document.integration.statement[1].actions == toset(["dynamodb:PartiQLSelect"]) && data.aws_iam_policy_document.integration.statement[1].resources == toset(["arn:aws:dynamodb:eu-west-1:123456789012:table/users/index/gsi1"])
    error_message = "the index gets only PartiQLSelect on its own ARN"
  }
  assert {
    condition     = data.aws_iam_policy_document.invoke.statement[0].resources == toset(["arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/POST/"])
    error_message = "invoke policy must grant only POST on this API's stage"
  }
  assert {
    condition     = length(aws_api_gateway_rest_api_policy.private) == 0
    error_message = "a regional API has no resource policy"
  }
}

run "private_needs_vpc_endpoints" {
  command = plan
  variables {
    endpoint_type = "PRIVATE"
  }
  expect_failures = [aws_api_gateway_rest_api.this]
}

run "private_with_endpoint" {
  command = plan
  variables {
    endpoint_type    = "PRIVATE"
    vpc_endpoint_ids = ["vpce-0123456789abcdef0"]
  }
  assert {
    condition     = length(aws_api_gateway_rest_api_policy.private) == 1 && aws_api_gateway_rest_api.this.endpoint_configuration[0].vpc_endpoint_ids == toset(["vpce-0123456789abcdef0"])
    error_message = "a private API is bound to its VPC endpoints with a resource policy"
  }
}

run "kms_table_key" {
  command = plan
  variables {
    table = {
      name        = "users"
      arn         = "arn:aws:dynamodb:eu-west-1:123456789012:table/users"
      kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    }
  }
  assert {
    condition     = data.aws_iam_policy_document.integration.statement[2].resources == toset(["arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"])
    error_message = "a CMK table grants kms on that key only"
  }
}

run "bad_table_arn" {
  command = plan
  variables {
    table = { name = "users", arn = "arn:aws:s3:::bucket" }
  }
  expect_failures = [var.table]
}

run "bad_retention" {
  command = plan
  variables {
    log_retention_days = 31
  }
  expect_failures = [var.log_retention_days]
}

run "rejects_a_kms_alias_for_the_table_key" {
  command = plan
  variables {
    table = {
      name        = "users"
      arn         = "arn:aws:dynamodb:eu-west-1:123456789012:table/users"
      kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/users"
    }
  }
  expect_failures = [var.table]
}
