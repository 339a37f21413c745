# Scalable webhook: POST /webhook -> SQS (no Lambda in the request path) -> throttled worker.

module "webhook_queue" {
  source = "../../modules/queue"
  name   = "${var.name_prefix}-webhook"
  # AWS recommends at least 6x the function timeout (Lambda developer guide, SQS event source).
  visibility_timeout_seconds = 6 * var.worker.timeout
  max_receive_count          = var.queue_max_receive_count
  message_retention_seconds  = var.message_retention_seconds
  alarm_actions              = local.alarm_actions
  tags                       = var.tags
  # S3 may notify this queue of bodies the large-webhook route stored (large_webhook.tf).
  source_policy_documents = [module.large_webhook.queue_policy_json]
}

module "webhook_worker" {
  source                             = "../../modules/queue-worker"
  name                               = "${var.name_prefix}-webhook-worker"
  queue                              = module.webhook_queue.queue
  batch_size                         = var.worker.batch_size
  maximum_batching_window_in_seconds = var.worker.maximum_batching_window_in_seconds
  maximum_concurrency                = var.worker.maximum_concurrency
  tags                               = var.tags

  function = {
    zip_path                 = "${local.build_dir}/webhook_worker.zip"
    handler                  = "webhook_worker.handler"
    memory_size              = var.worker.memory_size
    timeout                  = var.worker.timeout
    log_retention_days       = var.log_retention_days
    powertools_layer_enabled = var.powertools_layer_enabled
    alarm_actions            = local.alarm_actions
    # Signing secrets of the signed webhook routes (webhook_secrets.tf): the role may read
    # exactly these; the worker reads them at init.
    secrets             = { github_webhook = aws_secretsmanager_secret.github_webhook.arn }
    secrets_kms_key_arn = aws_kms_key.webhook_secrets.arn
    environment = {
      USERS_TABLE       = module.users_table.table_name
      IDEMPOTENCY_TABLE = module.idempotency_table.table_name
      DATA_API_URL      = var.worker_uses_data_api ? module.data_api.invoke_url : ""
      # Permanent failures (bad JSON, unknown operation, conflict) go straight to the DLQ
      # with their reason instead of being retried max_receive_count times.
      DLQ_URL                      = module.webhook_queue.dlq_url
      WEBHOOK_SIGNATURES           = jsonencode(local.webhook_signatures)
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
      # Read the bodies the large-webhook route stored in S3 (s3:GetObject on them only).
      module.large_webhook.worker_policy_statements,
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
  }
}

