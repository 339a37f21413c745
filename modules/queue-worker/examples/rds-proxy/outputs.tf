output "queue_url" {
  description = "Send work here."
  value       = module.queue.queue_url
}

output "proxy_endpoint" {
  description = "Host the worker connects to (TLS, IAM auth token as password)."
  value       = aws_db_proxy.this.endpoint
}

output "connection_budget" {
  description = "The computed budget: proxy pool, workers' share, per-worker connections and the concurrency applied."
  value = {
    db_max_connections     = var.db_max_connections
    proxy_pool_connections = local.proxy_pool_connections
    worker_budget          = local.proxy_connection_budget
    connections_per_worker = var.connections_per_worker
    concurrency_limit      = local.worker_concurrency_limit
    maximum_concurrency    = local.worker_concurrency
  }
}

output "worker_connect_arn" {
  description = "The rds-db:connect resource granted to the worker (proxy resource id + user)."
  value       = local.proxy_dbuser_arn
}
