provider "aws" {
  region = "eu-west-1"
}

# POST /customers runs the customer sign-up EXPRESS state machine synchronously: 200 with its
# output, 400/409 for the errors its Fail states name, 500/504 for faults and time-outs.

variable "state_machine_arn" {
  type        = string
  description = "ARN of an EXPRESS state machine (e.g. modules/workflow's examples/sync-write)."
  default     = "arn:aws:states:eu-west-1:123456789012:stateMachine:customer-signup"
}

module "api" {
  source = "../.."

  name          = "customers"
  authorization = "NONE" # a public sign-up form; throttled
  routes = {
    customers = {
      state_machine_arn = var.state_machine_arn
      client_errors     = { ValidationError = 400, AlreadyExists = 409 }
    }
  }
  throttle = { rate_limit = 20, burst_limit = 40 }
  # The stage's logs wait for the account's CloudWatch role (apigateway_account.tf).
  logging_role_ready = aws_api_gateway_account.this.cloudwatch_role_arn
}

output "customers_url" {
  description = "POST a customer here."
  value       = module.api.route_urls["customers"]
}

output "response_templates" {
  description = "The rendered response templates (tests render them with storefirst.vtl)."
  value       = module.api.response_templates
}

output "request_templates" {
  description = "The rendered request templates."
  value       = module.api.request_templates
}
