# An HTTP API behind CloudFront: edge TLS 1.2+, caching off, a secret origin header that the
# API enforces with a Lambda REQUEST authorizer (lambda_src/origin_verify) on every route, an
# optional WAF web ACL, access logs to S3 and a 5xx-rate alarm.
# CloudFront's certificate, log delivery and metrics are in us-east-1, so the front door runs
# with a us-east-1 provider; here the API is in us-east-1 too, so one provider serves both. For
# an API in another Region, give front_door providers = { aws = aws.us_east_1 }.
# Build the zip first: `make build` (writes build/origin_verify.zip at the repository root).
provider "aws" {
  region = "us-east-1"
}

variable "backend_url" {
  type        = string
  description = "Backend the example API proxies to (any route kind works the same way)."
  default     = "https://legacy.example.com"
}

variable "zone_id" {
  type        = string
  description = "Route 53 hosted zone of example.com."
  default     = "Z0123456789ABCDEFGHIJ"
}

variable "origin_verify_secret" {
  type        = string
  description = "Secret CloudFront sends in X-Origin-Verify (e.g. `openssl rand -base64 48`); pass it with TF_VAR_origin_verify_secret, never commit it."
  sensitive   = true
  default     = "example-only-0123456789abcdefghijklmnopqrstuvwxyz"
}

variable "web_acl_arn" {
  type        = string
  description = "Optional CLOUDFRONT-scope WAF web ACL."
  default     = null
}

locals {
  # One name for the header CloudFront adds, the authorizer's identity source and the function's check.
  origin_verify_header = "X-Origin-Verify"
}

# The secret CloudFront sends, where the authorizer reads it (an SSM SecureString; a Secrets
# Manager secret works the same). Rotation: put the old value in a second parameter, pass it as
# secrets.origin_verify_previous, change origin_verify_secret, drop the old one once CloudFront
# has deployed.
resource "aws_ssm_parameter" "origin_verify" {
  #checkov:skip=CKV_AWS_337: the example encrypts with the AWS managed key aws/ssm; a CMK is the caller's choice (key_id here and secrets_kms_key_arn on modules/function for kms:Decrypt)
  name  = "/example-api/origin-verify"
  type  = "SecureString"
  value = var.origin_verify_secret
}

module "origin_verify" {
  source = "../../../function"

  name          = "example-api-origin-verify"
  zip_path      = "${path.module}/../../../../build/origin_verify.zip"
  handler       = "origin_verify.handler"
  memory_size   = 128
  timeout       = 3
  secrets       = { origin_verify = aws_ssm_parameter.origin_verify.arn }
  environment   = { ORIGIN_VERIFY_HEADER = local.origin_verify_header }
  alarm_actions = ["arn:aws:sns:us-east-1:123456789012:alarms"]
}

module "api" {
  source = "../../../http-api"

  name = "example-api"
  # Every route is CUSTOM: a request that does not come through CloudFront (no header: 401,
  # wrong value: 403) never reaches a backend.
  routes = {
    "$default" = { kind = "http_proxy", target = "app", authorization = "CUSTOM" }
  }
  http_backends = { app = { url = var.backend_url } }
  lambda_authorizer = {
    function_arn     = module.origin_verify.function_arn
    invoke_arn       = module.origin_verify.invoke_arn
    identity_sources = ["$request.header.${local.origin_verify_header}"] # cache key: its value
  }
  alarm_actions = ["arn:aws:sns:us-east-1:123456789012:alarms"]
}

module "front_door" {
  source = "../.."

  name                      = "example-api"
  api_endpoint              = module.api.api_endpoint
  domain_name               = "api.example.com"
  route53_zone_id           = var.zone_id
  cloudfront_enabled        = true
  origin_verify_header_name = local.origin_verify_header
  origin_verify_secret      = var.origin_verify_secret
  web_acl_arn               = var.web_acl_arn
  alarm_actions             = ["arn:aws:sns:us-east-1:123456789012:alarms"]
}

output "url" {
  description = "Base URL of the API."
  value       = module.front_door.url
}

output "distribution_id" {
  description = "CloudFront distribution id."
  value       = module.front_door.distribution_id
}
