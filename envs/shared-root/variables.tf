variable "environment" {
  description = "Name of the environment (dev, prod, ...): the `environment` default tag of every resource."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,31}$", var.environment))
    error_message = "environment must be 1-32 lowercase letters, digits or '-', starting with a letter."
  }
}

variable "region" {
  description = "AWS region of the environment."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
}

variable "webhook_throttle" {
  description = "Throttle of the POST /webhook route."
  type        = object({ rate_limit = number, burst_limit = number })
}

variable "default_throttle" {
  description = "Stage-wide default throttle of the HTTP API."
  type        = object({ rate_limit = number, burst_limit = number })
}

variable "data_api_throttle" {
  description = "Stage throttle of the data API."
  type        = object({ rate_limit = number, burst_limit = number })
}

variable "worker" {
  description = "Webhook worker sizing (see envs/app)."
  type = object({
    batch_size                         = optional(number, 10)
    maximum_batching_window_in_seconds = optional(number, 0)
    maximum_concurrency                = optional(number, 5)
    memory_size                        = optional(number, 256)
    timeout                            = optional(number, 30)
  })
}

variable "log_retention_days" {
  description = "Retention of every log group."
  type        = number
}

variable "deletion_protection" {
  description = "Deletion protection of the tables."
  type        = bool
}

variable "worker_uses_data_api" {
  description = "Store users through the data API (true) or directly (false)."
  type        = bool
  default     = true
}

variable "alarm_emails" {
  description = "E-mail addresses for alarm notifications."
  type        = list(string)
  default     = []
}

variable "legacy_base_url" {
  description = "Strangler: the legacy system's base URL ($default route), or null."
  type        = string
  default     = null
}

variable "cors_allow_origins" {
  description = "Browser origins allowed to call the HTTP API."
  type        = list(string)
  default     = []
}

variable "order_hold_seconds" {
  description = "Cooling-off Wait of the order saga, in seconds."
  type        = number
  default     = 300
}

variable "users_api_snap_start" {
  description = "SnapStart for the users API."
  type        = bool
  default     = false
}
