# Claim-check for bodies too large for a queue message: a REST API writes the request body
# straight to S3 (AWS integration, no Lambda), S3 notifies the queue, and the queue's worker
# reads the object. The bucket: SSE, TLS-only, public access blocked, owner-enforced, lifecycle
# expiry, optional versioning.

data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  region    = data.aws_region.current.name
  partition = data.aws_partition.current.partition
  # The account the bucket is created in, read from the integration role's ARN: offline plans
  # need no STS call, and the bucket waits only for the role (about a second), not for the
  # queue (queue_arn_for_policies is built from the DLQ's ARN; the provider waits ~25 s after
  # creating each queue), which put the bucket and its lifecycle's own wait on the apply's
  # critical path.
  account_id  = split(":", aws_iam_role.integration.arn)[4]
  bucket_name = coalesce(var.bucket_name, "${var.name}-claim-check-${local.account_id}")
  # Known before the bucket exists, so the queue policy can name it without a cycle.
  bucket_arn  = "arn:${local.partition}:s3:::${local.bucket_name}"
  objects_arn = "${local.bucket_arn}/${var.key_prefix}*"
  route_key   = "POST /${join("/", var.path_parts)}"
}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18: server access logs need a separate log bucket the caller owns; every write is in the API's access log with its request id (= the object key)
  #checkov:skip=CKV_AWS_144: cross-region replication of short-lived claim-check bodies is not wanted; they expire in expiration_days
  #checkov:skip=CKV_AWS_145: SSE-S3 by default; SSE-KMS with kms_key_arn (a CMK needs a key policy only the caller can grant)
  #checkov:skip=CKV_AWS_21: versioning is the versioning input (off by default: each body is written once under a unique request id)
  bucket        = local.bucket_name
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = "BucketOwnerEnforced" # ACLs disabled
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

resource "aws_s3_bucket_versioning" "this" {
  count  = var.versioning ? 1 : 0
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    id     = "expire-claim-checks"
    status = "Enabled"
    filter {}
    expiration {
      days = var.expiration_days
    }
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_expiration_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
  depends_on = [aws_s3_bucket_versioning.this]
}

# TLS only: deny every S3 action over plain HTTP ("Security best practices for Amazon S3",
# aws:SecureTransport).
resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [local.bucket_arn, "${local.bucket_arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
  depends_on = [aws_s3_bucket_public_access_block.this]
}

# S3 -> SQS: one message per stored body. S3 validates the destination when this is created
# (the queue policy must already allow s3.amazonaws.com: "Granting permissions to publish event
# notification messages to a destination", S3 user guide), hence queue_policy_ready.
resource "terraform_data" "queue_policy_ready" {
  input = var.queue_policy_ready
}

resource "aws_s3_bucket_notification" "this" {
  bucket = aws_s3_bucket.this.id
  queue {
    id            = "claim-check"
    queue_arn     = var.queue_arn
    events        = ["s3:ObjectCreated:Put"] # API Gateway's S3 integration calls PutObject
    filter_prefix = var.key_prefix
  }
  depends_on = [terraform_data.queue_policy_ready]
}
