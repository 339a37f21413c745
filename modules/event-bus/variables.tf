variable "name" {
  type        = string
  description = "Name of the custom event bus and prefix of its rules (1-40 letters, digits, '.', '-' or '_')."

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,40}$", var.name)) && var.name != "default"
    error_message = "name must be 1-40 letters, digits, '.', '-' or '_' and not \"default\" (this module creates a custom bus)."
  }
}

variable "rules" {
  description = <<-EOT
    Rules keyed by rule suffix (the rule is "<name>-<key>"): `event_pattern` (an EventBridge
    event pattern object, e.g. { source = ["storefirst.orders"], "detail-type" = ["OrderPlaced"] })
    and the SQS `queue` the matching events go to (`arn`; optional `dlq_arn` for events
    EventBridge could not deliver after its retries). Each queue's policy must hold this
    module's queue_policy_json[key] (pass it to modules/queue's source_policy_documents), a
    DLQ's policy dlq_policy_json[key]. That policy is inline on a modules/queue queue, so pass
    the queue's `queue_arn_for_policies` as `arn` (its `queue_arn` would be a dependency cycle)
    and its `queue_url` in queue_urls: the target is created only once the queue exists.
  EOT
  type = map(object({
    event_pattern = any
    description   = optional(string, "")
    queue = object({
      arn     = string
      dlq_arn = optional(string)
    })
    maximum_event_age_in_seconds = optional(number, 86400)
    maximum_retry_attempts       = optional(number, 185)
  }))

  validation {
    condition     = length(var.rules) >= 1 && length(var.rules) <= 300 && alltrue([for k, r in var.rules : can(regex("^[A-Za-z0-9._-]{1,20}$", k))])
    error_message = "rules: 1-300 rules, keys of 1-20 letters, digits, '.', '-' or '_' (rule names are at most 64 characters)."
  }

  validation {
    condition     = alltrue([for k, r in var.rules : can(regex("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,80}$", r.queue.arn)) && (r.queue.dlq_arn == null || can(regex("^arn:aws[a-z-]*:sqs:", r.queue.dlq_arn)))])
    error_message = "rules: queue.arn (and queue.dlq_arn when set) must be SQS queue ARNs."
  }

  validation {
    # RetryPolicy limits (EventBridge API reference, RetryPolicy).
    condition     = alltrue([for k, r in var.rules : r.maximum_event_age_in_seconds >= 60 && r.maximum_event_age_in_seconds <= 86400 && r.maximum_retry_attempts >= 0 && r.maximum_retry_attempts <= 185])
    error_message = "rules: maximum_event_age_in_seconds must be 60-86400 and maximum_retry_attempts 0-185."
  }

  validation {
    condition     = alltrue([for k, r in var.rules : can(keys(r.event_pattern))])
    error_message = "rules: event_pattern must be an object (an EventBridge event pattern)."
  }
}

variable "archive_retention_days" {
  type        = number
  description = "Keep an archive of every event on the bus for replay, for this many days (0 = no archive)."
  default     = 0

  validation {
    condition     = var.archive_retention_days >= 0 && floor(var.archive_retention_days) == var.archive_retention_days
    error_message = "archive_retention_days must be a whole number of days, 0 for no archive."
  }
}

variable "alarms_enabled" {
  type        = bool
  description = "Create a FailedInvocations alarm per rule (events EventBridge could not deliver to the queue)."
  default     = true
}

variable "alarm_actions" {
  type        = list(string)
  description = "SNS topic ARNs notified when an alarm fires and recovers."
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_actions : can(regex("^arn:aws[a-z-]*:sns:", a))])
    error_message = "alarm_actions must be SNS topic ARNs."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every taggable resource."
  default     = {}
}

variable "queue_urls" {
  type        = map(string)
  description = "Rule key => URL of its queue (modules/queue's queue_url). Each target waits for it, so it is created once the queue exists; separate from rules because the queue's inline policy names the rule (passing the URL inside rules would be a dependency cycle)."
  default     = {}
}
