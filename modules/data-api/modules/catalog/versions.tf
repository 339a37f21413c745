# Pure function module: no resources and no provider, so storefirst's tests can render the
# templates with `terraform apply` alone. Terraform >= 1.5 for output preconditions.
terraform {
  required_version = ">= 1.5.0"
}
