# Mocked AWS provider: no credentials, no network. Needs build/ping.zip (`make build`).
mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values (tests/mocks/aws)
}

variables {
  name          = "ping"
  zip_path      = "../../build/ping.zip"
  handler       = "ping.handler"
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:alarms"]
}

run "defaults" {
  command = apply

  assert {
    condition     = aws_lambda_function.this.runtime == "python3.12" && aws_lambda_function.this.architectures == tolist(["arm64"])
    error_message = "python3.12 on arm64 by default"
  }
  assert {
    condition     = aws_lambda_function.this.memory_size == 256 && aws_lambda_function.this.timeout == 30
    error_message = "memory/timeout defaults wrong"
  }
  assert {
    condition     = aws_lambda_function.this.source_code_hash == filebase64sha256("../../build/ping.zip")
    error_message = "source_code_hash must follow the zip"
  }
  assert {
    condition     = aws_lambda_function.this.layers == tolist(["arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-arm64:38"])
    error_message = "Powertools v3 layer ARN must follow region, python version and architecture"
  }
  assert {
    condition     = aws_lambda_function.this.reserved_concurrent_executions == -1
    error_message = "unreserved by default"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["POWERTOOLS_SERVICE_NAME"] == "ping"
    error_message = "service name defaults to the function name"
  }
  assert {
    condition     = aws_lambda_function.this.logging_config[0].log_group == "/aws/lambda/ping" && aws_lambda_function.this.logging_config[0].log_format == "JSON"
    error_message = "logs must go to the module's own log group as JSON"
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.retention_in_days == 30
    error_message = "log retention must default to 30 days"
  }
  assert {
    condition     = aws_lambda_function.this.tracing_config[0].mode == "PassThrough"
    error_message = "X-Ray off by default"
  }
  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Principal.Service == "lambda.amazonaws.com"
    error_message = "only Lambda may assume the role"
  }
  # Least privilege: exactly one statement, logs to its own group only.
  assert {
    condition     = length(jsondecode(aws_iam_role_policy.this.policy).Statement) == 1
    error_message = "default role policy must hold only the logs statement"
  }
  assert {
    condition = (
      jsondecode(aws_iam_role_policy.this.policy).Statement[0].Action == ["logs:CreateLogStream", "logs:PutLogEvents"] &&
      jsondecode(aws_iam_role_policy.this.policy).Statement[0].Resource == ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/mock:*"]
    )
    error_message = "logs statement must be scoped to the function's own log group"
  }
  assert {
    condition     = output.function_arn == "arn:aws:lambda:eu-west-1:123456789012:function:mock" && output.timeout == 30 && output.role_name == "ping-role"
    error_message = "outputs wrong"
  }
}

run "alarms" {
  command = plan

  assert {
    condition     = module.alarms.resources["errors"].namespace == "AWS/Lambda" && module.alarms.resources["errors"].metric_name == "Errors" && module.alarms.resources["errors"].dimensions["FunctionName"] == "ping"
    error_message = "errors alarm wrong"
  }
  assert {
    condition     = module.alarms.resources["throttles"].metric_name == "Throttles" && module.alarms.resources["throttles"].dimensions["FunctionName"] == "ping"
    error_message = "throttles alarm wrong"
  }
  assert {
    condition     = module.alarms.resources["duration"].metric_name == "Duration" && module.alarms.resources["duration"].extended_statistic == "p99" && module.alarms.resources["duration"].threshold == 24000
    error_message = "p99 duration alarm must sit at 80% of the 30 s timeout (24000 ms)"
  }
  assert {
    condition = alltrue([
      for a in [module.alarms.resources["errors"], module.alarms.resources["throttles"], module.alarms.resources["duration"]] :
      a.treat_missing_data == "notBreaching" && contains(a.alarm_actions, "arn:aws:sns:eu-west-1:123456789012:alarms") && contains(a.ok_actions, "arn:aws:sns:eu-west-1:123456789012:alarms")
    ])
    error_message = "alarms must be notBreaching and wired to the topic"
  }
}

