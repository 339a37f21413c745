# Storage: the users table behind the data API, and the worker's idempotency records.

# Users: pk = "USER#<id>"; gsi1 (hash key last_name) serves the catalog's
# list-users-by-last-name query. The key design is the catalog's (envs/catalogs/users.yaml).
module "users_table" {
  source   = "../../modules/table"
  name     = "${var.name_prefix}-users"
  hash_key = "pk"
  attributes = [
    { name = "pk", type = "S" },
    { name = "last_name", type = "S" },
  ]
  global_secondary_indexes = [
    { name = "gsi1", hash_key = "last_name", projection_type = "ALL" },
  ]
  deletion_protection = var.deletion_protection
  alarm_actions       = local.alarm_actions
  tags                = var.tags
}

# Powertools idempotency records: key "id", expiry in "expiration" (Powertools defaults).
module "idempotency_table" {
  source              = "../../modules/table"
  name                = "${var.name_prefix}-idempotency"
  hash_key            = "id"
  attributes          = [{ name = "id", type = "S" }]
  ttl_attribute       = "expiration"
  deletion_protection = var.deletion_protection
  alarm_actions       = local.alarm_actions
  tags                = var.tags
}

module "data_api" {
  source       = "../../modules/data-api"
  name         = "${var.name_prefix}-data"
  catalog_path = local.catalog_path
  table = {
    name = module.users_table.table_name
    arn  = module.users_table.table_arn
  }
  throttle           = var.data_api_throttle
  log_retention_days = var.log_retention_days
  alarm_actions      = local.alarm_actions
  tags               = var.tags
  # Only the stage waits for the account's CloudWatch role (apigateway_account.tf).
  logging_role_ready = one(aws_api_gateway_account.this[*].cloudwatch_role_arn)
}

