# The local stack's env: the same app composition as dev/prod, applied by `make up`
# against the embedded emulator (storefirst/local). The provider's endpoints, dummy
# credentials and local state are injected by the local stack into a copy of this
# directory, so this file stays a plain root configuration.

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project     = "storefirst"
      environment = "local"
      managed-by  = "terraform"
    }
  }
}

module "app" {
  source = "../app"

  name_prefix          = var.name_prefix
  webhook_throttle     = var.webhook_throttle
  default_throttle     = var.default_throttle
  data_api_throttle    = var.data_api_throttle
  worker               = var.worker
  log_retention_days   = var.log_retention_days
  deletion_protection  = false # local state is thrown away with the emulator
  worker_uses_data_api = var.worker_uses_data_api
  legacy_base_url      = var.legacy_base_url
  order_hold_seconds   = var.order_hold_seconds
  # A throwaway value for the signed route POST /webhook/github (local state only).
  github_webhook_secret = "local-only-webhook-signing-secret"
  # One per account/Region in AWS; harmless in the emulator.
  manage_apigateway_account = true
}
