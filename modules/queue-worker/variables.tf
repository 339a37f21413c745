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

variable "tags" {
  type        = map(string)
  description = "Tags for every resource the module creates (the function's included)."
  default     = {}
}

# --- The function (modules/function) --------------------------------------------------------------

variable "function" {
  type = object({
    zip_path    = string
    handler     = string
    description = optional(string)
    runtime     = optional(string)
    # Lambda size and limits. The queue's visibility timeout must be at least 6x timeout, and
    # reserved_concurrency (null = unreserved) at least maximum_concurrency.
    architecture         = optional(string)
    memory_size          = optional(number)
    timeout              = optional(number)
    reserved_concurrency = optional(number)
    environment          = optional(map(string))
    # Extra IAM statements for the worker's role (e.g. write to its table); this module adds
    # the queue's own (receive, delete, change visibility, get attributes; kms:Decrypt).
    policy_statements = optional(list(object({
      sid       = optional(string)
      effect    = optional(string, "Allow")
      actions   = list(string)
      resources = list(string)
      conditions = optional(list(object({
        test     = string
        variable = string
        values   = list(string)
      })), [])
    })))
    log_retention_days       = optional(number)
    log_level                = optional(string)
    log_kms_key_arn          = optional(string)
    kms_key_arn              = optional(string)
    tracing_enabled          = optional(bool)
    powertools_layer_enabled = optional(bool)
    powertools_layer_version = optional(number)
    layers                   = optional(list(string))
    # Secrets the worker may read (name => SSM parameter or Secrets Manager secret ARN); the
    # function gets SECRET_<NAME>_ARN, never the value.
    secrets                           = optional(map(string))
    secrets_kms_key_arn               = optional(string)
    alarms_enabled                    = optional(bool)
    alarm_actions                     = optional(list(string))
    errors_alarm_threshold            = optional(number)
    throttles_alarm_threshold         = optional(number)
    duration_alarm_fraction           = optional(number)
    alarm_period_seconds              = optional(number)
    duration_alarm_evaluation_periods = optional(number)
    # ENIs in a VPC (e.g. to reach RDS Proxy): subnets and security groups go together. The
    # event source mapping (Lambda's poller) receives and deletes the messages; the function
    # needs network paths only to what its handler calls (NAT or VPC endpoints for AWS APIs).
    vpc_subnet_ids                  = optional(list(string))
    vpc_security_group_ids          = optional(list(string))
    vpc_ipv6_allowed_for_dual_stack = optional(bool)
  })
  description = <<-EOT
    The worker's function, passed to modules/function (name and tags come from this module):
    zip_path and handler are required; every other attribute is one of modules/function's
    inputs of the same name and, left out, takes that module's default (modules/function
    README). modules/function validates each value and reports errors under its own input
    names. Versions, aliases, SnapStart and provisioned concurrency are not offered: the
    mapping invokes the unqualified function. Attributes not listed here are dropped by
    Terraform's object conversion, not refused: check names against this list.
  EOT
}
