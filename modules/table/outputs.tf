output "table_name" {
  description = "Table name (the TableName metric dimension)."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "Table ARN."
  value       = aws_dynamodb_table.this.arn
}

output "stream_arn" {
  description = "Latest stream ARN, or null when streams are off."
  value       = var.stream_view_type == null ? null : aws_dynamodb_table.this.stream_arn
}

output "index_arns" {
  description = "Map of GSI name => index ARN (<table ARN>/index/<name>), for IAM statements."
  value       = { for g in var.global_secondary_indexes : g.name => "${aws_dynamodb_table.this.arn}/index/${g.name}" }
}

output "hash_key" {
  description = "Partition key attribute name."
  value       = var.hash_key
}

output "range_key" {
  description = "Sort key attribute name, or null."
  value       = var.range_key
}

output "kms_key_arn" {
  description = "CMK used for SSE, or null for the AWS owned key. Callers need kms:Decrypt/GenerateDataKey on it."
  value       = var.kms_key_arn
}

output "alarm_arns" {
  description = "Map of alarm ARNs (throttles, system_errors); empty when alarms_enabled = false."
  value       = module.alarms.arns
}
