# Data API: one REST API URL that accepts {"operation", "data"} envelopes and maps each
# operation of the catalog onto DynamoDB with VTL, without a Lambda. REST, not HTTP API,
# because HTTP APIs have neither DynamoDB integrations nor mapping templates nor request
# validation (AWS "Choose between REST APIs and HTTP APIs").

data "aws_region" "current" {}
data "aws_partition" "current" {}

module "catalog" {
  source     = "./modules/catalog"
  catalog    = yamldecode(file(var.catalog_path))
  table_name = var.table.name
}

locals {
  region    = data.aws_region.current.name
  partition = data.aws_partition.current.partition
  # One integration, one DynamoDB action: the request template chooses the PartiQL
  # statement per operation (see README "Dispatch").
  integration_uri = "arn:${local.partition}:apigateway:${local.region}:dynamodb:action/ExecuteStatement"

  table_grants = distinct([for g in module.catalog.grants : g.action if g.index == null])
  index_grants = { for g in module.catalog.grants : "${g.action}/${g.index}" => g if g.index != null }

  statuses = ["200", "201", "400", "404", "409", "429", "500", "503"]

  access_log_format = jsonencode({
    requestId          = "$context.requestId"
    extendedRequestId  = "$context.extendedRequestId"
    xrayTraceId        = "$context.xrayTraceId"
    requestTime        = "$context.requestTime"
    httpMethod         = "$context.httpMethod"
    resourcePath       = "$context.resourcePath"
    status             = "$context.status"
    responseLatency    = "$context.responseLatency"
    integrationStatus  = "$context.integration.status"
    integrationLatency = "$context.integration.latency"
    integrationError   = "$context.integration.error"
    errorMessage       = "$context.error.message"
    validationError    = "$context.error.validationErrorString"
    caller             = "$context.identity.caller"
    userArn            = "$context.identity.userArn"
    sourceIp           = "$context.identity.sourceIp"
    # Access logs cannot record arbitrary headers; the storefirst client appends the
    # caller's correlation id to its User-Agent ("... cid/<id>") so it lands here.
    userAgent = "$context.identity.userAgent"
  })

  # Gateway responses: always JSON, with the request id.
  error_json = "{\"error\":\"%s\",\"message\":$context.error.messageString,\"request_id\":\"$context.requestId\"}"
}

resource "aws_api_gateway_rest_api" "this" {
  name        = var.name
  description = "storefirst data API for the ${try(yamldecode(file(var.catalog_path)).name, "data")} catalog"
  tags        = var.tags

  endpoint_configuration {
    types            = [var.endpoint_type]
    vpc_endpoint_ids = var.endpoint_type == "PRIVATE" ? var.vpc_endpoint_ids : null
  }

  lifecycle {
    create_before_destroy = true
    precondition {
      condition     = var.endpoint_type != "PRIVATE" || length(var.vpc_endpoint_ids) > 0
      error_message = "endpoint_type = PRIVATE needs at least one execute-api VPC endpoint id in vpc_endpoint_ids."
    }
  }
}

# A private API needs a resource policy; only the listed VPC endpoints may invoke it.
data "aws_iam_policy_document" "private" {
  count = var.endpoint_type == "PRIVATE" ? 1 : 0

  statement {
    sid       = "InvokeThroughVpcEndpoints"
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_api_gateway_rest_api.this.execution_arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = var.vpc_endpoint_ids
    }
  }
}

resource "aws_api_gateway_rest_api_policy" "private" {
  count       = var.endpoint_type == "PRIVATE" ? 1 : 0
  rest_api_id = aws_api_gateway_rest_api.this.id
  policy      = data.aws_iam_policy_document.private[0].json
}

resource "aws_api_gateway_model" "envelope" {
  rest_api_id  = aws_api_gateway_rest_api.this.id
  name         = "Envelope"
  description  = "The operation envelope, generated from the catalog (JSON Schema draft-04)."
  content_type = "application/json"
  schema       = module.catalog.model_schema
}

resource "aws_api_gateway_request_validator" "body" {
  rest_api_id           = aws_api_gateway_rest_api.this.id
  name                  = "${var.name}-body"
  validate_request_body = true
}

resource "aws_api_gateway_method" "post" {
  #checkov:skip=CKV2_AWS_53: the body is validated against the catalog's model (request_validator_id); there are no parameters to validate
  rest_api_id          = aws_api_gateway_rest_api.this.id
  resource_id          = aws_api_gateway_rest_api.this.root_resource_id
  http_method          = "POST"
  authorization        = var.authorization
  request_validator_id = aws_api_gateway_request_validator.body.id
  request_models       = { "application/json" = aws_api_gateway_model.envelope.name }
}

