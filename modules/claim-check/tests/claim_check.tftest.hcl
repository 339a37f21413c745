mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values; the blocks below are this file's own
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::large-claim-check-123456789012", id = "large-claim-check-123456789012" }
  }
}

variables {
  name               = "large"
  queue_arn          = "arn:aws:sqs:eu-west-1:123456789012:large-webhook"
  queue_policy_ready = "policy-id"
  forward_headers    = ["X-Idempotency-Key"]
}

run "rest_api_writes_the_body_to_s3_keyed_by_request_id" {
  command = apply

  assert {
    condition     = aws_api_gateway_integration.s3.type == "AWS" && aws_api_gateway_integration.s3.integration_http_method == "PUT" && aws_api_gateway_integration.s3.uri == "arn:aws:apigateway:eu-west-1:s3:path/large-claim-check-123456789012/incoming/{object}"
    error_message = "POST must be an AWS integration PUTting to s3:path/<bucket>/<prefix>{object}"
  }
  assert {
    condition = (aws_api_gateway_integration.s3.request_parameters["integration.request.path.object"] == "context.requestId"
      && aws_api_gateway_integration.s3.request_parameters["integration.request.header.x-amz-meta-request-id"] == "context.requestId"
      && aws_api_gateway_integration.s3.request_parameters["integration.request.header.x-amz-meta-route"] == "'POST /webhook/large'"
    && aws_api_gateway_integration.s3.request_parameters["integration.request.header.x-amz-meta-x-idempotency-key"] == "method.request.header.X-Idempotency-Key")
    error_message = "the key and the request-id metadata come from $context.requestId; forwarded headers become x-amz-meta-*"
  }
  assert {
    condition     = aws_api_gateway_method.post.request_parameters["method.request.header.X-Idempotency-Key"] == false
    error_message = "forwarded headers are optional method request headers"
  }
  assert {
    condition     = aws_api_gateway_integration_response.stored.status_code == "202" && strcontains(aws_api_gateway_integration_response.stored.response_templates["application/json"], "$context.requestId")
    error_message = "a stored body answers 202 with the request id"
  }
  assert {
    condition     = aws_api_gateway_integration_response.refused.selection_pattern == "4\\d{2}" && aws_api_gateway_integration_response.unavailable.selection_pattern == "5\\d{2}"
    error_message = "S3 4xx -> 500 NotStored, 5xx -> 503"
  }
}

run "integration_role_may_only_put_under_the_prefix" {
  command = apply

  assert {
    condition     = jsondecode(aws_iam_role_policy.integration.policy).Statement == [{ Sid = "StoreBodies", Effect = "Allow", Action = ["s3:PutObject"], Resource = ["arn:aws:s3:::large-claim-check-123456789012/incoming/*"] }]
    error_message = "the integration role must allow exactly s3:PutObject on <bucket>/incoming/*"
  }
  assert {
    condition     = jsondecode(aws_iam_role.integration.assume_role_policy).Statement[0].Principal.Service == "apigateway.amazonaws.com" && !can(jsondecode(aws_iam_role.integration.assume_role_policy).Statement[0].Condition)
    error_message = "trust: apigateway.amazonaws.com with no source conditions"
  }
  assert {
    condition     = output.worker_policy_statements == [{ sid = "ReadClaimChecks", actions = ["s3:GetObject"], resources = ["arn:aws:s3:::large-claim-check-123456789012/incoming/*"] }]
    error_message = "the worker may only read the stored bodies"
  }
}

run "queue_policy_allows_this_bucket_only" {
  command = apply

  assert {
    condition = jsondecode(output.queue_policy_json).Statement[0] == {
      Sid       = "AllowClaimCheckBucketNotifications"
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = "arn:aws:sqs:eu-west-1:123456789012:large-webhook"
      Condition = {
        ArnEquals    = { "aws:SourceArn" = "arn:aws:s3:::large-claim-check-123456789012" }
        StringEquals = { "aws:SourceAccount" = "123456789012" }
      }
    }
    error_message = "S3 may send only for this bucket (aws:SourceArn) and account (aws:SourceAccount)"
  }
  assert {
    condition     = one(aws_s3_bucket_notification.this.queue).events == toset(["s3:ObjectCreated:Put"]) && one(aws_s3_bucket_notification.this.queue).filter_prefix == "incoming/"
    error_message = "notify the queue of PutObject under the prefix"
  }
}

run "bucket_is_locked_down" {
  command = apply

  assert {
    condition     = aws_s3_bucket_public_access_block.this.block_public_acls && aws_s3_bucket_public_access_block.this.block_public_policy && aws_s3_bucket_public_access_block.this.ignore_public_acls && aws_s3_bucket_public_access_block.this.restrict_public_buckets
    error_message = "public access must be blocked"
  }
  assert {
    condition     = one(aws_s3_bucket_ownership_controls.this.rule).object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs disabled"
  }
  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "SSE-S3 without a key"
  }
  assert {
    condition     = jsondecode(aws_s3_bucket_policy.this.policy).Statement[0].Condition == { Bool = { "aws:SecureTransport" = "false" } } && jsondecode(aws_s3_bucket_policy.this.policy).Statement[0].Effect == "Deny"
    error_message = "TLS only"
  }
  assert {
    condition     = one(aws_s3_bucket_lifecycle_configuration.this.rule).expiration[0].days == 14 && length(aws_s3_bucket_versioning.this) == 0
    error_message = "bodies expire after 14 days; versioning off by default"
  }
}

run "kms_and_versioning" {
  command = apply
  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    versioning  = true
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms" && length(aws_s3_bucket_versioning.this) == 1
    error_message = "SSE-KMS with the key; versioning on"
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.integration.policy).Statement[1] == { Sid = "EncryptBodies", Effect = "Allow", Action = ["kms:GenerateDataKey"], Resource = ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"], Condition = { StringEquals = { "kms:ViaService" = "s3.eu-west-1.amazonaws.com" } } }
    error_message = "kms:GenerateDataKey through S3 only"
  }
}

run "refuses_a_fifo_queue" {
  command = plan
  variables {
    queue_arn = "arn:aws:sqs:eu-west-1:123456789012:large.fifo"
  }
  expect_failures = [var.queue_arn]
}

run "alarms_5xx_rate_and_p99_latency" {
  command = apply
  variables {
    alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:alerts"]
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.error_rate[0].metric_name == "5XXError" && aws_cloudwatch_metric_alarm.latency_p99[0].extended_statistic == "p99" && aws_cloudwatch_metric_alarm.latency_p99[0].dimensions == tomap({ ApiName = "large", Stage = "v1" })
    error_message = "5XXError rate and p99 Latency alarms on ApiName + Stage"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.latency_p99[0].alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:alerts"]) && aws_cloudwatch_metric_alarm.error_rate[0].treat_missing_data == "notBreaching"
    error_message = "alarms notify the topic; no traffic is not an outage"
  }
}
