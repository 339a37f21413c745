# Inputs with a non-null default are `nullable = false`: a caller passing null gets the default
# (Terraform "Input Variables", "Disallowing null input values"), so a wrapper such as
# modules/queue-worker forwards an attribute its user left unset as null and this module's
# default and validation apply; no wrapper repeats them.

variable "name" {
  type        = string
  description = "Function name; also names the log group (/aws/lambda/<name>), the role (<name>-role) and the alarms."

  validation {
    # Lambda allows 64; the role name adds "-role" and IAM allows 64.
    condition     = can(regex("^[A-Za-z0-9_-]{1,59}$", var.name))
    error_message = "name must be 1-59 characters of A-Z, a-z, 0-9, '-' or '_'."
  }
}

variable "description" {
  type        = string
  description = "Function description."
  default     = ""
  nullable    = false
}

variable "zip_path" {
  type        = string
  description = "Path to the prebuilt deployment zip (`make build` writes build/<function>.zip). Its SHA-256 drives code updates."

  validation {
    condition     = endswith(var.zip_path, ".zip")
    error_message = "zip_path must point to a .zip file (build it with `make build`)."
  }
}

variable "handler" {
  type        = string
  description = "Handler as <module>.<function>, e.g. \"worker.handler\"."

  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_./-]*\\.[A-Za-z_][A-Za-z0-9_]*$", var.handler))
    error_message = "handler must look like <module>.<function>, e.g. \"worker.handler\"."
  }
}

variable "runtime" {
  type        = string
  description = "Python runtime. python3.12 and python3.13 are supported (Powertools v3 layers exist for both)."
  default     = "python3.12"
  nullable    = false

  validation {
    condition     = contains(["python3.12", "python3.13"], var.runtime)
    error_message = "runtime must be \"python3.12\" or \"python3.13\"."
  }
}

variable "architecture" {
  type        = string
  description = "Instruction set: arm64 (Graviton, cheaper per GB-s) or x86_64."
  default     = "arm64"
  nullable    = false

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be \"arm64\" or \"x86_64\"."
  }
}

variable "memory_size" {
  type        = number
  description = "Memory in MB (128-10240); CPU scales with it (1769 MB = 1 vCPU)."
  default     = 256
  nullable    = false

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "timeout" {
  type        = number
  description = "Timeout in seconds (1-900)."
  default     = 30
  nullable    = false

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number of seconds from 1 to 900 (15 minutes)."
  }
}

variable "environment" {
  type        = map(string)
  description = "Environment variables. POWERTOOLS_SERVICE_NAME defaults to the function name; values here win."
  default     = {}
  nullable    = false
}

variable "reserved_concurrency" {
  type        = number
  description = "Reserved concurrency (a cap and a floor, taken from the account pool). null = unreserved; 0 stops all invocations."
  default     = null

  validation {
    condition     = var.reserved_concurrency == null || try(var.reserved_concurrency >= 0 && floor(var.reserved_concurrency) == var.reserved_concurrency, false)
    error_message = "reserved_concurrency must be null (unreserved) or a whole number >= 0."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the function's log group, in days (a value CloudWatch Logs accepts)."
  default     = 30
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_level" {
  type        = string
  description = "Application log level (Lambda advanced logging controls; Powertools Logger follows it through AWS_LAMBDA_LOG_LEVEL)."
  default     = "INFO"
  nullable    = false

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL."
  }
}

variable "log_kms_key_arn" {
  type        = string
  description = "Optional KMS key ARN to encrypt the log group (null = CloudWatch Logs' service-managed encryption). The key policy must allow logs.<region>.amazonaws.com."
  default     = null
}

variable "kms_key_arn" {
  type        = string
  description = "Optional KMS key ARN to encrypt environment variables (null = the AWS managed key for Lambda)."
  default     = null
}

variable "tracing_enabled" {
  type        = bool
  description = "X-Ray active tracing (adds xray:PutTraceSegments/PutTelemetryRecords to the role)."
  default     = false
  nullable    = false
}

