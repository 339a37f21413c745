# The public HTTP API: one route map for every pattern of the environment.
# Strangler: with legacy_base_url set, $default forwards everything not yet moved to the
# legacy system; each named route below is a piece already moved to a new service.

locals {
  legacy_routes = var.legacy_base_url == null ? {} : {
    "$default" = { kind = "http_proxy", target = "legacy" }
  }
  routes = merge(local.legacy_routes, {
    # The seed route: unsigned (no header is required; X-Idempotency-Key is optional).
    "POST /webhook" = {
      kind            = "queue"
      target          = "webhook"
      throttle        = var.webhook_throttle
      forward_headers = ["X-Idempotency-Key"]
    }
    # GitHub-style signed route: the worker refuses (DLQ, SignatureRejectedRecords) any message
    # whose X-Hub-Signature-256 is missing or wrong; X-GitHub-Delivery (GitHub's delivery id,
    # kept on redelivery) is the idempotency key.
    "POST /webhook/github" = {
      kind            = "queue"
      target          = "webhook"
      throttle        = var.webhook_throttle
      forward_headers = ["X-Hub-Signature-256", "X-GitHub-Delivery"]
    }
    "GET /users"          = { kind = "function", target = "users_api" }
    "ANY /users/{proxy+}" = { kind = "function", target = "users_api" }
    "POST /orders"        = { kind = "workflow", target = "orders" }
  })
}

module "api" {
  source               = "../../modules/http-api"
  name                 = "${var.name_prefix}-api"
  routes               = local.routes
  request_id_attribute = "requestId" # the name the worker reads its correlation id from
  queues = {
    webhook = {
      arn = module.webhook_queue.queue_arn
      url = module.webhook_queue.queue_url
    }
  }
  functions = { users_api = module.users_api.api_target }
  state_machines = {
    orders = { arn = module.order_workflow.state_machine_arn, type = module.order_workflow.type }
  }
  http_backends             = var.legacy_base_url == null ? {} : { legacy = { url = var.legacy_base_url } }
  cors                      = length(var.cors_allow_origins) == 0 ? null : { allow_origins = var.cors_allow_origins }
  default_throttle          = var.default_throttle
  access_log_retention_days = var.log_retention_days
  alarm_actions             = local.alarm_actions
  tags                      = var.tags
}
