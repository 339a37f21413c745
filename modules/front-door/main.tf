# A front door for an HTTP API: a custom domain name, either
#  - an API Gateway regional custom domain (cloudfront_enabled = false; the module's aws
#    provider is the API's Region), or
#  - a CloudFront distribution with the API as its origin (cloudfront_enabled = true; the
#    module's aws provider is us-east-1, where CloudFront's certificate, logs and metrics are),
# with its ACM certificate (given or DNS-validated in Route 53) and an optional alias record.

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  cloudfront         = var.cloudfront_enabled
  create_certificate = var.certificate_arn == null && var.route53_zone_id != null
  dns_records        = var.route53_zone_id != null && var.create_dns_records

  # The API's default endpoint, the CloudFront origin: {api-id}.execute-api.{region}.amazonaws.com.
  api_host   = trimprefix(var.api_endpoint, "https://")
  api_id     = split(".", local.api_host)[0]
  api_region = split(".", local.api_host)[2]
  # A named stage is part of the default endpoint's path; $default serves at the root.
  origin_path = var.stage_name == "$default" ? "" : "/${var.stage_name}"

  certificate_arn = local.create_certificate ? aws_acm_certificate_validation.this[0].certificate_arn : var.certificate_arn
}
