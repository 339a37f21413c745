# The version constraints every module and env in this repository declares.
# tests/terraform/test_terraform_static.py checks that each modules/*/versions.tf and
# envs/*/versions.tf carries exactly these constraints.
#
# aws >= 5.70: the newest arguments the modules use are `tags` on
# aws_lambda_event_source_mapping (5.70, terraform-provider-aws PR 39535) and
# `encryption_configuration` on aws_sfn_state_machine (5.61, issue 38560). Tested with 5.100.0
# (the offline mirror); 6.x is admitted but not tested here.
# Terraform >= 1.5 for using the modules; `make test` needs >= 1.7 (mock_provider in
# modules/*/tests), which `storefirst doctor` checks.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70, < 7.0"
    }
  }
}
