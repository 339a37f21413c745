# Mocked AWS provider: no credentials, no network.
mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values; the blocks below are this file's own
  mock_resource "aws_acm_certificate" {
    defaults = {
      arn = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
      domain_validation_options = [{
        domain_name           = "api.example.com"
        resource_record_name  = "_abc.api.example.com."
        resource_record_type  = "CNAME"
        resource_record_value = "_def.acm-validations.aws."
      }]
    }
  }
  mock_resource "aws_apigatewayv2_domain_name" {
    defaults = { id = "api.example.com", arn = "arn:aws:apigateway:eu-west-1::/domainnames/api.example.com" }
  }
  mock_resource "aws_cloudfront_distribution" {
    defaults = {
      id             = "EDFDVBD6EXAMPLE"
      arn            = "arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE"
      domain_name    = "d111111abcdef8.cloudfront.net"
      hosted_zone_id = "Z2FDTNDATAQYW2"
    }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { id = "shop-edge-logs-20261202", arn = "arn:aws:s3:::shop-edge-logs-20261202" }
  }
  mock_resource "aws_cloudwatch_log_delivery_destination" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:delivery-destination:shop-cloudfront-s3" }
  }
}

variables {
  name            = "shop"
  api_endpoint    = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"
  domain_name     = "api.example.com"
  route53_zone_id = "Z0123456789ABCDEFGHIJ"
}

run "regional_custom_domain_with_created_certificate" {
  command = apply

  assert {
    condition = (
      aws_apigatewayv2_domain_name.this[0].domain_name == "api.example.com" &&
      aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0].endpoint_type == "REGIONAL" &&
      aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0].security_policy == "TLS_1_2"
    )
    error_message = "a regional custom domain with the TLS 1.2 policy"
  }
  assert {
    condition     = aws_apigatewayv2_api_mapping.this[0].api_id == "a1b2c3d4e5" && aws_apigatewayv2_api_mapping.this[0].stage == "$default" && aws_apigatewayv2_api_mapping.this[0].api_mapping_key == null
    error_message = "the API (id read from its endpoint) must be mapped at the root"
  }
  assert {
    condition     = aws_acm_certificate.this[0].domain_name == "api.example.com" && aws_acm_certificate.this[0].validation_method == "DNS"
    error_message = "without certificate_arn a DNS-validated certificate is created"
  }
  assert {
    condition     = aws_route53_record.validation[0].name == "_abc.api.example.com." && aws_route53_record.validation[0].type == "CNAME" && aws_route53_record.validation[0].records == toset(["_def.acm-validations.aws."])
    error_message = "the DNS validation record ACM asks for must be created in the zone"
  }
  assert {
    condition     = aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0].certificate_arn == aws_acm_certificate_validation.this[0].certificate_arn
    error_message = "the domain must wait for the validated certificate"
  }
  assert {
    condition = (
      aws_route53_record.regional[0].type == "A" && aws_route53_record.regional[0].zone_id == "Z0123456789ABCDEFGHIJ" &&
      one(aws_route53_record.regional[0].alias).name == aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0].target_domain_name
    )
    error_message = "an A alias to the custom domain's target"
  }
  assert {
    condition     = length(aws_cloudfront_distribution.this) == 0 && length(aws_s3_bucket.logs) == 0 && length(module.alarms.resources) == 0
    error_message = "no CloudFront pieces in custom-domain mode"
  }
  assert {
    condition     = output.url == "https://api.example.com" && output.mode == "custom_domain"
    error_message = "outputs wrong"
  }
}

run "given_certificate_no_dns_and_a_mapping_key" {
  command = apply
  variables {
    route53_zone_id = null
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
    stage_name      = "v1"
    api_mapping_key = "orders"
  }

  assert {
    condition     = length(aws_acm_certificate.this) == 0 && length(aws_route53_record.regional) == 0 && length(aws_route53_record.validation) == 0
    error_message = "a given certificate and no zone: nothing created in ACM or Route 53"
  }
  assert {
    condition     = aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0].certificate_arn == "arn:aws:acm:eu-west-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
    error_message = "the given certificate must be used"
  }
  assert {
    condition     = aws_apigatewayv2_api_mapping.this[0].stage == "v1" && aws_apigatewayv2_api_mapping.this[0].api_mapping_key == "orders" && output.url == "https://api.example.com/orders"
    error_message = "stage and mapping key must be applied"
  }
}

