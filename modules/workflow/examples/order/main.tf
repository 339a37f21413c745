# Runnable sample: the order saga (order.asl.json) on two DynamoDB tables and a fulfilment
# queue, using only Step Functions' optimized DynamoDB and SQS integrations (no Lambda).
#
#   terraform init && terraform apply
#   aws stepfunctions start-execution --state-machine-arn "$(terraform output -raw state_machine_arn)" \
#     --input '{"order_id":"o-1","customer_id":"c-1","sku":"sku-1","quantity":2}'
#
# In an env, take the tables and the queue from modules/table and modules/queue instead.

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
  default     = "order-sample"
}

variable "hold_seconds" {
  type        = number
  description = "Cooling-off period (Wait state) before an order is confirmed, in seconds."
  default     = 300

  validation {
    condition     = var.hold_seconds >= 0 && var.hold_seconds <= 86400
    error_message = "hold_seconds must be between 0 and 86400."
  }
}

resource "aws_dynamodb_table" "orders" {
  #checkov:skip=CKV_AWS_119: Sample uses the AWS owned key; modules/table takes a customer managed key.
  name                        = "${var.name}-orders"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "order_id"
  deletion_protection_enabled = false # a sample must be destroyable

  attribute {
    name = "order_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

resource "aws_dynamodb_table" "inventory" {
  #checkov:skip=CKV_AWS_119: Sample uses the AWS owned key; modules/table takes a customer managed key.
  name                        = "${var.name}-inventory"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "sku"
  deletion_protection_enabled = false

  attribute {
    name = "sku"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

resource "aws_sqs_queue" "fulfilment_dlq" {
  name                      = "${var.name}-fulfilment-dlq"
  sqs_managed_sse_enabled   = true
  message_retention_seconds = 1209600
}

resource "aws_sqs_queue" "fulfilment" {
  name                    = "${var.name}-fulfilment"
  sqs_managed_sse_enabled = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.fulfilment_dlq.arn
    maxReceiveCount     = 5
  })
}

module "order_workflow" {
  source = "../.."

  name = "${var.name}-order"
  # A cooling-off Wait belongs in a STANDARD workflow: waiting is free there, billed in EXPRESS.
  type = "STANDARD"
  definition = templatefile("${path.module}/order.asl.json", {
    orders_table         = aws_dynamodb_table.orders.name
    inventory_table      = aws_dynamodb_table.inventory.name
    fulfilment_queue_url = aws_sqs_queue.fulfilment.url
    hold_seconds         = var.hold_seconds
    timeout_seconds      = var.hold_seconds + 600
  })

  integrations = {
    tables = {
      orders    = aws_dynamodb_table.orders.arn
      inventory = aws_dynamodb_table.inventory.arn
    }
    queues = {
      fulfilment = aws_sqs_queue.fulfilment.arn
    }
  }
  # Exactly the calls order.asl.json makes.
  integration_actions = {
    tables = {
      orders    = ["dynamodb:PutItem", "dynamodb:UpdateItem"]
      inventory = ["dynamodb:UpdateItem"]
    }
  }

  log_level       = "ALL"
  tracing_enabled = true
}

output "state_machine_arn" {
  description = "Start executions here."
  value       = module.order_workflow.state_machine_arn
}

output "orders_table" {
  description = "Table holding the orders and their status."
  value       = aws_dynamodb_table.orders.name
}

output "log_group_name" {
  description = "Execution history of the workflow."
  value       = module.order_workflow.log_group_name
}
