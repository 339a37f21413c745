provider "aws" {
  region = "eu-west-1"
}

# POST /orders puts the body on the orders bus (HTTP API EventBridge-PutEvents, no Lambda); two
# rules fan it out to the billing and audit queues.

variable "name" {
  type        = string
  description = "Name prefix."
  default     = "orders"
}

module "bus" {
  source = "../.."
  name   = var.name
  rules = {
    billing = {
      event_pattern = { source = ["shop.orders"], "detail-type" = ["OrderPlaced"] }
      queue         = { arn = module.billing.queue_arn_for_policies }
    }
    audit = {
      event_pattern = { source = ["shop.orders"] }
      queue         = { arn = module.audit.queue_arn_for_policies }
    }
  }
  queue_urls = { billing = module.billing.queue_url, audit = module.audit.queue_url }
}

module "billing" {
  source                  = "../../../queue"
  name                    = "${var.name}-billing"
  source_policy_documents = [module.bus.queue_policy_json["billing"]]
}

module "audit" {
  source                  = "../../../queue"
  name                    = "${var.name}-audit"
  source_policy_documents = [module.bus.queue_policy_json["audit"]]
}

module "api" {
  source      = "../../../http-api"
  name        = var.name
  routes      = { "POST /orders" = { kind = "event", target = "orders", source = "shop.orders", detail_type = "OrderPlaced" } }
  event_buses = { orders = { arn = module.bus.bus_arn } }
}

output "orders_url" {
  description = "POST an order (a JSON object) here."
  value       = "${module.api.stage_invoke_url}orders"
}

output "bus_arn" {
  description = "The orders bus."
  value       = module.bus.bus_arn
}