run "cloudfront_in_front" {
  command = apply
  override_data {
    target = data.aws_region.current
    values = { name = "us-east-1" }
  }
  variables {
    cloudfront_enabled   = true
    origin_verify_secret = "0123456789abcdefghijklmnopqrstuvwxyzABCD"
    web_acl_arn          = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/11111111-2222-3333-4444-555555555555"
    alarm_actions        = ["arn:aws:sns:us-east-1:123456789012:alarms"]
  }

  assert {
    condition = (
      one(aws_cloudfront_distribution.this[0].origin).domain_name == "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com" &&
      one(aws_cloudfront_distribution.this[0].origin).origin_path == "" &&
      one(one(aws_cloudfront_distribution.this[0].origin).custom_origin_config).origin_protocol_policy == "https-only" &&
      one(one(aws_cloudfront_distribution.this[0].origin).custom_origin_config).origin_ssl_protocols == toset(["TLSv1.2"])
    )
    error_message = "the API's default endpoint (in its own Region) over HTTPS/TLS 1.2 only is the origin"
  }
  assert {
    condition     = one(one(aws_cloudfront_distribution.this[0].origin).custom_header).name == "X-Origin-Verify" && one(one(aws_cloudfront_distribution.this[0].origin).custom_header).value == "0123456789abcdefghijklmnopqrstuvwxyzABCD"
    error_message = "CloudFront must send the origin-verify header"
  }
  assert {
    condition = (
      aws_cloudfront_distribution.this[0].default_cache_behavior[0].cache_policy_id == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" &&
      aws_cloudfront_distribution.this[0].default_cache_behavior[0].origin_request_policy_id == "b689b0a8-53d0-40ab-baf2-68738e2966ac" &&
      aws_cloudfront_distribution.this[0].default_cache_behavior[0].viewer_protocol_policy == "https-only" &&
      length(aws_cloudfront_distribution.this[0].default_cache_behavior[0].allowed_methods) == 7
    )
    error_message = "caching disabled, all viewer values but Host forwarded, all methods, HTTPS only"
  }
  assert {
    condition = (
      aws_cloudfront_distribution.this[0].viewer_certificate[0].minimum_protocol_version == "TLSv1.2_2021" &&
      aws_cloudfront_distribution.this[0].viewer_certificate[0].ssl_support_method == "sni-only" &&
      aws_cloudfront_distribution.this[0].viewer_certificate[0].acm_certificate_arn == aws_acm_certificate_validation.this[0].certificate_arn &&
      aws_cloudfront_distribution.this[0].aliases == toset(["api.example.com"])
    )
    error_message = "viewer TLS 1.2+ with the validated certificate for the alias"
  }
  assert {
    condition     = aws_cloudfront_distribution.this[0].web_acl_id == "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/11111111-2222-3333-4444-555555555555"
    error_message = "the web ACL must be attached"
  }
  assert {
    condition     = toset([for r in aws_route53_record.edge : r.type]) == toset(["A", "AAAA"]) && alltrue([for r in aws_route53_record.edge : one(r.alias).name == "d111111abcdef8.cloudfront.net" && one(r.alias).zone_id == "Z2FDTNDATAQYW2"])
    error_message = "A and AAAA aliases to the distribution"
  }
  assert {
    condition     = length(aws_apigatewayv2_domain_name.this) == 0 && length(aws_apigatewayv2_api_mapping.this) == 0
    error_message = "no regional custom domain behind CloudFront (it would be a second way in)"
  }
  # Log bucket: private, encrypted, TLS-only, expiring; delivery from this account's sources only.
  assert {
    condition = (
      aws_s3_bucket_public_access_block.logs[0].block_public_acls && aws_s3_bucket_public_access_block.logs[0].block_public_policy &&
      aws_s3_bucket_public_access_block.logs[0].ignore_public_acls && aws_s3_bucket_public_access_block.logs[0].restrict_public_buckets &&
      one(one(aws_s3_bucket_server_side_encryption_configuration.logs[0].rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256" &&
      aws_s3_bucket_lifecycle_configuration.logs[0].rule[0].expiration[0].days == 90
    )
    error_message = "log bucket must block public access, encrypt and expire"
  }
  assert {
    condition = (
      jsondecode(aws_s3_bucket_policy.logs[0].policy).Statement[0].Effect == "Deny" &&
      jsondecode(aws_s3_bucket_policy.logs[0].policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false" &&
      jsondecode(aws_s3_bucket_policy.logs[0].policy).Statement[1].Principal.Service == "delivery.logs.amazonaws.com" &&
      jsondecode(aws_s3_bucket_policy.logs[0].policy).Statement[1].Condition.StringEquals["aws:SourceAccount"] == "123456789012" &&
      jsondecode(aws_s3_bucket_policy.logs[0].policy).Statement[1].Condition.ArnLike["aws:SourceArn"] == "arn:aws:logs:us-east-1:123456789012:delivery-source:*"
    )
    error_message = "bucket policy: TLS only, log delivery from this account's delivery sources only"
  }
  assert {
    condition     = aws_cloudwatch_log_delivery_source.this[0].log_type == "ACCESS_LOGS" && aws_cloudwatch_log_delivery_source.this[0].resource_arn == "arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE"
    error_message = "standard logging v2 from the distribution"
  }
  assert {
    condition = (
      module.alarms.resources["cloudfront_5xx_rate"].namespace == "AWS/CloudFront" && module.alarms.resources["cloudfront_5xx_rate"].metric_name == "5xxErrorRate" &&
      module.alarms.resources["cloudfront_5xx_rate"].dimensions == tomap({ DistributionId = "EDFDVBD6EXAMPLE", Region = "Global" }) &&
      module.alarms.resources["cloudfront_5xx_rate"].threshold == 5 && module.alarms.resources["cloudfront_5xx_rate"].treat_missing_data == "notBreaching" &&
      module.alarms.resources["cloudfront_5xx_rate"].alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:alarms"])
    )
    error_message = "5xx error-rate alarm on the distribution"
  }
  assert {
    condition     = output.mode == "cloudfront" && output.distribution_id == "EDFDVBD6EXAMPLE" && output.dns_target.zone_id == "Z2FDTNDATAQYW2"
    error_message = "outputs wrong"
  }
}

run "cloudfront_named_stage_is_the_origin_path" {
  command = plan
  override_data {
    target = data.aws_region.current
    values = { name = "us-east-1" }
  }
  variables {
    cloudfront_enabled   = true
    origin_verify_secret = "0123456789abcdefghijklmnopqrstuvwxyzABCD"
    stage_name           = "prod"
    access_logs_enabled  = false
    alarms_enabled       = false
  }

  assert {
    condition     = one(aws_cloudfront_distribution.this[0].origin).origin_path == "/prod" && length(aws_s3_bucket.logs) == 0 && length(module.alarms.resources) == 0
    error_message = "a named stage is the origin path; logs and alarms can be turned off"
  }
}

run "rejects_cloudfront_without_secret" {
  command = plan
  override_data {
    target = data.aws_region.current
    values = { name = "us-east-1" }
  }
  variables {
    cloudfront_enabled = true
  }
  expect_failures = [aws_cloudfront_distribution.this]
}

run "rejects_cloudfront_outside_us_east_1" {
  command = plan
  variables {
    cloudfront_enabled   = true
    origin_verify_secret = "0123456789abcdefghijklmnopqrstuvwxyzABCD"
  }
  expect_failures = [aws_cloudfront_distribution.this]
}

run "rejects_custom_domain_in_another_region" {
  command = plan
  override_data {
    target = data.aws_region.current
    values = { name = "us-east-1" }
  }
  expect_failures = [aws_apigatewayv2_domain_name.this]
}

run "rejects_no_certificate_and_no_zone" {
  command = plan
  variables {
    route53_zone_id = null
  }
  expect_failures = [aws_apigatewayv2_domain_name.this]
}

run "rejects_malformed_inputs" {
  command = plan
  variables {
    api_endpoint              = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod"
    domain_name               = "*.example.com"
    web_acl_arn               = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/11111111-2222-3333-4444-555555555555"
    alarm_actions             = ["arn:aws:sns:eu-west-1:123456789012:alarms"]
    origin_verify_secret      = "short"
    origin_verify_header_name = "Host"
  }
  expect_failures = [var.api_endpoint, var.domain_name, var.web_acl_arn, var.alarm_actions, var.origin_verify_secret, var.origin_verify_header_name]
}
