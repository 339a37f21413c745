# PostgreSQL with max_connections set explicitly, so the connection budget in budget.tf is the
# number the database enforces, not RDS's memory-based default formula.
resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_db_parameter_group" "this" {
  name   = var.name
  family = "postgres16"

  parameter {
    name         = "max_connections"
    value        = tostring(var.db_max_connections)
    apply_method = "pending-reboot" # static parameter
  }
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }
}

resource "aws_db_instance" "this" {
  #checkov:skip=CKV_AWS_157: Multi-AZ doubles the instance price; set multi_az = true for production (RDS Proxy then rides out the failover).
  #checkov:skip=CKV_AWS_354: Performance Insights data is encrypted with the AWS managed key aws/rds; a customer managed key needs a key policy written per account.
  #checkov:skip=CKV_AWS_161: Clients authenticate to RDS Proxy with IAM (iam_auth = REQUIRED); the proxy logs in to the database with the Secrets Manager secret, as RDS Proxy's IAM mode requires.
  identifier     = var.name
  engine         = "postgres"
  engine_version = "16"
  instance_class = var.db_instance_class
  db_name        = var.db_name
  username       = var.db_username

  # RDS creates and rotates the password in Secrets Manager; it never appears in Terraform.
  manage_master_user_password = true

  allocated_storage      = 20
  storage_type           = "gp3"
  storage_encrypted      = true
  db_subnet_group_name   = aws_db_subnet_group.this.name
  parameter_group_name   = aws_db_parameter_group.this.name
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false

  backup_retention_period             = 7
  copy_tags_to_snapshot               = true
  deletion_protection                 = var.deletion_protection
  skip_final_snapshot                 = !var.deletion_protection
  final_snapshot_identifier           = var.deletion_protection ? "${var.name}-final" : null
  auto_minor_version_upgrade          = true
  performance_insights_enabled        = true
  monitoring_interval                 = 60
  monitoring_role_arn                 = aws_iam_role.monitoring.arn
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  iam_database_authentication_enabled = false
}

# Enhanced Monitoring (OS metrics every 60 s) publishes through this role; the AWS managed
# policy is the documented one ("Setting up and enabling Enhanced Monitoring").
resource "aws_iam_role" "monitoring" {
  name        = "${var.name}-rds-monitoring"
  description = "RDS Enhanced Monitoring of ${var.name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "monitoring.rds.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}
