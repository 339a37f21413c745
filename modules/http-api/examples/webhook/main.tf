# A webhook receiver: POST /webhook -> SQS (no Lambda in the request path). The queue is a
# plain aws_sqs_queue here so the example is self-contained; in an env use modules/queue.

provider "aws" {
  region = var.region
}

variable "region" {
  type        = string
  description = "AWS Region to deploy into."
  default     = "eu-west-1"
}

variable "name" {
  type        = string
  description = "Name prefix for the example's resources."
  default     = "storefirst-webhook"
}

variable "webhook_target" {
  type        = string
  description = "Key of module.api's queues map that POST /webhook targets (a variable so tests can show the module rejecting an unknown queue)."
  default     = "webhooks"
}

variable "webhook_authorization" {
  type        = string
  description = "Authorization of POST /webhook (a variable so tests can show the module refusing \"CUSTOM\" without lambda_authorizer); the worker verifies the signature either way."
  default     = "NONE"
}

variable "signature_header" {
  type        = string
  description = "Request header carrying the sender's signature; carried in the message body's frame for the worker to verify."
  default     = "X-Signature"
}

resource "aws_sqs_queue" "dlq" {
  name                      = "${var.name}-dlq"
  message_retention_seconds = 1209600 # 14 days: time to inspect and redrive
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "webhooks" {
  name                       = var.name
  visibility_timeout_seconds = 180 # >= 6 x a 30 s worker timeout
  message_retention_seconds  = 345600
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.webhooks.arn]
  })
}

# Refuse plain-HTTP access to the queue.
resource "aws_sqs_queue_policy" "webhooks_tls" {
  queue_url = aws_sqs_queue.webhooks.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "sqs:*"
      Resource  = aws_sqs_queue.webhooks.arn
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

module "api" {
  source = "../.."

  name = var.name
  routes = {
    "POST /webhook" = {
      kind            = "queue"
      target          = var.webhook_target
      authorization   = var.webhook_authorization
      forward_headers = [var.signature_header]
      throttle        = { rate_limit = 50, burst_limit = 100 }
    }
  }
  queues = {
    webhooks = {
      arn = aws_sqs_queue.webhooks.arn
      url = aws_sqs_queue.webhooks.url
    }
  }
  default_throttle          = { rate_limit = 20, burst_limit = 40 }
  access_log_retention_days = 30
}

output "webhook_url" {
  description = "POST your webhooks here."
  value       = "${module.api.stage_invoke_url}webhook"
}

output "queue_url" {
  description = "URL of the queue the webhooks land in."
  value       = aws_sqs_queue.webhooks.url
}
