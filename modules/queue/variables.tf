variable "name" {
  type        = string
  description = "Queue name (without the .fifo suffix, which the module adds for FIFO queues). The DLQ is named \"<name>-dlq\"."

  validation {
    # SQS queue names: 1-80 characters, alphanumerics, hyphens and underscores; ".fifo" (5) and "-dlq" (4) are added.
    condition     = can(regex("^[A-Za-z0-9_-]{1,71}$", var.name))
    error_message = "name must be 1-71 characters of A-Z, a-z, 0-9, '-' or '_' (the module appends \"-dlq\" and \".fifo\"; SQS allows 80)."
  }
}

variable "fifo" {
  type        = bool
  description = "Create a FIFO queue (and a FIFO DLQ: SQS requires the DLQ of a FIFO queue to be FIFO)."
  default     = false
}

variable "content_based_deduplication" {
  type        = bool
  description = "FIFO only: deduplicate on a SHA-256 of the body when the sender gives no MessageDeduplicationId."
  default     = false
}

variable "visibility_timeout_seconds" {
  type        = number
  description = "Visibility timeout of the queue. For a Lambda consumer AWS recommends at least 6x the function timeout (the queue-worker module enforces it)."
  default     = 180

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200 && floor(var.visibility_timeout_seconds) == var.visibility_timeout_seconds
    error_message = "visibility_timeout_seconds must be a whole number from 0 to 43200 (12 hours)."
  }
}

variable "message_retention_seconds" {
  type        = number
  description = "How long the queue keeps a message (SQS: 60 s to 14 days; AWS default 4 days)."
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600
    error_message = "message_retention_seconds must be between 60 and 1209600 (14 days)."
  }
}

variable "dlq_message_retention_seconds" {
  type        = number
  description = "How long the DLQ keeps a message. Must be >= message_retention_seconds: a message keeps its original enqueue timestamp when moved to a standard DLQ."
  default     = 1209600

  validation {
    condition     = var.dlq_message_retention_seconds >= 60 && var.dlq_message_retention_seconds <= 1209600
    error_message = "dlq_message_retention_seconds must be between 60 and 1209600 (14 days)."
  }
}

variable "max_receive_count" {
  type        = number
  description = "Receives before SQS moves a message to the DLQ (redrive policy maxReceiveCount)."
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000 && floor(var.max_receive_count) == var.max_receive_count
    error_message = "max_receive_count must be a whole number from 1 to 1000."
  }
}

variable "delay_seconds" {
  type        = number
  description = "Delivery delay applied to every message (0-900 s)."
  default     = 0

  validation {
    condition     = var.delay_seconds >= 0 && var.delay_seconds <= 900
    error_message = "delay_seconds must be between 0 and 900 (15 minutes)."
  }
}

variable "receive_wait_time_seconds" {
  type        = number
  description = "Long-polling wait for ReceiveMessage (0-20 s). Lambda event source mappings long-poll regardless."
  default     = 0

  validation {
    condition     = var.receive_wait_time_seconds >= 0 && var.receive_wait_time_seconds <= 20
    error_message = "receive_wait_time_seconds must be between 0 and 20."
  }
}

variable "max_message_size" {
  type        = number
  description = "Largest message accepted, in bytes. SQS now allows 1 MiB, but hashicorp/aws 5.100 validates 1024-262144, so the module caps at 256 KiB until it moves to a provider that accepts more."
  default     = 262144

  validation {
    condition     = var.max_message_size >= 1024 && var.max_message_size <= 262144
    error_message = "max_message_size must be between 1024 and 262144 bytes (the range hashicorp/aws 5.100 accepts)."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of a customer managed KMS key for SSE on both queues. null => SQS-managed SSE (SSE-SQS)."
  default     = null

  validation {
    # The key ARN is passed on to producers' and consumers' IAM statements (http-api,
    # queue-worker), where an alias matches nothing and every SendMessage/receive is denied.
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>), not an alias: IAM policy statements name a KMS key by key ARN only, never an alias (KMS developer guide, cmks-in-iam-policies), so the producers' and consumers' kms:GenerateDataKey/kms:Decrypt grants would match nothing."
  }
}

variable "kms_data_key_reuse_period_seconds" {
  type        = number
  description = "With a CMK: how long SQS reuses a data key before calling KMS again (60-86400 s). Longer = fewer KMS calls (cost, throttling)."
  default     = 300

  validation {
    condition     = var.kms_data_key_reuse_period_seconds >= 60 && var.kms_data_key_reuse_period_seconds <= 86400
    error_message = "kms_data_key_reuse_period_seconds must be between 60 and 86400."
  }
}

variable "source_policy_documents" {
  type        = list(string)
  description = "Extra queue policy JSON documents merged into the main queue's policy (e.g. allow an SNS topic or EventBridge to send). The TLS-only deny is always kept."
  default     = []

  validation {
    condition     = alltrue([for d in var.source_policy_documents : can(jsondecode(d).Statement)])
    error_message = "source_policy_documents must be IAM policy JSON documents with a Statement (e.g. data.aws_iam_policy_document.x.json)."
  }
}

variable "alarms_enabled" {
  type        = bool
  description = "Create the CloudWatch alarms (oldest message age, queue depth, DLQ not empty)."
  default     = true
}

variable "alarm_actions" {
  type        = list(string)
  description = "SNS topic ARNs notified on ALARM and on OK."
  default     = []
}

variable "age_alarm_threshold_seconds" {
  type        = number
  description = "Alarm when ApproximateAgeOfOldestMessage reaches this many seconds (the consumer is falling behind)."
  default     = 300

  validation {
    condition     = var.age_alarm_threshold_seconds >= 60
    error_message = "age_alarm_threshold_seconds must be at least 60 (SQS publishes metrics once a minute)."
  }
}

variable "depth_alarm_threshold" {
  type        = number
  description = "Alarm when ApproximateNumberOfMessagesVisible reaches this many messages."
  default     = 1000

  validation {
    condition     = var.depth_alarm_threshold >= 1
    error_message = "depth_alarm_threshold must be at least 1."
  }
}

variable "alarm_evaluation_periods" {
  type        = number
  description = "Consecutive 1-minute periods the age/depth condition must hold before alarming (the DLQ alarm fires on the first period)."
  default     = 5

  validation {
    condition     = var.alarm_evaluation_periods >= 1 && var.alarm_evaluation_periods <= 60
    error_message = "alarm_evaluation_periods must be between 1 and 60."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource the module creates."
  default     = {}
}
