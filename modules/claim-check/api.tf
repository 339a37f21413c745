# POST /<path> -> S3 PutObject <bucket>/<key_prefix><request id> through an AWS integration
# (`arn:aws:apigateway:<region>:s3:path/<bucket>/<key>`, PUT, credentials role): "Tutorial:
# Create a REST API as an Amazon S3 proxy" (API Gateway developer guide). The key is
# $context.requestId, so every request has its own object and the client's request id is the
# worker's correlation id; the id and the route are also stored as user metadata
# (x-amz-meta-*), with the forwarded headers.

locals {
  integration_uri        = "arn:${local.partition}:apigateway:${local.region}:s3:path/${local.bucket_name}/${var.key_prefix}{object}"
  method_request_headers = { for h in var.forward_headers : "method.request.header.${h}" => false }
  integration_request_parameters = merge(
    {
      "integration.request.path.object"                  = "context.requestId"
      "integration.request.header.x-amz-meta-request-id" = "context.requestId"
      "integration.request.header.x-amz-meta-route"      = "'${local.route_key}'"
      "integration.request.header.Content-Type"          = "'application/json'"
    },
    { for h in var.forward_headers : "integration.request.header.x-amz-meta-${lower(h)}" => "method.request.header.${h}" },
  )
  error_json = "{\"error\":\"%s\",\"message\":$context.error.messageString,\"request_id\":\"$context.requestId\"}"
  access_log_format = jsonencode({
    requestId          = "$context.requestId"
    requestTime        = "$context.requestTime"
    httpMethod         = "$context.httpMethod"
    resourcePath       = "$context.resourcePath"
    status             = "$context.status"
    responseLatency    = "$context.responseLatency"
    requestLength      = "$context.requestOverride.header.Content-Length"
    integrationStatus  = "$context.integration.status"
    integrationLatency = "$context.integration.latency"
    integrationError   = "$context.integration.error"
    errorMessage       = "$context.error.message"
    errorType          = "$context.error.responseType"
    sourceIp           = "$context.identity.sourceIp"
    userAgent          = "$context.identity.userAgent"
  })
}

resource "aws_api_gateway_rest_api" "this" {
  name        = var.name
  description = "storefirst claim-check: ${local.route_key} -> s3://${local.bucket_name}/${var.key_prefix}"
  tags        = var.tags

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_resource" "p0" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = var.path_parts[0]
}

resource "aws_api_gateway_resource" "p1" {
  count       = length(var.path_parts) > 1 ? 1 : 0
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.p0.id
  path_part   = var.path_parts[1]
}

resource "aws_api_gateway_resource" "p2" {
  count       = length(var.path_parts) > 2 ? 1 : 0
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.p1[0].id
  path_part   = var.path_parts[2]
}

locals {
  resource_id = concat([aws_api_gateway_resource.p0.id], aws_api_gateway_resource.p1[*].id, aws_api_gateway_resource.p2[*].id)[length(var.path_parts) - 1]
}

resource "aws_api_gateway_method" "post" {
  #checkov:skip=CKV_AWS_59: authorization is the caller's input; NONE is for public webhooks, authenticated by a signature header the worker verifies, and throttled
  #checkov:skip=CKV2_AWS_53: the body is stored as sent and validated by the worker (a model would have to parse up to 10 MB in the request path)
  rest_api_id        = aws_api_gateway_rest_api.this.id
  resource_id        = local.resource_id
  http_method        = "POST"
  authorization      = var.authorization
  request_parameters = length(local.method_request_headers) > 0 ? local.method_request_headers : null
}

resource "aws_api_gateway_integration" "s3" {
  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = local.resource_id
  http_method             = aws_api_gateway_method.post.http_method
  type                    = "AWS"
  integration_http_method = "PUT"
  uri                     = local.integration_uri
  credentials             = aws_iam_role.integration.arn
  request_parameters      = local.integration_request_parameters
  # No mapping template: the body reaches S3 byte for byte (signatures stay verifiable).
  passthrough_behavior = "WHEN_NO_TEMPLATES"
}

