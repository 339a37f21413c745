# An alarm topic (KMS-encrypted SNS, e-mail subscribers) and a queue whose alarms notify it:
# the wiring every env does with modules/alerts.
provider "aws" {
  region = "eu-west-1"
}

variable "name" {
  type        = string
  description = "Prefix of the topic and the queue."
  default     = "storefirst-example"
}

variable "oncall_emails" {
  type        = list(string)
  description = "Addresses subscribed to the alarm topic (each must confirm)."
  default     = []
}

module "alerts" {
  source = "../.."

  name                = "${var.name}-alerts"
  email_subscriptions = var.oncall_emails
  tags                = { example = "alerts-basic" }
}

module "queue" {
  source = "../../../queue"

  name          = "${var.name}-work"
  alarm_actions = [module.alerts.topic_arn]
  tags          = { example = "alerts-basic" }
}

output "wiring" {
  description = "The alarm topic and the queue alarms that notify it."
  value       = { topic_arn = module.alerts.topic_arn, queue_alarm_arns = module.queue.alarm_arns }
}