variable "policy_statements" {
  type = list(object({
    sid       = optional(string)
    effect    = optional(string, "Allow")
    actions   = list(string)
    resources = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  description = "Extra IAM statements for the execution role (least privilege: name the resources). A bare \"*\" action, or a service wildcard such as \"s3:*\" on resource \"*\", is refused."
  default     = []
  nullable    = false

  validation {
    condition = alltrue([
      for s in var.policy_statements :
      length(s.actions) > 0 && length(s.resources) > 0 && contains(["Allow", "Deny"], s.effect) &&
      !contains(s.actions, "*") &&
      !(contains(s.resources, "*") && anytrue([for a in s.actions : endswith(a, ":*")])) &&
      (s.sid == null || can(regex("^[A-Za-z0-9]+$", s.sid)))
    ])
    error_message = "policy_statements: each statement needs actions and resources, effect Allow or Deny, an alphanumeric sid (or none), no \"*\" action, and no service wildcard (\"svc:*\") on resource \"*\"."
  }
}

variable "powertools_layer_enabled" {
  type        = bool
  description = "Attach the public Powertools for AWS Lambda (Python) v3 layer matching region, runtime and architecture."
  default     = true
  nullable    = false
}

variable "powertools_layer_version" {
  type        = number
  description = "Version number of the public AWSLambdaPowertoolsPythonV3-<python>-<arch> layer (pinned; see README for how to check which Powertools release a number holds)."
  default     = 38
  nullable    = false

  validation {
    condition     = var.powertools_layer_version >= 1 && floor(var.powertools_layer_version) == var.powertools_layer_version
    error_message = "powertools_layer_version must be a whole number >= 1."
  }
}

variable "layers" {
  type        = list(string)
  description = "Further layer version ARNs (Lambda allows 5 layers in all, Powertools included)."
  default     = []
  nullable    = false
}

variable "alarms_enabled" {
  type        = bool
  description = "Create the CloudWatch alarms (errors, throttles, p99 duration against the timeout)."
  default     = true
  nullable    = false
}

variable "alarm_actions" {
  type        = list(string)
  description = "SNS topic ARNs notified on ALARM and on OK."
  default     = []
  nullable    = false
}

variable "errors_alarm_threshold" {
  type        = number
  description = "Alarm when the Errors sum over alarm_period_seconds reaches this."
  default     = 1
  nullable    = false

  validation {
    condition     = var.errors_alarm_threshold >= 1
    error_message = "errors_alarm_threshold must be at least 1."
  }
}

variable "throttles_alarm_threshold" {
  type        = number
  description = "Alarm when the Throttles sum over alarm_period_seconds reaches this."
  default     = 1
  nullable    = false

  validation {
    condition     = var.throttles_alarm_threshold >= 1
    error_message = "throttles_alarm_threshold must be at least 1."
  }
}

variable "duration_alarm_fraction" {
  type        = number
  description = "Alarm when p99 Duration reaches this fraction of the timeout (0.8 = 80%): the function is about to time out."
  default     = 0.8
  nullable    = false

  validation {
    condition     = var.duration_alarm_fraction > 0 && var.duration_alarm_fraction <= 1
    error_message = "duration_alarm_fraction must be greater than 0 and at most 1."
  }
}

variable "alarm_period_seconds" {
  type        = number
  description = "Period of every alarm, in seconds (60 or a multiple of 60)."
  default     = 300
  nullable    = false

  validation {
    condition     = var.alarm_period_seconds >= 60 && var.alarm_period_seconds % 60 == 0
    error_message = "alarm_period_seconds must be 60 or a multiple of 60."
  }
}

variable "duration_alarm_evaluation_periods" {
  type        = number
  description = "Consecutive periods p99 Duration must stay high before alarming (errors and throttles alarm on the first period)."
  default     = 3
  nullable    = false

  validation {
    condition     = var.duration_alarm_evaluation_periods >= 1 && var.duration_alarm_evaluation_periods <= 24
    error_message = "duration_alarm_evaluation_periods must be between 1 and 24."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource the module creates."
  default     = {}
  nullable    = false
}

# --- cold starts (versions, alias, provisioned concurrency, SnapStart) ----------------------------

variable "publish" {
  type        = bool
  description = "Publish a new version on every code/configuration change and point the alias (alias_name) at it. Implied by snap_start = true and provisioned_concurrency > 0."
  default     = false
  nullable    = false
}

variable "alias_name" {
  type        = string
  description = "Name of the alias created when a version is published (publish, snap_start or provisioned_concurrency). Callers and routes invoke the alias."
  default     = "live"
  nullable    = false

  validation {
    # Lambda alias names: 1-128 of [a-zA-Z0-9-_], not all digits (those are version numbers).
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.alias_name)) && !can(regex("^[0-9]+$", var.alias_name))
    error_message = "alias_name must be 1-128 characters of A-Z, a-z, 0-9, '-' or '_', and not only digits (digits name versions)."
  }
}

variable "provisioned_concurrency" {
  type        = number
  description = "Pre-initialised execution environments on the alias (billed for as long as they are configured, used or not). 0 = none. Not combinable with snap_start."
  default     = 0
  nullable    = false

  validation {
    condition     = var.provisioned_concurrency >= 0 && floor(var.provisioned_concurrency) == var.provisioned_concurrency
    error_message = "provisioned_concurrency must be a whole number >= 0 (0 = none)."
  }
}

variable "snap_start" {
  type        = bool
  description = "Lambda SnapStart on published versions (apply_on = \"PublishedVersions\"; Python 3.12+ runtimes). Publishes a version and creates the alias; not combinable with provisioned_concurrency."
  default     = false
  nullable    = false
}

# --- secrets --------------------------------------------------------------------------------------

variable "secrets" {
  type        = map(string)
  description = "Secrets the function may read, name => ARN of an SSM parameter (arn:aws:ssm:<region>:<account>:parameter/<name>) or a Secrets Manager secret (full ARN with its 6-character suffix). The role gets read access to exactly these ARNs; the function gets env var SECRET_<NAME>_ARN (upper-cased name) holding the ARN, never the value."
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k in keys(var.secrets) : can(regex("^[A-Za-z][A-Za-z0-9_]{0,63}$", k))])
    error_message = "secrets: each name must start with a letter and hold only letters, digits and '_' (1-64 characters); it becomes the env var SECRET_<NAME>_ARN."
  }
  validation {
    condition = alltrue([
      for arn in values(var.secrets) :
      can(regex("^arn:aws[a-z-]*:ssm:[a-z0-9-]+:[0-9]{12}:parameter/[A-Za-z0-9_.\\-][A-Za-z0-9_.\\-/]*$", arn)) ||
      can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$", arn))
    ])
    error_message = "secrets: each value must be an SSM parameter ARN (arn:aws:ssm:<region>:<12-digit account>:parameter/<name>, no leading '/' after \"parameter\") or a complete Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>, e.g. aws_secretsmanager_secret.x.arn). Wildcards are not allowed."
  }
}

