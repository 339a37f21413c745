# Plan/apply the module against a mocked AWS provider: no credentials, no network.
# Mocked computed values get ARN-shaped defaults so policies and source ARNs are checkable.

mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values; the blocks below are this file's own
  mock_resource "aws_apigatewayv2_api" {
    defaults = {
      id            = "a1b2c3d4e5"
      execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5"
      api_endpoint  = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"
    }
  }
  mock_resource "aws_apigatewayv2_authorizer" {
    defaults = {
      id = "auth123"
    }
  }
  mock_resource "aws_apigatewayv2_stage" {
    defaults = {
      invoke_url = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/"
    }
  }
}

variables {
  name = "hooks"
  routes = {
    "POST /webhook" = {
      kind            = "queue"
      target          = "webhooks"
      forward_headers = ["X-Signature"]
      throttle        = { rate_limit = 50, burst_limit = 100 }
    }
  }
  queues = {
    webhooks = {
      arn = "arn:aws:sqs:eu-west-1:123456789012:webhooks"
      url = "https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks"
    }
    unused = {
      arn = "arn:aws:sqs:eu-west-1:123456789012:unused"
      url = "https://sqs.eu-west-1.amazonaws.com/123456789012/unused"
    }
  }
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:alerts"]
}

run "queue_route_integration" {
  command = apply

  assert {
    condition     = aws_apigatewayv2_integration.this["POST /webhook"].integration_type == "AWS_PROXY"
    error_message = "queue routes must be AWS_PROXY integrations"
  }
  assert {
    condition     = aws_apigatewayv2_integration.this["POST /webhook"].integration_subtype == "SQS-SendMessage"
    error_message = "queue routes must use the SQS-SendMessage subtype"
  }
  assert {
    condition     = aws_apigatewayv2_integration.this["POST /webhook"].payload_format_version == "1.0"
    error_message = "AWS service integrations need payload format 1.0"
  }
  assert {
    condition     = aws_apigatewayv2_integration.this["POST /webhook"].credentials_arn == aws_iam_role.integration[0].arn
    error_message = "the integration must run as the module's own role"
  }
  assert {
    condition = aws_apigatewayv2_integration.this["POST /webhook"].request_parameters == tomap({
      QueueUrl          = "https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks"
      MessageBody       = "storefirst-frame/1 $${context.routeKey}\nX-Signature:$${request.header.X-Signature}\n\n$${request.body}"
      MessageAttributes = "{\"request_id\":{\"DataType\":\"String\",\"StringValue\":\"$${context.requestId}\"}}"
    })
    error_message = "request_parameters must be exactly QueueUrl, the framed MessageBody and the request-id-only MessageAttributes JSON"
  }
  assert {
    # No client-controlled value inside JSON: API Gateway substitutes without escaping, and an
    # absent header would be an empty StringValue, which SQS refuses.
    condition = jsondecode(aws_apigatewayv2_integration.this["POST /webhook"].request_parameters.MessageAttributes) == {
      request_id = { DataType = "String", StringValue = "$${context.requestId}" }
    }
    error_message = "MessageAttributes must carry only the AWS-generated request id"
  }
  assert {
    condition     = alltrue([for k, v in aws_apigatewayv2_integration.this["POST /webhook"].request_parameters : !strcontains(v, "request.header") if k == "MessageAttributes"])
    error_message = "no request header may be substituted into the MessageAttributes JSON"
  }
  assert {
    condition     = aws_apigatewayv2_route.this["POST /webhook"].target == "integrations/${aws_apigatewayv2_integration.this["POST /webhook"].id}"
    error_message = "the route must target its integration"
  }
  assert {
    condition     = aws_apigatewayv2_route.this["POST /webhook"].authorization_type == "NONE"
    error_message = "authorization defaults to NONE"
  }
  assert {
    condition     = output.request_id_attribute == "request_id"
    error_message = "the request id attribute name is an output for the worker"
  }
  assert {
    condition     = length(aws_lambda_permission.function) == 0 && length(aws_apigatewayv2_authorizer.jwt) == 0
    error_message = "no permissions or authorizer without function routes / jwt_authorizer"
  }
}

