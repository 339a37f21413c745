variable "catalog" {
  type        = any
  description = "The decoded operations catalog (yamldecode/jsondecode of the catalog file)."
}

variable "table_name" {
  type        = string
  description = "DynamoDB table the statements address."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.table_name))
    error_message = "table_name must be a DynamoDB table name: 3-255 characters of A-Z a-z 0-9 _ . -."
  }
}
