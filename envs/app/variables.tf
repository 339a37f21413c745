variable "name_prefix" {
  description = "Prefix of every resource name, e.g. storefirst-dev; one per environment."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name_prefix))
    error_message = "name_prefix must be 3-31 lowercase letters, digits or '-', starting with a letter."
  }
}

variable "build_dir" {
  description = "Directory holding the Lambda zips built by `make build`; null means the repository's build/."
  type        = string
  default     = null
}

variable "webhook_throttle" {
  description = "Throttle of the POST /webhook route (requests per second and burst)."
  type        = object({ rate_limit = number, burst_limit = number })
  default     = { rate_limit = 50, burst_limit = 100 }
}

variable "default_throttle" {
  description = "Stage-wide default throttle of the HTTP API."
  type        = object({ rate_limit = number, burst_limit = number })
  default     = { rate_limit = 100, burst_limit = 200 }
}

variable "data_api_throttle" {
  description = "Stage throttle of the data API (REST)."
  type        = object({ rate_limit = number, burst_limit = number })
  default     = { rate_limit = 100, burst_limit = 200 }
}

variable "worker" {
  description = "Sizing of the webhook worker: batch, batching window, maximum concurrency, memory and timeout."
  type = object({
    batch_size                         = optional(number, 10)
    maximum_batching_window_in_seconds = optional(number, 0)
    maximum_concurrency                = optional(number, 5)
    memory_size                        = optional(number, 256)
    timeout                            = optional(number, 30)
  })
  default = {}
}

variable "queue_max_receive_count" {
  description = "Receives before a webhook message moves to the DLQ."
  type        = number
  default     = 5
}

variable "message_retention_seconds" {
  description = "How long the webhook queue keeps an unprocessed message."
  type        = number
  default     = 345600
}

variable "log_retention_days" {
  description = "Retention of every log group of the environment."
  type        = number
  default     = 30
}

variable "deletion_protection" {
  description = "Deletion protection of the environment's DynamoDB tables."
  type        = bool
  default     = true
}

variable "worker_uses_data_api" {
  description = "When true the worker stores users through the data API (Lambda -> data API -> DynamoDB); otherwise it writes the table directly."
  type        = bool
  default     = true
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the environment's alarm topic."
  type        = list(string)
  default     = []
}

variable "powertools_layer_enabled" {
  description = "Attach the public Powertools layer to the functions (the local stack bundles the library instead)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Extra tags for every resource (the env's provider default_tags set the common ones)."
  type        = map(string)
  default     = {}
}

variable "manage_apigateway_account" {
  description = <<-EOT
    Create the account-level API Gateway CloudWatch Logs role (aws_api_gateway_account).
    REST API access and execution logs need it. It is one setting per account and Region:
    set false where another stack already manages it.
  EOT
  type        = bool
  default     = true
}

variable "legacy_base_url" {
  description = "Strangler: base URL of the legacy system that the API's $default route forwards to (null: no legacy route)."
  type        = string
  default     = null

  validation {
    condition     = var.legacy_base_url == null || can(regex("^https?://[^/\\s]+", var.legacy_base_url))
    error_message = "legacy_base_url must be an http:// or https:// URL, or null."
  }
}

variable "cors_allow_origins" {
  description = "Origins allowed to call the HTTP API from a browser (empty: no CORS)."
  type        = list(string)
  default     = []
}

variable "order_hold_seconds" {
  description = "Cooling-off Wait of the order saga before an order is confirmed, in seconds."
  type        = number
  default     = 300

  validation {
    condition     = var.order_hold_seconds >= 0 && var.order_hold_seconds <= 86400
    error_message = "order_hold_seconds must be between 0 and 86400."
  }
}

variable "users_api_snap_start" {
  description = "Turn SnapStart on for the users API (cold starts; restore and cache charges apply)."
  type        = bool
  default     = false
}

variable "github_webhook_secret" {
  type        = string
  description = "Value of the POST /webhook/github signing secret, for throwaway envs (it is stored in state). null: set it with `aws secretsmanager put-secret-value` instead."
  default     = null
  sensitive   = true

  validation {
    condition     = var.github_webhook_secret == null || length(coalesce(var.github_webhook_secret, "x")) >= 16
    error_message = "github_webhook_secret must be null or at least 16 characters."
  }
}
