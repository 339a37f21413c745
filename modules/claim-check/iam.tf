# The integration role: s3:PutObject under key_prefix of this bucket only (plus
# kms:GenerateDataKey through S3 for SSE-KMS). Trust names the principal only: API Gateway is
# not documented to send aws:SourceArn/aws:SourceAccount when it assumes an integration role
# (see modules/data-api/main.tf).
resource "aws_iam_role" "integration" {
  name = "${var.name}-claim-check-put"
  # Not the bucket's ARN: the bucket name holds the account id, read from this role's ARN.
  description = "API Gateway -> s3:PutObject under ${var.key_prefix} of the ${var.name} claim-check bucket only"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "apigateway.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  tags = var.tags
}

locals {
  kms_via_s3 = { StringEquals = { "kms:ViaService" = "s3.${local.region}.amazonaws.com" } }

  integration_statements = concat(
    [{ Sid = "StoreBodies", Effect = "Allow", Action = ["s3:PutObject"], Resource = [local.objects_arn] }],
    var.kms_key_arn == null ? [] : [{
      # SSE-KMS PutObject needs kms:GenerateDataKey ("Using SSE-KMS", S3 user guide).
      Sid = "EncryptBodies", Effect = "Allow", Action = ["kms:GenerateDataKey"], Resource = [var.kms_key_arn], Condition = local.kms_via_s3
    }],
  )

  # For the worker's role (modules/queue-worker policy_statements shape).
  worker_statements = concat(
    [{ sid = "ReadClaimChecks", actions = ["s3:GetObject"], resources = [local.objects_arn] }],
    var.kms_key_arn == null ? [] : [{ sid = "DecryptClaimChecks", actions = ["kms:Decrypt"], resources = [var.kms_key_arn] }],
  )

  # For the queue's policy: S3 may send, for this bucket in this account only ("Granting
  # permissions to publish event notification messages to a destination", S3 user guide:
  # aws:SourceArn of the bucket and aws:SourceAccount of its owner).
  queue_statement = {
    Sid       = "AllowClaimCheckBucketNotifications"
    Effect    = "Allow"
    Principal = { Service = "s3.amazonaws.com" }
    Action    = "sqs:SendMessage"
    Resource  = var.queue_arn
    Condition = {
      ArnEquals    = { "aws:SourceArn" = local.bucket_arn }
      StringEquals = { "aws:SourceAccount" = local.account_id }
    }
  }
}

resource "aws_iam_role_policy" "integration" {
  name   = "store-bodies"
  role   = aws_iam_role.integration.id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.integration_statements })
}
