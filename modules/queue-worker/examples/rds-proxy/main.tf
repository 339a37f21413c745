# A queue worker writing to PostgreSQL through RDS Proxy with IAM authentication, its
# concurrency capped from the database's connection budget (budget.tf).
# Build the zips first: `make build`. The handler is build/db_writer.zip (lambda_src/db_writer);
# create its table with schema.sql before sending traffic (README.md).
provider "aws" {
  region = var.region
}

variable "region" {
  type        = string
  description = "AWS Region."
  default     = "eu-west-1"
}

variable "name" {
  type        = string
  description = "Name prefix of every resource."
  default     = "storefirst-example-db"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 characters of a-z, 0-9 and '-', starting with a letter (RDS identifiers are lower case)."
  }
}

variable "availability_zones" {
  type        = list(string)
  description = "Two or more AZs for the private subnets (RDS Proxy needs subnets in at least two AZs). Given, not looked up, so the example plans offline."
  default     = ["eu-west-1a", "eu-west-1b"]

  validation {
    condition     = length(var.availability_zones) >= 2 && length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "availability_zones: at least two distinct AZs."
  }
}

variable "vpc_cidr" {
  type        = string
  description = "CIDR of the example's VPC; each AZ gets a /24 from it."
  default     = "10.42.0.0/16"

  validation {
    condition     = can(cidrsubnet(var.vpc_cidr, 8, 0))
    error_message = "vpc_cidr must be an IPv4 CIDR of /16 to /24 width."
  }
}

variable "db_instance_class" {
  type        = string
  description = "RDS instance class of the database."
  default     = "db.t4g.micro"
}

variable "db_name" {
  type        = string
  description = "Database the worker writes to."
  default     = "app"
}

variable "db_username" {
  type        = string
  description = "Database user the proxy authenticates (the RDS-managed master secret here; see README for a least-privilege app user) and the worker connects as."
  default     = "app_admin"
}

variable "deletion_protection" {
  type        = bool
  description = "Deletion protection of the database (false only for throwaway stacks)."
  default     = true
}
