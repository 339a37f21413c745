output "topic_arn" {
  description = "ARN of the alarm topic: pass it as alarm_actions to the other modules."
  value       = aws_sns_topic.this.arn
}

output "topic_name" {
  description = "Name of the alarm topic."
  value       = aws_sns_topic.this.name
}

output "kms_key_arn" {
  description = "ARN of the customer managed key encrypting the topic."
  value       = aws_kms_key.this.arn
}
