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

  # The DLQ must exist before a queue names it as dead-letter target, so this queue waits
  # for it; nothing else waits for this queue's own ~25 s attribute propagation: the TLS-only
  # policy is set here, inline, instead of by a separate aws_sqs_queue_policy after it.
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat([merge(local.tls_deny, { Resource = local.queue_arn })], local.extra_statements)
  })

  tags = var.tags

  lifecycle {
    postcondition {
      condition     = self.arn == local.queue_arn
      error_message = "The queue's ARN (${self.arn}) differs from the one its policies were built with (${local.queue_arn})."
    }
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

# The work queue's ARN, built from its name and the DLQ's ARN (same partition, Region and
# account; format arn:<partition>:sqs:<region>:<account>:<queue name>, e.g. AWS SDK for
# .NET reference "Resource Class (Amazon.Auth.AccessControlPolicy)": arn:aws:sqs:us-east-1:
# 987654321000:MyQueue). It lets
# the DLQ's redrive allow policy be set while the work queue is being created, instead of
# after it (each SQS write waits ~25 s in the provider for the attributes to propagate);
# the queue's postcondition checks the built ARN against the real one.
locals {
  queue_arn = join(":", concat(slice(split(":", aws_sqs_queue.dlq.arn), 0, 5), [local.queue_name]))
}

# Only this module's queue may use the DLQ as its dead-letter target. A separate resource
# because the DLQ's account (part of the source queue's ARN) is known only once it exists.
resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [local.queue_arn]
  })
}

# TLS-only: deny every SQS action over plain HTTP, for every principal. Built with
# jsonencode (not aws_iam_policy_document) so the JSON is real under mock_provider tests.
locals {
  tls_deny = {
    Sid       = "DenyInsecureTransport"
    Effect    = "Deny"
    Principal = "*"
    Action    = "sqs:*"
    Condition = { Bool = { "aws:SecureTransport" = "false" } }
  }
  # Statements of the caller's extra documents (flatten accepts one object or a list).
  extra_statements = flatten([for doc in var.source_policy_documents : jsondecode(doc).Statement])
}

# The DLQ's own policy needs the DLQ's ARN, hence a separate resource; it waits only for the
# DLQ and runs beside the work queue's creation.
resource "aws_sqs_queue_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [merge(local.tls_deny, { Resource = aws_sqs_queue.dlq.arn })]
  })
}