resource "aws_api_gateway_integration" "dynamodb" {
  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = aws_api_gateway_rest_api.this.root_resource_id
  http_method             = aws_api_gateway_method.post.http_method
  type                    = "AWS"
  integration_http_method = "POST"
  uri                     = local.integration_uri
  credentials             = aws_iam_role.integration.arn
  # Only application/json reaches DynamoDB; anything else gets 415 before it.
  passthrough_behavior = "NEVER"
  request_templates    = { "application/json" = module.catalog.request_template }
}

resource "aws_api_gateway_method_response" "this" {
  for_each    = toset(local.statuses)
  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_rest_api.this.root_resource_id
  http_method = aws_api_gateway_method.post.http_method
  status_code = each.value
}

# DynamoDB 200 -> the operation's data (201 / 404 set by the template).
resource "aws_api_gateway_integration_response" "ok" {
  rest_api_id        = aws_api_gateway_rest_api.this.id
  resource_id        = aws_api_gateway_rest_api.this.root_resource_id
  http_method        = aws_api_gateway_method.post.http_method
  status_code        = aws_api_gateway_method_response.this["200"].status_code
  response_templates = { "application/json" = module.catalog.response_template }
  depends_on         = [aws_api_gateway_integration.dynamodb]
}

# DynamoDB 4xx -> 404 / 409 / 429 / 400 / 500 by error type (set by the template).
resource "aws_api_gateway_integration_response" "client_error" {
  rest_api_id        = aws_api_gateway_rest_api.this.id
  resource_id        = aws_api_gateway_rest_api.this.root_resource_id
  http_method        = aws_api_gateway_method.post.http_method
  status_code        = aws_api_gateway_method_response.this["400"].status_code
  selection_pattern  = "4\\d{2}"
  response_templates = { "application/json" = module.catalog.error_template }
  depends_on         = [aws_api_gateway_integration.dynamodb]
}

# DynamoDB 5xx -> 503 so clients retry with backoff.
resource "aws_api_gateway_integration_response" "unavailable" {
  rest_api_id        = aws_api_gateway_rest_api.this.id
  resource_id        = aws_api_gateway_rest_api.this.root_resource_id
  http_method        = aws_api_gateway_method.post.http_method
  status_code        = aws_api_gateway_method_response.this["503"].status_code
  selection_pattern  = "5\\d{2}"
  response_templates = { "application/json" = module.catalog.unavailable_template }
  depends_on         = [aws_api_gateway_integration.dynamodb]
}

# Validation failures (BAD_REQUEST_BODY) -> a JSON 400. A gateway response template "isn't
# processed by the VTL engine" and supports "only simple variable substitution"
# (x-amazon-apigateway-gateway-responses.responseTemplates), so no $util escaping is possible.
# Only values that are JSON-safe by construction are substituted: $context.error.messageString
# ("the quoted value of $context.error.message", API Gateway context variables reference; for
# BAD_REQUEST_BODY AWS's fixed "Invalid request body") and $context.requestId.
# $context.error.validationErrorString (the validator's detail) is deliberately NOT in the body:
# AWS does not document that it is escaped, and its text quotes property names and echoes the
# client's own values (`instance value ("...") not found in enum`), so inside a JSON string it
# would break the body whenever AWS leaves a '"' or '\' raw. It goes to the access log
# (validationError) instead; the body names the contract (the catalog's operations, rendered
# here by Terraform's jsonencode) and the request id that finds that log line.
resource "aws_api_gateway_gateway_response" "bad_request_body" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  response_type = "BAD_REQUEST_BODY"
  status_code   = "400"
  response_templates = {
    "application/json" = trimspace(templatefile("${path.module}/templates/bad_request_body.json.tftpl", {
      operations = jsonencode(sort(keys(module.catalog.operations)))
    }))
  }
}

