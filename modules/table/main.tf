# DynamoDB table: on-demand, point-in-time recovery, encryption at rest, deletion protection,
# TTL, GSIs, optional stream, and throttle / system-error alarms.

locals {
  gsi_keys = flatten([for g in var.global_secondary_indexes : [g.hash_key, g.range_key]])
  # DynamoDB rejects attribute definitions that no key uses, and keys without a definition.
  key_attributes      = toset(compact(concat([var.hash_key, var.range_key], local.gsi_keys)))
  declared_attributes = toset([for a in var.attributes : a.name])
  provisioned         = var.billing_mode == "PROVISIONED"
}

resource "aws_dynamodb_table" "this" {
  #checkov:skip=CKV_AWS_119: Encryption at rest is always on; the default AWS owned key costs nothing and needs no key policy. A customer managed key is one input away (kms_key_arn) when audit or key control requires it.
  name                        = var.name
  billing_mode                = var.billing_mode
  read_capacity               = local.provisioned ? var.read_capacity : null
  write_capacity              = local.provisioned ? var.write_capacity : null
  hash_key                    = var.hash_key
  range_key                   = var.range_key
  table_class                 = var.table_class
  deletion_protection_enabled = var.deletion_protection
  stream_enabled              = var.stream_view_type != null
  stream_view_type            = var.stream_view_type

  dynamic "attribute" {
    for_each = var.attributes
    content {
      name = attribute.value.name
      type = attribute.value.type
    }
  }

  dynamic "global_secondary_index" {
    for_each = var.global_secondary_indexes
    content {
      name               = global_secondary_index.value.name
      hash_key           = global_secondary_index.value.hash_key
      range_key          = global_secondary_index.value.range_key
      projection_type    = global_secondary_index.value.projection_type
      non_key_attributes = global_secondary_index.value.projection_type == "INCLUDE" ? global_secondary_index.value.non_key_attributes : null
      read_capacity      = local.provisioned ? var.read_capacity : null
      write_capacity     = local.provisioned ? var.write_capacity : null
    }
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  # enabled = false means "AWS owned key", not "unencrypted": DynamoDB always encrypts at rest.
  server_side_encryption {
    enabled     = var.kms_key_arn != null
    kms_key_arn = var.kms_key_arn
  }

  dynamic "ttl" {
    for_each = var.ttl_attribute == null ? [] : [var.ttl_attribute]
    content {
      enabled        = true
      attribute_name = ttl.value
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = local.key_attributes == local.declared_attributes
      error_message = "attributes must declare exactly the key attributes of the table and its GSIs. Keys: [${join(", ", sort(local.key_attributes))}]; declared: [${join(", ", sort(local.declared_attributes))}]."
    }
    precondition {
      condition     = !local.provisioned || (var.read_capacity != null && var.write_capacity != null)
      error_message = "billing_mode PROVISIONED needs read_capacity and write_capacity."
    }
  }
}
