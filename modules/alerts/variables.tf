variable "name" {
  description = "Name of the SNS topic that receives alarm and OK notifications (also prefixes the KMS alias)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,240}$", var.name))
    error_message = "name must be 1-240 characters of letters, digits, '-' or '_' (SNS topic name rules)."
  }
}

variable "email_subscriptions" {
  description = "E-mail addresses subscribed to the topic (each must confirm the subscription)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.email_subscriptions : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "email_subscriptions must contain e-mail addresses only."
  }
}

variable "kms_deletion_window_days" {
  description = "Waiting period before the topic's KMS key is deleted after destroy (7-30 days)."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be between 7 and 30."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
