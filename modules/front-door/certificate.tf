# ACM certificate for domain_name, when none is given: DNS validation records in the zone,
# then aws_acm_certificate_validation waits until ACM issues it. It is created with the
# module's provider: the API's Region for the custom domain, us-east-1 for CloudFront (which
# only accepts certificates from us-east-1, "Requirements for using SSL/TLS certificates with
# CloudFront").

resource "aws_acm_certificate" "this" {
  count = local.create_certificate ? 1 : 0

  domain_name       = var.domain_name
  validation_method = "DNS"
  key_algorithm     = "RSA_2048"
  tags              = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

locals {
  # One name, one validation record; keyed by the (known) domain name so the plan can count it.
  validation_option = local.create_certificate ? one([for o in aws_acm_certificate.this[0].domain_validation_options : o if o.domain_name == var.domain_name]) : null
}

resource "aws_route53_record" "validation" {
  count = local.create_certificate ? 1 : 0

  zone_id         = var.route53_zone_id
  name            = local.validation_option.resource_record_name
  type            = local.validation_option.resource_record_type
  records         = [local.validation_option.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  count = length(aws_acm_certificate.this)

  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = aws_route53_record.validation[*].fqdn
}
