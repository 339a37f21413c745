# HTTP API (API Gateway v2) with a $default auto-deploy stage, JSON access logs, throttling,
# optional CORS and JWT authorizer, and a routes map whose `kind` picks the integration:
#   queue      -> AWS_PROXY SQS-SendMessage (payload 1.0) through a role this module creates
#   function   -> AWS_PROXY Lambda (payload 2.0) with an invoke permission scoped to the route
#   http_proxy -> HTTP_PROXY to a base URL (strangler pattern, $default allowed)
#   workflow   -> AWS_PROXY StepFunctions-StartExecution / StepFunctions-StartSyncExecution

locals {
  # The map a route's `target` must be a key of, per kind.
  targets_by_kind = {
    queue      = keys(var.queues)
    function   = keys(var.functions)
    http_proxy = keys(var.http_backends)
    workflow   = keys(var.state_machines)
  }
  target_var_by_kind = {
    queue      = "queues"
    function   = "functions"
    http_proxy = "http_backends"
    workflow   = "state_machines"
  }

  # Every lookup below is guarded by target_known: a route naming an unknown target must reach
  # the integration's precondition (which explains the mistake), not fail on an index error.
  # (Not try(): it returns an untyped unknown while a queue URL is unknown, which would make
  # the whole request_parameters map unknown in plans.)
  target_known = { for k, r in var.routes : k => contains(lookup(local.targets_by_kind, r.kind, []), r.target) }

  queue_routes    = { for k, r in var.routes : k => r if r.kind == "queue" }
  function_routes = { for k, r in var.routes : k => r if r.kind == "function" }
  proxy_routes    = { for k, r in var.routes : k => r if r.kind == "http_proxy" }
  workflow_routes = { for k, r in var.routes : k => r if r.kind == "workflow" }

  route_method = { for k, r in var.routes : k => k == "$default" ? "ANY" : split(" ", k)[0] }
  route_path   = { for k, r in var.routes : k => k == "$default" ? "" : split(" ", k)[1] }

  # --- queue: SQS-SendMessage request parameters -------------------------------------------
  # MessageAttributes is a JSON string in SendMessage's shape. API Gateway rejects a value
  # without any selection expression ("Invalid selection expression specified",
  # terraform-provider-aws #17348/#19443); inside a JSON string the expressions must use the
  # braced form ${context.requestId} / ${request.header.Name}
  # (http-api-parameter-mapping.html). "$${" below is Terraform's escape for a literal "${".
  queue_message_attributes = { for k, r in local.queue_routes : k => jsonencode(merge(
    { for h in r.message_attributes_from_headers : h => { DataType = "String", StringValue = "$${request.header.${h}}" } },
    { (var.request_id_attribute) = { DataType = "String", StringValue = "$${context.requestId}" } },
  )) }

  queue_of = { for k, r in local.queue_routes : k => local.target_known[k] ? var.queues[r.target] : { arn = "", url = "", fifo = false, content_based_deduplication = false, kms_key_arn = null } }

  # One row per SendMessage parameter: [name, value, present?].
  queue_request_parameters = { for k, r in local.queue_routes : k => { for p in [
    ["QueueUrl", local.queue_of[k].url, true],
    ["MessageBody", "$request.body", true],
    ["MessageAttributes", local.queue_message_attributes[k], true],
    # FIFO needs a group id. Default: one group per request (no cross-request ordering, full
    # parallelism); set message_group_id (e.g. "$request.header.X-Tenant-Id") for ordering.
    ["MessageGroupId", coalesce(r.message_group_id, "$context.requestId"), local.queue_of[k].fifo],
    # Deduplication id: explicit, else none when the queue hashes the body itself
    # (content-based deduplication), else the request id (dedups API Gateway retries only).
    ["MessageDeduplicationId", coalesce(r.message_deduplication_id, "$context.requestId"),
    local.queue_of[k].fifo && (r.message_deduplication_id != null || !local.queue_of[k].content_based_deduplication)],
  ] : p[0] => p[1] if p[2] } }

  # --- workflow: Step Functions request parameters ---------------------------------------
  workflow_request_parameters = { for k, r in local.workflow_routes : k => merge(
    {
      StateMachineArn = local.target_known[k] ? var.state_machines[r.target].arn : ""
      Input           = "$request.body"
    },
    r.execution_name != null && !r.sync ? { Name = r.execution_name } : {},
  ) }

  # --- http_proxy: keep the client's path on the backend ------------------------------------
  proxy_request_parameters = { for k, r in local.proxy_routes : k => r.forward_path ? { "overwrite:path" = "$request.path" } : {} }

  integration_settings = { for k, r in var.routes : k => {
    description          = "${r.kind} route ${k} -> ${r.target}"
    timeout_milliseconds = r.timeout_milliseconds
    type                 = r.kind == "http_proxy" ? "HTTP_PROXY" : "AWS_PROXY"
    subtype = (
      r.kind == "queue" ? "SQS-SendMessage" :
      r.kind == "workflow" ? (r.sync ? "StepFunctions-StartSyncExecution" : "StepFunctions-StartExecution") :
      null
    )
    method = (
      r.kind == "function" ? "POST" :
      r.kind == "http_proxy" ? local.route_method[k] :
      null
    )
    uri = (
      r.kind == "function" ? (local.target_known[k] ? var.functions[r.target].invoke_arn : null) :
      r.kind == "http_proxy" ? (local.target_known[k] ? var.http_backends[r.target].url : null) :
      null
    )
    payload_format_version = r.kind == "function" ? "2.0" : "1.0"
    uses_role              = contains(["queue", "workflow"], r.kind)
    request_parameters = (
      r.kind == "queue" ? local.queue_request_parameters[k] :
      r.kind == "workflow" ? local.workflow_request_parameters[k] :
      r.kind == "http_proxy" ? local.proxy_request_parameters[k] :
      {}
    )
  } }

  # --- the integration role: exactly the actions the routes use, on exactly their targets ----
  routed_queues      = distinct([for k, r in local.queue_routes : r.target if local.target_known[k]])
  routed_queue_arns  = sort(distinct([for q in local.routed_queues : var.queues[q].arn]))
  routed_queue_kms   = sort(distinct(compact([for q in local.routed_queues : var.queues[q].kms_key_arn])))
  async_machine_arns = sort(distinct([for k, r in local.workflow_routes : var.state_machines[r.target].arn if local.target_known[k] && !r.sync]))
  sync_machine_arns  = sort(distinct([for k, r in local.workflow_routes : var.state_machines[r.target].arn if local.target_known[k] && r.sync]))

  role_statements = concat(
    length(local.routed_queues) > 0 ? [{
      Sid      = "SendToRoutedQueues"
      Effect   = "Allow"
      Action   = ["sqs:SendMessage"]
      Resource = local.routed_queue_arns
    }] : [],
    length(local.routed_queue_kms) > 0 ? [{
      # SSE-KMS producers need GenerateDataKey + Decrypt on the queue's CMK
      # (SQS "Key management" page); only through SQS.
      Sid       = "EncryptForRoutedQueues"
      Effect    = "Allow"
      Action    = ["kms:GenerateDataKey", "kms:Decrypt"]
      Resource  = local.routed_queue_kms
      Condition = { StringLike = { "kms:ViaService" = "sqs.*.amazonaws.com" } }
    }] : [],
    anytrue([for k, r in local.workflow_routes : local.target_known[k] && !r.sync]) ? [{
      Sid      = "StartRoutedWorkflows"
      Effect   = "Allow"
      Action   = ["states:StartExecution"]
      Resource = local.async_machine_arns
    }] : [],
    anytrue([for k, r in local.workflow_routes : local.target_known[k] && r.sync]) ? [{
      Sid      = "StartRoutedSyncWorkflows"
      Effect   = "Allow"
      Action   = ["states:StartSyncExecution"]
      Resource = local.sync_machine_arns
    }] : [],
  )
  create_role = length(local.queue_routes) + length(local.workflow_routes) > 0

  # --- access log format: one JSON object per request ---------------------------------------
  access_log_format = jsonencode({
    requestId          = "$context.requestId"
    extendedRequestId  = "$context.extendedRequestId"
    ip                 = "$context.identity.sourceIp"
    userAgent          = "$context.identity.userAgent"
    requestTime        = "$context.requestTime"
    requestTimeEpoch   = "$context.requestTimeEpoch"
    httpMethod         = "$context.httpMethod"
    path               = "$context.path"
    routeKey           = "$context.routeKey"
    protocol           = "$context.protocol"
    status             = "$context.status"
    responseLength     = "$context.responseLength"
    responseLatency    = "$context.responseLatency"
    integrationStatus  = "$context.integrationStatus"
    integrationLatency = "$context.integrationLatency"
    integrationError   = "$context.integrationErrorMessage"
    integrationReqId   = "$context.integration.requestId"
    errorMessage       = "$context.error.message"
    errorType          = "$context.error.responseType"
    authorizerError    = "$context.authorizer.error"
  })
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = var.description
  protocol_type = "HTTP"

  dynamic "cors_configuration" {
    for_each = var.cors == null ? [] : [var.cors]
    content {
      allow_origins     = cors_configuration.value.allow_origins
      allow_methods     = cors_configuration.value.allow_methods
      allow_headers     = cors_configuration.value.allow_headers
      expose_headers    = cors_configuration.value.expose_headers
      allow_credentials = cors_configuration.value.allow_credentials
      max_age           = cors_configuration.value.max_age
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_338: retention is the caller's choice (access_log_retention_days, default 30 days); a 1-year minimum would be a cost decision the module must not force
  #checkov:skip=CKV_AWS_158: encryption uses CloudWatch Logs' default server-side encryption unless access_log_kms_key_arn is given (a CMK needs a key policy for the logs principal that only the caller can grant)
  name              = "/aws/apigateway/${var.name}/access"
  retention_in_days = var.access_log_retention_days
  kms_key_id        = var.access_log_kms_key_arn
  tags              = var.tags
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  count            = var.jwt_authorizer == null ? 0 : 1
  api_id           = aws_apigatewayv2_api.this.id
  name             = "${var.name}-jwt"
  authorizer_type  = "JWT"
  identity_sources = var.jwt_authorizer.identity_sources

  jwt_configuration {
    issuer   = var.jwt_authorizer.issuer
    audience = var.jwt_authorizer.audience
  }
}

# The API Gateway service role for AWS service integrations (queue and workflow routes).
# Trust names the principal only: API Gateway is not documented to send aws:SourceArn or
# aws:SourceAccount when it assumes an integration's credentials role, and a live stack with
# such a condition failed every call (see modules/data-api/main.tf for the sources).
resource "aws_iam_role" "integration" {
  count = local.create_role ? 1 : 0
  name  = "${var.name}-http-api-integration"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "apigateway.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy" "integration" {
  count = local.create_role ? 1 : 0
  name  = "routed-targets"
  role  = aws_iam_role.integration[0].id

  # Built with jsonencode (not aws_iam_policy_document) so plans and mocked tests show the
  # exact document.
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.role_statements
  })
}

# terraform-provider-aws #22647 / #50061: on an in-place update of an SQS/Step Functions
# integration the provider does not re-send unchanged request_parameters (or tombstones removed
# ones), and API Gateway rejects the update. Any change to an integration's settings therefore
# replaces it (create-before-destroy; the route is re-pointed to the new integration).
resource "terraform_data" "integration_settings" {
  for_each = var.routes
  input    = local.integration_settings[each.key]
}

resource "aws_apigatewayv2_integration" "this" {
  for_each = var.routes

  api_id                 = aws_apigatewayv2_api.this.id
  description            = local.integration_settings[each.key].description
  integration_type       = local.integration_settings[each.key].type
  integration_subtype    = local.integration_settings[each.key].subtype
  integration_method     = local.integration_settings[each.key].method
  integration_uri        = local.integration_settings[each.key].uri
  payload_format_version = local.integration_settings[each.key].payload_format_version
  credentials_arn        = local.integration_settings[each.key].uses_role ? one(aws_iam_role.integration[*].arn) : null
  timeout_milliseconds   = local.integration_settings[each.key].timeout_milliseconds
  request_parameters     = length(local.integration_settings[each.key].request_parameters) > 0 ? local.integration_settings[each.key].request_parameters : null

  lifecycle {
    create_before_destroy = true
    replace_triggered_by  = [terraform_data.integration_settings[each.key]]

    precondition {
      condition     = local.target_known[each.key]
      error_message = "http-api: route \"${each.key}\" (kind ${each.value.kind}) targets \"${each.value.target}\", which is not a key of var.${lookup(local.target_var_by_kind, each.value.kind, "?")} (known: ${jsonencode(lookup(local.targets_by_kind, each.value.kind, []))})."
    }
    precondition {
      condition     = each.value.authorization != "JWT" || var.jwt_authorizer != null
      error_message = "http-api: route \"${each.key}\" uses authorization = \"JWT\" but var.jwt_authorizer is null."
    }
    precondition {
      condition     = length(each.value.authorization_scopes) == 0 || each.value.authorization == "JWT"
      error_message = "http-api: route \"${each.key}\" sets authorization_scopes, which only apply with authorization = \"JWT\"."
    }
    precondition {
      condition     = each.value.kind == "queue" || (length(each.value.message_attributes_from_headers) == 0 && each.value.message_group_id == null && each.value.message_deduplication_id == null)
      error_message = "http-api: route \"${each.key}\" is kind ${each.value.kind}; message_attributes_from_headers, message_group_id and message_deduplication_id apply only to kind \"queue\"."
    }
    precondition {
      condition     = each.value.kind != "queue" || try(var.queues[each.value.target].fifo, false) || (each.value.message_group_id == null && each.value.message_deduplication_id == null)
      error_message = "http-api: route \"${each.key}\" sets message_group_id/message_deduplication_id but queue \"${each.value.target}\" is not FIFO."
    }
    precondition {
      condition     = length(distinct([for h in each.value.message_attributes_from_headers : lower(h)])) == length(each.value.message_attributes_from_headers) && !contains([for h in each.value.message_attributes_from_headers : lower(h)], lower(var.request_id_attribute))
      error_message = "http-api: route \"${each.key}\": message_attributes_from_headers must be unique (case-insensitive) and must not reuse the request id attribute name \"${var.request_id_attribute}\"."
    }
    precondition {
      condition     = each.value.kind == "workflow" || (!each.value.sync && each.value.execution_name == null)
      error_message = "http-api: route \"${each.key}\" is kind ${each.value.kind}; sync and execution_name apply only to kind \"workflow\"."
    }
    precondition {
      condition     = !(each.value.kind == "workflow" && each.value.sync) || try(var.state_machines[each.value.target].type, "") == "EXPRESS"
      error_message = "http-api: route \"${each.key}\" uses sync = true (StartSyncExecution), which needs an EXPRESS state machine; \"${each.value.target}\" is not EXPRESS."
    }
    precondition {
      condition     = !(each.value.kind == "workflow" && each.value.sync && each.value.execution_name != null)
      error_message = "http-api: route \"${each.key}\": execution_name applies only to StartExecution routes (sync = false)."
    }
    precondition {
      condition     = each.value.kind == "http_proxy" || each.value.forward_path
      error_message = "http-api: route \"${each.key}\" is kind ${each.value.kind}; forward_path applies only to kind \"http_proxy\"."
    }
  }
}

resource "aws_apigatewayv2_route" "this" {
  #checkov:skip=CKV_AWS_309: authorization is per route (NONE, JWT or AWS_IAM); public webhook routes authenticate by a signature header that the worker verifies (HTTP API cannot run code before the queue)
  for_each = var.routes

  api_id               = aws_apigatewayv2_api.this.id
  route_key            = each.key
  target               = "integrations/${aws_apigatewayv2_integration.this[each.key].id}"
  authorization_type   = each.value.authorization
  authorizer_id        = each.value.authorization == "JWT" ? try(aws_apigatewayv2_authorizer.jwt[0].id, null) : null
  authorization_scopes = length(each.value.authorization_scopes) > 0 ? each.value.authorization_scopes : null
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = local.access_log_format
  }

  default_route_settings {
    throttling_rate_limit    = var.default_throttle.rate_limit
    throttling_burst_limit   = var.default_throttle.burst_limit
    detailed_metrics_enabled = var.detailed_metrics
  }

  dynamic "route_settings" {
    for_each = { for k, r in var.routes : k => r if r.throttle != null }
    content {
      route_key                = route_settings.key
      throttling_rate_limit    = route_settings.value.throttle.rate_limit
      throttling_burst_limit   = route_settings.value.throttle.burst_limit
      detailed_metrics_enabled = var.detailed_metrics
    }
  }

  # Route settings name routes that must exist first.
  depends_on = [aws_apigatewayv2_route.this]

  tags = var.tags
}

