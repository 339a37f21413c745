# Mocked AWS provider: no credentials, no network. Needs build/ping.zip (`make build`).
mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/mock" }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn        = "arn:aws:lambda:eu-west-1:123456789012:function:mock"
      invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mock/invocations"
    }
  }
  mock_resource "aws_cloudwatch_metric_alarm" {
    defaults = { arn = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:mock" }
  }
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
    condition     = aws_cloudwatch_metric_alarm.errors[0].namespace == "AWS/Lambda" && aws_cloudwatch_metric_alarm.errors[0].metric_name == "Errors" && aws_cloudwatch_metric_alarm.errors[0].dimensions["FunctionName"] == "ping"
    error_message = "errors alarm wrong"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.throttles[0].metric_name == "Throttles" && aws_cloudwatch_metric_alarm.throttles[0].dimensions["FunctionName"] == "ping"
    error_message = "throttles alarm wrong"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.duration[0].metric_name == "Duration" && aws_cloudwatch_metric_alarm.duration[0].extended_statistic == "p99" && aws_cloudwatch_metric_alarm.duration[0].threshold == 24000
    error_message = "p99 duration alarm must sit at 80% of the 30 s timeout (24000 ms)"
  }
  assert {
    condition = alltrue([
      for a in [aws_cloudwatch_metric_alarm.errors[0], aws_cloudwatch_metric_alarm.throttles[0], aws_cloudwatch_metric_alarm.duration[0]] :
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
