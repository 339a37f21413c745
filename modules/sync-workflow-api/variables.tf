variable "name" {
  type        = string
  description = "Name of the REST API and prefix of its role, log group and alarms (1-40 letters, digits, '-', '_')."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,40}$", var.name))
    error_message = "name must be 1-40 characters of letters, digits, '-' or '_'."
  }
}

variable "routes" {
  type = map(object({
    state_machine_arn = string
    client_errors     = optional(map(number), {})
  }))
  description = "POST /<key> -> StartSyncExecution of that EXPRESS state machine. `client_errors` maps an execution's `error` (the name a Fail state or a Catch gives) to the 4xx the client gets, with the execution's `cause` as message; any other failure is a 500 (a server fault, counted by the 5xx alarm) and a time-out a 504."

  validation {
    condition     = length(var.routes) > 0 && alltrue([for k, r in var.routes : can(regex("^[A-Za-z0-9._-]{1,64}$", k))])
    error_message = "routes: 1 or more routes keyed by one path segment (letters, digits, '.', '_', '-'), e.g. \"customers\" for POST /customers."
  }
  validation {
    condition     = alltrue([for k, r in var.routes : can(regex("^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[A-Za-z0-9_-]+$", r.state_machine_arn))])
    error_message = "routes: state_machine_arn must be a Step Functions state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)."
  }
  validation {
    condition = alltrue(flatten([for k, r in var.routes : [for e, s in r.client_errors :
    can(regex("^[A-Za-z0-9._-]{1,128}$", e)) && s >= 400 && s <= 499 && floor(s) == s]]))
    error_message = "routes: client_errors maps error names (letters, digits, '.', '_', '-') to a 4xx status (400-499): server faults are never mapped to 4xx."
  }
}

variable "authorization" {
  type        = string
  description = "Method authorization: AWS_IAM (default, SigV4 callers with execute-api:Invoke) or NONE (public, e.g. a sign-up form; rely on throttling)."
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.authorization)
    error_message = "authorization must be AWS_IAM or NONE."
  }
}

variable "stage_name" {
  type        = string
  description = "Stage name (the first path segment of the invoke URL)."
  default     = "v1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.stage_name))
    error_message = "stage_name must be 1-64 letters, digits, '-' or '_'."
  }
}

variable "throttle" {
  type        = object({ rate_limit = number, burst_limit = number })
  description = "Stage throttling (requests/s and burst); excess requests get 429."
  default     = { rate_limit = 50, burst_limit = 100 }

  validation {
    condition     = var.throttle.rate_limit > 0 && var.throttle.rate_limit <= 10000 && var.throttle.burst_limit >= 0 && var.throttle.burst_limit <= 5000
    error_message = "throttle.rate_limit must be 0-10000 (exclusive of 0) and throttle.burst_limit 0-5000 (account quotas, API Gateway limits.html)."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the access log group in days (a value CloudWatch Logs accepts)."
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "alarms_enabled" {
  type        = bool
  description = "Create the 5XXError-rate and p99 latency alarms."
  default     = true
}

variable "alarm_actions" {
  type        = list(string)
  description = "SNS topic ARNs notified when an alarm fires and when it returns to OK."
  default     = []
}

variable "error_rate_threshold" {
  type        = number
  description = "5XXError alarm threshold as a fraction of requests (Average of 5XXError), 0-1."
  default     = 0.05

  validation {
    condition     = var.error_rate_threshold > 0 && var.error_rate_threshold <= 1
    error_message = "error_rate_threshold must be in (0, 1]."
  }
}

variable "latency_p99_threshold_ms" {
  type        = number
  description = "p99 Latency alarm threshold in ms (REST integration timeout: 29,000 ms by default)."
  default     = 5000

  validation {
    condition     = var.latency_p99_threshold_ms > 0 && var.latency_p99_threshold_ms <= 29000
    error_message = "latency_p99_threshold_ms must be 1-29000."
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
