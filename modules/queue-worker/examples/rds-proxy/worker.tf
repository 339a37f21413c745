module "queue" {
  source = "../../../queue"

  name                       = var.name
  visibility_timeout_seconds = 180 # 6 x the worker's 30 s timeout
}

locals {
  # rds-db:connect through a proxy names the proxy's resource id (prx-...), the last part of
  # its ARN, not the database's: arn:aws:rds-db:<region>:<account>:dbuser:prx-<id>/<user>
  # ("Connecting to a proxy using IAM authentication", rds-proxy-connecting.html).
  proxy_arn_parts = split(":", aws_db_proxy.this.arn)
  proxy_dbuser_arn = format(
    "arn:%s:rds-db:%s:%s:dbuser:%s/%s",
    local.proxy_arn_parts[1], local.proxy_arn_parts[3], local.proxy_arn_parts[4],
    local.proxy_arn_parts[6], var.db_username,
  )
}

module "worker" {
  source = "../.."

  name                = "${var.name}-writer"
  queue               = module.queue.queue
  maximum_concurrency = local.worker_concurrency

  function = {
    # lambda_src/db_writer (pg8000 bundled): SQS records -> worker_records (schema.sql).
    zip_path = "${path.module}/../../../../build/db_writer.zip"
    handler  = "db_writer.handler"
    timeout  = 30

    vpc_subnet_ids         = aws_subnet.private[*].id
    vpc_security_group_ids = [aws_security_group.worker.id]

    environment = {
      DB_HOST = aws_db_proxy.this.endpoint
      DB_PORT = "5432"
      DB_NAME = var.db_name
      DB_USER = var.db_username
      # The budget assumes at most this many connections per worker; db_writer holds one
      # and refuses a value below 1.
      DB_MAX_CONNECTIONS = tostring(var.connections_per_worker)
      # DB_CA_BUNDLE unset: the runtime's system trust store verifies the proxy's certificate
      # (README.md "TLS"); set it to a PEM shipped in the zip to pin the roots.
    }

    policy_statements = [{
      sid       = "ConnectThroughProxy"
      actions   = ["rds-db:connect"]
      resources = [local.proxy_dbuser_arn]
    }]
  }
}
