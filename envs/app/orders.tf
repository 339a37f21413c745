# State machines. The order saga (STANDARD: a cooling-off Wait is free there) is started
# asynchronously by POST /orders on the HTTP API; customer sign-up (EXPRESS) answers
# POST /customers synchronously on a REST API of its own (customers_url), because
# StartSyncExecution answers 200 even when the execution fails and only a REST response
# template can turn its status into the client's (modules/sync-workflow-api). Definitions are the workflow module's
# samples, kept JSONPath so the local stack can execute them.

module "orders_table" {
  source              = "../../modules/table"
  name                = "${var.name_prefix}-orders"
  hash_key            = "order_id"
  attributes          = [{ name = "order_id", type = "S" }]
  deletion_protection = var.deletion_protection
  alarm_actions       = local.alarm_actions
  tags                = var.tags
}

module "inventory_table" {
  source              = "../../modules/table"
  name                = "${var.name_prefix}-inventory"
  hash_key            = "sku"
  attributes          = [{ name = "sku", type = "S" }]
  deletion_protection = var.deletion_protection
  alarm_actions       = local.alarm_actions
  tags                = var.tags
}

module "customers_table" {
  source              = "../../modules/table"
  name                = "${var.name_prefix}-customers"
  hash_key            = "customer_id"
  attributes          = [{ name = "customer_id", type = "S" }]
  deletion_protection = var.deletion_protection
  alarm_actions       = local.alarm_actions
  tags                = var.tags
}

module "fulfilment_queue" {
  source        = "../../modules/queue"
  name          = "${var.name_prefix}-fulfilment"
  alarm_actions = local.alarm_actions
  tags          = var.tags
}

module "order_workflow" {
  source = "../../modules/workflow"
  name   = "${var.name_prefix}-order"
  type   = "STANDARD"
  definition = templatefile("${local.workflows_dir}/order.asl.json", {
    orders_table         = module.orders_table.table_name
    inventory_table      = module.inventory_table.table_name
    fulfilment_queue_url = module.fulfilment_queue.queue_url
    hold_seconds         = var.order_hold_seconds
    timeout_seconds      = var.order_hold_seconds + 600
  })
  integrations = {
    tables = {
      orders    = module.orders_table.table_arn
      inventory = module.inventory_table.table_arn
    }
    queues = { fulfilment = module.fulfilment_queue.queue_arn }
  }
  integration_actions = {
    tables = {
      orders    = ["dynamodb:PutItem", "dynamodb:UpdateItem"]
      inventory = ["dynamodb:UpdateItem"]
    }
  }
  log_level          = "ERROR"
  log_retention_days = var.log_retention_days
  alarm_actions      = local.alarm_actions
  tags               = var.tags
}

module "customer_signup" {
  source = "../../modules/workflow"
  name   = "${var.name_prefix}-customer-signup"
  type   = "EXPRESS"
  definition = templatefile("${local.workflows_dir}/create_customer.asl.json", {
    customers_table = module.customers_table.table_name
  })
  integrations       = { tables = { customers = module.customers_table.table_arn } }
  log_level          = "ERROR"
  log_retention_days = var.log_retention_days
  alarm_actions      = local.alarm_actions
  tags               = var.tags
}

# POST /customers: 200 with the sign-up's output; 400 (ValidationError) and 409 (AlreadyExists)
# name what the Fail states of create_customer.asl.json say; any other failure is a 500 and a
# time-out a 504, which the API's 5xx alarm counts.
module "customers_api" {
  source        = "../../modules/sync-workflow-api"
  name          = "${var.name_prefix}-customers"
  authorization = "NONE" # a public sign-up endpoint, as the HTTP API route was; throttled
  routes = {
    customers = {
      state_machine_arn = module.customer_signup.state_machine_arn
      client_errors     = { ValidationError = 400, AlreadyExists = 409 }
    }
  }
  throttle           = var.default_throttle
  log_retention_days = var.log_retention_days
  alarm_actions      = local.alarm_actions
  tags               = var.tags
  # Only the stage waits for the account's CloudWatch role (apigateway_account.tf).
  logging_role_ready = one(aws_api_gateway_account.this[*].cloudwatch_role_arn)
}
