# A work queue with its DLQ, SQS-managed SSE and alarms notifying an SNS topic.
provider "aws" {
  region = "eu-west-1"
}

variable "name" {
  type        = string
  description = "Queue name prefix."
  default     = "storefirst-example-webhooks"
}

variable "alarm_topic_arn" {
  type        = string
  description = "SNS topic for alarm notifications (empty list when null)."
  default     = null
}

module "queue" {
  source = "../.."

  name                       = var.name
  visibility_timeout_seconds = 180
  max_receive_count          = 5
  alarm_actions              = var.alarm_topic_arn == null ? [] : [var.alarm_topic_arn]
  tags                       = { example = "queue-basic" }
}

output "queue_url" {
  description = "URL to send messages to."
  value       = module.queue.queue_url
}

output "dlq_url" {
  description = "URL of the dead-letter queue."
  value       = module.queue.dlq_url
}
