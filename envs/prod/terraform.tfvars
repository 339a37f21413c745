environment          = "prod"
region               = "eu-west-1"
name_prefix          = "storefirst-prod"
webhook_throttle     = { rate_limit = 500, burst_limit = 1000 }
default_throttle     = { rate_limit = 1000, burst_limit = 2000 }
data_api_throttle    = { rate_limit = 1000, burst_limit = 2000 }
worker               = { maximum_concurrency = 50, batch_size = 10, maximum_batching_window_in_seconds = 1, timeout = 30, memory_size = 512 }
log_retention_days   = 90
deletion_protection  = true
legacy_base_url      = "https://legacy.example.com"
cors_allow_origins   = ["https://app.example.com"]
order_hold_seconds   = 300
users_api_snap_start = true
