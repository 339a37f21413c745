# Synchronous workflow API: POST /<route> runs an EXPRESS state machine with StartSyncExecution
# and answers with its output, or with a 4xx/5xx naming the failure.
#
# Why REST and not the HTTP API's StepFunctions-StartSyncExecution route: StartSyncExecution
# returns 200 even when the execution FAILED or TIMED_OUT (the status is in the body, Step
# Functions API reference), and an HTTP API cannot set a status from the body (parameter
# mapping only, no mapping templates: http-api-parameter-mapping.html). A REST API response
# template can ($context.responseOverride.status, "Override your API's request and response
# parameters and status codes for REST APIs"). Integration URI: the API Gateway AWS
# integration form arn:aws:apigateway:<region>:states:action/StartSyncExecution.

data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  region          = data.aws_region.current.name
  integration_uri = "arn:${data.aws_partition.current.partition}:apigateway:${local.region}:states:action/StartSyncExecution"
  statuses        = distinct(concat(["200", "400", "500", "503", "504"], flatten([for k, r in var.routes : [for e, s in r.client_errors : tostring(s)]])))

  request_templates  = { for k, r in var.routes : k => templatefile("${path.module}/templates/request.vtl.tftpl", { state_machine_arn = r.state_machine_arn }) }
  response_templates = { for k, r in var.routes : k => templatefile("${path.module}/templates/response.vtl.tftpl", { client_errors = r.client_errors }) }

  # Gateway responses are substitution-only (no VTL; x-amazon-apigateway-gateway-responses.
  # responseTemplates): only JSON-safe values, see modules/data-api for why.
  error_json = "{\"error\":\"%s\",\"message\":$context.error.messageString,\"request_id\":\"$context.requestId\"}"

  access_log_format = jsonencode({
    requestId          = "$context.requestId"
    requestTime        = "$context.requestTime"
    httpMethod         = "$context.httpMethod"
    resourcePath       = "$context.resourcePath"
    status             = "$context.status"
    responseLatency    = "$context.responseLatency"
    integrationStatus  = "$context.integration.status"
    integrationLatency = "$context.integration.latency"
    integrationError   = "$context.integration.error"
    errorMessage       = "$context.error.message"
    sourceIp           = "$context.identity.sourceIp"
    caller             = "$context.identity.caller"
    userAgent          = "$context.identity.userAgent"
  })
}

resource "aws_api_gateway_rest_api" "this" {
  name        = var.name
  description = "storefirst synchronous workflow API"
  tags        = var.tags

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_resource" "route" {
  for_each    = var.routes
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = each.key
}

# Bodies must be JSON objects; anything else is a 400 before the workflow runs.
resource "aws_api_gateway_model" "object" {
  rest_api_id  = aws_api_gateway_rest_api.this.id
  name         = "JsonObject"
  content_type = "application/json"
  schema       = jsonencode({ "$schema" = "http://json-schema.org/draft-04/schema#", type = "object" })
}

resource "aws_api_gateway_request_validator" "body" {
  rest_api_id           = aws_api_gateway_rest_api.this.id
  name                  = "${var.name}-body"
  validate_request_body = true
}

resource "aws_api_gateway_method" "post" {
  #checkov:skip=CKV_AWS_59: authorization is the caller's input (default AWS_IAM); NONE is for public endpoints such as a sign-up form, protected by stage throttling
  #checkov:skip=CKV2_AWS_53: the body is validated against a JSON-object model; there are no parameters
  for_each             = var.routes
  rest_api_id          = aws_api_gateway_rest_api.this.id
  resource_id          = aws_api_gateway_resource.route[each.key].id
  http_method          = "POST"
  authorization        = var.authorization
  request_validator_id = aws_api_gateway_request_validator.body.id
  request_models       = { "application/json" = aws_api_gateway_model.object.name }
}

resource "aws_api_gateway_integration" "sync" {
  for_each                = var.routes
  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = aws_api_gateway_resource.route[each.key].id
  http_method             = aws_api_gateway_method.post[each.key].http_method
  type                    = "AWS"
  integration_http_method = "POST"
  uri                     = local.integration_uri
  credentials             = aws_iam_role.integration.arn
  passthrough_behavior    = "NEVER"
  request_templates       = { "application/json" = local.request_templates[each.key] }
}

resource "aws_api_gateway_method_response" "this" {
  for_each    = { for p in setproduct(keys(var.routes), local.statuses) : "${p[0]} ${p[1]}" => { route = p[0], status = p[1] } }
  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_resource.route[each.value.route].id
  http_method = aws_api_gateway_method.post[each.value.route].http_method
  status_code = each.value.status
}

# Step Functions answered (200): the template turns the execution's status into the client's.
resource "aws_api_gateway_integration_response" "answered" {
  for_each           = var.routes
  rest_api_id        = aws_api_gateway_rest_api.this.id
  resource_id        = aws_api_gateway_resource.route[each.key].id
  http_method        = aws_api_gateway_method.post[each.key].http_method
  status_code        = aws_api_gateway_method_response.this["${each.key} 200"].status_code
  response_templates = { "application/json" = local.response_templates[each.key] }
  depends_on         = [aws_api_gateway_integration.sync]
}

