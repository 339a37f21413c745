output "queue_arn" {
  description = "ARN of the work queue."
  value       = aws_sqs_queue.this.arn
}

output "queue_arn_for_policies" {
  description = "The work queue's ARN built from its name and the DLQ's ARN (equal to queue_arn: a postcondition checks it), known before the queue exists. Use it inside source_policy_documents statements: the queue's policy is set inline when the queue is created, so naming queue_arn there would be a dependency cycle. Anything that needs the queue to exist uses queue_arn."
  value       = local.queue_arn
}

output "queue_url" {
  description = "URL of the work queue (what SendMessage / the HTTP API integration takes)."
  value       = aws_sqs_queue.this.id
}

output "queue_name" {
  description = "Name of the work queue (the QueueName metric dimension)."
  value       = aws_sqs_queue.this.name
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dlq.arn
}

output "dlq_url" {
  description = "URL of the dead-letter queue."
  value       = aws_sqs_queue.dlq.id
}

output "dlq_name" {
  description = "Name of the dead-letter queue."
  value       = aws_sqs_queue.dlq.name
}

output "fifo" {
  description = "Whether the queues are FIFO."
  value       = var.fifo
}

output "kms_key_arn" {
  description = "CMK used for SSE, or null when SQS-managed SSE is used. Producers and consumers need kms:GenerateDataKey / kms:Decrypt on it."
  value       = var.kms_key_arn
}

output "visibility_timeout_seconds" {
  description = "Visibility timeout of the work queue (the queue-worker module checks it against 6x the function timeout)."
  value       = aws_sqs_queue.this.visibility_timeout_seconds
}

output "policy_id" {
  description = "Known once the main queue's policy (with source_policy_documents) is in place: the policy is set inline when the queue is created, so this is the queue's id. A resource that needs the grant (e.g. an S3 bucket notification, which S3 validates) can wait for it."
  value       = aws_sqs_queue.this.id
}

output "max_receive_count" {
  description = "Receives before a message moves to the DLQ."
  value       = var.max_receive_count
}

output "alarm_arns" {
  description = "Map of alarm ARNs (age, depth, dlq); empty when alarms_enabled = false."
  value       = module.alarms.arns
}

output "queue" {
  description = "The object the queue-worker module's `queue` input takes."
  value = {
    arn                        = aws_sqs_queue.this.arn
    url                        = aws_sqs_queue.this.id
    name                       = aws_sqs_queue.this.name
    visibility_timeout_seconds = aws_sqs_queue.this.visibility_timeout_seconds
    kms_key_arn                = var.kms_key_arn
    fifo                       = var.fifo
  }
}