run "integration_role_is_least_privilege" {
  command = apply

  assert {
    condition = jsondecode(aws_iam_role_policy.integration[0].policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid      = "SendToRoutedQueues"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = ["arn:aws:sqs:eu-west-1:123456789012:webhooks"]
      }]
    }
    error_message = "the role may only sqs:SendMessage on the routed queue (not on unrouted queues, no KMS without a CMK)"
  }
  assert {
    condition     = jsondecode(aws_iam_role.integration[0].assume_role_policy).Statement[0].Principal.Service == "apigateway.amazonaws.com"
    error_message = "only API Gateway may assume the integration role"
  }
  assert {
    # No aws:SourceArn / aws:SourceAccount: API Gateway is not documented to send them (main.tf).
    condition     = !strcontains(aws_iam_role.integration[0].assume_role_policy, "Condition")
    error_message = "the integration role's trust policy must carry no condition keys API Gateway does not send"
  }
  assert {
    condition     = output.integration_role_arn == "arn:aws:iam::123456789012:role/mock"
    error_message = "integration_role_arn output"
  }
}

run "stage_throttling_and_access_logs" {
  command = apply

  assert {
    condition     = aws_apigatewayv2_stage.default.name == "$default" && aws_apigatewayv2_stage.default.auto_deploy
    error_message = "the module deploys to an auto-deploying $default stage"
  }
  assert {
    condition     = aws_apigatewayv2_stage.default.default_route_settings[0].throttling_rate_limit == 100 && aws_apigatewayv2_stage.default.default_route_settings[0].throttling_burst_limit == 200
    error_message = "default throttle 100 rps / 200 burst"
  }
  assert {
    condition     = aws_apigatewayv2_stage.default.default_route_settings[0].detailed_metrics_enabled
    error_message = "detailed metrics on by default"
  }
  assert {
    condition = [for s in aws_apigatewayv2_stage.default.route_settings : [s.route_key, s.throttling_rate_limit, s.throttling_burst_limit]] == [
      ["POST /webhook", 50, 100]
    ]
    error_message = "the route's own throttle must be a route_settings entry"
  }
  assert {
    condition     = aws_apigatewayv2_stage.default.access_log_settings[0].destination_arn == aws_cloudwatch_log_group.access.arn
    error_message = "access logs go to the module's log group"
  }
  assert {
    condition = alltrue([for f in ["requestId", "ip", "routeKey", "status", "integrationError", "integrationLatency", "responseLatency", "requestTime", "httpMethod"] :
    contains(keys(jsondecode(aws_apigatewayv2_stage.default.access_log_settings[0].format)), f)])
    error_message = "the access log format must be JSON with the request id, ip, route, status, integration error and latencies"
  }
  assert {
    condition     = jsondecode(aws_apigatewayv2_stage.default.access_log_settings[0].format).requestId == "$context.requestId"
    error_message = "requestId field maps $context.requestId"
  }
  assert {
    condition     = aws_cloudwatch_log_group.access.retention_in_days == 30 && aws_cloudwatch_log_group.access.name == "/aws/apigateway/hooks/access"
    error_message = "access log group has a 30-day retention by default"
  }
}

