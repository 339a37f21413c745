variable "name" {
  description = "Dashboard name, usually the environment's name prefix (e.g. storefirst-dev)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.name))
    error_message = "name must be 1-255 characters of letters, digits, '-' or '_' (CloudWatch dashboard name rules)."
  }
}

variable "inventory" {
  description = <<-EOT
    What the environment deployed, as the other modules output it. Every widget is
    generated from this, so the dashboard names only this environment's resources:
    http_apis (api_id, stage), rest_apis (api_name, stage), queues (queue_name, dlq_name),
    functions (function name), tables (table name), state_machines (state machine ARN).
  EOT
  type = object({
    http_apis      = optional(map(object({ api_id = string, stage = optional(string, "$default") })), {})
    rest_apis      = optional(map(object({ api_name = string, stage = string })), {})
    queues         = optional(map(object({ queue_name = string, dlq_name = string })), {})
    functions      = optional(map(string), {})
    tables         = optional(map(string), {})
    state_machines = optional(map(string), {})
  })
}

variable "period_seconds" {
  description = "Aggregation period of every widget, in seconds (a multiple of 60)."
  type        = number
  default     = 60

  validation {
    condition     = var.period_seconds >= 60 && var.period_seconds % 60 == 0
    error_message = "period_seconds must be a positive multiple of 60."
  }
}
