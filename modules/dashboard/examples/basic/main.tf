# A dashboard of a queue and its DLQ: the inventory is what the other modules output, so the
# widgets name only these resources.
provider "aws" {
  region = "eu-west-1"
}

variable "name" {
  type        = string
  description = "Prefix of the queue and name of the dashboard."
  default     = "storefirst-example"
}

module "queue" {
  source = "../../../queue"

  name           = "${var.name}-work"
  alarms_enabled = false
  tags           = { example = "dashboard-basic" }
}

module "dashboard" {
  source = "../.."

  name = var.name
  inventory = {
    queues = { work = { queue_name = module.queue.queue_name, dlq_name = module.queue.dlq_name } }
  }
}

output "dashboard_name" {
  description = "Open it in the CloudWatch console under Dashboards."
  value       = module.dashboard.dashboard_name
}
