# Mocked AWS provider: no credentials, no network. Needs build/ping.zip (`make build`).
mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values (tests/mocks/aws)
}

variables {
  name = "webhook-worker"
  function = {
    zip_path = "../../build/ping.zip"
    handler  = "ping.handler"
    timeout  = 30
  }
  queue = {
    arn                        = "arn:aws:sqs:eu-west-1:123456789012:webhooks"
    url                        = "https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks"
    name                       = "webhooks"
    visibility_timeout_seconds = 180
  }
}

run "mapping_and_least_privilege" {
  command = apply

  assert {
    condition     = aws_lambda_event_source_mapping.this.function_response_types == toset(["ReportBatchItemFailures"])
    error_message = "ReportBatchItemFailures must always be on"
  }
  assert {
    condition     = aws_lambda_event_source_mapping.this.event_source_arn == "arn:aws:sqs:eu-west-1:123456789012:webhooks" && aws_lambda_event_source_mapping.this.function_name == "arn:aws:lambda:eu-west-1:123456789012:function:mock"
    error_message = "mapping must connect this queue to this function"
  }
  assert {
    condition     = aws_lambda_event_source_mapping.this.batch_size == 10 && aws_lambda_event_source_mapping.this.maximum_batching_window_in_seconds == 0
    error_message = "batch defaults wrong"
  }
  assert {
    condition     = aws_lambda_event_source_mapping.this.scaling_config[0].maximum_concurrency == 5
    error_message = "maximum concurrency must be set (default 5)"
  }
  # The role policy: the logs statement plus exactly the four SQS actions on the queue ARN.
  assert {
    condition = one([
      for s in jsondecode(module.function.role_policy_json).Statement : s if anytrue([for a in s.Action : startswith(a, "sqs:")])
      ]) == {
      Sid      = "ConsumeQueue"
      Effect   = "Allow"
      Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
      Resource = ["arn:aws:sqs:eu-west-1:123456789012:webhooks"]
    }
    error_message = "worker role must hold exactly the 4 SQS consumer actions on the queue ARN"
  }
  assert {
    condition     = length(jsondecode(module.function.role_policy_json).Statement) == 2
    error_message = "no statement beyond logs + queue by default (no KMS without a CMK)"
  }
  assert {
    condition     = !strcontains(module.function.role_policy_json, "sqs:*") && !strcontains(module.function.role_policy_json, "sqs:SendMessage")
    error_message = "no SQS wildcard or producer action"
  }
  assert {
    condition     = output.event_source_mapping_uuid == "11111111-2222-3333-4444-555555555555"
    error_message = "mapping UUID must be output"
  }
}

run "cmk_queue_adds_decrypt_only_on_that_key" {
  command = apply
  variables {
    queue = {
      arn                        = "arn:aws:sqs:eu-west-1:123456789012:webhooks"
      url                        = "https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks"
      name                       = "webhooks"
      visibility_timeout_seconds = 180
      kms_key_arn                = "arn:aws:kms:eu-west-1:123456789012:key/abc"
    }
  }
  assert {
    condition = one([
      for s in jsondecode(module.function.role_policy_json).Statement : s if lookup(s, "Sid", "") == "DecryptQueueMessages"
    ]) == { Sid = "DecryptQueueMessages", Effect = "Allow", Action = ["kms:Decrypt"], Resource = ["arn:aws:kms:eu-west-1:123456789012:key/abc"] }
    error_message = "kms:Decrypt on the queue's CMK only"
  }
}

run "batching_window_allows_large_batches" {
  command = plan
  variables {
    batch_size                         = 500
    maximum_batching_window_in_seconds = 5
    maximum_concurrency                = 50
  }
  assert {
    condition     = aws_lambda_event_source_mapping.this.batch_size == 500 && aws_lambda_event_source_mapping.this.maximum_batching_window_in_seconds == 5 && aws_lambda_event_source_mapping.this.scaling_config[0].maximum_concurrency == 50
    error_message = "values must pass through"
  }
}

