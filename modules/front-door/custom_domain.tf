# API Gateway regional custom domain (HTTP APIs support regional custom domains only; TLS 1.2
# security policy; "Custom domain names for HTTP APIs") and the mapping of the API's stage.

resource "aws_apigatewayv2_domain_name" "this" {
  count = local.cloudfront ? 0 : 1

  domain_name = var.domain_name

  domain_name_configuration {
    certificate_arn = local.certificate_arn
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = local.api_region == data.aws_region.current.name
      error_message = "The custom domain must be created in the API's Region (${local.api_region}); the module's aws provider is in ${data.aws_region.current.name}."
    }
    precondition {
      condition     = var.certificate_arn == null || can(regex(":acm:${data.aws_region.current.name}:", coalesce(var.certificate_arn, "-")))
      error_message = "certificate_arn must be in the API's Region (${data.aws_region.current.name}) for a regional custom domain."
    }
    precondition {
      condition     = var.certificate_arn != null || var.route53_zone_id != null
      error_message = "The custom domain needs a certificate: set certificate_arn (ACM, in the API's Region) or route53_zone_id (the module then creates a DNS-validated one)."
    }
  }
}

resource "aws_apigatewayv2_api_mapping" "this" {
  count = local.cloudfront ? 0 : 1

  api_id          = local.api_id
  domain_name     = aws_apigatewayv2_domain_name.this[0].id
  stage           = var.stage_name
  api_mapping_key = var.api_mapping_key
}
