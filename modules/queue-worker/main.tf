# A Python function draining one SQS queue: event source mapping with partial batch
# responses always on, a concurrency cap, and a role that may consume that queue only.
# Rules cited from "Lambda parameters for Amazon SQS event source mappings" and
# "Using Lambda with Amazon SQS" (visibility timeout guidance).

locals {
  fifo = coalesce(var.queue.fifo, endswith(var.queue.name, ".fifo"))

  # The four actions the SQS event source mapping needs, on this queue only.
  queue_statements = concat(
    [{
      sid        = "ConsumeQueue"
      effect     = "Allow"
      actions    = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
      resources  = [var.queue.arn]
      conditions = []
    }],
    var.queue.kms_key_arn == null ? [] : [{
      sid        = "DecryptQueueMessages"
      effect     = "Allow"
      actions    = ["kms:Decrypt"]
      resources  = [var.queue.kms_key_arn]
      conditions = []
    }],
  )

  # The timeout modules/function applied (its default when var.function leaves it out).
  timeout                = module.function.timeout
  min_visibility_timeout = 6 * local.timeout
}

# Every attribute of var.function goes through under its own name; one left out is null and
# modules/function's default applies (its inputs are nullable = false).
module "function" {
  source = "../function"

  name = var.name
  tags = var.tags

  zip_path                          = var.function.zip_path
  handler                           = var.function.handler
  description                       = var.function.description
  runtime                           = var.function.runtime
  architecture                      = var.function.architecture
  memory_size                       = var.function.memory_size
  timeout                           = var.function.timeout
  reserved_concurrency              = var.function.reserved_concurrency
  environment                       = var.function.environment
  policy_statements                 = concat(local.queue_statements, coalesce(var.function.policy_statements, []))
  log_retention_days                = var.function.log_retention_days
  log_level                         = var.function.log_level
  log_kms_key_arn                   = var.function.log_kms_key_arn
  kms_key_arn                       = var.function.kms_key_arn
  tracing_enabled                   = var.function.tracing_enabled
  powertools_layer_enabled          = var.function.powertools_layer_enabled
  powertools_layer_version          = var.function.powertools_layer_version
  layers                            = var.function.layers
  secrets                           = var.function.secrets
  secrets_kms_key_arn               = var.function.secrets_kms_key_arn
  alarms_enabled                    = var.function.alarms_enabled
  alarm_actions                     = var.function.alarm_actions
  errors_alarm_threshold            = var.function.errors_alarm_threshold
  throttles_alarm_threshold         = var.function.throttles_alarm_threshold
  duration_alarm_fraction           = var.function.duration_alarm_fraction
  alarm_period_seconds              = var.function.alarm_period_seconds
  duration_alarm_evaluation_periods = var.function.duration_alarm_evaluation_periods
  vpc_subnet_ids                    = var.function.vpc_subnet_ids
  vpc_security_group_ids            = var.function.vpc_security_group_ids
  vpc_ipv6_allowed_for_dual_stack   = var.function.vpc_ipv6_allowed_for_dual_stack
}

resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn                   = var.queue.arn
  function_name                      = module.function.function_arn
  enabled                            = var.enabled
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = local.fifo ? null : var.maximum_batching_window_in_seconds

  # Always: a failed record is retried (and eventually dead-lettered) alone, not with its batch.
  function_response_types = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.maximum_concurrency
  }

  tags = var.tags

  lifecycle {
    precondition {
      # AWS: set the source queue's visibility timeout to at least six times the function
      # timeout, so retries after throttling or errors do not hand a batch out twice.
      condition     = var.queue.visibility_timeout_seconds >= local.min_visibility_timeout
      error_message = "Queue ${var.queue.name} has a visibility timeout of ${var.queue.visibility_timeout_seconds}s, shorter than 6x the function timeout (6 x ${local.timeout}s = ${local.min_visibility_timeout}s). Raise the queue's visibility_timeout_seconds to at least ${local.min_visibility_timeout} or lower the worker's timeout."
    }
    precondition {
      condition     = var.batch_size <= 10 || var.maximum_batching_window_in_seconds >= 1
      error_message = "batch_size ${var.batch_size} is above 10, which needs maximum_batching_window_in_seconds >= 1 (it is ${var.maximum_batching_window_in_seconds}); use batch_size 1-10 or set a batching window."
    }
    precondition {
      condition     = !local.fifo || var.batch_size <= 10
      error_message = "Queue ${var.queue.name} is FIFO: batch_size must be 1-10 (got ${var.batch_size})."
    }
    precondition {
      condition     = !local.fifo || var.maximum_batching_window_in_seconds == 0
      error_message = "Queue ${var.queue.name} is FIFO: batching windows are not supported, set maximum_batching_window_in_seconds = 0 (got ${var.maximum_batching_window_in_seconds})."
    }
    precondition {
      condition     = var.function.reserved_concurrency == null || try(var.function.reserved_concurrency >= var.maximum_concurrency, false)
      error_message = "reserved_concurrency (${coalesce(var.function.reserved_concurrency, -1)}) is below maximum_concurrency (${var.maximum_concurrency}): Lambda would throttle the mapping's invokes. Raise reserved_concurrency or lower maximum_concurrency."
    }
  }
}
