# An encrypted SNS topic that CloudWatch alarms can publish to.
#
# Why a customer managed key: CloudWatch cannot publish to a topic encrypted with the
# AWS managed key alias/aws/sns, because that key's policy cannot be changed to admit the
# cloudwatch.amazonaws.com principal (SNS developer guide, "Encryption at rest",
# prerequisites for AWS services publishing to encrypted topics).

data "aws_partition" "current" {}

resource "aws_kms_key" "this" {
  description             = "Encrypts the ${var.name} alarm topic"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  tags                    = var.tags
}

locals {
  # The account id comes from the key's own ARN: no STS call during plan, so the module
  # plans offline and with skip_requesting_account_id.
  account_id = split(":", aws_kms_key.this.arn)[4]
}

# Policies are built with jsonencode (not aws_iam_policy_document) so that
# `terraform test` with mock_provider checks the real policy JSON.
locals {
  key_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*" # in a key policy "*" means this key only
      },
      {
        Sid       = "CloudWatchPublishes"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*" # in a key policy "*" means this key only
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      },
    ]
  }

  topic_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudWatchAlarmsPublish"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = "sns:Publish"
        Resource  = aws_sns_topic.this.arn
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "sns:Publish"
        Resource  = aws_sns_topic.this.arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  }
}

resource "aws_kms_key_policy" "this" {
  key_id = aws_kms_key.this.id
  policy = jsonencode(local.key_policy)
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}-alerts"
  target_key_id = aws_kms_key.this.key_id
}

resource "aws_sns_topic" "this" {
  name              = var.name
  kms_master_key_id = aws_kms_key.this.arn
  tags              = var.tags
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = jsonencode(local.topic_policy)
}

resource "aws_sns_topic_subscription" "email" {
  for_each  = toset(var.email_subscriptions)
  topic_arn = aws_sns_topic.this.arn
  protocol  = "email"
  endpoint  = each.value
}
