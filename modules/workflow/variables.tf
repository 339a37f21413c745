variable "name" {
  type        = string
  description = "Name of the state machine; also the prefix of its role, log group and alarms. 1-55 characters of letters, digits, '-' and '_' (the role is named <name>-sfn-role, within IAM's 64-character limit)."

  validation {
    # CreateStateMachine allows 80 characters, IAM role names 64 (IAM quotas): 64 - len("-sfn-role") = 55.
    # Only ASCII letters, digits, '-' and '_': other characters disable CloudWatch Logs for the state machine (CreateStateMachine).
    condition     = can(regex("^[A-Za-z0-9_-]{1,55}$", var.name))
    error_message = "var.name must be 1-55 characters of letters, digits, '-' and '_'."
  }
}

variable "type" {
  type        = string
  description = "STANDARD (durable, exactly-once, up to 1 year, billed per state transition) or EXPRESS (up to 5 minutes, at-least-once async / at-most-once sync, billed per request and duration)."
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "EXPRESS"], var.type)
    error_message = "var.type must be STANDARD or EXPRESS."
  }
}

variable "definition" {
  type        = string
  description = "Amazon States Language definition as a JSON string, typically templatefile(\"x.asl.json\", { table = ..., queue_url = ... }) so ARNs and names are substituted. Keep it JSONPath (the default query language) to execute it in moto."

  validation {
    condition     = can(jsondecode(var.definition).StartAt) && can(keys(jsondecode(var.definition).States))
    error_message = "var.definition must be a JSON object with StartAt and States (an Amazon States Language document)."
  }
}