resource "aws_api_gateway_method_response" "this" {
  for_each    = toset(["202", "500", "503"])
  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = local.resource_id
  http_method = aws_api_gateway_method.post.http_method
  status_code = each.key
}

# S3 answers PutObject with 200 and an empty body; the client gets 202 and the request id it
# can quote (the object key and the worker's correlation id).
resource "aws_api_gateway_integration_response" "stored" {
  rest_api_id        = aws_api_gateway_rest_api.this.id
  resource_id        = local.resource_id
  http_method        = aws_api_gateway_method.post.http_method
  status_code        = aws_api_gateway_method_response.this["202"].status_code
  response_templates = { "application/json" = "{\"status\":\"accepted\",\"request_id\":\"$context.requestId\"}" }
  depends_on         = [aws_api_gateway_integration.s3]
}

resource "aws_api_gateway_integration_response" "refused" {
  rest_api_id        = aws_api_gateway_rest_api.this.id
  resource_id        = local.resource_id
  http_method        = aws_api_gateway_method.post.http_method
  status_code        = aws_api_gateway_method_response.this["500"].status_code
  selection_pattern  = "4\\d{2}"
  response_templates = { "application/json" = "{\"error\":\"NotStored\",\"message\":\"The body could not be stored.\",\"request_id\":\"$context.requestId\"}" }
  depends_on         = [aws_api_gateway_integration.s3]
}

resource "aws_api_gateway_integration_response" "unavailable" {
  rest_api_id        = aws_api_gateway_rest_api.this.id
  resource_id        = local.resource_id
  http_method        = aws_api_gateway_method.post.http_method
  status_code        = aws_api_gateway_method_response.this["503"].status_code
  selection_pattern  = "5\\d{2}"
  response_templates = { "application/json" = "{\"error\":\"Unavailable\",\"message\":\"Storage is unavailable; retry with backoff.\",\"request_id\":\"$context.requestId\"}" }
  depends_on         = [aws_api_gateway_integration.s3]
}

# REQUEST_TOO_LARGE (413, body over the 10 MB REST payload quota) is not listed: its default
# response cannot be customized ("Gateway response types for API Gateway").
resource "aws_api_gateway_gateway_response" "json" {
  for_each = {
    THROTTLED                    = { status = "429", error = "Throttled" }
    MISSING_AUTHENTICATION_TOKEN = { status = "404", error = "NotFound" }
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
      for r in flatten([
        [aws_api_gateway_method.post, aws_api_gateway_integration.s3, aws_api_gateway_integration_response.stored,
        aws_api_gateway_integration_response.refused, aws_api_gateway_integration_response.unavailable],
        values(aws_api_gateway_gateway_response.json),
      ]) : { for k, v in r : k => v if v != null && !try(length(v) == 0, false) }
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
  #checkov:skip=CKV_AWS_120: caching a write would answer later requests without storing them
  #checkov:skip=CKV2_AWS_51: client certificates are for HTTP backends; this integration is S3 over SigV4
  #checkov:skip=CKV_AWS_73: X-Ray is off (traces cost per request)
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
  #checkov:skip=CKV_AWS_225: caching a write would answer later requests without storing them
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

resource "aws_cloudwatch_metric_alarm" "error_rate" {
  count               = var.alarms_enabled ? 1 : 0
  alarm_name          = "${var.name}-claim-check-5xx-rate"
  alarm_description   = "More than ${var.error_rate_threshold * 100}% of ${local.route_key} requests returned 5xx (S3 refused or failed the write)."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5XXError"
  dimensions          = { ApiName = aws_api_gateway_rest_api.this.name, Stage = aws_api_gateway_stage.this.stage_name }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.error_rate_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "latency_p99" {
  count               = var.alarms_enabled ? 1 : 0
  alarm_name          = "${var.name}-claim-check-p99-latency"
  alarm_description   = "p99 latency of ${local.route_key} above ${var.latency_p99_threshold_ms} ms (large bodies take longer to store; the REST integration times out at 29 s)."
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  dimensions          = { ApiName = aws_api_gateway_rest_api.this.name, Stage = aws_api_gateway_stage.this.stage_name }
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.latency_p99_threshold_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
