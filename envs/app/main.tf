# The sample application every environment deploys: the storage-first webhook
# (HTTP API -> SQS -> throttled worker -> users table through the data API),
# its tables, alarms and dashboard. envs/dev, envs/prod and envs/local are thin roots
# around this module that only set the provider, the backend and per-env values.

locals {
  build_dir     = coalesce(var.build_dir, "${path.module}/../../build")
  catalog_path  = "${path.module}/../catalogs/users.yaml"
  alarm_actions = [module.alerts.topic_arn]
}

module "alerts" {
  source              = "../../modules/alerts"
  name                = "${var.name_prefix}-alerts"
  email_subscriptions = var.alarm_emails
  tags                = var.tags
}

# Users: pk = "USER#<id>"; gsi1 (hash key last_name) serves the catalog's
# list-users-by-last-name query. The key design is the catalog's (envs/catalogs/users.yaml).
module "users_table" {
  source   = "../../modules/table"
  name     = "${var.name_prefix}-users"
  hash_key = "pk"
  attributes = [
    { name = "pk", type = "S" },
    { name = "last_name", type = "S" },
  ]
  global_secondary_indexes = [
    { name = "gsi1", hash_key = "last_name", projection_type = "ALL" },
  ]
  deletion_protection = var.deletion_protection
  alarm_actions       = local.alarm_actions
  tags                = var.tags
}

# Powertools idempotency records: key "id", expiry in "expiration" (Powertools defaults).
module "idempotency_table" {
  source              = "../../modules/table"
  name                = "${var.name_prefix}-idempotency"
  hash_key            = "id"
  attributes          = [{ name = "id", type = "S" }]
  ttl_attribute       = "expiration"
  deletion_protection = var.deletion_protection
  alarm_actions       = local.alarm_actions
  tags                = var.tags
}

module "webhook_queue" {
  source = "../../modules/queue"
  name   = "${var.name_prefix}-webhook"
  # AWS recommends at least 6x the function timeout (Lambda developer guide, SQS event source).
  visibility_timeout_seconds = 6 * var.worker.timeout
  max_receive_count          = var.queue_max_receive_count
  message_retention_seconds  = var.message_retention_seconds
  alarm_actions              = local.alarm_actions
  tags                       = var.tags
}

module "data_api" {
  source       = "../../modules/data-api"
  name         = "${var.name_prefix}-data"
  catalog_path = local.catalog_path
  table = {
    name = module.users_table.table_name
    arn  = module.users_table.table_arn
  }
  throttle           = var.data_api_throttle
  log_retention_days = var.log_retention_days
  alarm_actions      = local.alarm_actions
  tags               = var.tags

  # The stage's logs need the account's CloudWatch role to exist first.
  depends_on = [aws_api_gateway_account.this]
}

module "webhook_worker" {
  source = "../../modules/queue-worker"
  name   = "${var.name_prefix}-webhook-worker"
  queue = {
    arn                        = module.webhook_queue.queue_arn
    url                        = module.webhook_queue.queue_url
    name                       = module.webhook_queue.queue_name
    visibility_timeout_seconds = module.webhook_queue.visibility_timeout_seconds
  }
  zip_path                           = "${local.build_dir}/webhook_worker.zip"
  handler                            = "webhook_worker.handler"
  memory_size                        = var.worker.memory_size
  timeout                            = var.worker.timeout
  batch_size                         = var.worker.batch_size
  maximum_batching_window_in_seconds = var.worker.maximum_batching_window_in_seconds
  maximum_concurrency                = var.worker.maximum_concurrency
  log_retention_days                 = var.log_retention_days
  powertools_layer_enabled           = var.powertools_layer_enabled
  environment = {
    USERS_TABLE       = module.users_table.table_name
    IDEMPOTENCY_TABLE = module.idempotency_table.table_name
    DATA_API_URL      = var.worker_uses_data_api ? module.data_api.invoke_url : ""
    # Permanent failures (bad JSON, unknown operation, conflict) go straight to the DLQ
    # with their reason instead of being retried max_receive_count times.
    DLQ_URL                      = module.webhook_queue.dlq_url
    POWERTOOLS_SERVICE_NAME      = "webhook-worker"
    POWERTOOLS_METRICS_NAMESPACE = "storefirst"
  }
  policy_statements = concat(
    [{
      sid       = "IdempotencyRecords"
      actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
      resources = [module.idempotency_table.table_arn]
      }, {
      sid       = "DeadLetterPermanentFailures"
      actions   = ["sqs:SendMessage"]
      resources = [module.webhook_queue.dlq_arn]
    }],
    var.worker_uses_data_api ? [{
      sid       = "CallDataApi"
      actions   = ["execute-api:Invoke"]
      resources = ["${module.data_api.execution_arn}/*/POST/*"]
      }] : [{
      sid       = "StoreUsers"
      actions   = ["dynamodb:PutItem"]
      resources = [module.users_table.table_arn]
    }],
  )
  alarm_actions = local.alarm_actions
  tags          = var.tags
}

module "api" {
  source = "../../modules/http-api"
  name   = "${var.name_prefix}-api"
  routes = {
    "POST /webhook" = {
      kind     = "queue"
      target   = "webhook"
      throttle = var.webhook_throttle
      # Forwarded as SQS message attributes so the worker can verify and deduplicate.
      message_attributes_from_headers = ["X-Idempotency-Key", "X-Signature"]
    }
  }
  queues = {
    webhook = {
      arn = module.webhook_queue.queue_arn
      url = module.webhook_queue.queue_url
    }
  }
  request_id_attribute      = "requestId" # the name the worker reads its correlation id from
  default_throttle          = var.default_throttle
  access_log_retention_days = var.log_retention_days
  alarm_actions             = local.alarm_actions
  tags                      = var.tags
}

module "dashboard" {
  source = "../../modules/dashboard"
  name   = var.name_prefix
  inventory = {
    http_apis = { public = { api_id = module.api.api_id } }
    rest_apis = { data = { api_name = "${var.name_prefix}-data", stage = module.data_api.stage_name } }
    queues = {
      webhook = { queue_name = module.webhook_queue.queue_name, dlq_name = module.webhook_queue.dlq_name }
    }
    functions = { webhook_worker = module.webhook_worker.function_name }
    tables = {
      users       = module.users_table.table_name
      idempotency = module.idempotency_table.table_name
    }
  }
}
