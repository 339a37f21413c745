# Runnable sample: an EXPRESS workflow meant for a synchronous HTTP route
# (modules/http-api `workflow` route with sync = true -> StepFunctions-StartSyncExecution):
# validate, write one item, answer. The HTTP API waits at most 30 s for it.
#
#   aws stepfunctions start-sync-execution --state-machine-arn "$(terraform output -raw state_machine_arn)" \
#     --input '{"customer_id":"c-1","email":"a@example.com"}'

provider "aws" {
  region = var.region
}

variable "region" {
  type        = string
  description = "AWS Region to deploy the sample to."
  default     = "eu-west-1"
}

variable "name" {
  type        = string
  description = "Prefix of every resource of the sample."
  default     = "sync-sample"
}

resource "aws_dynamodb_table" "customers" {
  #checkov:skip=CKV_AWS_119: Sample uses the AWS owned key; modules/table takes a customer managed key.
  name                        = "${var.name}-customers"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "customer_id"
  deletion_protection_enabled = false # a sample must be destroyable

  attribute {
    name = "customer_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

module "create_customer" {
  source = "../.."

  name = "${var.name}-create-customer"
  type = "EXPRESS"
  definition = templatefile("${path.module}/create_customer.asl.json", {
    customers_table = aws_dynamodb_table.customers.name
  })

  integrations = {
    tables = { customers = aws_dynamodb_table.customers.arn }
  }
  # Default for tables: dynamodb:PutItem only, exactly what the definition calls.

  # Express keeps no history: ERROR logs every failed execution, without request data.
  log_level = "ERROR"
}

output "state_machine_arn" {
  description = "Target of the sync HTTP route (StartSyncExecution)."
  value       = module.create_customer.state_machine_arn
}

output "type" {
  description = "EXPRESS: required for StartSyncExecution."
  value       = module.create_customer.type
}
