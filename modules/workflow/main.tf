# A Step Functions state machine with its own execution role (generated from the declared
# integrations), a CloudWatch log group and alarms on failed / timed-out / throttled executions.
#
# Policies are built with jsonencode() rather than aws_iam_policy_document so that
# `terraform test` with a mocked provider sees the real policy JSON (a mocked data source
# would return a random string).

locals {
  # Minimal default per kind: what a storage-first workflow needs at the least.
  default_actions = {
    tables    = ["dynamodb:PutItem"]
    queues    = ["sqs:SendMessage"]
    functions = ["lambda:InvokeFunction"]
  }

  table_actions    = { for k, arn in var.integrations.tables : k => sort(distinct(lookup(var.integration_actions.tables, k, local.default_actions.tables))) }
  queue_actions    = { for k, arn in var.integrations.queues : k => sort(distinct(lookup(var.integration_actions.queues, k, local.default_actions.queues))) }
  function_actions = { for k, arn in var.integrations.functions : k => sort(distinct(lookup(var.integration_actions.functions, k, local.default_actions.functions))) }

  # Sids must be alphanumeric.
  table_statements = [for k, arn in var.integrations.tables : {
    Sid    = "Table${replace(k, "/[^0-9A-Za-z]/", "")}"
    Effect = "Allow"
    Action = local.table_actions[k]
    # Query and Scan may target a secondary index: grant the table's indexes, nothing wider.
    Resource = length(setintersection(local.table_actions[k], ["dynamodb:Query", "dynamodb:Scan"])) > 0 ? [arn, "${arn}/index/*"] : [arn]
  }]

  queue_statements = [for k, arn in var.integrations.queues : {
    Sid      = "Queue${replace(k, "/[^0-9A-Za-z]/", "")}"
    Effect   = "Allow"
    Action   = local.queue_actions[k]
    Resource = [arn]
  }]

  function_statements = [for k, arn in var.integrations.functions : {
    Sid    = "Function${replace(k, "/[^0-9A-Za-z]/", "")}"
    Effect = "Allow"
    Action = local.function_actions[k]
    # An unqualified function ARN (7 parts) also covers its versions and aliases, which the
    # lambda:invoke integration may call ("Invoke Lambda with Step Functions").
    Resource = length(split(":", arn)) == 7 ? [arn, "${arn}:*"] : [arn]
  }]

  kms_statements = concat(
    length(var.integration_kms_key_arns) > 0 ? [{
      Sid      = "IntegrationKeys"
      Effect   = "Allow"
      Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource = sort(distinct(var.integration_kms_key_arns))
    }] : [],
    var.kms_key_arn != null ? [{
      Sid      = "StateMachineKey"
      Effect   = "Allow"
      Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource = [var.kms_key_arn]
      # Only for this state machine's data ("Data at rest encryption" in the Step Functions
      # guide). The ARN is matched by name: the account id is not known offline.
      Condition = {
        StringLike = { "kms:EncryptionContext:aws:states:stateMachineArn" = "arn:*:states:*:*:stateMachine:${var.name}" }
      }
    }] : [],
  )

  integration_statements = concat(local.table_statements, local.queue_statements, local.function_statements, local.kms_statements)

  logging_enabled = var.log_level != "OFF"

  # Vended-log delivery and X-Ray APIs do not support resource-level permissions, so these
  # statements must use Resource "*" ("Logging using CloudWatch Logs" and "Trace Step
  # Functions request data in AWS X-Ray" in the Step Functions developer guide).
  observability_statements = concat(
    local.logging_enabled ? [{
      Sid    = "LogDelivery"
      Effect = "Allow"
      Action = [
        "logs:CreateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:DescribeLogGroups",
        "logs:DescribeResourcePolicies",
        "logs:GetLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:UpdateLogDelivery",
      ]
      Resource = ["*"]
    }] : [],
    var.tracing_enabled ? [{
      Sid      = "XRay"
      Effect   = "Allow"
      Action   = ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"]
      Resource = ["*"]
    }] : [],
  )

  undeclared_action_keys = concat(
    [for k in keys(var.integration_actions.tables) : "tables.${k}" if !contains(keys(var.integrations.tables), k)],
    [for k in keys(var.integration_actions.queues) : "queues.${k}" if !contains(keys(var.integrations.queues), k)],
    [for k in keys(var.integration_actions.functions) : "functions.${k}" if !contains(keys(var.integrations.functions), k)],
  )
}

resource "aws_iam_role" "this" {
  name        = "${var.name}-sfn-role"
  description = "Execution role of the ${var.name} state machine"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "states.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "integrations" {
  count  = length(local.integration_statements) > 0 ? 1 : 0
  name   = "integrations"
  role   = aws_iam_role.this.id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.integration_statements })
}

resource "aws_iam_role_policy" "observability" {
  # Resource "*" here is an AWS requirement, not a shortcut: the log-delivery and X-Ray APIs
  # have no resource-level permissions (see locals). checkov agrees: CKV_AWS_290 / CKV_AWS_355
  # pass on the planned policy (tests/terraform/test_workflow_module.py), so no skip is needed.
  count  = length(local.observability_statements) > 0 ? 1 : 0
  name   = "observability"
  role   = aws_iam_role.this.id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.observability_statements })
}

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158: KMS encryption of the log group is the caller's choice (var.log_kms_key_arn); CloudWatch Logs encrypts at rest by default.
  #checkov:skip=CKV_AWS_338: Retention is var.log_retention_days (default 30 days), chosen per environment.
  count = local.logging_enabled ? 1 : 0
  # The /aws/vendedlogs/ prefix keeps CloudWatch Logs resource policies under their size limit
  # when many state machines log ("Logging using CloudWatch Logs").
  name              = "/aws/vendedlogs/states/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

resource "aws_sfn_state_machine" "this" {
  #checkov:skip=CKV_AWS_284: X-Ray tracing is a per-workflow choice (var.tracing_enabled, billed per trace).
  #checkov:skip=CKV_AWS_285: Execution data (inputs/outputs) is excluded from logs by default because it may hold personal data; var.include_execution_data turns it on.
  name       = var.name
  type       = var.type
  role_arn   = aws_iam_role.this.arn
  definition = var.definition

  logging_configuration {
    level                  = var.log_level
    include_execution_data = local.logging_enabled ? var.include_execution_data : false
    log_destination        = local.logging_enabled ? "${aws_cloudwatch_log_group.this[0].arn}:*" : null
  }

  tracing_configuration {
    enabled = var.tracing_enabled
  }

  encryption_configuration {
    type       = var.kms_key_arn == null ? "AWS_OWNED_KEY" : "CUSTOMER_MANAGED_KMS_KEY"
    kms_key_id = var.kms_key_arn
    # 300 s is the service default: one data key reused for 5 minutes bounds KMS calls.
    kms_data_key_reuse_period_seconds = var.kms_key_arn == null ? null : 300
  }

  tags = var.tags

  # CreateStateMachine checks that the role may deliver logs / use the key: create the
  # policies first.
  depends_on = [aws_iam_role_policy.integrations, aws_iam_role_policy.observability]

  lifecycle {
    precondition {
      condition     = !(var.type == "EXPRESS" && var.log_level == "OFF")
      error_message = "log_level = \"OFF\" is not allowed with type = \"EXPRESS\": Express workflows keep no execution history, CloudWatch Logs is the only record of failures. Use ERROR or FATAL to log less."
    }
    precondition {
      condition     = length(local.undeclared_action_keys) == 0
      error_message = "var.integration_actions names integrations that var.integrations does not declare: ${join(", ", local.undeclared_action_keys)}."
    }
  }
}
