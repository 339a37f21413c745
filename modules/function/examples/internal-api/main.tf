# Internal API + cold starts + secrets: the pricing function (SnapStart, alias "live") is
# invoked directly by another service's role; the users API reads an API key from SSM by ARN.
# Build the zips first: `make build` (writes build/*.zip at the repository root).
provider "aws" {
  region = "eu-west-1"
}

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name."
  default     = "storefirst-example"
}

variable "snap_start" {
  type        = bool
  description = "SnapStart on the pricing function."
  default     = true
}

variable "provisioned_concurrency" {
  type        = number
  description = "Provisioned concurrency on the pricing function's alias (0 = none; excludes SnapStart)."
  default     = 0
}

variable "reserved_concurrency" {
  type        = number
  description = "Reserved concurrency of the pricing function (null = unreserved)."
  default     = null
}

variable "api_key_parameter_arn" {
  type        = string
  description = "ARN of the SecureString parameter holding the users API key (created outside Terraform, so its value is not in state)."
  default     = "arn:aws:ssm:eu-west-1:123456789012:parameter/storefirst-example/users-api-key"
}

variable "users_table_arn" {
  type        = string
  description = "ARN of the users table (pk = USER#<id>, GSI gsi1 on last_name)."
  default     = "arn:aws:dynamodb:eu-west-1:123456789012:table/storefirst-example-users"
}

module "pricing" {
  source = "../.."

  name                    = "${var.name_prefix}-internal-pricing"
  zip_path                = "${path.module}/../../../../build/internal_pricing.zip"
  handler                 = "internal_pricing.handler"
  memory_size             = 512
  timeout                 = 10
  snap_start              = var.snap_start
  provisioned_concurrency = var.provisioned_concurrency
  reserved_concurrency    = var.reserved_concurrency
  tags                    = { example = "function-internal-api" }
}

module "users_api" {
  source = "../.."

  name        = "${var.name_prefix}-users-api"
  zip_path    = "${path.module}/../../../../build/users_api.zip"
  handler     = "users_api.handler"
  memory_size = 512
  timeout     = 10
  secrets     = { api_key = var.api_key_parameter_arn }
  environment = {
    USERS_TABLE        = element(split("/", var.users_table_arn), 1)
    CORS_ALLOW_ORIGINS = "https://app.example.com"
  }
  policy_statements = [{
    sid       = "ReadUsers"
    actions   = ["dynamodb:GetItem", "dynamodb:Query"]
    resources = [var.users_table_arn, "${var.users_table_arn}/index/gsi1"]
  }]
  tags = { example = "function-internal-api" }
}

# "Another service": any role can carry the invoker policy (here one a Lambda function would use).
resource "aws_iam_role" "orders" {
  name = "${var.name_prefix}-orders-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "orders_invoke_pricing" {
  name   = "invoke-pricing"
  role   = aws_iam_role.orders.id
  policy = module.pricing.invoker_policy_json
}

output "pricing_invoke_target_arn" {
  description = "What the orders service passes to Invoke (the alias ARN)."
  value       = module.pricing.invoke_target_arn
}

output "users_api_route_target" {
  description = "Entry for modules/http-api `functions`."
  value       = module.users_api.api_target
}
