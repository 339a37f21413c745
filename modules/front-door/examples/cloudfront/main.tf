# The same API behind CloudFront: edge TLS 1.2+, caching off, a secret origin header the API
# checks, an optional WAF web ACL, access logs to S3 and a 5xx-rate alarm.
# CloudFront's certificate, log delivery and metrics are in us-east-1, so the module runs with a
# us-east-1 provider; the API (eu-west-1 here) is only named by its endpoint. In a root that also
# has the API's Region, pass it as providers = { aws = aws.us_east_1 }.
provider "aws" {
  region = "us-east-1"
}

variable "api_endpoint" {
  type        = string
  description = "Default endpoint of the HTTP API to serve (modules/http-api output api_endpoint)."
  default     = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"
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

module "front_door" {
  source = "../.."

  name                 = "example-api"
  api_endpoint         = var.api_endpoint
  domain_name          = "api.example.com"
  route53_zone_id      = var.zone_id
  cloudfront_enabled   = true
  origin_verify_secret = var.origin_verify_secret
  web_acl_arn          = var.web_acl_arn
  alarm_actions        = ["arn:aws:sns:us-east-1:123456789012:alarms"]
}

output "url" {
  description = "Base URL of the API."
  value       = module.front_door.url
}

output "distribution_id" {
  description = "CloudFront distribution id."
  value       = module.front_door.distribution_id
}