variable "secrets_kms_key_arn" {
  type        = string
  description = "Customer managed KMS key that encrypts the secrets (SecureString parameters / secrets), if any: adds kms:Decrypt on this key only when called through SSM or Secrets Manager (kms:ViaService). null = AWS managed keys, which need no grant."
  default     = null

  validation {
    condition     = var.secrets_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.secrets_kms_key_arn))
    error_message = "secrets_kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>); alias ARNs do not work as IAM resources for kms:Decrypt."
  }
}

# --- VPC (private databases, RDS Proxy) -----------------------------------------------------------

variable "vpc_subnet_ids" {
  type        = list(string)
  description = "Subnets (ideally in 2+ AZs) the function's ENIs go in; empty = no VPC. Set together with vpc_security_group_ids. The role gets the ENI permissions of AWSLambdaVPCAccessExecutionRole, scoped to these subnets and groups. A VPC function reaches AWS APIs only through NAT or VPC endpoints."
  default     = []
  nullable    = false

  validation {
    # VpcConfig.SubnetIds: at most 16 (Lambda API reference, VpcConfig).
    condition     = length(var.vpc_subnet_ids) <= 16 && alltrue([for id in var.vpc_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))]) && length(distinct(var.vpc_subnet_ids)) == length(var.vpc_subnet_ids)
    error_message = "vpc_subnet_ids: at most 16 distinct subnet ids of the form subnet-<hex>."
  }
}

variable "vpc_security_group_ids" {
  type        = list(string)
  description = "Security groups of the function's ENIs (at most 5); empty = no VPC. Set together with vpc_subnet_ids."
  default     = []
  nullable    = false

  validation {
    # VpcConfig.SecurityGroupIds: at most 5 (Lambda API reference, VpcConfig).
    condition     = length(var.vpc_security_group_ids) <= 5 && alltrue([for id in var.vpc_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))]) && length(distinct(var.vpc_security_group_ids)) == length(var.vpc_security_group_ids)
    error_message = "vpc_security_group_ids: at most 5 distinct security group ids of the form sg-<hex>."
  }
}

variable "vpc_ipv6_allowed_for_dual_stack" {
  type        = bool
  description = "Allow outbound IPv6 from the function when its subnets are dual-stack (VpcConfig.Ipv6AllowedForDualStack). Needs vpc_subnet_ids."
  default     = false
  nullable    = false
}
