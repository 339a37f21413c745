# The users data API over a plain table (envs use modules/table for the table).
provider "aws" {
  region = "eu-west-1"
}

resource "aws_dynamodb_table" "users" {
  #checkov:skip=CKV_AWS_119: example table; AWS owned key encryption is on by default, envs pass a CMK through modules/table
  name                        = "storefirst-example-users"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = false

  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "last_name"
    type = "S"
  }

  global_secondary_index {
    name            = "gsi1"
    hash_key        = "last_name"
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

module "data_api" {
  source       = "../.."
  name         = "example-users"
  catalog_path = "${path.module}/../../../../envs/catalogs/users.yaml"
  table = {
    name = aws_dynamodb_table.users.name
    arn  = aws_dynamodb_table.users.arn
  }
  logging_role_ready = aws_api_gateway_account.this.cloudwatch_role_arn
}

output "invoke_url" {
  description = "POST envelopes here (SigV4-signed)."
  value       = module.data_api.invoke_url
}

output "invoke_policy_json" {
  description = "Attach to callers' roles."
  value       = module.data_api.invoke_policy_json
}