resource "aws_api_gateway_gateway_response" "json" {
  for_each = {
    THROTTLED                    = { status = "429", error = "Throttled" }
    UNSUPPORTED_MEDIA_TYPE       = { status = "415", error = "UnsupportedMediaType" }
    DEFAULT_4XX                  = { status = null, error = "ClientError" }
    DEFAULT_5XX                  = { status = null, error = "InternalError" }
    INTEGRATION_TIMEOUT          = { status = "504", error = "Timeout" }
    MISSING_AUTHENTICATION_TOKEN = { status = "403", error = "Forbidden" }
  }
  rest_api_id        = aws_api_gateway_rest_api.this.id
  response_type      = each.key
  status_code        = each.value.status
  response_templates = { "application/json" = format(local.error_json, each.value.error) }
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  # Redeploy whenever anything a caller can observe changes (templates, model, wiring).
  # The hash covers each resource's attributes without nulls, "" and empty collections: the
  # provider reads an unset map or list back as {} / [] (moto 5.2.5 does on every refresh; AWS's
  # responses for unset fields are not documented either way), and hashing the raw objects
  # then replaced the deployment on every plan. Any attribute that gains a value still counts.
  triggers = {
    redeployment = sha1(jsonencode([
      module.catalog.request_template, module.catalog.response_template, module.catalog.error_template,
      module.catalog.unavailable_template, module.catalog.model_schema,
      [for r in flatten([
        [aws_api_gateway_method.post, aws_api_gateway_integration.dynamodb,
          aws_api_gateway_integration_response.ok, aws_api_gateway_integration_response.client_error,
        aws_api_gateway_integration_response.unavailable, aws_api_gateway_gateway_response.bad_request_body],
        values(aws_api_gateway_gateway_response.json), aws_api_gateway_rest_api_policy.private,
      ]) : { for k, v in r : k => v if v != null && !try(length(v) == 0, false) }],
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_158: CloudWatch Logs encrypts at rest by default; a CMK is the log_kms_key_arn input
  #checkov:skip=CKV_AWS_338: retention is the log_retention_days input (default 30 days, the project convention); raise it per env
  name              = "/aws/apigateway/${var.name}/access"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

# The stage's logging needs the account's CloudWatch Logs role ("Set up CloudWatch logging
# for REST APIs in API Gateway"); only the stage (and the method settings after it) waits.
resource "terraform_data" "logging_role_ready" {
  input = var.logging_role_ready
}

resource "aws_api_gateway_stage" "this" {
  #checkov:skip=CKV_AWS_120: caching would serve stale reads of a read-write data API
  #checkov:skip=CKV2_AWS_51: client certificates are for HTTP backends; this integration is DynamoDB over AWS SigV4
  #checkov:skip=CKV_AWS_73: X-Ray is the xray_enabled input (off by default: traces cost per request)
  #checkov:skip=CKV2_AWS_77: WAF (and its rule set) is the caller's web_acl_arn
  #checkov:skip=CKV2_AWS_29: WAF is optional (web_acl_arn); AWS_IAM auth and throttling are the defaults
  rest_api_id          = aws_api_gateway_rest_api.this.id
  deployment_id        = aws_api_gateway_deployment.this.id
  stage_name           = var.stage_name
  xray_tracing_enabled = var.xray_enabled
  tags                 = var.tags

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = local.access_log_format
  }

  depends_on = [terraform_data.logging_role_ready]
}

resource "aws_api_gateway_method_settings" "all" {
  #checkov:skip=CKV_AWS_225: caching would serve stale reads of a read-write data API
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = var.logging_level
    data_trace_enabled     = false
    throttling_rate_limit  = var.throttle.rate_limit
    throttling_burst_limit = var.throttle.burst_limit
  }
}

resource "aws_wafv2_web_acl_association" "this" {
  count        = var.web_acl_arn == null ? 0 : 1
  resource_arn = aws_api_gateway_stage.this.arn
  web_acl_arn  = var.web_acl_arn
}

# --- integration role -----------------------------------------------------------------------------

# Trust: the API Gateway service principal only, with no aws:SourceArn / aws:SourceAccount
# condition. AWS documents those keys for service principals that act on behalf of a resource
# (confused-deputy guidance), but not as sent when API Gateway assumes an integration's
# credentials role; a live stack with aws:SourceAccount got "API Gateway does not have
# permission to assume the provided role" on every call (aws-solutions-library-samples/
# accelerated-intelligent-document-processing-on-aws PR 479). The trust policy AWS shows for
# an integration role ("Control access to a REST API with IAM permissions", permissions.html)
# names the principal only. Who can make API Gateway use this role is
# governed by iam:PassRole on whoever edits the API. modules/http-api does the same.
locals {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "apigateway.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "integration" {
  name               = "${var.name}-data-api"
  description        = "API Gateway -> DynamoDB for the ${var.name} data API (only the catalog's PartiQL actions)"
  assume_role_policy = local.assume_role_policy
  tags               = var.tags
}

data "aws_iam_policy_document" "integration" {
  dynamic "statement" {
    for_each = length(local.table_grants) > 0 ? [1] : []
    content {
      sid       = "CatalogOnTable"
      actions   = local.table_grants
      resources = [var.table.arn]
    }
  }

  dynamic "statement" {
    for_each = local.index_grants
    content {
      sid       = "CatalogOnIndex${replace(title(replace(statement.value.index, "/[^A-Za-z0-9]/", " ")), " ", "")}"
      actions   = [statement.value.action]
      resources = ["${var.table.arn}/index/${statement.value.index}"]
    }
  }

  dynamic "statement" {
    for_each = var.table.kms_key_arn == null ? [] : [1]
    content {
      sid       = "TableKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [var.table.kms_key_arn]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["dynamodb.${local.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "integration" {
  name   = "catalog-operations"
  role   = aws_iam_role.integration.id
  policy = data.aws_iam_policy_document.integration.json
}

# What a caller (e.g. the worker's role) needs to call this API with SigV4.
data "aws_iam_policy_document" "invoke" {
  statement {
    sid       = "InvokeDataApi"
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_api_gateway_rest_api.this.execution_arn}/${var.stage_name}/POST/"]
  }
}