# function routes: let this API (and only this route's method and path) invoke the function.
# Path parameters become "*" because the source ARN carries the concrete request path;
# $default catches every path, so its permission covers any method and path of this API.
resource "aws_lambda_permission" "function" {
  for_each = { for k, r in local.function_routes : k => r if local.target_known[k] }

  statement_id  = "AllowHttpApi-${substr(sha256(each.key), 0, 16)}"
  action        = "lambda:InvokeFunction"
  function_name = var.functions[each.value.target].arn
  qualifier     = var.functions[each.value.target].qualifier
  principal     = "apigateway.amazonaws.com"
  source_arn = (
    each.key == "$default"
    ? "${aws_apigatewayv2_api.this.execution_arn}/*/*"
    : "${aws_apigatewayv2_api.this.execution_arn}/*/${local.route_method[each.key] == "ANY" ? "*" : local.route_method[each.key]}${replace(local.route_path[each.key], "/\\{[^}]+\\}/", "*")}"
  )
}

# --- alarms (issue 6): 5xx and p99 latency on the $default stage ------------------------------
# HTTP API metrics: namespace AWS/ApiGateway, metric names "5xx", "Count", "Latency",
# dimensions ApiId + Stage (API Gateway "Monitor HTTP API metrics", http-api-metrics.html).
# No traffic is not an outage: missing data is notBreaching.
locals {
  alarm_dimensions = {
    ApiId = aws_apigatewayv2_api.this.id
    Stage = "$default"
  }
}

