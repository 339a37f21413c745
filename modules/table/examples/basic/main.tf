# A users table: single-table keys, a GSI by email, TTL, stream, deletion protection off (dev).
provider "aws" {
  region = "eu-west-1"
}

variable "name" {
  type        = string
  description = "Table name."
  default     = "storefirst-example-users"
}

module "users" {
  source = "../.."

  name      = var.name
  hash_key  = "pk"
  range_key = "sk"
  attributes = [
    { name = "pk", type = "S" },
    { name = "sk", type = "S" },
    { name = "email", type = "S" },
  ]
  global_secondary_indexes = [
    { name = "by-email", hash_key = "email", projection_type = "INCLUDE", non_key_attributes = ["first_name", "last_name"] },
  ]
  ttl_attribute       = "expires_at"
  stream_view_type    = "NEW_AND_OLD_IMAGES"
  deletion_protection = false
  tags                = { example = "table-basic" }
}

output "table_arn" {
  description = "ARN of the table."
  value       = module.users.table_arn
}

output "index_arns" {
  description = "GSI ARNs."
  value       = module.users.index_arns
}