# Step Functions refused the call (4xx: permissions, missing machine, throttling, bad input):
# the execution never ran. A server-side fault for the client (500), visible in the 5xx alarm.
resource "aws_api_gateway_integration_response" "refused" {
  for_each           = var.routes
  rest_api_id        = aws_api_gateway_rest_api.this.id
  resource_id        = aws_api_gateway_resource.route[each.key].id
  http_method        = aws_api_gateway_method.post[each.key].http_method
  status_code        = aws_api_gateway_method_response.this["${each.key} 500"].status_code
  selection_pattern  = "4\\d{2}"
  response_templates = { "application/json" = "{\"error\":\"WorkflowNotStarted\",\"message\":\"The workflow could not be started.\",\"request_id\":\"$context.requestId\"}" }
  depends_on         = [aws_api_gateway_integration.sync]
}

resource "aws_api_gateway_integration_response" "unavailable" {
  for_each           = var.routes
  rest_api_id        = aws_api_gateway_rest_api.this.id
  resource_id        = aws_api_gateway_resource.route[each.key].id
  http_method        = aws_api_gateway_method.post[each.key].http_method
  status_code        = aws_api_gateway_method_response.this["${each.key} 503"].status_code
  selection_pattern  = "5\\d{2}"
  response_templates = { "application/json" = "{\"error\":\"Unavailable\",\"message\":\"Step Functions is unavailable; retry with backoff.\",\"request_id\":\"$context.requestId\"}" }
  depends_on         = [aws_api_gateway_integration.sync]
}

resource "aws_api_gateway_gateway_response" "json" {
  for_each = {
    BAD_REQUEST_BODY             = { status = "400", error = "ValidationError" }
    THROTTLED                    = { status = "429", error = "Throttled" }
    UNSUPPORTED_MEDIA_TYPE       = { status = "415", error = "UnsupportedMediaType" }
    MISSING_AUTHENTICATION_TOKEN = { status = "404", error = "NotFound" }
    INTEGRATION_TIMEOUT          = { status = "504", error = "Timeout" }
    DEFAULT_4XX                  = { status = null, error = "ClientError" }
    DEFAULT_5XX                  = { status = null, error = "InternalError" }
  }
  rest_api_id        = aws_api_gateway_rest_api.this.id
  response_type      = each.key
  status_code        = each.value.status
  response_templates = { "application/json" = format(local.error_json, each.value.error) }
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  # The hash covers each resource's attributes without nulls, "" and empty collections: the
  # provider reads an unset map or list back as {} / [] (moto 5.2.5 does on every refresh; AWS's
  # responses for unset fields are not documented either way), and hashing the raw objects
  # then replaced the deployment on every plan. Any attribute that gains a value still counts.
  triggers = {
    redeployment = sha1(jsonencode([
      local.request_templates, local.response_templates, aws_api_gateway_model.object.schema,
      [for r in flatten([
        values(aws_api_gateway_method.post), values(aws_api_gateway_integration.sync),
        values(aws_api_gateway_integration_response.answered), values(aws_api_gateway_integration_response.refused),
        values(aws_api_gateway_integration_response.unavailable), values(aws_api_gateway_gateway_response.json),
      ]) : { for k, v in r : k => v if v != null && !try(length(v) == 0, false) }],
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_158: CloudWatch Logs encrypts at rest by default; a CMK needs a key policy only the caller can grant
  #checkov:skip=CKV_AWS_338: retention is the log_retention_days input (default 30 days)
  name              = "/aws/apigateway/${var.name}/access"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# The stage's logging needs the account's CloudWatch Logs role ("Set up CloudWatch logging
# for REST APIs in API Gateway"); only the stage (and the method settings after it) waits.
resource "terraform_data" "logging_role_ready" {
  input = var.logging_role_ready
}

resource "aws_api_gateway_stage" "this" {
  #checkov:skip=CKV_AWS_120: caching would replay one execution's answer to other requests
  #checkov:skip=CKV2_AWS_51: client certificates are for HTTP backends; this integration is Step Functions over SigV4
  #checkov:skip=CKV_AWS_73: X-Ray is off (traces cost per request); enable it on the state machine
  #checkov:skip=CKV2_AWS_29: WAF is the caller's choice (associate a web ACL with the stage ARN output)
  #checkov:skip=CKV2_AWS_77: WAF is the caller's choice
  rest_api_id   = aws_api_gateway_rest_api.this.id
  deployment_id = aws_api_gateway_deployment.this.id
  stage_name    = var.stage_name
  tags          = var.tags

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = local.access_log_format
  }

  depends_on = [terraform_data.logging_role_ready]
}

resource "aws_api_gateway_method_settings" "all" {
  #checkov:skip=CKV_AWS_225: caching would replay one execution's answer to other requests
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = "ERROR"
    data_trace_enabled     = false
    throttling_rate_limit  = var.throttle.rate_limit
    throttling_burst_limit = var.throttle.burst_limit
  }
}

# --- integration role -----------------------------------------------------------------------------
# Trust: the API Gateway principal only, no aws:SourceArn / aws:SourceAccount (not documented
# as sent when API Gateway assumes an integration role; see modules/data-api/main.tf).
resource "aws_iam_role" "integration" {
  name        = "${var.name}-sync-workflow-api"
  description = "API Gateway -> states:StartSyncExecution on the ${var.name} routes' state machines only"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "apigateway.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "integration" {
  name = "start-sync-executions"
  role = aws_iam_role.integration.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "StartRoutedSyncExecutions"
      Effect   = "Allow"
      Action   = ["states:StartSyncExecution"]
      Resource = sort(distinct([for r in values(var.routes) : r.state_machine_arn]))
    }]
  })
}