resource "aws_cloudwatch_metric_alarm" "server_errors_rate" {
  count               = var.alarms_enabled && var.server_error_alarm_mode == "rate" ? 1 : 0
  alarm_name          = "${var.name}-http-api-5xx-rate"
  alarm_description   = "More than ${var.server_error_rate_threshold}% of requests to ${var.name} got a 5xx (periods with fewer than ${var.server_error_min_requests} requests are ignored)."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.server_error_rate_threshold
  evaluation_periods  = var.alarm_evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions

  metric_query {
    id          = "rate"
    label       = "5xx rate (%)"
    expression  = "IF(requests >= ${var.server_error_min_requests}, 100 * errors / requests, 0)"
    return_data = true
  }

  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "5xx"
      dimensions  = local.alarm_dimensions
      period      = var.alarm_period_seconds
      stat        = "Sum"
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "Count"
      dimensions  = local.alarm_dimensions
      period      = var.alarm_period_seconds
      stat        = "Sum"
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "server_errors_count" {
  count               = var.alarms_enabled && var.server_error_alarm_mode == "count" ? 1 : 0
  alarm_name          = "${var.name}-http-api-5xx"
  alarm_description   = "More than ${var.server_error_count_threshold} 5xx responses per ${var.alarm_period_seconds}s from ${var.name}."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5xx"
  dimensions          = local.alarm_dimensions
  statistic           = "Sum"
  period              = var.alarm_period_seconds
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.server_error_count_threshold
  evaluation_periods  = var.alarm_evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "latency_p99" {
  count               = var.alarms_enabled ? 1 : 0
  alarm_name          = "${var.name}-http-api-latency-p99"
  alarm_description   = "p99 latency of ${var.name} above ${var.latency_p99_threshold_ms} ms."
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  dimensions          = local.alarm_dimensions
  extended_statistic  = "p99"
  period              = var.alarm_period_seconds
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.latency_p99_threshold_ms
  evaluation_periods  = var.alarm_evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
