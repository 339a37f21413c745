variable "name" {
  type        = string
  description = "Prefix for every resource name (REST API, bucket, role, log group, alarms). 3-40 characters: lower-case letters, digits and '-' (the bucket name is derived from it, and S3 bucket names allow no upper case or '_')."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of lower-case letters, digits or '-', starting and ending with a letter or digit."
  }
}

variable "bucket_name" {
  type        = string
  description = "Name of the claim-check bucket, or null for \"<name>-claim-check-<account id>\" (S3 bucket names are global)."
  default     = null

  validation {
    condition     = var.bucket_name == null ? true : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 characters of lower-case letters, digits, '.' or '-' (S3 bucket naming rules)."
  }
}

variable "path_parts" {
  type        = list(string)
  description = "Path of the POST route, one element per segment (default POST /webhook/large). 1-3 literal segments."
  default     = ["webhook", "large"]

  validation {
    condition     = length(var.path_parts) >= 1 && length(var.path_parts) <= 3 && alltrue([for p in var.path_parts : can(regex("^[A-Za-z0-9._~-]{1,64}$", p))])
    error_message = "path_parts must hold 1-3 literal path segments of letters, digits, '.', '_', '~' or '-'."
  }
}

variable "key_prefix" {
  type        = string
  description = "Prefix of the object keys API Gateway writes (the key is <prefix><API Gateway request id>); the notification and the worker's read grant are limited to it."
  default     = "incoming/"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()/-]{1,200}/$", var.key_prefix))
    error_message = "key_prefix must be 1-200 S3-safe characters ending in '/'."
  }
}

variable "forward_headers" {
  type        = list(string)
  description = "Request headers stored with the object as x-amz-meta-<lower-case name> user metadata (e.g. a signature or idempotency key header); the worker reads them like a queue route's forwarded headers. User metadata is limited to 2 KB per object by S3."
  default     = []

  validation {
    condition     = length(var.forward_headers) <= 10 && alltrue([for h in var.forward_headers : can(regex("^[A-Za-z0-9-]{1,64}$", h)) && lower(h) != "request-id" && lower(h) != "route"])
    error_message = "forward_headers: at most 10 header names of letters, digits and '-' (S3 metadata names), not \"request-id\" or \"route\" (the module's own metadata)."
  }
}

variable "queue_arn" {
  type        = string
  description = "ARN of the SQS queue S3 notifies of each stored body (the webhook queue its worker drains). Its policy must hold this module's queue_policy_json (pass it to modules/queue's source_policy_documents). S3 notifies a queue in the bucket's own account (aws:SourceAccount). With modules/queue, pass its queue_arn_for_policies: that queue's policy is inline and embeds queue_policy_json, so its queue_arn would be a dependency cycle."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,80}$", var.queue_arn))
    error_message = "queue_arn must be a standard SQS queue ARN (S3 event notifications do not support FIFO queues)."
  }
}

variable "queue_policy_ready" {
  type        = string
  description = "Any value that is known only once the queue's policy allows S3 (e.g. modules/queue's policy_id output). S3 checks the destination when the notification is created and refuses it otherwise, so the notification waits for this."
}

variable "authorization" {
  type        = string
  description = "Authorization of the POST method: \"NONE\" (a public webhook; authenticate with a signature header the worker verifies) or \"AWS_IAM\"."
  default     = "NONE"

  validation {
    condition     = contains(["NONE", "AWS_IAM"], var.authorization)
    error_message = "authorization must be \"NONE\" or \"AWS_IAM\"."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "KMS key ARN for SSE-KMS on the bucket, or null for SSE-S3 (AES-256, S3-managed keys). With a key, the integration role gets kms:GenerateDataKey and the worker policy kms:Decrypt, both only through S3."
  default     = null

  validation {
    condition     = var.kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); IAM statements name keys by key ARN only (KMS developer guide, cmks-in-iam-policies)."
  }
}

variable "expiration_days" {
  type        = number
  description = "Days after which stored bodies are deleted by the bucket's lifecycle rule (keep it longer than the queue's retention plus redrive, so a redriven message still finds its object)."
  default     = 14

  validation {
    condition     = var.expiration_days >= 1 && var.expiration_days <= 3650 && floor(var.expiration_days) == var.expiration_days
    error_message = "expiration_days must be a whole number of days, 1-3650."
  }
}

variable "versioning" {
  type        = bool
  description = "Enable bucket versioning (keeps overwritten or deleted bodies as noncurrent versions, expired after noncurrent_expiration_days)."
  default     = false
}

variable "noncurrent_expiration_days" {
  type        = number
  description = "Days after which noncurrent versions are deleted (versioning = true)."
  default     = 7

  validation {
    condition     = var.noncurrent_expiration_days >= 1 && floor(var.noncurrent_expiration_days) == var.noncurrent_expiration_days
    error_message = "noncurrent_expiration_days must be a whole number of at least 1."
  }
}

variable "force_destroy" {
  type        = bool
  description = "Allow terraform destroy to delete a bucket that still holds bodies (tests and short-lived envs)."
  default     = false
}

variable "stage_name" {
  type        = string
  description = "Name of the REST API stage."
  default     = "v1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))
    error_message = "stage_name must be 1-128 letters, digits, '-' or '_'."
  }
}

variable "throttle" {
  type        = object({ rate_limit = number, burst_limit = number })
  description = "Stage throttling of the route (requests/s and burst); excess requests get 429."
  default     = { rate_limit = 20, burst_limit = 40 }

  validation {
    condition     = var.throttle.rate_limit >= 0 && var.throttle.rate_limit <= 10000 && var.throttle.burst_limit >= 0 && var.throttle.burst_limit <= 5000
    error_message = "throttle.rate_limit must be 0-10000 and throttle.burst_limit 0-5000."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the access log group in days (a value CloudWatch Logs accepts)."
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "alarms_enabled" {
  type        = bool
  description = "Create the 5XXError rate and p99 latency alarms of the API."
  default     = true
}

variable "alarm_actions" {
  type        = list(string)
  description = "SNS topic ARNs notified when an alarm fires and recovers."
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_actions : can(regex("^arn:aws[a-z-]*:sns:", a))])
    error_message = "alarm_actions must be SNS topic ARNs."
  }
}

variable "error_rate_threshold" {
  type        = number
  description = "5XXError alarm threshold as a fraction of requests (Average of 5XXError), 0-1."
  default     = 0.01

  validation {
    condition     = var.error_rate_threshold > 0 && var.error_rate_threshold <= 1
    error_message = "error_rate_threshold must be greater than 0 and at most 1."
  }
}

variable "latency_p99_threshold_ms" {
  type        = number
  description = "p99 Latency alarm threshold in ms (REST integration timeout: 29,000 ms by default)."
  default     = 10000

  validation {
    condition     = var.latency_p99_threshold_ms > 0 && var.latency_p99_threshold_ms <= 29000
    error_message = "latency_p99_threshold_ms must be greater than 0 and at most 29000."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every taggable resource."
  default     = {}
}

variable "logging_role_ready" {
  type        = string
  description = "Any value known only once the account's API Gateway settings name a CloudWatch Logs role (e.g. `aws_api_gateway_account.this.cloudwatch_role_arn`). API Gateway refuses a stage's access and execution logging until then, so the stage waits for this; the rest of the module does not (a module-level depends_on would hold back every resource and defer its data sources). Null when the role is already set."
  default     = null
}
