# terraform test with a mocked AWS provider: no credentials, no network.
# Policies are jsonencode()d by the module, so these assertions read the real policy JSON.

mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values; the blocks below are this file's own
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/states/orders"
    }
  }
  mock_resource "aws_sfn_state_machine" {
    defaults = {
      arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders"
    }
  }
}

variables {
  name       = "orders"
  definition = "{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Succeed\"}}}"
  integrations = {
    tables    = { orders = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders" }
    queues    = { "out-box" = "arn:aws:sqs:eu-west-1:123456789012:out-box" }
    functions = { price = "arn:aws:lambda:eu-west-1:123456789012:function:price" }
  }
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:alerts"]
}

run "defaults_grant_only_minimal_actions_on_declared_arns" {
  command = apply

  assert {
    condition = jsondecode(aws_iam_role_policy.integrations[0].policy).Statement == [
      {
        Sid      = "Tableorders"
        Effect   = "Allow"
        Action   = ["dynamodb:PutItem"]
        Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"]
      },
      {
        Sid      = "Queueoutbox"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = ["arn:aws:sqs:eu-west-1:123456789012:out-box"]
      },
      {
        Sid      = "Functionprice"
        Effect   = "Allow"
        Action   = ["lambda:InvokeFunction"]
        Resource = ["arn:aws:lambda:eu-west-1:123456789012:function:price", "arn:aws:lambda:eu-west-1:123456789012:function:price:*"]
      },
    ]
    error_message = "integration policy must hold exactly the default action per declared ARN: ${aws_iam_role_policy.integrations[0].policy}"
  }

  assert {
    condition     = length([for s in jsondecode(aws_iam_role_policy.integrations[0].policy).Statement : s if contains(s.Resource, "*") || anytrue([for a in s.Action : strcontains(a, "*")])]) == 0
    error_message = "no wildcard resource or action in the integration policy"
  }

  # Only the log-delivery statement may use "*" (the APIs have no resource-level permissions).
  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.observability[0].policy).Statement : s.Sid] == ["LogDelivery"]
    error_message = "without tracing the observability policy holds only LogDelivery"
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.observability[0].policy).Statement[0].Action == [
      "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies",
      "logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery",
    ]
    error_message = "LogDelivery holds only the log-delivery actions"
  }

  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Principal.Service == "states.amazonaws.com"
    error_message = "the role is assumable by Step Functions only"
  }

  assert {
    condition     = aws_sfn_state_machine.this.type == "STANDARD" && aws_sfn_state_machine.this.role_arn == aws_iam_role.this.arn
    error_message = "STANDARD by default, running as the generated role"
  }

  assert {
    condition     = aws_sfn_state_machine.this.logging_configuration[0].level == "ERROR" && aws_sfn_state_machine.this.logging_configuration[0].include_execution_data == false
    error_message = "default logging is ERROR without execution data"
  }

  assert {
    condition     = aws_sfn_state_machine.this.logging_configuration[0].log_destination == "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/states/orders:*"
    error_message = "logs go to the module's log group (ARN with :*)"
  }

  assert {
    condition     = aws_cloudwatch_log_group.this[0].name == "/aws/vendedlogs/states/orders" && aws_cloudwatch_log_group.this[0].retention_in_days == 30
    error_message = "log group under /aws/vendedlogs/states/ with 30 days retention"
  }

  assert {
    condition     = aws_sfn_state_machine.this.tracing_configuration[0].enabled == false
    error_message = "tracing off by default"
  }

  assert {
    condition     = aws_sfn_state_machine.this.encryption_configuration[0].type == "AWS_OWNED_KEY"
    error_message = "AWS owned key when kms_key_arn is null"
  }

  assert {
    condition     = { for k, a in module.alarms.resources : k => a.metric_name } == { "executions-failed" = "ExecutionsFailed", "executions-timed-out" = "ExecutionsTimedOut", "executions-throttled" = "ExecutionThrottled" }
    error_message = "one alarm per AWS/States execution metric"
  }

  assert {
    condition = alltrue([for a in module.alarms.resources :
      a.namespace == "AWS/States" && length(a.dimensions) == 1 && a.dimensions["StateMachineArn"] == "arn:aws:states:eu-west-1:123456789012:stateMachine:orders"
      && a.statistic == "Sum" && a.threshold == 0 && a.comparison_operator == "GreaterThanThreshold"
      && a.treat_missing_data == "notBreaching"
      && a.alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:alerts"]) && a.ok_actions == toset(["arn:aws:sns:eu-west-1:123456789012:alerts"])
    ])
    error_message = "alarms: AWS/States, StateMachineArn dimension, Sum > 0, idle is notBreaching, wired to the topic"
  }

  assert {
    condition     = output.log_group_name == "/aws/vendedlogs/states/orders" && output.role_arn == aws_iam_role.this.arn && output.type == "STANDARD"
    error_message = "outputs wired"
  }
}

