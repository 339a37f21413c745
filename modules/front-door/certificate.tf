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

resource "aws_route53_record" "validation" {
  for_each = { for o in flatten(aws_acm_certificate.this[*].domain_validation_options) : o.domain_name => o }

  zone_id         = var.route53_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  count = length(aws_acm_certificate.this)

  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
}
