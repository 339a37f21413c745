# Simple web service: a "regular app in a Lambda" (Powertools APIGatewayHttpResolver)
# serving GET /users and /users/{id}; it reads through the data API like any other caller.
module "users_api" {
  source                   = "../../modules/function"
  name                     = "${var.name_prefix}-users-api"
  zip_path                 = "${local.build_dir}/users_api.zip"
  handler                  = "users_api.handler"
  memory_size              = 512
  timeout                  = 10
  snap_start               = var.users_api_snap_start
  log_retention_days       = var.log_retention_days
  powertools_layer_enabled = var.powertools_layer_enabled
  environment = {
    DATA_API_URL            = module.data_api.invoke_url
    CORS_ALLOW_ORIGINS      = join(",", var.cors_allow_origins)
    POWERTOOLS_SERVICE_NAME = "users-api"
  }
  policy_statements = [{
    sid       = "CallDataApi"
    actions   = ["execute-api:Invoke"]
    resources = ["${module.data_api.execution_arn}/*/POST/*"]
  }]
  alarm_actions = local.alarm_actions
  tags          = var.tags
}

# Internal API: no API Gateway. Other services invoke it with the SDK (RequestResponse)
# after attaching output internal_pricing_invoker_policy_json to their role.
module "internal_pricing" {
  source                   = "../../modules/function"
  name                     = "${var.name_prefix}-internal-pricing"
  zip_path                 = "${local.build_dir}/internal_pricing.zip"
  handler                  = "internal_pricing.handler"
  memory_size              = 512
  timeout                  = 10
  log_retention_days       = var.log_retention_days
  powertools_layer_enabled = var.powertools_layer_enabled
  environment              = { POWERTOOLS_SERVICE_NAME = "internal-pricing" }
  alarm_actions            = local.alarm_actions
  tags                     = var.tags
}
