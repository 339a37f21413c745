# CloudFront in front of the HTTP API. Caching is off (every request reaches the API: writes
# must, and reads carry per-caller auth); the viewer's headers, cookies and query strings go to
# the origin except Host, which must be the API's own host name for API Gateway to route it.

locals {
  # AWS managed policies ("Use managed cache policies", "Use managed origin request policies",
  # "Use managed response headers policies", CloudFront Developer Guide).
  cache_policy_caching_disabled                = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
  origin_request_policy_all_viewer_except_host = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
  response_headers_policy_security_headers     = "67f7725c-6f97-4210-82d7-5512b31e9d03"
  origin_id                                    = "http-api"
}

resource "aws_cloudfront_distribution" "this" {
  count = local.cloudfront ? 1 : 0

  #checkov:skip=CKV_AWS_86: Access logs use standard logging v2 (aws_cloudwatch_log_delivery in logging.tf, on by default), not the legacy logging_config block this check reads.
  #checkov:skip=CKV_AWS_68: WAF is an option (web_acl_arn): a web ACL costs per ACL, rule and request and its rules are per application.
  #checkov:skip=CKV2_AWS_47: Follows from CKV_AWS_68: the Log4j managed rule belongs to the caller's web ACL.
  #checkov:skip=CKV_AWS_310: One origin: an API Gateway endpoint is already multi-AZ; a failover origin group needs a second Region's API.
  #checkov:skip=CKV2_AWS_46: Not an S3 origin.
  #checkov:skip=CKV_AWS_305: An API has no root object; "/" must reach the API's routes.
  #checkov:skip=CKV_AWS_374: Geo restriction is a business choice, not a default.
  #checkov:skip=CKV2_AWS_32: A response headers policy is attached: the AWS managed SecurityHeadersPolicy, by id (the check only recognises a policy resource).
  enabled         = true
  comment         = "${var.name}: front door of HTTP API ${local.api_id}"
  aliases         = [var.domain_name]
  price_class     = var.price_class
  http_version    = "http2and3"
  is_ipv6_enabled = true
  web_acl_id      = var.web_acl_arn

  origin {
    origin_id   = local.origin_id
    domain_name = local.api_host
    origin_path = local.origin_path

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
      # HTTP API integrations time out at 30 s; CloudFront's default wait is also 30 s.
      origin_read_timeout      = 30
      origin_keepalive_timeout = 5
    }

    # Proof that a request came through this distribution (see README: the API must check it).
    custom_header {
      name  = var.origin_verify_header_name
      value = var.origin_verify_secret
    }
  }

  default_cache_behavior {
    target_origin_id           = local.origin_id
    allowed_methods            = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
    cached_methods             = ["GET", "HEAD"]
    viewer_protocol_policy     = "https-only" # a redirect would turn a POST into a GET for many clients
    cache_policy_id            = local.cache_policy_caching_disabled
    origin_request_policy_id   = local.origin_request_policy_all_viewer_except_host
    response_headers_policy_id = local.response_headers_policy_security_headers
    compress                   = true
  }

  viewer_certificate {
    acm_certificate_arn      = local.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = data.aws_region.current.name == "us-east-1"
      error_message = "With cloudfront_enabled the module needs an aws provider in us-east-1 (CloudFront's ACM certificate, log delivery source and metrics are there): pass providers = { aws = aws.us_east_1 }. It is in ${data.aws_region.current.name}."
    }
    precondition {
      condition     = var.origin_verify_secret != null
      error_message = "cloudfront_enabled needs origin_verify_secret (32-256 characters): the header that lets the API tell CloudFront's requests from direct ones."
    }
    precondition {
      condition     = var.certificate_arn != null || var.route53_zone_id != null
      error_message = "CloudFront needs a certificate: set certificate_arn (ACM, in us-east-1) or route53_zone_id (the module then creates a DNS-validated one in us-east-1)."
    }
    precondition {
      condition     = var.certificate_arn == null || can(regex(":acm:us-east-1:", coalesce(var.certificate_arn, "-")))
      error_message = "certificate_arn must be in us-east-1 for CloudFront (got ${coalesce(var.certificate_arn, "-")})."
    }
    precondition {
      condition     = var.api_mapping_key == null
      error_message = "api_mapping_key applies to the regional custom domain only; with CloudFront the whole distribution serves the API (use stage_name for a named stage)."
    }
  }
}
