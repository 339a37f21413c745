# Signing secret of the GitHub-style webhook route (POST /webhook/github, api.tf). The worker
# verifies X-Hub-Signature-256 = sha256=HMAC-SHA256(secret, raw body) before applying anything
# (lambda_src/webhook_worker/webhook_signature.py). Terraform creates the secret, encrypted
# with a key of its own, but sets a value only when github_webhook_secret is given (throwaway
# envs such as local): otherwise set it out of band so it never lands in state:
#   aws secretsmanager put-secret-value --secret-id <github_webhook_secret_arn> --secret-string ...
# Until it is readable, messages on the signed route are retried (and redriven to the DLQ);
# the unsigned seed route keeps working.

resource "aws_kms_key" "webhook_secrets" {
  description             = "Encrypts the ${var.name_prefix} webhook signing secrets"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = var.tags
}

# Key policy: the account administers the key through IAM (the key policy AWS creates by
# default, "Default key policy", KMS developer guide); the worker's role decrypts via Secrets
# Manager only (modules/function, kms:ViaService). Account id from the key's own ARN (no STS
# call, so the env plans offline).
resource "aws_kms_key_policy" "webhook_secrets" {
  key_id = aws_kms_key.webhook_secrets.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdministers"
      Effect    = "Allow"
      Principal = { AWS = "arn:${split(":", aws_kms_key.webhook_secrets.arn)[1]}:iam::${split(":", aws_kms_key.webhook_secrets.arn)[4]}:root" }
      Action    = "kms:*"
      Resource  = "*" # in a key policy "*" means this key only
    }]
  })
}

resource "aws_secretsmanager_secret" "github_webhook" {
  #checkov:skip=CKV2_AWS_57: a webhook signing secret is shared with the sender (GitHub), so it is rotated by re-registering it there, not by a rotation Lambda
  name                    = "${var.name_prefix}/webhook/github"
  description             = "HMAC-SHA256 signing secret of POST /webhook/github"
  kms_key_id              = aws_kms_key.webhook_secrets.arn
  recovery_window_in_days = var.deletion_protection ? 30 : 0
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "github_webhook" {
  count         = var.github_webhook_secret == null ? 0 : 1
  secret_id     = aws_secretsmanager_secret.github_webhook.id
  secret_string = var.github_webhook_secret
}

locals {
  # Route key -> how the worker verifies it. Routes not listed (POST /webhook) are unsigned.
  webhook_signatures = {
    "POST /webhook/github" = { secret = "github_webhook", header = "X-Hub-Signature-256", scheme = "github" }
  }
}
