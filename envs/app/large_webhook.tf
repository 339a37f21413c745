# Large webhook bodies (claim-check): POST /webhook/large on its own REST API stores the body
# in S3 (no Lambda), S3 notifies the webhook queue, and the same worker reads the object and
# applies it like a queued envelope. Bodies up to 10 MB; a queue route takes 256 KiB.

module "large_webhook" {
  source             = "../../modules/claim-check"
  name               = "${var.name_prefix}-large"
  queue_arn          = module.webhook_queue.queue_arn_for_policies
  queue_policy_ready = module.webhook_queue.policy_id
  forward_headers    = ["X-Idempotency-Key"]
  # Longer than the queue's retention, so a redriven message still finds its body.
  expiration_days    = max(14, ceil(var.message_retention_seconds / 86400) * 2)
  force_destroy      = !var.deletion_protection
  log_retention_days = var.log_retention_days
  alarm_actions      = local.alarm_actions
  tags               = var.tags
  # Only the stage waits for the account's CloudWatch role (apigateway_account.tf).
  logging_role_ready = one(aws_api_gateway_account.this[*].cloudwatch_role_arn)
}
