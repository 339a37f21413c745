# Same constraints as the repository root versions.tf (checked by tests/terraform/test_terraform_static.py).
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70, < 7.0"
    }
  }
}
