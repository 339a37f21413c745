# Alarms go to one encrypted topic; one dashboard shows the whole environment.

module "alerts" {
  source              = "../../modules/alerts"
  name                = "${var.name_prefix}-alerts"
  email_subscriptions = var.alarm_emails
  tags                = var.tags
}

module "dashboard" {
  source = "../../modules/dashboard"
  name   = var.name_prefix
  inventory = {
    http_apis = { public = { api_id = module.api.api_id } }
    rest_apis = {
      data      = { api_name = "${var.name_prefix}-data", stage = module.data_api.stage_name }
      customers = { api_name = module.customers_api.api_name, stage = module.customers_api.stage_name }
    }
    queues = {
      webhook    = { queue_name = module.webhook_queue.queue_name, dlq_name = module.webhook_queue.dlq_name }
      fulfilment = { queue_name = module.fulfilment_queue.queue_name, dlq_name = module.fulfilment_queue.dlq_name }
    }
    functions = {
      webhook_worker   = module.webhook_worker.function_name
      users_api        = module.users_api.function_name
      internal_pricing = module.internal_pricing.function_name
    }
    tables = {
      users       = module.users_table.table_name
      idempotency = module.idempotency_table.table_name
      orders      = module.orders_table.table_name
      inventory   = module.inventory_table.table_name
      customers   = module.customers_table.table_name
    }
    state_machines = {
      orders          = module.order_workflow.state_machine_arn
      customer_signup = module.customer_signup.state_machine_arn
    }
  }
}