run "x86_python313_tracing_and_statements" {
  command = apply
  variables {
    runtime                  = "python3.13"
    architecture             = "x86_64"
    tracing_enabled          = true
    reserved_concurrency     = 10
    powertools_layer_version = 30
    environment              = { POWERTOOLS_SERVICE_NAME = "custom", TABLE = "users" }
    policy_statements = [{
      sid       = "ReadUsers"
      actions   = ["dynamodb:GetItem"]
      resources = ["arn:aws:dynamodb:eu-west-1:123456789012:table/users"]
      conditions = [{
        test     = "ForAllValues:StringEquals"
        variable = "dynamodb:Attributes"
        values   = ["pk", "email"]
      }]
    }]
  }

  assert {
    condition     = aws_lambda_function.this.layers == tolist(["arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-x86_64:30"])
    error_message = "layer must follow python3.13/x86_64 and the pinned version"
  }
  assert {
    condition     = aws_lambda_function.this.tracing_config[0].mode == "Active"
    error_message = "tracing must be Active"
  }
  assert {
    condition     = aws_lambda_function.this.reserved_concurrent_executions == 10
    error_message = "reserved concurrency must pass through"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables == tomap({ POWERTOOLS_SERVICE_NAME = "custom", TABLE = "users" })
    error_message = "caller environment must win over defaults"
  }
  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : lookup(s, "Sid", "")] == ["WriteOwnLogGroup", "WriteXRayTraces", "ReadUsers"]
    error_message = "statements: logs, X-Ray, then the caller's"
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.this.policy).Statement[2].Condition["ForAllValues:StringEquals"]["dynamodb:Attributes"] == ["pk", "email"]
    error_message = "conditions must be rendered into the statement"
  }
}

run "no_powertools_layer" {
  command = plan
  variables {
    powertools_layer_enabled = false
    layers                   = ["arn:aws:lambda:eu-west-1:123456789012:layer:mine:1"]
  }
  assert {
    condition     = aws_lambda_function.this.layers == tolist(["arn:aws:lambda:eu-west-1:123456789012:layer:mine:1"])
    error_message = "only the caller's layers when Powertools is off"
  }
}

run "rejects_bad_runtime_memory_timeout_architecture" {
  command = plan
  variables {
    runtime      = "python3.11"
    memory_size  = 64
    timeout      = 901
    architecture = "arm"
  }
  expect_failures = [var.runtime, var.memory_size, var.timeout, var.architecture]
}

run "rejects_wildcard_statements_and_bad_retention" {
  command = plan
  variables {
    policy_statements  = [{ actions = ["s3:*"], resources = ["*"] }]
    log_retention_days = 10
  }
  expect_failures = [var.policy_statements, var.log_retention_days]
}

run "rejects_more_than_five_layers" {
  command = plan
  variables {
    layers = [for i in range(5) : "arn:aws:lambda:eu-west-1:123456789012:layer:l${i}:1"]
  }
  expect_failures = [aws_lambda_function.this]
}

# --- cold starts ----------------------------------------------------------------------------------

run "no_alias_by_default" {
  command = apply

  assert {
    condition     = aws_lambda_function.this.publish == false && length(aws_lambda_alias.this) == 0 && length(aws_lambda_provisioned_concurrency_config.this) == 0
    error_message = "nothing published, no alias, no provisioned concurrency by default"
  }
  assert {
    condition     = length(aws_lambda_function.this.snap_start) == 0
    error_message = "SnapStart off by default"
  }
  assert {
    condition     = output.alias_arn == null && output.alias_invoke_arn == null && output.alias_name == null
    error_message = "alias outputs are null without an alias"
  }
  assert {
    condition = (
      output.api_target.arn == output.function_arn && output.api_target.invoke_arn == output.invoke_arn && output.api_target.qualifier == null &&
      output.invoke_target_arn == output.function_arn
    )
    error_message = "without an alias, routes and callers use the unqualified function"
  }
  assert {
    condition = jsondecode(output.invoker_policy_json) == {
      Version = "2012-10-17"
      Statement = [{
        Sid      = "InvokeFunction"
        Effect   = "Allow"
        Action   = ["lambda:InvokeFunction"]
        Resource = ["arn:aws:lambda:eu-west-1:123456789012:function:mock"]
      }]
    }
    error_message = "invoker policy must allow lambda:InvokeFunction on this function only"
  }
}

