# CloudFront standard logging (v2): CloudWatch Logs delivers the distribution's access logs to
# an S3 bucket. The delivery source must be created in us-east-1 (CloudFront is global and
# reports there), which is this module's provider Region in CloudFront mode; the bucket and the
# delivery live there too. The bucket is encrypted,
# TLS-only, closed to the public, owner-enforced (no ACLs: v2 writes with a bucket policy), and
# expires logs.

locals {
  logs          = local.cloudfront && var.access_logs_enabled
  account_id    = local.cloudfront ? split(":", aws_cloudfront_distribution.this[0].arn)[4] : ""
  logs_services = "delivery.logs.amazonaws.com"
}

resource "aws_s3_bucket" "logs" {
  count = local.logs ? 1 : 0

  #checkov:skip=CKV_AWS_18: This is the log bucket; logging its own access would need another bucket, and so on.
  #checkov:skip=CKV_AWS_144: Cross-Region replication of access logs is a compliance choice per account, not a default.
  #checkov:skip=CKV2_AWS_62: Nothing consumes object-created events of access logs by default.
  #checkov:skip=CKV_AWS_145: SSE-S3 (AES256): log delivery to a bucket encrypted with a customer managed key needs that key's policy to admit delivery.logs.amazonaws.com, written per account.
  bucket_prefix = "${var.name}-edge-logs-"
  force_destroy = false
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "logs" {
  count = local.logs ? 1 : 0

  bucket                  = aws_s3_bucket.logs[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  count = local.logs ? 1 : 0

  bucket = aws_s3_bucket.logs[0].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  count = local.logs ? 1 : 0

  bucket = aws_s3_bucket.logs[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "logs" {
  count = local.logs ? 1 : 0

  bucket = aws_s3_bucket.logs[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  count = local.logs ? 1 : 0

  bucket = aws_s3_bucket.logs[0].id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"
    filter {}

    expiration {
      days = var.access_logs_retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 1
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.logs]
}

# Deliveries from this account's delivery sources only; and nobody over plain HTTP.
# ("Logs sent to Amazon S3", CloudWatch Logs User Guide, AWS-vended logs permissions.)
resource "aws_s3_bucket_policy" "logs" {
  count = local.logs ? 1 : 0

  bucket = aws_s3_bucket.logs[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.logs[0].arn, "${aws_s3_bucket.logs[0].arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "AWSLogDeliveryWrite"
        Effect    = "Allow"
        Principal = { Service = local.logs_services }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs[0].arn}/*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = local.account_id, "s3:x-amz-acl" = "bucket-owner-full-control" }
          ArnLike      = { "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${local.account_id}:delivery-source:*" }
        }
      },
    ]
  })

  depends_on = [aws_s3_bucket_public_access_block.logs]
}

resource "aws_cloudwatch_log_delivery_source" "this" {
  count = local.logs ? 1 : 0

  name         = "${var.name}-cloudfront"
  log_type     = "ACCESS_LOGS"
  resource_arn = aws_cloudfront_distribution.this[0].arn
  tags         = var.tags
}

resource "aws_cloudwatch_log_delivery_destination" "this" {
  count = local.logs ? 1 : 0

  name          = "${var.name}-cloudfront-s3"
  output_format = "json"

  delivery_destination_configuration {
    destination_resource_arn = aws_s3_bucket.logs[0].arn
  }

  tags = var.tags
}

resource "aws_cloudwatch_log_delivery" "this" {
  count = local.logs ? 1 : 0

  delivery_source_name     = aws_cloudwatch_log_delivery_source.this[0].name
  delivery_destination_arn = aws_cloudwatch_log_delivery_destination.this[0].arn
  tags                     = var.tags

  depends_on = [aws_s3_bucket_policy.logs]
}
