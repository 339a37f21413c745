variable "region" {
  description = "Region the emulator pretends to be."
  type        = string
  default     = "eu-west-1"
}

variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
  default     = "storefirst-local"
}

variable "webhook_throttle" {
  description = "Throttle of POST /webhook (the e2e test checks 429 beyond it)."
  type        = object({ rate_limit = number, burst_limit = number })
  default     = { rate_limit = 300, burst_limit = 300 }
}

variable "default_throttle" {
  description = "Stage-wide default throttle of the HTTP API."
  type        = object({ rate_limit = number, burst_limit = number })
  default     = { rate_limit = 500, burst_limit = 500 }
}

variable "data_api_throttle" {
  description = "Stage throttle of the data API."
  type        = object({ rate_limit = number, burst_limit = number })
  default     = { rate_limit = 500, burst_limit = 500 }
}

variable "worker" {
  description = "Webhook worker sizing."
  type = object({
    batch_size                         = optional(number, 10)
    maximum_batching_window_in_seconds = optional(number, 0)
    maximum_concurrency                = optional(number, 2)
    memory_size                        = optional(number, 256)
    timeout                            = optional(number, 10)
  })
  default = {}
}

variable "log_retention_days" {
  description = "Retention of every log group."
  type        = number
  default     = 1
}

variable "worker_uses_data_api" {
  description = "Store users through the data API (true) or directly (false)."
  type        = bool
  default     = true
}

variable "legacy_base_url" {
  description = "Strangler: a legacy server's base URL on 127.0.0.1, or null."
  type        = string
  default     = null
}

variable "order_hold_seconds" {
  description = "Cooling-off Wait of the order saga (short locally)."
  type        = number
  default     = 1
}
