variable "name" {
  type        = string
  description = "Name prefix of what the module creates (log bucket prefix, delivery names, alarms)."

  validation {
    # The log bucket is named by bucket_prefix "<name>-edge-logs-" (S3 allows 37 characters of prefix).
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,24}$", var.name))
    error_message = "name must be 1-25 characters of a-z, 0-9 and '-', starting with a letter or digit (it prefixes an S3 bucket name)."
  }
}

variable "api_endpoint" {
  type        = string
  description = "Default endpoint of the HTTP API behind the front door, https://{api_id}.execute-api.{region}.amazonaws.com (modules/http-api output api_endpoint). The API id and Region are read from it."

  validation {
    condition     = can(regex("^https://[a-z0-9]{10}\\.execute-api\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?$", var.api_endpoint))
    error_message = "api_endpoint must be an HTTP API default endpoint such as https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com (no path, no trailing '/')."
  }
}

variable "stage_name" {
  type        = string
  description = "Stage the domain serves. \"$default\" serves at the root; a named stage is mapped (custom domain) or used as origin path (CloudFront)."
  default     = "$default"

  validation {
    condition     = var.stage_name == "$default" || can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))
    error_message = "stage_name must be \"$default\" or 1-128 characters of A-Z, a-z, 0-9, '-' and '_'."
  }
}

variable "domain_name" {
  type        = string
  description = "Public host name clients use, e.g. api.example.com (lower case, no wildcard)."

  validation {
    condition     = length(var.domain_name) <= 253 && can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be a lower-case fully qualified host name such as api.example.com (no wildcard, no trailing dot)."
  }
}

variable "route53_zone_id" {
  type        = string
  description = "Route 53 public hosted zone holding domain_name. When set, the module creates the alias record(s) and, without certificate_arn, a DNS-validated ACM certificate. null = you manage DNS."
  default     = null

  validation {
    condition     = var.route53_zone_id == null || can(regex("^Z[A-Z0-9]{1,31}$", var.route53_zone_id))
    error_message = "route53_zone_id must be a hosted zone id such as Z0123456789ABCDEFGHIJ."
  }
}

variable "create_dns_records" {
  type        = bool
  description = "Create the A (and, with CloudFront, AAAA) alias record for domain_name in route53_zone_id."
  default     = true
}

variable "certificate_arn" {
  type        = string
  description = "Existing ACM certificate for domain_name: in the API's Region for the custom domain, in us-east-1 when cloudfront_enabled. null = create one, validated through route53_zone_id."
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]{36}$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>)."
  }
}

