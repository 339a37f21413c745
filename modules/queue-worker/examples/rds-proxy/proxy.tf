# RDS Proxy in front of the database: clients must present an IAM auth token (iam_auth =
# REQUIRED) over TLS (require_tls); the proxy logs in to the database with the secret.
# "Connecting to a database through RDS Proxy" (rds-proxy-connecting.html).
resource "aws_iam_role" "proxy" {
  name        = "${var.name}-proxy"
  description = "RDS Proxy ${var.name}: reads the database secret"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "rds.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Exactly the one secret. RDS-managed master secrets are encrypted with the AWS managed key
# aws/secretsmanager unless master_user_secret_kms_key_id is set; that key needs no grant.
resource "aws_iam_role_policy" "proxy" {
  name = "${var.name}-proxy-secret"
  role = aws_iam_role.proxy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "ReadDatabaseSecret"
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = [aws_db_instance.this.master_user_secret[0].secret_arn]
    }]
  })
}

resource "aws_db_proxy" "this" {
  name                   = var.name
  engine_family          = "POSTGRESQL"
  role_arn               = aws_iam_role.proxy.arn
  vpc_subnet_ids         = aws_subnet.private[*].id
  vpc_security_group_ids = [aws_security_group.proxy.id]
  require_tls            = true
  idle_client_timeout    = 1800
  debug_logging          = false

  auth {
    auth_scheme = "SECRETS"
    iam_auth    = "REQUIRED"
    secret_arn  = aws_db_instance.this.master_user_secret[0].secret_arn
    description = "Clients authenticate with IAM as ${var.db_username}"
  }

  depends_on = [aws_iam_role_policy.proxy]
}

resource "aws_db_proxy_default_target_group" "this" {
  db_proxy_name = aws_db_proxy.this.name

  connection_pool_config {
    # The proxy opens at most this share of the database's max_connections (budget.tf).
    max_connections_percent      = var.proxy_max_connections_percent
    max_idle_connections_percent = min(50, var.proxy_max_connections_percent)
    connection_borrow_timeout    = 120
  }

  lifecycle {
    precondition {
      condition     = local.worker_concurrency * var.connections_per_worker <= local.proxy_connection_budget
      error_message = "maximum_concurrency ${local.worker_concurrency} x connections_per_worker ${var.connections_per_worker} = ${local.worker_concurrency * var.connections_per_worker} database connections, above the proxy's budget of ${local.proxy_connection_budget} (max_connections ${var.db_max_connections} x ${var.proxy_max_connections_percent}% - ${var.other_client_connections} for other clients). Lower maximum_concurrency to at most ${local.worker_concurrency_limit}, or raise the budget."
    }
    precondition {
      condition     = local.worker_concurrency_limit >= 2
      error_message = "The proxy's budget of ${local.proxy_connection_budget} connections holds ${local.worker_concurrency_limit} worker(s) at ${var.connections_per_worker} connection(s) each; an SQS event source mapping needs maximum_concurrency >= 2. Raise db_max_connections or proxy_max_connections_percent, or lower connections_per_worker."
    }
  }
}

resource "aws_db_proxy_target" "this" {
  db_proxy_name          = aws_db_proxy.this.name
  target_group_name      = aws_db_proxy_default_target_group.this.name
  db_instance_identifier = aws_db_instance.this.identifier
}