run "provisioned_concurrency_on_alias" {
  command = apply
  variables {
    provisioned_concurrency = 3
    reserved_concurrency    = 10
  }

  assert {
    condition     = aws_lambda_function.this.publish == true
    error_message = "provisioned concurrency needs a published version"
  }
  assert {
    condition     = aws_lambda_alias.this[0].name == "live" && aws_lambda_alias.this[0].function_name == "ping" && aws_lambda_alias.this[0].function_version == "7"
    error_message = "alias 'live' must point at the published version"
  }
  assert {
    condition = (
      aws_lambda_provisioned_concurrency_config.this[0].qualifier == "live" &&
      aws_lambda_provisioned_concurrency_config.this[0].function_name == "ping" &&
      aws_lambda_provisioned_concurrency_config.this[0].provisioned_concurrent_executions == 3
    )
    error_message = "provisioned concurrency must sit on the alias"
  }
  assert {
    condition     = length(aws_lambda_function.this.snap_start) == 0
    error_message = "no SnapStart with provisioned concurrency"
  }
  assert {
    condition = (
      output.alias_arn == "arn:aws:lambda:eu-west-1:123456789012:function:mock:live" &&
      output.alias_invoke_arn == "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mock:live/invocations" &&
      output.qualified_arn == "arn:aws:lambda:eu-west-1:123456789012:function:mock:7" && output.version == "7"
    )
    error_message = "alias / qualified outputs wrong"
  }
  assert {
    condition = (
      output.api_target == { arn = "arn:aws:lambda:eu-west-1:123456789012:function:mock", invoke_arn = output.alias_invoke_arn, qualifier = "live" } &&
      output.invoke_target_arn == output.alias_arn
    )
    error_message = "routes must target the alias (permission on the function + qualifier) and callers the alias ARN"
  }
  assert {
    condition     = jsondecode(output.invoker_policy_json).Statement[0].Resource == ["arn:aws:lambda:eu-west-1:123456789012:function:mock", "arn:aws:lambda:eu-west-1:123456789012:function:mock:live"]
    error_message = "invoker policy must cover the function and its alias, nothing else"
  }
  assert {
    condition     = jsondecode(output.invoker_policy_json).Statement[0].Action == ["lambda:InvokeFunction"] && length(jsondecode(output.invoker_policy_json).Statement) == 1
    error_message = "invoker policy must hold lambda:InvokeFunction only"
  }
}

run "snap_start_publishes_with_alias" {
  command = apply
  variables {
    snap_start = true
    alias_name = "current"
    runtime    = "python3.13"
  }

  assert {
    condition     = aws_lambda_function.this.snap_start[0].apply_on == "PublishedVersions" && aws_lambda_function.this.publish == true
    error_message = "SnapStart must apply on published versions, and a version must be published"
  }
  assert {
    condition     = aws_lambda_alias.this[0].name == "current" && length(aws_lambda_provisioned_concurrency_config.this) == 0
    error_message = "alias with the chosen name, no provisioned concurrency"
  }
  assert {
    condition     = output.api_target.qualifier == "current"
    error_message = "routes must invoke the alias (snapshots only serve published versions)"
  }
}

run "publish_only" {
  command = plan
  variables {
    publish = true
  }
  assert {
    condition     = aws_lambda_function.this.publish == true && length(aws_lambda_alias.this) == 1 && length(aws_lambda_function.this.snap_start) == 0
    error_message = "publish alone: version + alias, no SnapStart"
  }
}

run "rejects_snap_start_with_provisioned_concurrency" {
  command = plan
  variables {
    snap_start              = true
    provisioned_concurrency = 2
  }
  expect_failures = [aws_lambda_function.this]
}

run "rejects_provisioned_above_reserved" {
  command = plan
  variables {
    provisioned_concurrency = 5
    reserved_concurrency    = 4
  }
  expect_failures = [aws_lambda_function.this]
}

# The runtime input admits only SnapStart-capable runtimes (python3.12, python3.13), so an
# older Python is refused by the runtime validation before the SnapStart precondition.
run "rejects_snap_start_on_unsupported_runtime" {
  command = plan
  variables {
    snap_start = true
    runtime    = "python3.11"
  }
  expect_failures = [var.runtime]
}

run "rejects_bad_alias_and_negative_provisioned_concurrency" {
  command = plan
  variables {
    alias_name              = "42"
    provisioned_concurrency = -1
  }
  expect_failures = [var.alias_name, var.provisioned_concurrency]
}

# --- secrets --------------------------------------------------------------------------------------

