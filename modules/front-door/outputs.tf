output "url" {
  description = "Base URL clients use: https://<domain_name>[/<api_mapping_key>]."
  value       = "https://${var.domain_name}${var.api_mapping_key == null ? "" : "/${var.api_mapping_key}"}"
}

output "mode" {
  description = "\"cloudfront\" or \"custom_domain\"."
  value       = local.cloudfront ? "cloudfront" : "custom_domain"
}

output "certificate_arn" {
  description = "The ACM certificate serving domain_name (given or created)."
  value       = local.certificate_arn
}

output "dns_target" {
  description = "Where domain_name must point (alias target): { name, zone_id }. Use it when the module does not manage DNS."
  value = local.cloudfront ? {
    name    = aws_cloudfront_distribution.this[0].domain_name
    zone_id = aws_cloudfront_distribution.this[0].hosted_zone_id
    } : {
    name    = aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0].target_domain_name
    zone_id = aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0].hosted_zone_id
  }
}

output "distribution_id" {
  description = "CloudFront distribution id, or null without CloudFront."
  value       = local.cloudfront ? aws_cloudfront_distribution.this[0].id : null
}

output "distribution_arn" {
  description = "CloudFront distribution ARN, or null without CloudFront."
  value       = local.cloudfront ? aws_cloudfront_distribution.this[0].arn : null
}

output "origin_verify_header_name" {
  description = "Header CloudFront adds for the API to check (null without CloudFront)."
  value       = local.cloudfront ? var.origin_verify_header_name : null
}

output "api_domain_name_id" {
  description = "The API Gateway custom domain name, or null with CloudFront."
  value       = local.cloudfront ? null : aws_apigatewayv2_domain_name.this[0].id
}

output "access_logs_bucket" {
  description = "S3 bucket (us-east-1) receiving CloudFront access logs, or null."
  value       = local.logs ? aws_s3_bucket.logs[0].id : null
}

output "alarm_arns" {
  description = "Map of alarm ARNs (cloudfront_5xx_rate); empty when there is none."
  value       = module.alarms.arns
}