variable "api_mapping_key" {
  type        = string
  description = "Path under the custom domain at which the API is mapped (null = the root). Custom-domain mode only."
  default     = null

  validation {
    condition     = var.api_mapping_key == null || can(regex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$", var.api_mapping_key))
    error_message = "api_mapping_key must be null or a path such as v1 or orders/v2 (no leading or trailing '/')."
  }
}

# --- CloudFront -----------------------------------------------------------------------------------

variable "cloudfront_enabled" {
  type        = bool
  description = "Serve domain_name from a CloudFront distribution in front of the API (edge TLS, WAF, HTTP/3) instead of an API Gateway regional custom domain. CloudFront's certificate, log delivery and metrics live in us-east-1: the module must then be given an aws provider for us-east-1 (providers = { aws = aws.us_east_1 })."
  default     = false
}

variable "price_class" {
  type        = string
  description = "CloudFront price class: which edge locations serve (PriceClass_100 = North America and Europe, the cheapest)."
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "web_acl_arn" {
  type        = string
  description = "AWS WAF web ACL (scope CLOUDFRONT, so created in us-east-1) to attach to the distribution. null = none. HTTP APIs cannot be associated with WAF directly."
  default     = null

  validation {
    condition     = var.web_acl_arn == null || can(regex("^arn:aws[a-z-]*:wafv2:us-east-1:[0-9]{12}:global/webacl/[A-Za-z0-9_-]+/[0-9a-f-]{36}$", var.web_acl_arn))
    error_message = "web_acl_arn must be a WAFv2 web ACL ARN of scope CLOUDFRONT: arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>."
  }
}

variable "origin_verify_header_name" {
  type        = string
  description = "Header CloudFront adds to every request it sends to the API, carrying origin_verify_secret. The API must check it: modules/http-api lambda_authorizer with lambda_src/origin_verify on every route (see README: what enforces it)."
  default     = "X-Origin-Verify"

  validation {
    condition     = can(regex("^[A-Za-z0-9-]{1,64}$", var.origin_verify_header_name)) && !contains(["host", "authorization", "x-forwarded-for", "via", "x-amz-cf-id", "connection", "content-length"], lower(var.origin_verify_header_name))
    error_message = "origin_verify_header_name must be 1-64 letters, digits and '-', and not a header CloudFront or HTTP reserves (Host, Authorization, X-Forwarded-For, Via, X-Amz-Cf-Id, Connection, Content-Length)."
  }
}

variable "origin_verify_secret" {
  type        = string
  description = "Secret value of origin_verify_header_name (32-256 characters; rotate by changing it and the API's check together). Required with cloudfront_enabled. It is stored in the distribution's configuration and in Terraform state."
  default     = null
  sensitive   = true

  validation {
    condition     = var.origin_verify_secret == null || can(regex("^[A-Za-z0-9+/=_.~-]{32,256}$", var.origin_verify_secret))
    error_message = "origin_verify_secret must be 32-256 characters of A-Z, a-z, 0-9 and + / = _ . ~ - (e.g. `openssl rand -base64 48`)."
  }
}

variable "access_logs_enabled" {
  type        = bool
  description = "CloudFront standard logging (v2) to an S3 bucket the module creates (encrypted, TLS-only, public access blocked, expiring)."
  default     = true
}

variable "access_logs_retention_days" {
  type        = number
  description = "Days before access log objects expire."
  default     = 90

  validation {
    condition     = var.access_logs_retention_days >= 1 && var.access_logs_retention_days <= 3650 && floor(var.access_logs_retention_days) == var.access_logs_retention_days
    error_message = "access_logs_retention_days must be a whole number from 1 to 3650."
  }
}

# --- Alarms (CloudFront mode) ---------------------------------------------------------------------

variable "alarms_enabled" {
  type        = bool
  description = "Create the CloudFront 5xx error-rate alarm (us-east-1). The API's own alarms come from modules/http-api."
  default     = true
}

variable "alarm_actions" {
  type        = list(string)
  description = "SNS topic ARNs notified on ALARM and OK. The CloudFront alarm lives in us-east-1 and can notify topics of that Region only."
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_actions : can(regex("^arn:aws[a-z-]*:sns:us-east-1:[0-9]{12}:[A-Za-z0-9_-]+$", a))])
    error_message = "alarm_actions must be SNS topic ARNs in us-east-1 (CloudFront's metrics and alarms are in us-east-1)."
  }
}

variable "error_rate_5xx_threshold" {
  type        = number
  description = "Alarm when CloudFront's 5xxErrorRate (percent of all requests) averages at least this over an alarm period."
  default     = 5

  validation {
    condition     = var.error_rate_5xx_threshold > 0 && var.error_rate_5xx_threshold <= 100
    error_message = "error_rate_5xx_threshold must be a percentage above 0 and at most 100."
  }
}

variable "alarm_period_seconds" {
  type        = number
  description = "Period of the alarm (60 or a multiple of 60)."
  default     = 300

  validation {
    condition     = var.alarm_period_seconds >= 60 && var.alarm_period_seconds % 60 == 0
    error_message = "alarm_period_seconds must be 60 or a multiple of 60."
  }
}

variable "alarm_evaluation_periods" {
  type        = number
  description = "Consecutive periods above the threshold before alarming."
  default     = 2

  validation {
    condition     = var.alarm_evaluation_periods >= 1 && var.alarm_evaluation_periods <= 24 && floor(var.alarm_evaluation_periods) == var.alarm_evaluation_periods
    error_message = "alarm_evaluation_periods must be a whole number from 1 to 24."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource the module creates."
  default     = {}
}