run "fifo_queue_omits_batching_window" {
  command = plan
  variables {
    queue = {
      arn                        = "arn:aws:sqs:eu-west-1:123456789012:webhooks.fifo"
      url                        = "https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks.fifo"
      name                       = "webhooks.fifo"
      visibility_timeout_seconds = 180
    }
  }
  assert {
    condition     = aws_lambda_event_source_mapping.this.maximum_batching_window_in_seconds == null
    error_message = "FIFO mappings must not set a batching window"
  }
}

run "refuses_visibility_shorter_than_6x_timeout" {
  command = plan
  variables {
    function = { zip_path = "../../build/ping.zip", handler = "ping.handler", timeout = 31 }
  }
  expect_failures = [aws_lambda_event_source_mapping.this]
}

# Attributes left out of `function` take modules/function's defaults (30 s timeout, Python
# 3.12, Powertools layer, alarms on), and the 6x visibility rule sees that default.
run "function_defaults_come_from_modules_function" {
  command = plan
  variables {
    function = { zip_path = "../../build/ping.zip", handler = "ping.handler" }
  }
  assert {
    condition     = module.function.timeout == 30 && module.function.runtime == "python3.12" && module.function.architecture == "arm64"
    error_message = "an attribute left out of function must take modules/function's default"
  }
  assert {
    condition     = length(module.function.layers) == 1 && strcontains(module.function.layers[0], "AWSLambdaPowertoolsPythonV3-python312-arm64")
    error_message = "the Powertools layer is on by default"
  }
  assert {
    condition     = keys(module.function.alarm_arns) == ["duration", "errors", "throttles"]
    error_message = "the function's alarms are on by default"
  }
}

run "refuses_visibility_shorter_than_6x_default_timeout" {
  command = plan
  variables {
    function = { zip_path = "../../build/ping.zip", handler = "ping.handler" }
    queue = {
      arn                        = "arn:aws:sqs:eu-west-1:123456789012:webhooks"
      url                        = "https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks"
      name                       = "webhooks"
      visibility_timeout_seconds = 179
    }
  }
  expect_failures = [aws_lambda_event_source_mapping.this]
}

run "function_attributes_pass_through" {
  command = plan
  variables {
    function = {
      zip_path                 = "../../build/ping.zip"
      handler                  = "ping.handler"
      timeout                  = 20
      runtime                  = "python3.13"
      architecture             = "x86_64"
      powertools_layer_enabled = false
    }
  }
  assert {
    condition     = module.function.timeout == 20 && module.function.runtime == "python3.13" && module.function.architecture == "x86_64" && length(module.function.layers) == 0
    error_message = "function attributes must reach modules/function"
  }
}

run "refuses_large_batch_without_window" {
  command = plan
  variables {
    batch_size = 11
  }
  expect_failures = [aws_lambda_event_source_mapping.this]
}

run "refuses_fifo_batch_above_10" {
  command = plan
  variables {
    batch_size                         = 20
    maximum_batching_window_in_seconds = 1
    queue = {
      arn                        = "arn:aws:sqs:eu-west-1:123456789012:webhooks.fifo"
      url                        = "https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks.fifo"
      name                       = "webhooks.fifo"
      visibility_timeout_seconds = 180
    }
  }
  expect_failures = [aws_lambda_event_source_mapping.this]
}

run "refuses_reserved_below_maximum_concurrency" {
  command = plan
  variables {
    function            = { zip_path = "../../build/ping.zip", handler = "ping.handler", reserved_concurrency = 2 }
    maximum_concurrency = 10
  }
  expect_failures = [aws_lambda_event_source_mapping.this]
}

run "refuses_out_of_range_batch_and_concurrency" {
  command = plan
  variables {
    batch_size          = 10001
    maximum_concurrency = 1
  }
  expect_failures = [var.batch_size, var.maximum_concurrency]
}

run "rejects_a_kms_alias" {
  # An alias in kms:Decrypt's Resource matches nothing (cmks-in-iam-policies): every receive would fail.
  command = plan
  variables {
    queue = {
      arn                        = "arn:aws:sqs:eu-west-1:123456789012:webhooks"
      url                        = "https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks"
      name                       = "webhooks"
      visibility_timeout_seconds = 180
      kms_key_arn                = "arn:aws:kms:eu-west-1:123456789012:alias/webhooks"
    }
  }
  expect_failures = [var.queue]
}
