mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values; the blocks below are this file's own
  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:eu-west-1:123456789012:mock-alerts"
    }
  }
}

variables {
  name                = "storefirst-test-alerts"
  email_subscriptions = ["ops@example.com"]
}

run "topic_is_encrypted_and_cloudwatch_can_publish" {
  command = apply

  assert {
    condition     = aws_sns_topic.this.kms_master_key_id == aws_kms_key.this.arn
    error_message = "the topic must be encrypted with the module's customer managed key"
  }
  assert {
    condition     = aws_kms_key.this.enable_key_rotation
    error_message = "key rotation must be on"
  }
  assert {
    condition     = one([for s in jsondecode(aws_kms_key_policy.this.policy).Statement : s if s.Sid == "CloudWatchPublishes"]).Principal.Service == "cloudwatch.amazonaws.com"
    error_message = "the key policy must name the CloudWatch service principal"
  }
  assert {
    condition     = toset(one([for s in jsondecode(aws_kms_key_policy.this.policy).Statement : s if s.Sid == "CloudWatchPublishes"]).Action) == toset(["kms:Decrypt", "kms:GenerateDataKey*"])
    error_message = "CloudWatch gets only Decrypt and GenerateDataKey* on the key"
  }
  assert {
    condition     = one([for s in jsondecode(aws_kms_key_policy.this.policy).Statement : s if s.Sid == "AccountAdministers"]).Principal.AWS == "arn:aws:iam::123456789012:root"
    error_message = "the key policy must keep the account's root as administrator (account id from the key ARN)"
  }
  assert {
    condition     = one([for s in jsondecode(aws_sns_topic_policy.this.policy).Statement : s if s.Effect == "Allow"]).Resource == "arn:aws:sns:eu-west-1:123456789012:mock-alerts"
    error_message = "the publish grant covers this topic only"
  }
  assert {
    condition     = one([for s in jsondecode(aws_sns_topic_policy.this.policy).Statement : s if s.Effect == "Allow"]).Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "only CloudWatch of this account may publish to the topic"
  }
  assert {
    condition     = one([for s in jsondecode(aws_sns_topic_policy.this.policy).Statement : s if s.Effect == "Deny"]).Condition.Bool["aws:SecureTransport"] == "false"
    error_message = "the topic policy must deny publishing without TLS"
  }
  assert {
    condition     = length(aws_sns_topic_subscription.email) == 1 && aws_sns_topic_subscription.email["ops@example.com"].protocol == "email"
    error_message = "each address gets an e-mail subscription"
  }
}

run "rejects_bad_email" {
  command = plan
  variables {
    email_subscriptions = ["not-an-address"]
  }
  expect_failures = [var.email_subscriptions]
}