run "alarms_5xx_rate_and_p99_latency" {
  command = apply

  assert {
    condition     = keys(module.alarms.resources) == ["latency_p99", "server_errors_rate"]
    error_message = "rate mode is the default 5xx alarm"
  }
  assert {
    condition     = keys(output.alarm_arns) == ["latency_p99", "server_errors"]
    error_message = "alarm_arns is keyed by purpose: server_errors, latency_p99"
  }
  assert {
    condition = { for q in module.alarms.resources["server_errors_rate"].metric_query : q.id => [q.metric[0].namespace, q.metric[0].metric_name, q.metric[0].dimensions, q.metric[0].stat, q.metric[0].period] if length(q.metric) > 0 } == {
      errors   = ["AWS/ApiGateway", "5xx", tomap({ ApiId = "a1b2c3d4e5", Stage = "$default" }), "Sum", 300]
      requests = ["AWS/ApiGateway", "Count", tomap({ ApiId = "a1b2c3d4e5", Stage = "$default" }), "Sum", 300]
    }
    error_message = "5xx rate reads the HTTP API metrics 5xx and Count on ApiId + Stage $default"
  }
  assert {
    condition     = [for q in module.alarms.resources["server_errors_rate"].metric_query : q.expression if q.id == "rate"] == ["IF(requests >= 20, 100 * errors / requests, 0)"]
    error_message = "the alarm returns the 5xx percentage, zero below the minimum request count"
  }
  assert {
    condition     = module.alarms.resources["server_errors_rate"].treat_missing_data == "notBreaching" && module.alarms.resources["latency_p99"].treat_missing_data == "notBreaching"
    error_message = "an idle API is not an alarm"
  }
  assert {
    condition = (module.alarms.resources["latency_p99"].metric_name == "Latency" &&
      module.alarms.resources["latency_p99"].namespace == "AWS/ApiGateway" &&
      module.alarms.resources["latency_p99"].extended_statistic == "p99" &&
      module.alarms.resources["latency_p99"].dimensions == tomap({ ApiId = "a1b2c3d4e5", Stage = "$default" }) &&
    module.alarms.resources["latency_p99"].threshold == 2000)
    error_message = "p99 latency alarm on Latency, ApiId + Stage"
  }
  assert {
    condition     = module.alarms.resources["latency_p99"].alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:alerts"]) && module.alarms.resources["latency_p99"].ok_actions == toset(["arn:aws:sns:eu-west-1:123456789012:alerts"])
    error_message = "alarms notify the topic on ALARM and OK"
  }
}

run "alarms_5xx_count_mode_and_disabled" {
  command = plan
  variables {
    server_error_alarm_mode      = "count"
    server_error_count_threshold = 3
  }

  assert {
    condition     = !contains(keys(module.alarms.resources), "server_errors_rate") && module.alarms.resources["server_errors_count"].metric_name == "5xx" && module.alarms.resources["server_errors_count"].threshold == 3
    error_message = "count mode alarms on the 5xx Sum"
  }
}

run "alarms_off" {
  command = plan
  variables {
    alarms_enabled = false
  }

  assert {
    condition     = length(module.alarms.resources) == 0 && output.alarm_arns == {}
    error_message = "alarms_enabled = false creates no alarms"
  }
}

run "fifo_queue_with_cmk" {
  command = apply
  variables {
    routes = {
      "POST /orders" = { kind = "queue", target = "orders" }
      "POST /events" = { kind = "queue", target = "events", message_group_id = "$request.header.X-Tenant-Id" }
    }
    queues = {
      orders = {
        arn         = "arn:aws:sqs:eu-west-1:123456789012:orders.fifo"
        url         = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo"
        fifo        = true
        kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
      }
      events = {
        arn                         = "arn:aws:sqs:eu-west-1:123456789012:events.fifo"
        url                         = "https://sqs.eu-west-1.amazonaws.com/123456789012/events.fifo"
        fifo                        = true
        content_based_deduplication = true
      }
    }
  }

  assert {
    condition     = aws_apigatewayv2_integration.this["POST /orders"].request_parameters.MessageGroupId == "$context.requestId" && aws_apigatewayv2_integration.this["POST /orders"].request_parameters.MessageDeduplicationId == "$context.requestId"
    error_message = "FIFO defaults: group and deduplication id = request id"
  }
  assert {
    condition     = aws_apigatewayv2_integration.this["POST /events"].request_parameters.MessageGroupId == "$request.header.X-Tenant-Id" && !contains(keys(aws_apigatewayv2_integration.this["POST /events"].request_parameters), "MessageDeduplicationId")
    error_message = "configured group id; no deduplication id with content-based deduplication"
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.integration[0].policy).Statement == [
      {
        Sid      = "SendToRoutedQueues"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = ["arn:aws:sqs:eu-west-1:123456789012:events.fifo", "arn:aws:sqs:eu-west-1:123456789012:orders.fifo"]
      },
      {
        Sid       = "EncryptForRoutedQueues"
        Effect    = "Allow"
        Action    = ["kms:GenerateDataKey", "kms:Decrypt"]
        Resource  = ["arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"]
        Condition = { StringLike = { "kms:ViaService" = "sqs.*.amazonaws.com" } }
      },
    ]
    error_message = "SendMessage on both queues; KMS data-key actions only on the CMK, only via SQS"
  }
}

