# The root module every deployed env applies (envs/dev, envs/prod link to these files): one
# definition of the env's shape; each env folder holds only its values (terraform.tfvars),
# its backend settings (backend.hcl.example) and env-only tests. Symlinks, not copies:
# Terraform reads a linked .tf file as if it were in the env's folder, so `../app` below is
# envs/app from either env (on Windows, clone with `git config core.symlinks true`).

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project     = "storefirst"
      environment = var.environment
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
  deletion_protection  = var.deletion_protection
  worker_uses_data_api = var.worker_uses_data_api
  alarm_emails         = var.alarm_emails
  legacy_base_url      = var.legacy_base_url
  cors_allow_origins   = var.cors_allow_origins
  order_hold_seconds   = var.order_hold_seconds
  users_api_snap_start = var.users_api_snap_start
}
