# S3 state, partial configuration: bucket, key, region and locking come from
# `terraform init -backend-config=backend.hcl` (see backend.hcl.example), so the same
# code serves any account.
terraform {
  backend "s3" {}
}
