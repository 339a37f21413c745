variable "name" {
  type        = string
  description = "Prefix for every resource name (API, role, log group, alarms)."

  validation {
    condition     = can(regex("^[A-Za-z0-9-]{1,40}$", var.name))
    error_message = "name must be 1-40 characters of A-Z a-z 0-9 -."
  }
}

variable "catalog_path" {
  type        = string
  description = "Path of the operations catalog (YAML or JSON) the API is generated from, e.g. \"$${path.root}/../catalogs/users.yaml\"."

  validation {
    condition     = can(regex("\\.(ya?ml|json)$", var.catalog_path))
    error_message = "catalog_path must name a .yaml, .yml or .json file."
  }
}

variable "table" {
  type = object({
    name        = string
    arn         = string
    kms_key_arn = optional(string)
  })
  description = "The DynamoDB table the catalog addresses (e.g. module.table outputs). kms_key_arn: the table's customer managed key, if any."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/", var.table.arn))
    error_message = "table.arn must be a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)."
  }

  validation {
    condition     = var.table.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.table.kms_key_arn))
    error_message = "table.kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>), not an alias: IAM policy statements name a KMS key by key ARN only, never an alias (KMS developer guide, cmks-in-iam-policies)."
  }
}

variable "endpoint_type" {
  type        = string
  description = "REGIONAL (default) or PRIVATE (reachable only through the VPC endpoints in vpc_endpoint_ids)."
  default     = "REGIONAL"

  validation {
    condition     = contains(["REGIONAL", "PRIVATE"], var.endpoint_type)
    error_message = "endpoint_type must be REGIONAL or PRIVATE."
  }
}

variable "vpc_endpoint_ids" {
  type        = list(string)
  description = "execute-api VPC endpoint ids allowed to reach a PRIVATE API (required when endpoint_type = PRIVATE)."
  default     = []

  validation {
    condition     = alltrue([for id in var.vpc_endpoint_ids : can(regex("^vpce-[0-9a-f]+$", id))])
    error_message = "vpc_endpoint_ids must be VPC endpoint ids (vpce-...)."
  }
}

variable "authorization" {
  type        = string
  description = "Method authorization: AWS_IAM (default; callers sign with SigV4, see invoke_policy_json) or NONE."
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.authorization)
    error_message = "authorization must be AWS_IAM or NONE."
  }
}

variable "stage_name" {
  type        = string
  description = "Stage name (part of the invoke URL)."
  default     = "v1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,64}$", var.stage_name))
    error_message = "stage_name must be 1-64 characters of A-Z a-z 0-9 _."
  }
}

variable "throttle" {
  type = object({
    rate_limit  = number
    burst_limit = number
  })
  description = "Stage-wide throttling (requests/s and burst); excess requests get 429."
  default     = { rate_limit = 100, burst_limit = 200 }

  validation {
    condition     = var.throttle.rate_limit > 0 && var.throttle.burst_limit >= 1 && var.throttle.rate_limit <= 10000
    error_message = "throttle.rate_limit must be in (0, 10000] (the account default) and throttle.burst_limit >= 1."
  }
}

variable "xray_enabled" {
  type        = bool
  description = "Enable X-Ray tracing on the stage."
  default     = false
}

variable "logging_level" {
  type        = string
  description = "Execution logging level (OFF, ERROR, INFO); needs the account's API Gateway CloudWatch role. Data tracing stays off (bodies hold personal data)."
  default     = "ERROR"

  validation {
    condition     = contains(["OFF", "ERROR", "INFO"], var.logging_level)
    error_message = "logging_level must be OFF, ERROR or INFO."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the access log group, in days."
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch Logs' values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_kms_key_arn" {
  type        = string
  description = "KMS key ARN to encrypt the access log group (null = CloudWatch Logs' own encryption)."
  default     = null
}

variable "web_acl_arn" {
  type        = string
  description = "WAFv2 web ACL ARN to associate with the stage (null = none)."
  default     = null
}

variable "alarms_enabled" {
  type        = bool
  description = "Create the 5XXError-rate and p99-latency alarms."
  default     = true
}

variable "alarm_actions" {
  type        = list(string)
  description = "SNS topic ARNs notified on alarm and OK."
  default     = []
}

variable "error_rate_threshold" {
  type        = number
  description = "Alarm when the 5XXError rate (Average of 5XXError: errors / requests) exceeds this fraction over 5 minutes."
  default     = 0.05

  validation {
    condition     = var.error_rate_threshold > 0 && var.error_rate_threshold < 1
    error_message = "error_rate_threshold must be a fraction between 0 and 1."
  }
}

variable "latency_p99_threshold_ms" {
  type        = number
  description = "Alarm when p99 Latency exceeds this many milliseconds for 3 of 3 five-minute periods."
  default     = 1000

  validation {
    condition     = var.latency_p99_threshold_ms > 0 && var.latency_p99_threshold_ms <= 29000
    error_message = "latency_p99_threshold_ms must be in (0, 29000] (the REST API integration timeout)."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource."
  default     = {}
}

variable "logging_role_ready" {
  type        = string
  description = "Any value known only once the account's API Gateway settings name a CloudWatch Logs role (e.g. `aws_api_gateway_account.this.cloudwatch_role_arn`). API Gateway refuses a stage's access and execution logging until then, so the stage waits for this; the rest of the module does not (a module-level depends_on would hold back every resource and defer its data sources). Null when the role is already set."
  default     = null
}
