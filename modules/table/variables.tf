variable "name" {
  type        = string
  description = "Table name (also prefixes the alarm names)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "name must be 3-255 characters of A-Z, a-z, 0-9, '_', '-' or '.' (DynamoDB table name rules)."
  }
}

variable "hash_key" {
  type        = string
  description = "Partition key attribute name."
}

variable "range_key" {
  type        = string
  description = "Sort key attribute name (null for a partition-key-only table)."
  default     = null
}

variable "attributes" {
  type = list(object({
    name = string
    type = string
  }))
  description = "Key attributes of the table and its indexes, each with type S, N or B. DynamoDB wants exactly the attributes used as keys: no more, no fewer."

  validation {
    condition     = length(var.attributes) > 0 && alltrue([for a in var.attributes : contains(["S", "N", "B"], a.type)])
    error_message = "attributes must be a non-empty list whose types are S (string), N (number) or B (binary)."
  }
  validation {
    condition     = length(distinct([for a in var.attributes : a.name])) == length(var.attributes)
    error_message = "attributes must not name the same attribute twice."
  }
}

variable "global_secondary_indexes" {
  type = list(object({
    name               = string
    hash_key           = string
    range_key          = optional(string)
    projection_type    = optional(string, "ALL")
    non_key_attributes = optional(list(string), [])
  }))
  description = "Global secondary indexes. projection_type ALL, KEYS_ONLY or INCLUDE (non_key_attributes only with INCLUDE). On-demand indexes share the table's billing mode."
  default     = []

  validation {
    condition = alltrue([
      for g in var.global_secondary_indexes :
      contains(["ALL", "KEYS_ONLY", "INCLUDE"], g.projection_type) &&
      (g.projection_type == "INCLUDE" ? length(g.non_key_attributes) > 0 : length(g.non_key_attributes) == 0)
    ])
    error_message = "global_secondary_indexes: projection_type must be ALL, KEYS_ONLY or INCLUDE, and non_key_attributes is required with INCLUDE and not allowed otherwise."
  }
  validation {
    condition     = length(distinct([for g in var.global_secondary_indexes : g.name])) == length(var.global_secondary_indexes) && length(var.global_secondary_indexes) <= 20
    error_message = "global_secondary_indexes: names must be unique and there can be at most 20 (DynamoDB default quota)."
  }
}

variable "billing_mode" {
  type        = string
  description = "PAY_PER_REQUEST (on-demand, default) or PROVISIONED."
  default     = "PAY_PER_REQUEST"

  validation {
    condition     = contains(["PAY_PER_REQUEST", "PROVISIONED"], var.billing_mode)
    error_message = "billing_mode must be PAY_PER_REQUEST or PROVISIONED."
  }
}

variable "read_capacity" {
  type        = number
  description = "PROVISIONED only: read capacity units of the table and of each GSI."
  default     = null
}

variable "write_capacity" {
  type        = number
  description = "PROVISIONED only: write capacity units of the table and of each GSI."
  default     = null
}

variable "point_in_time_recovery" {
  type        = bool
  description = "Continuous backups with point-in-time restore (35 days)."
  default     = true
}

variable "kms_key_arn" {
  type        = string
  description = "Customer managed KMS key ARN for SSE. null => the AWS owned key (encryption at rest is always on)."
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>), not an alias: IAM policy statements name a KMS key by key ARN only, never an alias (KMS developer guide, cmks-in-iam-policies), and callers grant kms:Decrypt on this value."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse DeleteTable while true (switch off per env, e.g. dev)."
  default     = true
}

variable "ttl_attribute" {
  type        = string
  description = "Attribute holding an epoch-seconds expiry; null disables TTL."
  default     = null
}

variable "stream_view_type" {
  type        = string
  description = "Enable DynamoDB Streams with this view: KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES. null disables streams."
  default     = null

  validation {
    condition     = var.stream_view_type == null || contains(["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"], coalesce(var.stream_view_type, "x"))
    error_message = "stream_view_type must be null or one of KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES."
  }
}

variable "table_class" {
  type        = string
  description = "STANDARD or STANDARD_INFREQUENT_ACCESS."
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "STANDARD_INFREQUENT_ACCESS"], var.table_class)
    error_message = "table_class must be STANDARD or STANDARD_INFREQUENT_ACCESS."
  }
}

variable "alarms_enabled" {
  type        = bool
  description = "Create the CloudWatch alarms (throttle events, system errors)."
  default     = true
}

variable "alarm_actions" {
  type        = list(string)
  description = "SNS topic ARNs notified on ALARM and on OK."
  default     = []
}

variable "throttle_alarm_threshold" {
  type        = number
  description = "Alarm when ReadThrottleEvents + WriteThrottleEvents over one period reach this."
  default     = 1

  validation {
    condition     = var.throttle_alarm_threshold >= 1
    error_message = "throttle_alarm_threshold must be at least 1."
  }
}

variable "system_errors_alarm_threshold" {
  type        = number
  description = "Alarm when SystemErrors (HTTP 500 from DynamoDB) over one period reach this."
  default     = 1

  validation {
    condition     = var.system_errors_alarm_threshold >= 1
    error_message = "system_errors_alarm_threshold must be at least 1."
  }
}

variable "system_errors_operations" {
  type        = list(string)
  description = "Operations whose SystemErrors are summed (SystemErrors is published per TableName + Operation; an alarm takes at most 10 metrics)."
  default     = ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem", "TransactWriteItems", "ExecuteStatement"]

  validation {
    condition     = length(var.system_errors_operations) >= 1 && length(var.system_errors_operations) <= 10
    error_message = "system_errors_operations must name 1-10 operations (CloudWatch metric math alarms take at most 10 metrics)."
  }
}

variable "alarm_period_seconds" {
  type        = number
  description = "Period of the alarms in seconds (60 or a multiple of 60)."
  default     = 300

  validation {
    condition     = var.alarm_period_seconds >= 60 && var.alarm_period_seconds % 60 == 0
    error_message = "alarm_period_seconds must be 60 or a multiple of 60."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource the module creates."
  default     = {}
}
