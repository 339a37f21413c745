# The connection budget, computed: how many workers the database can serve at once.
#
#   proxy pool     = floor(max_connections x max_connections_percent / 100)
#                    (MaxConnectionsPercent: "a percentage of the max_connections setting for
#                    the RDS DB instance", RDS API ConnectionPoolConfiguration)
#   worker budget  = proxy pool - connections other clients of the proxy hold
#   worker limit   = floor(worker budget / connections each worker holds), at most 1000
#                    (scaling_config.maximum_concurrency accepts 2-1000)
#
# maximum_concurrency (null = the limit) caps concurrent invocations of the SQS mapping, and
# each invocation holds connections_per_worker connections; the precondition on the target
# group (proxy.tf) fails the plan when maximum_concurrency x connections_per_worker exceeds
# the budget. tests/terraform/test_rds_proxy_budget.py checks this rule against an independent Python one.

variable "db_max_connections" {
  type        = number
  description = "max_connections of the database (set in its parameter group, so it is the enforced value)."
  default     = 100

  validation {
    # PostgreSQL on RDS accepts 6-8388607 for max_connections.
    condition     = var.db_max_connections >= 6 && var.db_max_connections <= 8388607 && floor(var.db_max_connections) == var.db_max_connections
    error_message = "db_max_connections must be a whole number from 6 to 8388607."
  }
}

variable "proxy_max_connections_percent" {
  type        = number
  description = "RDS Proxy MaxConnectionsPercent (1-100): the share of max_connections the proxy may open; the rest stays for admins, migrations and other clients."
  default     = 50

  validation {
    condition     = var.proxy_max_connections_percent >= 1 && var.proxy_max_connections_percent <= 100 && floor(var.proxy_max_connections_percent) == var.proxy_max_connections_percent
    error_message = "proxy_max_connections_percent must be a whole number from 1 to 100."
  }
}

variable "other_client_connections" {
  type        = number
  description = "Database connections other clients of the same proxy hold at peak (e.g. an API's functions); subtracted from the workers' budget."
  default     = 0

  validation {
    condition     = var.other_client_connections >= 0 && floor(var.other_client_connections) == var.other_client_connections
    error_message = "other_client_connections must be a whole number >= 0."
  }
}

variable "connections_per_worker" {
  type        = number
  description = "Database connections one worker invocation holds at once (1 for a handler with one connection opened at init; more if it uses a pool or parallel queries)."
  default     = 1

  validation {
    condition     = var.connections_per_worker >= 1 && floor(var.connections_per_worker) == var.connections_per_worker
    error_message = "connections_per_worker must be a whole number >= 1."
  }
}

variable "maximum_concurrency" {
  type        = number
  description = "Cap on concurrent worker invocations (SQS mapping maximum_concurrency, 2-1000). null = the largest value the connection budget allows; a value above it fails the plan."
  default     = null

  validation {
    condition     = var.maximum_concurrency == null || try(var.maximum_concurrency >= 2 && var.maximum_concurrency <= 1000 && floor(var.maximum_concurrency) == var.maximum_concurrency, false)
    error_message = "maximum_concurrency must be null (computed from the budget) or a whole number from 2 to 1000."
  }
}

locals {
  proxy_pool_connections   = floor(var.db_max_connections * var.proxy_max_connections_percent / 100)
  proxy_connection_budget  = local.proxy_pool_connections - var.other_client_connections
  worker_concurrency_limit = min(1000, floor(max(0, local.proxy_connection_budget) / var.connections_per_worker))
  # Never below 2 (the mapping's minimum): when the budget allows fewer, the precondition says so.
  worker_concurrency = coalesce(var.maximum_concurrency, max(2, local.worker_concurrency_limit))
}