run "secrets_read_exactly_the_named_arns" {
  command = apply
  variables {
    tracing_enabled = true
    secrets = {
      api_key = "arn:aws:ssm:eu-west-1:123456789012:parameter/storefirst/dev/api-key"
      db      = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:storefirst/dev/db-AbC123"
      flag    = "arn:aws:ssm:eu-west-1:123456789012:parameter/flag"
    }
    secrets_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    policy_statements   = [{ sid = "ReadUsers", actions = ["dynamodb:GetItem"], resources = ["arn:aws:dynamodb:eu-west-1:123456789012:table/users"] }]
  }

  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Sid] == ["WriteOwnLogGroup", "WriteXRayTraces", "ReadSsmSecrets", "ReadSecretsManagerSecrets", "DecryptSecretsViaService", "ReadUsers"]
    error_message = "statements: logs, X-Ray, secrets, KMS, then the caller's"
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.this.policy).Statement[2] == {
      Sid      = "ReadSsmSecrets"
      Effect   = "Allow"
      Action   = ["ssm:GetParameter", "ssm:GetParameters"]
      Resource = ["arn:aws:ssm:eu-west-1:123456789012:parameter/flag", "arn:aws:ssm:eu-west-1:123456789012:parameter/storefirst/dev/api-key"]
    }
    error_message = "SSM: GetParameter(s) on exactly the two parameter ARNs"
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.this.policy).Statement[3] == {
      Sid      = "ReadSecretsManagerSecrets"
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:storefirst/dev/db-AbC123"]
    }
    error_message = "Secrets Manager: GetSecretValue on exactly the secret ARN"
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.this.policy).Statement[4] == {
      Sid       = "DecryptSecretsViaService"
      Effect    = "Allow"
      Action    = ["kms:Decrypt"]
      Resource  = ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
      Condition = { StringEquals = { "kms:ViaService" = ["ssm.eu-west-1.amazonaws.com", "secretsmanager.eu-west-1.amazonaws.com"] } }
    }
    error_message = "KMS: Decrypt on the key only through SSM / Secrets Manager of this Region"
  }
  assert {
    condition = (
      aws_lambda_function.this.environment[0].variables["SECRET_API_KEY_ARN"] == "arn:aws:ssm:eu-west-1:123456789012:parameter/storefirst/dev/api-key" &&
      aws_lambda_function.this.environment[0].variables["SECRET_DB_ARN"] == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:storefirst/dev/db-AbC123" &&
      aws_lambda_function.this.environment[0].variables["SECRET_FLAG_ARN"] == "arn:aws:ssm:eu-west-1:123456789012:parameter/flag"
    )
    error_message = "each secret's ARN (not its value) must be passed as SECRET_<NAME>_ARN"
  }
  assert {
    condition     = output.secret_environment == { SECRET_API_KEY_ARN = "arn:aws:ssm:eu-west-1:123456789012:parameter/storefirst/dev/api-key", SECRET_DB_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:storefirst/dev/db-AbC123", SECRET_FLAG_ARN = "arn:aws:ssm:eu-west-1:123456789012:parameter/flag" }
    error_message = "secret_environment output wrong"
  }
}

run "ssm_only_secret_key_grant_names_ssm_only" {
  command = plan
  variables {
    secrets             = { api_key = "arn:aws:ssm:eu-west-1:123456789012:parameter/api-key" }
    secrets_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Sid] == ["WriteOwnLogGroup", "ReadSsmSecrets", "DecryptSecretsViaService"]
    error_message = "no Secrets Manager statement without a Secrets Manager secret"
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.this.policy).Statement[2].Condition.StringEquals["kms:ViaService"] == ["ssm.eu-west-1.amazonaws.com"]
    error_message = "the key may only be used through SSM here"
  }
}

run "rejects_bad_secret_arns" {
  command = plan
  variables {
    secrets = {
      wildcard   = "arn:aws:ssm:eu-west-1:123456789012:parameter/app/*"
      no_suffix  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"
      not_an_arn = "/app/api-key"
    }
  }
  expect_failures = [var.secrets]
}

run "rejects_a_secretsmanager_arn_without_its_suffix" {
  command = plan
  variables {
    secrets = { db = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db" }
  }
  expect_failures = [var.secrets]
}

run "rejects_bad_secret_name_and_kms_alias" {
  command = plan
  variables {
    secrets             = { "api-key" = "arn:aws:ssm:eu-west-1:123456789012:parameter/api-key" }
    secrets_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/mine"
  }
  expect_failures = [var.secrets, var.secrets_kms_key_arn]
}

run "rejects_environment_shadowing_a_secret" {
  command = plan
  variables {
    secrets     = { api_key = "arn:aws:ssm:eu-west-1:123456789012:parameter/api-key" }
    environment = { SECRET_API_KEY_ARN = "plain-value" }
  }
  expect_failures = [aws_lambda_function.this]
}

run "rejects_kms_key_without_secrets" {
  command = plan
  variables {
    secrets_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  expect_failures = [aws_lambda_function.this]
}
