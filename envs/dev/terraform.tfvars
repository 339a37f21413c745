environment         = "dev"
region              = "eu-west-1"
name_prefix         = "storefirst-dev"
webhook_throttle    = { rate_limit = 20, burst_limit = 40 }
default_throttle    = { rate_limit = 50, burst_limit = 100 }
data_api_throttle   = { rate_limit = 50, burst_limit = 100 }
worker              = { maximum_concurrency = 2, batch_size = 10, timeout = 30 }
log_retention_days  = 14
deletion_protection = false
legacy_base_url     = "https://legacy.dev.example.com"
cors_allow_origins  = ["http://localhost:3000"]
order_hold_seconds  = 10
