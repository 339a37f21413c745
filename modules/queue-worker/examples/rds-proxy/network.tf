# Private subnets only: the database, the proxy and the worker's ENIs. No NAT: the worker
# talks to the proxy only (the SQS event source mapping delivers and deletes messages; the
# function's logs go through Lambda's own channel, not the VPC).
resource "aws_vpc" "this" {
  #checkov:skip=CKV2_AWS_11: VPC flow logs are an account-level choice (their own log group and role); the example keeps to the database path.
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = var.name }
}

# The default security group of the VPC admits nothing (CIS 5.4).
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_subnet" "private" {
  count = length(var.availability_zones)

  vpc_id            = aws_vpc.this.id
  availability_zone = var.availability_zones[count.index]
  cidr_block        = cidrsubnet(var.vpc_cidr, 8, count.index)
  tags              = { Name = "${var.name}-private-${var.availability_zones[count.index]}" }
}

# worker -> proxy -> database, PostgreSQL's port only, each hop naming the next group.
resource "aws_security_group" "worker" {
  name        = "${var.name}-worker"
  description = "Queue worker ENIs: may reach the proxy only"
  vpc_id      = aws_vpc.this.id
}

resource "aws_security_group" "proxy" {
  #checkov:skip=CKV2_AWS_5: Attached to aws_db_proxy.this (vpc_security_group_ids), a resource type this check does not follow.
  name        = "${var.name}-proxy"
  description = "RDS Proxy: reachable from the worker, reaches the database"
  vpc_id      = aws_vpc.this.id
}

resource "aws_security_group" "db" {
  name        = "${var.name}-db"
  description = "Database: reachable from the proxy only"
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_egress_rule" "worker_to_proxy" {
  security_group_id            = aws_security_group.worker.id
  referenced_security_group_id = aws_security_group.proxy.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  description                  = "PostgreSQL to RDS Proxy"
}

resource "aws_vpc_security_group_ingress_rule" "proxy_from_worker" {
  security_group_id            = aws_security_group.proxy.id
  referenced_security_group_id = aws_security_group.worker.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  description                  = "PostgreSQL from the worker"
}

resource "aws_vpc_security_group_egress_rule" "proxy_to_db" {
  security_group_id            = aws_security_group.proxy.id
  referenced_security_group_id = aws_security_group.db.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  description                  = "PostgreSQL to the database"
}

resource "aws_vpc_security_group_ingress_rule" "db_from_proxy" {
  security_group_id            = aws_security_group.db.id
  referenced_security_group_id = aws_security_group.proxy.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  description                  = "PostgreSQL from RDS Proxy"
}
