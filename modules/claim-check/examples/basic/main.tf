provider "aws" {
  region = "eu-west-1"
}

# POST /webhook/large stores the body in S3 (no Lambda), S3 notifies the queue, and the queue's
# worker (not shown: modules/queue-worker with worker_policy_statements) reads the object.

variable "name" {
  type        = string
  description = "Name prefix (lower case)."
  default     = "large-webhook"
}

module "queue" {
  source = "../../../queue"
  name   = var.name
  # S3 may send to this queue for the claim-check bucket only.
  source_policy_documents = [module.claim_check.queue_policy_json]
}

module "claim_check" {
  source             = "../.."
  name               = var.name
  queue_arn          = module.queue.queue_arn_for_policies
  queue_policy_ready = module.queue.policy_id
  forward_headers    = ["X-Idempotency-Key", "X-Hub-Signature-256"]
  expiration_days    = 14
  force_destroy      = true
  logging_role_ready = aws_api_gateway_account.this.cloudwatch_role_arn
}

output "invoke_url" {
  description = "POST bodies up to 10 MB here."
  value       = module.claim_check.invoke_url
}

output "queue_url" {
  description = "The queue S3 notifies."
  value       = module.queue.queue_url
}

output "bucket_name" {
  description = "The claim-check bucket."
  value       = module.claim_check.bucket_name
}

output "rest_api_id" {
  description = "ID of the REST API."
  value       = module.claim_check.rest_api_id
}

output "route_key" {
  description = "Route key stored with each object."
  value       = module.claim_check.route_key
}

output "worker_policy_statements" {
  description = "What the worker's role needs to read the bodies."
  value       = module.claim_check.worker_policy_statements
}
