# SQS work queue + dead-letter queue, encrypted, TLS-only, with the alarms every team
# otherwise hand-writes. Limits cited from the SQS Developer Guide ("Amazon SQS quotas",
# "Using dead-letter queues", "Encryption at rest").

locals {
  suffix     = var.fifo ? ".fifo" : ""
  queue_name = "${var.name}${local.suffix}"
  dlq_name   = "${var.name}-dlq${local.suffix}"

  # SSE: SQS-managed keys unless a CMK is given (then the data key is reused for
  # kms_data_key_reuse_period_seconds to keep KMS calls, cost and throttling down).
  use_cmk = var.kms_key_arn != null

  alarm_names = {
    age   = "${var.name}-oldest-message-age"
    depth = "${var.name}-depth"
    dlq   = "${var.name}-dlq-not-empty"
  }
}

resource "aws_sqs_queue" "dlq" {
  name                        = local.dlq_name
  fifo_queue                  = var.fifo ? true : null
  content_based_deduplication = var.fifo ? var.content_based_deduplication : null
  message_retention_seconds   = var.dlq_message_retention_seconds
  max_message_size            = var.max_message_size

  sqs_managed_sse_enabled           = local.use_cmk ? null : true
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = local.use_cmk ? var.kms_data_key_reuse_period_seconds : null

  tags = var.tags
}

resource "aws_sqs_queue" "this" {
  name                        = local.queue_name
  fifo_queue                  = var.fifo ? true : null
  content_based_deduplication = var.fifo ? var.content_based_deduplication : null
  visibility_timeout_seconds  = var.visibility_timeout_seconds
  message_retention_seconds   = var.message_retention_seconds
  delay_seconds               = var.delay_seconds
  receive_wait_time_seconds   = var.receive_wait_time_seconds
  max_message_size            = var.max_message_size

  sqs_managed_sse_enabled           = local.use_cmk ? null : true
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = local.use_cmk ? var.kms_data_key_reuse_period_seconds : null

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_receive_count
  })

  tags = var.tags

  lifecycle {
    precondition {
      condition     = !var.content_based_deduplication || var.fifo
      error_message = "content_based_deduplication applies to FIFO queues only: set fifo = true or content_based_deduplication = false."
    }
    precondition {
      # A message moved to a standard DLQ keeps its original enqueue timestamp, so a
      # DLQ with a shorter retention would drop it early ("Using dead-letter queues").
      condition     = var.dlq_message_retention_seconds >= var.message_retention_seconds
      error_message = "dlq_message_retention_seconds (${var.dlq_message_retention_seconds}) must be >= message_retention_seconds (${var.message_retention_seconds}): failed messages would expire from the DLQ before anyone sees them."
    }
  }
}

# Only this module's queue may use the DLQ as its dead-letter target. A separate resource
# because the DLQ cannot reference the source queue's ARN inline (dependency cycle).
resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.this.arn]
  })
}

# TLS-only: deny every SQS action over plain HTTP, for every principal. Built with
# jsonencode (not aws_iam_policy_document) so the JSON is real under mock_provider tests.
locals {
  tls_deny = {
    for k, arn in { queue = aws_sqs_queue.this.arn, dlq = aws_sqs_queue.dlq.arn } : k => {
      Sid                 = "DenyInsecureTransport"
      Effect              = "Deny"
      Principal           = "*"
      Action              = "sqs:*"
      Resource            = arn
      Condition           = { Bool = { "aws:SecureTransport" = "false" } }
    }
  }
  # Statements of the caller's extra documents (flatten accepts one object or a list).
  extra_statements = flatten([for doc in var.source_policy_documents : jsondecode(doc).Statement])
}

resource "aws_sqs_queue_policy" "this" {
  queue_url = aws_sqs_queue.this.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat([local.tls_deny.queue], local.extra_statements)
  })
}

resource "aws_sqs_queue_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [local.tls_deny.dlq]
  })
}