run "function_proxy_and_workflow_kinds" {
  command = apply
  variables {
    routes = {
      "GET /users/{id}" = { kind = "function", target = "users", authorization = "JWT", authorization_scopes = ["users/read"] }
      "ANY /{proxy+}"   = { kind = "function", target = "app" }
      "$default"        = { kind = "http_proxy", target = "legacy", timeout_milliseconds = 10000 }
      "POST /orders"    = { kind = "workflow", target = "orders" }
      "POST /quote"     = { kind = "workflow", target = "quote", sync = true }
    }
    functions = {
      users = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:users", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:users/invocations" }
      app   = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:app", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:app/invocations" }
    }
    http_backends = { legacy = { url = "https://legacy.example.com" } }
    state_machines = {
      orders = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders" }
      quote  = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:quote", type = "EXPRESS" }
    }
    jwt_authorizer = { issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc", audience = ["client-1"] }
  }

  # function
  assert {
    condition = (aws_apigatewayv2_integration.this["GET /users/{id}"].integration_type == "AWS_PROXY" &&
      aws_apigatewayv2_integration.this["GET /users/{id}"].payload_format_version == "2.0" &&
      aws_apigatewayv2_integration.this["GET /users/{id}"].integration_uri == "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:users/invocations" &&
    aws_apigatewayv2_integration.this["GET /users/{id}"].credentials_arn == null)
    error_message = "function routes: AWS_PROXY to the invoke ARN, payload 2.0, no credentials"
  }
  assert {
    condition     = aws_lambda_permission.function["GET /users/{id}"].source_arn == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/*/GET/users/*" && aws_lambda_permission.function["GET /users/{id}"].principal == "apigateway.amazonaws.com"
    error_message = "the invoke permission is scoped to this API, method and path"
  }
  assert {
    condition     = aws_lambda_permission.function["ANY /{proxy+}"].source_arn == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/*/*/*"
    error_message = "ANY /{proxy+} covers any method and path of this API"
  }
  assert {
    condition     = aws_apigatewayv2_route.this["GET /users/{id}"].authorization_type == "JWT" && aws_apigatewayv2_route.this["GET /users/{id}"].authorizer_id == aws_apigatewayv2_authorizer.jwt[0].id && aws_apigatewayv2_route.this["GET /users/{id}"].authorization_scopes == toset(["users/read"])
    error_message = "JWT routes use the module's authorizer and scopes"
  }
  assert {
    condition     = aws_apigatewayv2_authorizer.jwt[0].jwt_configuration[0].issuer == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc" && aws_apigatewayv2_authorizer.jwt[0].jwt_configuration[0].audience == toset(["client-1"])
    error_message = "JWT authorizer issuer and audience"
  }
  # http_proxy
  assert {
    condition = (aws_apigatewayv2_integration.this["$default"].integration_type == "HTTP_PROXY" &&
      aws_apigatewayv2_integration.this["$default"].integration_uri == "https://legacy.example.com" &&
      aws_apigatewayv2_integration.this["$default"].integration_method == "ANY" &&
      aws_apigatewayv2_integration.this["$default"].timeout_milliseconds == 10000 &&
    aws_apigatewayv2_integration.this["$default"].request_parameters == tomap({ "overwrite:path" = "$request.path" }))
    error_message = "http_proxy $default forwards any method and the request path to the base URL"
  }
  # workflow
  assert {
    condition = (aws_apigatewayv2_integration.this["POST /orders"].integration_subtype == "StepFunctions-StartExecution" &&
      aws_apigatewayv2_integration.this["POST /quote"].integration_subtype == "StepFunctions-StartSyncExecution" &&
      aws_apigatewayv2_integration.this["POST /orders"].request_parameters == tomap({ StateMachineArn = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders", Input = "$request.body" }) &&
    aws_apigatewayv2_integration.this["POST /quote"].credentials_arn == aws_iam_role.integration[0].arn)
    error_message = "workflow routes: StartExecution / StartSyncExecution subtypes with the state machine ARN and body as input"
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.integration[0].policy).Statement == [
      { Sid = "StartRoutedWorkflows", Effect = "Allow", Action = ["states:StartExecution"], Resource = ["arn:aws:states:eu-west-1:123456789012:stateMachine:orders"] },
      { Sid = "StartRoutedSyncWorkflows", Effect = "Allow", Action = ["states:StartSyncExecution"], Resource = ["arn:aws:states:eu-west-1:123456789012:stateMachine:quote"] },
    ]
    error_message = "the role may only start the routed state machines, each with only the action its route uses"
  }
}

run "no_role_without_service_routes" {
  command = plan
  variables {
    routes        = { "$default" = { kind = "http_proxy", target = "legacy" } }
    http_backends = { legacy = { url = "https://legacy.example.com" } }
  }

  assert {
    condition     = length(aws_iam_role.integration) == 0 && output.integration_role_arn == null
    error_message = "no integration role when no route calls an AWS service"
  }
}

run "cors_enabled" {
  command = plan
  variables {
    cors = { allow_origins = ["https://app.example.com"] }
  }

  assert {
    condition     = aws_apigatewayv2_api.this.cors_configuration[0].allow_origins == toset(["https://app.example.com"]) && aws_apigatewayv2_api.this.cors_configuration[0].max_age == 300
    error_message = "CORS configuration from var.cors"
  }
}

run "accepts_route_key_shapes" {
  command = plan
  variables {
    routes = {
      "GET /"                       = { kind = "queue", target = "webhooks" }
      "POST /v1/items/{id}/notes"   = { kind = "queue", target = "webhooks" }
      "PUT /files/{key+}"           = { kind = "queue", target = "webhooks" }
      "DELETE /a.b_c~d-e/{x_1}"     = { kind = "queue", target = "webhooks" }
      "$default"                    = { kind = "queue", target = "unused" }
      "OPTIONS /preflight/{proxy+}" = { kind = "queue", target = "webhooks" }
    }
  }

  assert {
    condition     = length(aws_apigatewayv2_route.this) == 6
    error_message = "all documented route key shapes are accepted"
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.integration[0].policy).Statement[0].Resource == ["arn:aws:sqs:eu-west-1:123456789012:unused", "arn:aws:sqs:eu-west-1:123456789012:webhooks"]
    error_message = "one statement covering each routed queue once"
  }
}

run "integration_settings_twin_drives_replacement" {
  command = plan

  assert {
    condition     = terraform_data.integration_settings["POST /webhook"].input.request_parameters == aws_apigatewayv2_integration.this["POST /webhook"].request_parameters
    error_message = "the replace trigger must carry exactly the integration's request parameters"
  }
  assert {
    condition     = terraform_data.integration_settings["POST /webhook"].input.description == aws_apigatewayv2_integration.this["POST /webhook"].description
    error_message = "the replace trigger must carry the integration's description"
  }
}

# --- negative cases: the module's own messages ----------------------------------------------------

run "rejects_unknown_queue" {
  command = plan
  variables {
    routes = { "POST /webhook" = { kind = "queue", target = "nope" } }
  }
  expect_failures = [aws_apigatewayv2_integration.this]
}

run "rejects_unknown_kind" {
  command = plan
  variables {
    routes = { "POST /webhook" = { kind = "dynamodb", target = "webhooks" } }
  }
  expect_failures = [var.routes]
}

run "rejects_bad_route_key" {
  command = plan
  variables {
    routes = { "POST webhook" = { kind = "queue", target = "webhooks" } }
  }
  expect_failures = [var.routes]
}

run "rejects_route_throttle_out_of_range" {
  command = plan
  variables {
    routes = { "POST /webhook" = { kind = "queue", target = "webhooks", throttle = { rate_limit = 20000, burst_limit = 10 } } }
  }
  expect_failures = [var.routes]
}

run "rejects_default_throttle_out_of_range" {
  command = plan
  variables {
    default_throttle = { rate_limit = 10, burst_limit = 6000 }
  }
  expect_failures = [var.default_throttle]
}

run "rejects_jwt_route_without_authorizer" {
  command = plan
  variables {
    routes = { "POST /webhook" = { kind = "queue", target = "webhooks", authorization = "JWT" } }
  }
  expect_failures = [aws_apigatewayv2_integration.this]
}

run "rejects_fifo_options_on_standard_queue" {
  command = plan
  variables {
    routes = { "POST /webhook" = { kind = "queue", target = "webhooks", message_group_id = "$request.header.X-Tenant" } }
  }
  expect_failures = [aws_apigatewayv2_integration.this]
}

run "rejects_too_many_forwarded_headers" {
  command = plan
  variables {
    routes = { "POST /webhook" = { kind = "queue", target = "webhooks", forward_headers = [for i in range(21) : "h${i}"] } }
  }
  expect_failures = [var.routes]
}

run "rejects_sync_workflow_on_standard_machine" {
  command = plan
  variables {
    routes         = { "POST /orders" = { kind = "workflow", target = "orders", sync = true } }
    state_machines = { orders = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders" } }
  }
  expect_failures = [aws_apigatewayv2_integration.this]
}

run "rejects_path_without_slash_segments" {
  command = plan
  variables {
    routes = { "POST /a//b" = { kind = "queue", target = "webhooks" } }
  }
  expect_failures = [var.routes]
}

run "rejects_greedy_param_not_last" {
  command = plan
  variables {
    routes = { "GET /{proxy+}/x" = { kind = "queue", target = "webhooks" } }
  }
  expect_failures = [var.routes]
}

run "rejects_queue_options_on_function_route" {
  command = plan
  variables {
    routes    = { "GET /x" = { kind = "function", target = "f", forward_headers = ["X-A"] } }
    functions = { f = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:f", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:f/invocations" } }
  }
  expect_failures = [aws_apigatewayv2_integration.this]
}

run "rejects_duplicate_forwarded_headers" {
  command = plan
  variables {
    routes = { "POST /webhook" = { kind = "queue", target = "webhooks", forward_headers = ["X-Sig", "x-sig"] } }
  }
  expect_failures = [aws_apigatewayv2_integration.this]
}

run "rejects_header_name_that_could_break_the_frame" {
  command = plan
  variables {
    routes = { "POST /webhook" = { kind = "queue", target = "webhooks", forward_headers = ["X-A:B"] } }
  }
  expect_failures = [var.routes]
}

run "rejects_a_kms_alias_for_a_queue" {
  # The integration role's kms:GenerateDataKey would name an alias, which IAM never matches.
  command = plan
  variables {
    queues = {
      webhooks = {
        arn         = "arn:aws:sqs:eu-west-1:123456789012:webhooks"
        url         = "https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks"
        kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/webhooks"
      }
    }
  }
  expect_failures = [var.queues]
}

run "rejects_invalid_log_retention" {
  command = plan
  variables {
    access_log_retention_days = 31
  }
  expect_failures = [var.access_log_retention_days]
}

# --- event and stream kinds (EventBridge-PutEvents, Kinesis-PutRecord) ----------------------------

run "event_and_stream_kinds" {
  command = apply

  variables {
    routes = {
      "POST /orders" = { kind = "event", target = "orders", source = "shop.orders", detail_type = "OrderPlaced" }
      "POST /audit"  = { kind = "event", target = "orders" }
      "POST /clicks" = { kind = "stream", target = "clicks", partition_key = "$request.header.X-Session-Id" }
      "POST /views"  = { kind = "stream", target = "views" }
    }
    event_buses = {
      orders = { arn = "arn:aws:events:eu-west-1:123456789012:event-bus/orders" }
      unused = { arn = "arn:aws:events:eu-west-1:123456789012:event-bus/unused" }
    }
    streams = {
      clicks = { arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks", kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }
      views  = { arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/views" }
    }
  }

  assert {
    condition     = aws_apigatewayv2_integration.this["POST /orders"].integration_subtype == "EventBridge-PutEvents" && aws_apigatewayv2_integration.this["POST /orders"].payload_format_version == "1.0" && aws_apigatewayv2_integration.this["POST /orders"].credentials_arn == "arn:aws:iam::123456789012:role/mock"
    error_message = "event routes are AWS_PROXY EventBridge-PutEvents 1.0 with the integration role"
  }
  assert {
    condition     = aws_apigatewayv2_integration.this["POST /orders"].request_parameters == tomap({ Detail = "$request.body", DetailType = "OrderPlaced", Source = "shop.orders", EventBusName = "arn:aws:events:eu-west-1:123456789012:event-bus/orders" })
    error_message = "PutEvents parameters: the body as Detail, the route's DetailType/Source, the bus"
  }
  assert {
    condition     = aws_apigatewayv2_integration.this["POST /audit"].request_parameters.DetailType == "POST /audit" && aws_apigatewayv2_integration.this["POST /audit"].request_parameters.Source == "storefirst.hooks"
    error_message = "defaults: DetailType = route key, Source = storefirst.<name>"
  }
  assert {
    condition     = aws_apigatewayv2_integration.this["POST /clicks"].integration_subtype == "Kinesis-PutRecord" && aws_apigatewayv2_integration.this["POST /clicks"].request_parameters == tomap({ StreamName = "clicks", Data = "$request.body", PartitionKey = "$request.header.X-Session-Id" })
    error_message = "PutRecord parameters: stream name, the body as Data, the route's partition key"
  }
  assert {
    condition     = aws_apigatewayv2_integration.this["POST /views"].request_parameters.PartitionKey == "$context.requestId"
    error_message = "default partition key: the request id"
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.integration[0].policy).Statement == [
      { Sid = "PutEventsOnRoutedBuses", Effect = "Allow", Action = ["events:PutEvents"], Resource = ["arn:aws:events:eu-west-1:123456789012:event-bus/orders"] },
      { Sid = "PutRecordsOnRoutedStreams", Effect = "Allow", Action = ["kinesis:PutRecord"], Resource = ["arn:aws:kinesis:eu-west-1:123456789012:stream/clicks", "arn:aws:kinesis:eu-west-1:123456789012:stream/views"] },
      { Sid = "EncryptForRoutedStreams", Effect = "Allow", Action = ["kms:GenerateDataKey"], Resource = ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"], Condition = { StringLike = { "kms:ViaService" = "kinesis.*.amazonaws.com" } } },
    ]
    error_message = "the role may put events on the routed bus and records on the routed streams only (unused bus excluded)"
  }
}

run "rejects_an_aws_reserved_event_source" {
  command = plan
  variables {
    routes      = { "POST /orders" = { kind = "event", target = "orders", source = "aws.orders" } }
    event_buses = { orders = { arn = "arn:aws:events:eu-west-1:123456789012:event-bus/orders" } }
  }
  expect_failures = [var.routes]
}

run "rejects_event_options_on_a_stream_route" {
  command = plan
  variables {
    routes  = { "POST /clicks" = { kind = "stream", target = "clicks", detail_type = "Click" } }
    streams = { clicks = { arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks" } }
  }
  expect_failures = [aws_apigatewayv2_integration.this["POST /clicks"]]
}

run "rejects_unknown_bus" {
  command = plan
  variables {
    routes = { "POST /orders" = { kind = "event", target = "nope" } }
  }
  expect_failures = [aws_apigatewayv2_integration.this["POST /orders"]]
}

# --- Lambda REQUEST authorizer (authorization = "CUSTOM") -----------------------------------------

run "lambda_authorizer_on_custom_routes" {
  command = apply
  variables {
    routes = {
      "POST /webhook" = { kind = "queue", target = "webhooks", authorization = "CUSTOM", forward_headers = ["X-Signature"] }
      "GET /health"   = { kind = "function", target = "app" }
    }
    functions = {
      app = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:app", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:app/invocations" }
    }
    lambda_authorizer = {
      function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:origin-verify"
      invoke_arn   = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:origin-verify/invocations"
    }
  }

  assert {
    condition = (aws_apigatewayv2_authorizer.lambda[0].authorizer_type == "REQUEST" &&
      aws_apigatewayv2_authorizer.lambda[0].authorizer_uri == "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:origin-verify/invocations" &&
      aws_apigatewayv2_authorizer.lambda[0].authorizer_payload_format_version == "2.0" &&
      aws_apigatewayv2_authorizer.lambda[0].enable_simple_responses == true &&
      aws_apigatewayv2_authorizer.lambda[0].identity_sources == toset(["$request.header.X-Origin-Verify"]) &&
      aws_apigatewayv2_authorizer.lambda[0].authorizer_result_ttl_in_seconds == 300 &&
    aws_apigatewayv2_authorizer.lambda[0].name == "hooks-lambda")
    error_message = "REQUEST authorizer, payload 2.0, simple responses, the origin header as identity source, 300 s cache"
  }
  assert {
    condition = (aws_lambda_permission.authorizer[0].source_arn == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/authorizers/auth123" &&
      aws_lambda_permission.authorizer[0].principal == "apigateway.amazonaws.com" &&
      aws_lambda_permission.authorizer[0].action == "lambda:InvokeFunction" &&
    aws_lambda_permission.authorizer[0].function_name == "arn:aws:lambda:eu-west-1:123456789012:function:origin-verify")
    error_message = "the authorizer's invoke permission is scoped to this API's authorizer"
  }
  assert {
    condition     = aws_apigatewayv2_route.this["POST /webhook"].authorization_type == "CUSTOM" && aws_apigatewayv2_route.this["POST /webhook"].authorizer_id == "auth123"
    error_message = "CUSTOM routes use the Lambda authorizer"
  }
  assert {
    condition     = aws_apigatewayv2_route.this["GET /health"].authorization_type == "NONE" && aws_apigatewayv2_route.this["GET /health"].authorizer_id == null
    error_message = "other routes keep their own authorization"
  }
  assert {
    condition     = output.lambda_authorizer_id == "auth123" && output.authorizer_id == null
    error_message = "lambda_authorizer_id output"
  }
}

run "lambda_authorizer_without_cache_may_have_no_identity_source" {
  command = plan
  variables {
    routes = { "POST /webhook" = { kind = "queue", target = "webhooks", authorization = "CUSTOM" } }
    lambda_authorizer = {
      function_arn       = "arn:aws:lambda:eu-west-1:123456789012:function:origin-verify"
      invoke_arn         = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:origin-verify/invocations"
      identity_sources   = []
      result_ttl_seconds = 0
    }
  }
  assert {
    condition     = aws_apigatewayv2_authorizer.lambda[0].authorizer_result_ttl_in_seconds == 0 && aws_apigatewayv2_authorizer.lambda[0].identity_sources == null
    error_message = "TTL 0 without identity sources"
  }
}

run "rejects_custom_route_without_lambda_authorizer" {
  command = plan
  variables {
    routes = { "POST /webhook" = { kind = "queue", target = "webhooks", authorization = "CUSTOM" } }
  }
  expect_failures = [aws_apigatewayv2_integration.this]
}

run "rejects_cached_lambda_authorizer_without_identity_source" {
  command = plan
  variables {
    lambda_authorizer = {
      function_arn     = "arn:aws:lambda:eu-west-1:123456789012:function:origin-verify"
      invoke_arn       = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:origin-verify/invocations"
      identity_sources = []
    }
  }
  expect_failures = [var.lambda_authorizer]
}

run "rejects_lambda_authorizer_ttl_over_an_hour" {
  command = plan
  variables {
    lambda_authorizer = {
      function_arn       = "arn:aws:lambda:eu-west-1:123456789012:function:origin-verify"
      invoke_arn         = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:origin-verify/invocations"
      result_ttl_seconds = 3601
    }
  }
  expect_failures = [var.lambda_authorizer]
}

run "rejects_bad_identity_source" {
  command = plan
  variables {
    lambda_authorizer = {
      function_arn     = "arn:aws:lambda:eu-west-1:123456789012:function:origin-verify"
      invoke_arn       = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:origin-verify/invocations"
      identity_sources = ["request.header.X-Origin-Verify"]
    }
  }
  expect_failures = [var.lambda_authorizer]
}
