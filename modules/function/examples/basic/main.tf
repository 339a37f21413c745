# The ping function (lambda_src/ping) with the Powertools layer and alarms.
# Build the zip first: `make build` (writes build/ping.zip at the repository root).
provider "aws" {
  region = "eu-west-1"
}

variable "name" {
  type        = string
  description = "Function name."
  default     = "storefirst-example-ping"
}

variable "timeout" {
  type        = number
  description = "Function timeout in seconds."
  default     = 10
}

module "ping" {
  source = "../.."

  name         = var.name
  zip_path     = "${path.module}/../../../../build/ping.zip"
  handler      = "ping.handler"
  runtime      = "python3.12"
  architecture = "arm64"
  memory_size  = 128
  timeout      = var.timeout
  environment  = { LOG_LEVEL = "INFO" }
  tags         = { example = "function-basic" }
}

output "function_arn" {
  description = "ARN of the ping function."
  value       = module.ping.function_arn
}

output "log_group_name" {
  description = "Where its logs go."
  value       = module.ping.log_group_name
}