variable "integrations" {
  type = object({
    tables    = optional(map(string), {})
    queues    = optional(map(string), {})
    functions = optional(map(string), {})
  })
  description = "Resources the workflow calls, by kind, each a map of a key you choose to an ARN: tables (DynamoDB table ARNs), queues (SQS queue ARNs), functions (Lambda function ARNs). The execution role gets only the actions in integration_actions on exactly these ARNs."
  default     = {}

  validation {
    condition = alltrue(concat(
      [for arn in values(var.integrations.tables) : can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]+$", arn))],
      [for arn in values(var.integrations.queues) : can(regex("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+(\\.fifo)?$", arn))],
      [for arn in values(var.integrations.functions) : can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$", arn))],
    ))
    error_message = "var.integrations: tables must be DynamoDB table ARNs (arn:aws:dynamodb:<region>:<account>:table/<name>), queues SQS queue ARNs (arn:aws:sqs:<region>:<account>:<name>), functions Lambda function ARNs (arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]). No wildcards."
  }
}

variable "integration_actions" {
  type = object({
    tables    = optional(map(list(string)), {})
    queues    = optional(map(list(string)), {})
    functions = optional(map(list(string)), {})
  })
  description = "Actions per declared integration, keyed like var.integrations (kind -> key -> actions). A key not listed gets its kind's minimal default: tables [\"dynamodb:PutItem\"], queues [\"sqs:SendMessage\"], functions [\"lambda:InvokeFunction\"]. Allowed: tables dynamodb:GetItem, PutItem, UpdateItem, DeleteItem, ConditionCheckItem, BatchGetItem, BatchWriteItem, Query, Scan (Query/Scan also cover the table's indexes); queues sqs:SendMessage, ReceiveMessage, DeleteMessage, ChangeMessageVisibility, GetQueueAttributes; functions lambda:InvokeFunction."
  default     = {}

  validation {
    condition = alltrue(concat(
      [for a in flatten(values(var.integration_actions.tables)) : contains(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:Query", "dynamodb:Scan"], a)],
      [for a in flatten(values(var.integration_actions.queues)) : contains(["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"], a)],
      [for a in flatten(values(var.integration_actions.functions)) : contains(["lambda:InvokeFunction"], a)],
    ))
    error_message = "var.integration_actions: every action must be in its kind's allow-list: tables dynamodb:GetItem|PutItem|UpdateItem|DeleteItem|ConditionCheckItem|BatchGetItem|BatchWriteItem|Query|Scan; queues sqs:SendMessage|ReceiveMessage|DeleteMessage|ChangeMessageVisibility|GetQueueAttributes; functions lambda:InvokeFunction. No wildcards."
  }

  validation {
    condition = alltrue([
      for lists in [var.integration_actions.tables, var.integration_actions.queues, var.integration_actions.functions] :
      alltrue([for acts in values(lists) : length(acts) > 0])
    ])
    error_message = "var.integration_actions: an action list must not be empty (drop the integration instead)."
  }
}

variable "integration_kms_key_arns" {
  type        = list(string)
  description = "KMS key ARNs that encrypt the declared tables or queues (customer managed keys). The role gets kms:Decrypt and kms:GenerateDataKey on exactly these. Leave empty for AWS owned / AWS managed keys."
  default     = []

  validation {
    condition     = alltrue([for k in var.integration_kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", k))])
    error_message = "var.integration_kms_key_arns must hold KMS key ARNs (arn:aws:kms:<region>:<account>:key/<id>), no aliases or wildcards."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "Customer managed KMS key ARN to encrypt the state machine's definition and execution data at rest; null uses an AWS owned key. The execution role is granted kms:Decrypt and kms:GenerateDataKey on it; the key policy must allow the role (and CloudWatch Logs delivery when logging execution data)."
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "var.kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "log_level" {
  type        = string
  description = "Execution history level sent to CloudWatch Logs: ALL, ERROR, FATAL or OFF. EXPRESS workflows keep no execution history in Step Functions, so OFF is rejected for them."
  default     = "ERROR"

  validation {
    condition     = contains(["ALL", "ERROR", "FATAL", "OFF"], var.log_level)
    error_message = "var.log_level must be one of ALL, ERROR, FATAL, OFF."
  }
}

variable "include_execution_data" {
  type        = bool
  description = "Log execution input, output and state data (may contain personal data; also raises log volume). Off by default."
  default     = false
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the workflow's log group in days; one of CloudWatch Logs' allowed values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  default     = 30

  validation {
    # PutRetentionPolicy: allowed retentionInDays values (0 = never expire is excluded on purpose).
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "var.log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_kms_key_arn" {
  type        = string
  description = "KMS key ARN to encrypt the log group (its key policy must allow logs.<region>.amazonaws.com); null uses CloudWatch Logs' default encryption."
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.log_kms_key_arn))
    error_message = "var.log_kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "tracing_enabled" {
  type        = bool
  description = "Enable AWS X-Ray tracing of executions (adds the X-Ray write actions to the role; X-Ray traces are billed)."
  default     = false
}

variable "alarms_enabled" {
  type        = bool
  description = "Create the CloudWatch alarms on failed, timed-out and throttled executions."
  default     = true
}

variable "alarm_actions" {
  type        = list(string)
  description = "SNS topic ARNs notified when an alarm fires and when it returns to OK."
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_actions : can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+(\\.fifo)?$", a))])
    error_message = "var.alarm_actions must hold SNS topic ARNs (arn:aws:sns:<region>:<account>:<topic>)."
  }
}

variable "alarm_period_seconds" {
  type        = number
  description = "Period of the execution alarms in seconds (60, or a multiple of 60 up to 86400)."
  default     = 60

  validation {
    condition     = var.alarm_period_seconds >= 60 && var.alarm_period_seconds <= 86400 && var.alarm_period_seconds % 60 == 0
    error_message = "var.alarm_period_seconds must be a multiple of 60 between 60 and 86400."
  }
}

variable "executions_failed_threshold" {
  type        = number
  description = "Alarm when more than this many executions fail (ExecutionsFailed, Sum) in one period. 0 = any failure alarms."
  default     = 0

  validation {
    condition     = var.executions_failed_threshold >= 0
    error_message = "var.executions_failed_threshold must be >= 0."
  }
}

variable "executions_timed_out_threshold" {
  type        = number
  description = "Alarm when more than this many executions time out (ExecutionsTimedOut, Sum) in one period."
  default     = 0

  validation {
    condition     = var.executions_timed_out_threshold >= 0
    error_message = "var.executions_timed_out_threshold must be >= 0."
  }
}

variable "executions_throttled_threshold" {
  type        = number
  description = "Alarm when more than this many StartExecution calls are throttled (ExecutionThrottled, Sum) in one period."
  default     = 0

  validation {
    condition     = var.executions_throttled_threshold >= 0
    error_message = "var.executions_throttled_threshold must be >= 0."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource the module creates."
  default     = {}
}