run "declared_actions_replace_the_default" {
  command = apply

  variables {
    integration_actions = {
      tables = { orders = ["dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:GetItem"] }
      queues = { "out-box" = ["sqs:SendMessage"] }
    }
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.integrations[0].policy).Statement[0] == {
      Sid      = "Tableorders"
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"]
      Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/index/*"]
    }
    error_message = "declared actions only (sorted, deduplicated); Query adds the table's indexes and nothing else"
  }

  assert {
    condition     = !contains(jsondecode(aws_iam_role_policy.integrations[0].policy).Statement[0].Action, "dynamodb:PutItem")
    error_message = "the default PutItem is not added when actions are declared"
  }
}

run "qualified_function_arn_is_not_widened" {
  command = apply

  variables {
    integrations = {
      functions = { price = "arn:aws:lambda:eu-west-1:123456789012:function:price:live" }
    }
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.integrations[0].policy).Statement[0].Resource == ["arn:aws:lambda:eu-west-1:123456789012:function:price:live"]
    error_message = "an alias ARN grants that alias only"
  }
}

run "tracing_and_full_logging" {
  command = apply

  variables {
    tracing_enabled        = true
    log_level              = "ALL"
    include_execution_data = true
    log_retention_days     = 90
  }

  assert {
    condition     = aws_sfn_state_machine.this.tracing_configuration[0].enabled == true
    error_message = "tracing on"
  }

  assert {
    condition = [for s in jsondecode(aws_iam_role_policy.observability[0].policy).Statement : s if s.Sid == "XRay"] == [{
      Sid      = "XRay"
      Effect   = "Allow"
      Action   = ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"]
      Resource = ["*"]
    }]
    error_message = "X-Ray write actions granted when tracing is on"
  }

  assert {
    condition     = aws_sfn_state_machine.this.logging_configuration[0].level == "ALL" && aws_sfn_state_machine.this.logging_configuration[0].include_execution_data == true
    error_message = "ALL with execution data"
  }

  assert {
    condition     = aws_cloudwatch_log_group.this[0].retention_in_days == 90
    error_message = "retention from log_retention_days"
  }
}

run "logging_off_standard_creates_no_log_group_nor_log_permissions" {
  command = apply

  variables {
    log_level              = "OFF"
    include_execution_data = true
  }

  assert {
    condition     = length(aws_cloudwatch_log_group.this) == 0 && length(aws_iam_role_policy.observability) == 0
    error_message = "no log group and no log-delivery permissions when logging is OFF (and tracing off)"
  }

  assert {
    condition     = aws_sfn_state_machine.this.logging_configuration[0].level == "OFF" && aws_sfn_state_machine.this.logging_configuration[0].log_destination == null && aws_sfn_state_machine.this.logging_configuration[0].include_execution_data == false
    error_message = "logging OFF, no destination, no execution data"
  }

  assert {
    condition     = output.log_group_name == null
    error_message = "log_group_name is null when logging is OFF"
  }
}

run "express_with_error_logging" {
  command = apply

  variables {
    type      = "EXPRESS"
    log_level = "ERROR"
  }

  assert {
    condition     = aws_sfn_state_machine.this.type == "EXPRESS" && output.type == "EXPRESS"
    error_message = "EXPRESS passed through"
  }
}

run "no_integrations_no_integration_policy" {
  command = apply

  variables {
    integrations = {}
  }

  assert {
    condition     = length(aws_iam_role_policy.integrations) == 0
    error_message = "an empty policy would be rejected by IAM: none is created"
  }
}

run "customer_managed_keys" {
  command = apply

  variables {
    kms_key_arn              = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    integration_kms_key_arns = ["arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000"]
    log_kms_key_arn          = "arn:aws:kms:eu-west-1:123456789012:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
  }

  assert {
    condition     = aws_sfn_state_machine.this.encryption_configuration[0].type == "CUSTOMER_MANAGED_KMS_KEY" && aws_sfn_state_machine.this.encryption_configuration[0].kms_key_id == var.kms_key_arn
    error_message = "state machine encrypted with the given key"
  }

  assert {
    condition = [for s in jsondecode(aws_iam_role_policy.integrations[0].policy).Statement : s.Resource if startswith(s.Sid, "IntegrationKeys") || s.Sid == "StateMachineKey"] == [
      ["arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000"],
      ["arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"],
    ]
    error_message = "kms permissions on exactly the given keys"
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.integrations[0].policy).Statement[4].Condition.StringLike["kms:EncryptionContext:aws:states:stateMachineArn"] == "arn:*:states:*:*:stateMachine:orders"
    error_message = "the state machine key is usable for this state machine's context only"
  }

  assert {
    condition     = aws_cloudwatch_log_group.this[0].kms_key_id == var.log_kms_key_arn
    error_message = "log group encrypted with log_kms_key_arn"
  }
}

run "alarms_can_be_disabled_and_tuned" {
  command = apply

  variables {
    alarms_enabled = false
  }

  assert {
    condition     = length(module.alarms.resources) == 0 && output.alarm_arns == {}
    error_message = "no alarms when disabled"
  }
}

run "alarm_thresholds" {
  command = apply

  variables {
    executions_failed_threshold = 5
    alarm_period_seconds        = 300
  }

  assert {
    condition     = module.alarms.resources["executions-failed"].threshold == 5 && module.alarms.resources["executions-failed"].period == 300
    error_message = "thresholds and period from variables"
  }
}

# --- rejected inputs ------------------------------------------------------------------------------

run "rejects_unknown_log_level" {
  command = plan
  variables {
    log_level = "DEBUG"
  }
  expect_failures = [var.log_level]
}

run "rejects_express_without_logs" {
  command = plan
  variables {
    type      = "EXPRESS"
    log_level = "OFF"
  }
  expect_failures = [aws_sfn_state_machine.this]
}

run "rejects_wildcard_actions" {
  command = plan
  variables {
    integration_actions = { tables = { orders = ["dynamodb:*"] } }
  }
  expect_failures = [var.integration_actions]
}

run "rejects_actions_outside_the_kind_allow_list" {
  command = plan
  variables {
    integration_actions = { queues = { "out-box" = ["sqs:DeleteQueue"] } }
  }
  expect_failures = [var.integration_actions]
}

run "rejects_empty_action_list" {
  command = plan
  variables {
    integration_actions = { tables = { orders = [] } }
  }
  expect_failures = [var.integration_actions]
}

run "rejects_actions_for_undeclared_integration" {
  command = plan
  variables {
    integration_actions = { tables = { ghost = ["dynamodb:GetItem"] } }
  }
  expect_failures = [aws_sfn_state_machine.this]
}

run "rejects_wildcard_arn" {
  command = plan
  variables {
    integrations = { tables = { all = "arn:aws:dynamodb:eu-west-1:123456789012:table/*" } }
  }
  expect_failures = [var.integrations]
}

run "rejects_queue_arn_as_table" {
  command = plan
  variables {
    integrations = { tables = { orders = "arn:aws:sqs:eu-west-1:123456789012:orders" } }
  }
  expect_failures = [var.integrations]
}

run "rejects_bad_retention" {
  command = plan
  variables {
    log_retention_days = 10
  }
  expect_failures = [var.log_retention_days]
}

run "rejects_non_asl_definition" {
  command = plan
  variables {
    definition = "{\"Comment\":\"no states\"}"
  }
  expect_failures = [var.definition]
}

run "rejects_long_name" {
  command = plan
  variables {
    name = "a-name-that-is-far-too-long-for-the-execution-role-name-x"
  }
  expect_failures = [var.name]
}
