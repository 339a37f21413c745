# Plan/apply against a mocked AWS provider: no credentials, no network.
mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values (tests/mocks/aws)
}

# Real-shaped ARNs per queue: the module builds the work queue's ARN from the DLQ's and
# checks it against the queue's own (postcondition).
override_resource {
  target = aws_sqs_queue.dlq
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:orders-dlq"
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders-dlq"
  }
}

override_resource {
  target = aws_sqs_queue.this
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:orders"
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders"
  }
}

variables {
  name          = "orders"
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:alarms"]
}

run "standard_queue_defaults" {
  command = apply

  assert {
    condition     = aws_sqs_queue.this.name == "orders" && aws_sqs_queue.dlq.name == "orders-dlq"
    error_message = "queue/DLQ names wrong"
  }
  assert {
    condition     = jsondecode(aws_sqs_queue.this.redrive_policy).maxReceiveCount == 5
    error_message = "redrive maxReceiveCount must default to 5"
  }
  assert {
    condition     = jsondecode(aws_sqs_queue.this.redrive_policy).deadLetterTargetArn == aws_sqs_queue.dlq.arn
    error_message = "redrive must target the module's DLQ"
  }
  assert {
    condition     = aws_sqs_queue.this.sqs_managed_sse_enabled == true && aws_sqs_queue.dlq.sqs_managed_sse_enabled == true
    error_message = "SQS-managed SSE must be on for both queues when no CMK is given"
  }
  assert {
    condition     = aws_sqs_queue.this.kms_master_key_id == null && aws_sqs_queue.dlq.kms_master_key_id == null
    error_message = "no CMK expected by default"
  }
  assert {
    condition     = aws_sqs_queue.this.visibility_timeout_seconds == 180 && aws_sqs_queue.this.message_retention_seconds == 345600
    error_message = "visibility/retention defaults wrong"
  }
  assert {
    condition     = aws_sqs_queue.dlq.message_retention_seconds == 1209600
    error_message = "DLQ keeps messages 14 days by default"
  }
  assert {
    condition     = jsondecode(aws_sqs_queue_redrive_allow_policy.dlq.redrive_allow_policy).redrivePermission == "byQueue"
    error_message = "DLQ must only accept redrive from named queues"
  }
  assert {
    condition     = jsondecode(aws_sqs_queue_redrive_allow_policy.dlq.redrive_allow_policy).sourceQueueArns == [aws_sqs_queue.this.arn]
    error_message = "DLQ redrive allow policy must name exactly the source queue"
  }
  assert {
    condition     = aws_sqs_queue_redrive_allow_policy.dlq.queue_url == aws_sqs_queue.dlq.id && aws_sqs_queue_policy.dlq.queue_url == aws_sqs_queue.dlq.id
    error_message = "the redrive allow policy and the DLQ policy must be set on the DLQ"
  }
  assert {
    condition = alltrue([
      for p in [aws_sqs_queue.this.policy, aws_sqs_queue_policy.dlq.policy] :
      anytrue([
        for s in jsondecode(p).Statement :
        s.Effect == "Deny" && s.Action == "sqs:*" && s.Principal == "*" && s.Condition.Bool["aws:SecureTransport"] == "false"
      ])
    ])
    error_message = "both queue policies must deny non-TLS access"
  }
  assert {
    condition     = jsondecode(aws_sqs_queue.this.policy).Statement[0].Resource == aws_sqs_queue.this.arn && jsondecode(aws_sqs_queue_policy.dlq.policy).Statement[0].Resource == aws_sqs_queue.dlq.arn
    error_message = "each TLS deny must be scoped to its own queue"
  }
  assert {
    condition     = length(output.alarm_arns) == 3
    error_message = "three alarms expected"
  }
}

run "alarms_metrics_and_dimensions" {
  command = plan

  assert {
    condition     = module.alarms.resources["age"].metric_name == "ApproximateAgeOfOldestMessage" && module.alarms.resources["age"].namespace == "AWS/SQS"
    error_message = "age alarm metric wrong"
  }
  assert {
    condition     = module.alarms.resources["age"].dimensions["QueueName"] == "orders" && module.alarms.resources["age"].threshold == 300
    error_message = "age alarm must watch the work queue at 300 s"
  }
  assert {
    condition     = module.alarms.resources["depth"].metric_name == "ApproximateNumberOfMessagesVisible" && module.alarms.resources["depth"].dimensions["QueueName"] == "orders"
    error_message = "depth alarm wrong"
  }
  assert {
    condition     = module.alarms.resources["dlq"].dimensions["QueueName"] == "orders-dlq" && module.alarms.resources["dlq"].threshold == 1 && module.alarms.resources["dlq"].comparison_operator == "GreaterThanOrEqualToThreshold"
    error_message = "DLQ alarm must fire on any visible message"
  }
  assert {
    condition = alltrue([
      for a in [module.alarms.resources["age"], module.alarms.resources["depth"], module.alarms.resources["dlq"]] :
      a.treat_missing_data == "notBreaching" && a.alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:alarms"]) && a.ok_actions == toset(["arn:aws:sns:eu-west-1:123456789012:alarms"])
    ])
    error_message = "every alarm: notBreaching and wired to the topic for ALARM and OK"
  }
}

