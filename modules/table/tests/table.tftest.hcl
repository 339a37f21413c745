# Mocked AWS provider: no credentials, no network.
mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values; the blocks below are this file's own
  mock_resource "aws_dynamodb_table" {
    defaults = {
      arn        = "arn:aws:dynamodb:eu-west-1:123456789012:table/users"
      stream_arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/users/stream/2026-01-01T00:00:00.000"
    }
  }
}

variables {
  name          = "users"
  hash_key      = "pk"
  attributes    = [{ name = "pk", type = "S" }]
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:alarms"]
}

run "safe_defaults" {
  command = apply

  assert {
    condition     = aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST"
    error_message = "on-demand by default"
  }
  assert {
    condition     = aws_dynamodb_table.this.point_in_time_recovery[0].enabled
    error_message = "PITR must be on by default"
  }
  assert {
    condition     = aws_dynamodb_table.this.deletion_protection_enabled
    error_message = "deletion protection must be on by default"
  }
  assert {
    condition     = aws_dynamodb_table.this.server_side_encryption[0].enabled == false
    error_message = "AWS owned key (SSE enabled = false) by default"
  }
  assert {
    condition     = aws_dynamodb_table.this.stream_enabled == false && output.stream_arn == null
    error_message = "no stream by default"
  }
  assert {
    condition     = alltrue([for t in aws_dynamodb_table.this.ttl : !t.enabled])
    error_message = "no TTL by default"
  }
  assert {
    condition     = output.table_arn == "arn:aws:dynamodb:eu-west-1:123456789012:table/users" && output.index_arns == {} && output.range_key == null
    error_message = "outputs wrong"
  }
}

run "alarms" {
  command = plan

  assert {
    condition = toset([
      for q in module.alarms.resources["throttles"].metric_query : q.metric[0].metric_name if length(q.metric) > 0
    ]) == toset(["ReadThrottleEvents", "WriteThrottleEvents"])
    error_message = "throttle alarm must sum Read/WriteThrottleEvents"
  }
  assert {
    condition = alltrue([
      for q in module.alarms.resources["throttles"].metric_query : q.metric[0].namespace == "AWS/DynamoDB" && q.metric[0].dimensions == tomap({ TableName = "users" }) if length(q.metric) > 0
    ])
    error_message = "throttle metrics: AWS/DynamoDB, TableName"
  }
  assert {
    condition = alltrue([
      for q in module.alarms.resources["system_errors"].metric_query : q.metric[0].metric_name == "SystemErrors" && q.metric[0].dimensions["TableName"] == "users" if length(q.metric) > 0
    ])
    error_message = "system errors alarm must use SystemErrors with TableName"
  }
  assert {
    condition = toset([
      for q in module.alarms.resources["system_errors"].metric_query : q.metric[0].dimensions["Operation"] if length(q.metric) > 0
    ]) == toset(var.system_errors_operations)
    error_message = "one SystemErrors metric per operation"
  }
  assert {
    condition = alltrue([
      for a in [module.alarms.resources["throttles"], module.alarms.resources["system_errors"]] :
      a.treat_missing_data == "notBreaching" && contains(a.alarm_actions, "arn:aws:sns:eu-west-1:123456789012:alarms") && a.threshold == 1
    ])
    error_message = "alarms must be notBreaching, threshold 1, wired to the topic"
  }
}

run "full_featured" {
  command = apply
  variables {
    range_key = "sk"
    attributes = [
      { name = "pk", type = "S" },
      { name = "sk", type = "S" },
      { name = "email", type = "S" },
      { name = "created", type = "N" },
    ]
    global_secondary_indexes = [
      { name = "by-email", hash_key = "email", projection_type = "INCLUDE", non_key_attributes = ["first_name"] },
      { name = "by-created", hash_key = "pk", range_key = "created", projection_type = "KEYS_ONLY" },
    ]
    kms_key_arn         = "arn:aws:kms:eu-west-1:123456789012:key/abc"
    deletion_protection = false
    ttl_attribute       = "expires_at"
    stream_view_type    = "NEW_AND_OLD_IMAGES"
  }

  assert {
    condition     = aws_dynamodb_table.this.server_side_encryption[0].enabled && aws_dynamodb_table.this.server_side_encryption[0].kms_key_arn == "arn:aws:kms:eu-west-1:123456789012:key/abc"
    error_message = "CMK must be used when given"
  }
  assert {
    condition     = !aws_dynamodb_table.this.deletion_protection_enabled
    error_message = "deletion protection must be switchable"
  }
  assert {
    condition     = one(aws_dynamodb_table.this.ttl[*].attribute_name) == "expires_at" && one(aws_dynamodb_table.this.ttl[*].enabled)
    error_message = "TTL on expires_at"
  }
  assert {
    condition     = aws_dynamodb_table.this.stream_enabled && aws_dynamodb_table.this.stream_view_type == "NEW_AND_OLD_IMAGES" && output.stream_arn != null
    error_message = "stream must be enabled with the view type"
  }
  assert {
    condition = (
      { for g in aws_dynamodb_table.this.global_secondary_index : g.name => "${g.hash_key}/${g.projection_type}" } == { "by-email" = "email/INCLUDE", "by-created" = "pk/KEYS_ONLY" } &&
      one([for g in aws_dynamodb_table.this.global_secondary_index : g.range_key if g.name == "by-created"]) == "created" &&
      one([for g in aws_dynamodb_table.this.global_secondary_index : g.non_key_attributes if g.name == "by-email"]) == toset(["first_name"])
    )
    error_message = "GSIs must be created as declared"
  }
  assert {
    condition     = output.index_arns["by-email"] == "arn:aws:dynamodb:eu-west-1:123456789012:table/users/index/by-email"
    error_message = "index ARNs must be table ARN + /index/<name>"
  }
}

run "rejects_undeclared_key_attribute" {
  command = plan
  variables {
    range_key = "sk"
  }
  expect_failures = [aws_dynamodb_table.this]
}

run "rejects_unused_attribute" {
  command = plan
  variables {
    attributes = [{ name = "pk", type = "S" }, { name = "email", type = "S" }]
  }
  expect_failures = [aws_dynamodb_table.this]
}

run "rejects_bad_enums" {
  command = plan
  variables {
    billing_mode             = "ON_DEMAND"
    stream_view_type         = "ALL"
    global_secondary_indexes = [{ name = "x", hash_key = "pk", projection_type = "ALL", non_key_attributes = ["a"] }]
  }
  expect_failures = [var.billing_mode, var.stream_view_type, var.global_secondary_indexes]
}

run "rejects_a_kms_alias" {
  command = plan
  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/users"
  }
  expect_failures = [var.kms_key_arn]
}
