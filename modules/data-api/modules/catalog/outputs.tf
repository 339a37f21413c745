output "request_template" {
  description = "VTL request template: the envelope -> one ExecuteStatement request."
  value       = templatefile("${path.module}/templates/request.vtl.tftpl", { name = try(local.c.name, "data"), ops = local.request_ops })

  precondition {
    condition     = length(local.errors) == 0
    error_message = "The operations catalog is invalid:\n  - ${join("\n  - ", local.errors)}"
  }
}

output "response_template" {
  description = "VTL template for DynamoDB's 200 responses."
  value       = templatefile("${path.module}/templates/response.vtl.tftpl", { ops = local.response_ops })
}

output "error_template" {
  description = "VTL template for DynamoDB's 400 responses (404 / 409 / 429 / 400 / 500)."
  value       = file("${path.module}/templates/error.vtl")
}

output "unavailable_template" {
  description = "VTL template for DynamoDB's 5xx responses (503)."
  value       = file("${path.module}/templates/unavailable.vtl")
}

output "model_schema" {
  description = "The envelope model (JSON Schema draft-04) as JSON text."
  value       = jsonencode(local.model)
}

output "grants" {
  description = "PartiQL actions the catalog uses: [{action, index}] (index null = the table)."
  value       = local.grants
}

output "operations" {
  description = "Operation name -> kind."
  value       = { for op in local.norm : op.name => op.kind }
}

output "statements" {
  description = "Operation name -> PartiQL statement (for docs and tests)."
  value       = { for op in local.norm : op.name => local.statement[op.i] }
}