run "alarms_can_be_disabled" {
  command = plan
  variables {
    alarms_enabled = false
  }
  assert {
    condition     = length(module.alarms.resources) == 0
    error_message = "alarms_enabled = false must create no alarm"
  }
}

run "fifo_with_cmk" {
  command   = plan
  state_key = "fifo" # fresh state: not a replacement of the standard queue applied above
  override_resource {
    target          = aws_sqs_queue.dlq
    values          = { arn = "arn:aws:sqs:eu-west-1:123456789012:orders-dlq.fifo" }
    override_during = plan
  }
  override_resource {
    target          = aws_sqs_queue.this
    values          = { arn = "arn:aws:sqs:eu-west-1:123456789012:orders.fifo" }
    override_during = plan
  }
  variables {
    fifo                        = true
    content_based_deduplication = true
    kms_key_arn                 = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    max_receive_count           = 3
  }
  assert {
    condition     = aws_sqs_queue.this.name == "orders.fifo" && aws_sqs_queue.dlq.name == "orders-dlq.fifo"
    error_message = "FIFO names must end in .fifo"
  }
  assert {
    condition     = aws_sqs_queue.this.fifo_queue && aws_sqs_queue.dlq.fifo_queue
    error_message = "a FIFO queue needs a FIFO DLQ"
  }
  assert {
    condition     = aws_sqs_queue.this.kms_master_key_id == var.kms_key_arn && aws_sqs_queue.dlq.kms_master_key_id == var.kms_key_arn
    error_message = "CMK must encrypt both queues"
  }
  assert {
    condition     = aws_sqs_queue.this.kms_data_key_reuse_period_seconds == 300
    error_message = "data key reuse must be set with a CMK"
  }
  assert {
    condition     = jsondecode(aws_sqs_queue.this.redrive_policy).maxReceiveCount == 3
    error_message = "max_receive_count must reach the redrive policy"
  }
}

run "extra_policy_statements_are_merged" {
  command = plan
  variables {
    source_policy_documents = [jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Sid       = "AllowTopic"
        Effect    = "Allow"
        Principal = { Service = "sns.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = "*"
      }]
    })]
  }
  assert {
    condition     = length(jsondecode(aws_sqs_queue.this.policy).Statement) == 2 && jsondecode(aws_sqs_queue.this.policy).Statement[0].Sid == "DenyInsecureTransport"
    error_message = "extra statements must be appended after the TLS deny"
  }
}

run "rejects_dedup_on_standard_queue" {
  command = plan
  variables {
    content_based_deduplication = true
  }
  expect_failures = [aws_sqs_queue.this]
}

run "rejects_a_queue_arn_other_than_the_built_one" {
  # The policies name the ARN built from the DLQ's; a queue whose real ARN differs fails.
  command   = apply
  state_key = "wrong_arn" # a queue created here, not the unchanged one applied above
  override_resource {
    target = aws_sqs_queue.this
    values = {
      arn = "arn:aws:sqs:eu-west-1:999999999999:orders"
      id  = "https://sqs.eu-west-1.amazonaws.com/999999999999/orders"
    }
  }
  expect_failures = [aws_sqs_queue.this]
}

run "rejects_dlq_retention_shorter_than_queue" {
  command = plan
  variables {
    message_retention_seconds     = 1209600
    dlq_message_retention_seconds = 86400
  }
  expect_failures = [aws_sqs_queue.this]
}

run "rejects_out_of_range_values" {
  command = plan
  variables {
    max_receive_count = 0
    max_message_size  = 1048576
  }
  expect_failures = [var.max_receive_count, var.max_message_size]
}

run "rejects_a_kms_alias" {
  # IAM statements cannot name a key by alias (cmks-in-iam-policies): producers' grants would deny.
  command = plan
  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/webhooks"
  }
  expect_failures = [var.kms_key_arn]
}
