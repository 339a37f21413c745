variable "name" {
  type        = string
  description = "Function name; also names its role, log group and alarms."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,59}$", var.name))
    error_message = "name must be 1-59 characters of A-Z, a-z, 0-9, '-' or '_'."
  }
}

variable "queue" {
  type = object({
    arn                        = string
    url                        = string
    name                       = string
    visibility_timeout_seconds = number
    kms_key_arn                = optional(string)
    fifo                       = optional(bool)
  })
  description = "The queue to drain (modules/queue's `queue` output fits). fifo defaults to whether the name ends in .fifo."

  validation {
    condition     = var.queue.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.queue.kms_key_arn))
    error_message = "queue.kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>), not an alias: IAM policy statements name a KMS key by key ARN only, never an alias (KMS developer guide, cmks-in-iam-policies), so the worker's kms:Decrypt would be denied."
  }
}

variable "batch_size" {
  type        = number
  description = "Records per invocation: 1-10000 for standard queues (above 10 needs a batching window of at least 1 s), at most 10 for FIFO."
  default     = 10

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 10000 && floor(var.batch_size) == var.batch_size
    error_message = "batch_size must be a whole number from 1 to 10000 (SQS event source mapping limit; FIFO queues allow at most 10)."
  }
}

variable "maximum_batching_window_in_seconds" {
  type        = number
  description = "How long Lambda gathers records before invoking (0-300 s). Not supported for FIFO queues."
  default     = 0

  validation {
    condition     = var.maximum_batching_window_in_seconds >= 0 && var.maximum_batching_window_in_seconds <= 300 && floor(var.maximum_batching_window_in_seconds) == var.maximum_batching_window_in_seconds
    error_message = "maximum_batching_window_in_seconds must be a whole number from 0 to 300."
  }
}

variable "maximum_concurrency" {
  type        = number
  description = "Cap on concurrent invocations by this mapping (scaling_config.maximum_concurrency, 2-1000). Protects downstream systems without reserving account concurrency."
  default     = 5

  validation {
    condition     = var.maximum_concurrency >= 2 && var.maximum_concurrency <= 1000 && floor(var.maximum_concurrency) == var.maximum_concurrency
    error_message = "maximum_concurrency must be a whole number from 2 to 1000 (the range Lambda accepts for scaling_config.maximum_concurrency)."
  }
}

variable "enabled" {
  type        = bool
  description = "Whether the event source mapping polls the queue (false pauses consumption; messages wait in the queue)."
  default     = true
}

# --- Passed through to ../function -------------------------------------------------------

variable "description" {
  type        = string
  description = "Function description."
  default     = ""
}

variable "zip_path" {
  type        = string
  description = "Path to the prebuilt deployment zip (build/<function>.zip)."
}

variable "handler" {
  type        = string
  description = "Handler as <module>.<function>, e.g. \"worker.handler\"."
}

variable "runtime" {
  type        = string
  description = "Python runtime: python3.12 or python3.13."
  default     = "python3.12"
}

variable "architecture" {
  type        = string
  description = "arm64 or x86_64."
  default     = "arm64"
}

variable "memory_size" {
  type        = number
  description = "Memory in MB (128-10240)."
  default     = 256
}

variable "timeout" {
  type        = number
  description = "Function timeout in seconds (1-900). The queue's visibility timeout must be at least 6x this."
  default     = 30
}

variable "environment" {
  type        = map(string)
  description = "Environment variables of the function."
  default     = {}
}

variable "policy_statements" {
  type = list(object({
    sid       = optional(string)
    effect    = optional(string, "Allow")
    actions   = list(string)
    resources = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  description = "Extra IAM statements for the worker's role (e.g. write to its table). The queue permissions are added by this module."
  default     = []
}

variable "reserved_concurrency" {
  type        = number
  description = "Reserved concurrency of the function (null = unreserved). When set it must be >= maximum_concurrency, or Lambda throttles the mapping's invokes."
  default     = null
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the function's log group, in days (a CloudWatch Logs value)."
  default     = 30
}

variable "log_level" {
  type        = string
  description = "Application log level (TRACE, DEBUG, INFO, WARN, ERROR, FATAL)."
  default     = "INFO"
}

variable "tracing_enabled" {
  type        = bool
  description = "X-Ray active tracing."
  default     = false
}

variable "powertools_layer_enabled" {
  type        = bool
  description = "Attach the public Powertools v3 layer."
  default     = true
}

variable "powertools_layer_version" {
  type        = number
  description = "Pinned version number of the public Powertools v3 layer (see modules/function README)."
  default     = 38
}

variable "layers" {
  type        = list(string)
  description = "Further layer version ARNs."
  default     = []
}

variable "alarms_enabled" {
  type        = bool
  description = "Create the function's alarms (errors, throttles, p99 duration)."
  default     = true
}

variable "alarm_actions" {
  type        = list(string)
  description = "SNS topic ARNs notified on ALARM and on OK."
  default     = []
}

variable "errors_alarm_threshold" {
  type        = number
  description = "Errors per alarm period that raise the errors alarm."
  default     = 1
}

variable "duration_alarm_fraction" {
  type        = number
  description = "Fraction of the timeout at which p99 Duration alarms."
  default     = 0.8
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource the module creates."
  default     = {}
}

variable "vpc_subnet_ids" {
  type        = list(string)
  description = "Subnets of the worker's ENIs (e.g. to reach RDS Proxy); empty = no VPC. Set with vpc_security_group_ids. The event source mapping (Lambda's poller, not the function's code) receives and deletes the messages; the function needs network paths only to what its handler calls (NAT or VPC endpoints for AWS APIs)."
  default     = []
}

variable "vpc_security_group_ids" {
  type        = list(string)
  description = "Security groups of the worker's ENIs; empty = no VPC. Set with vpc_subnet_ids."
  default     = []
}

variable "vpc_ipv6_allowed_for_dual_stack" {
  type        = bool
  description = "Allow outbound IPv6 from the worker on dual-stack subnets."
  default     = false
}

variable "secrets" {
  type        = map(string)
  description = "Secrets the worker may read (passed to modules/function): name => SSM parameter or Secrets Manager secret ARN. The role may read exactly these; the function gets SECRET_<NAME>_ARN, never the value (e.g. webhook signing secrets)."
  default     = {}
}

variable "secrets_kms_key_arn" {
  type        = string
  description = "Customer managed KMS key encrypting those secrets, if any (kms:Decrypt only through SSM / Secrets Manager). Validated by modules/function: a key ARN, not an alias."
  default     = null
}
