# The version constraints every module and env in this repository declares.
# tests/terraform/test_terraform_static.py checks that each modules/*/versions.tf and
# envs/*/versions.tf carries exactly these constraints.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70, < 7.0"
    }
  }
}
