# VPC attachment and its ENI permissions. Mocked AWS provider; needs build/ping.zip (`make build`).
mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values (tests/mocks/aws)
}

variables {
  name     = "db-writer"
  zip_path = "../../build/ping.zip"
  handler  = "ping.handler"
}

run "no_vpc_by_default" {
  command = apply

  assert {
    condition     = length(aws_lambda_function.this.vpc_config) == 0 && output.vpc_config == null
    error_message = "no VPC unless subnets are given"
  }
  assert {
    condition     = !anytrue([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : anytrue([for a in s.Action : startswith(a, "ec2:")])])
    error_message = "no EC2 permission without a VPC"
  }
}

run "vpc_attachment_and_scoped_eni_permissions" {
  command = apply
  variables {
    vpc_subnet_ids                  = ["subnet-0bbbbbbbbbbbbbbbb", "subnet-0aaaaaaaaaaaaaaaa"]
    vpc_security_group_ids          = ["sg-0123456789abcdef0"]
    vpc_ipv6_allowed_for_dual_stack = true
  }

  assert {
    condition = (
      toset(aws_lambda_function.this.vpc_config[0].subnet_ids) == toset(["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]) &&
      toset(aws_lambda_function.this.vpc_config[0].security_group_ids) == toset(["sg-0123456789abcdef0"]) &&
      aws_lambda_function.this.vpc_config[0].ipv6_allowed_for_dual_stack
    )
    error_message = "vpc_config must carry the subnets, security groups and the IPv6 switch"
  }
  # Describe* on "*" (no resource-level permission), read-only.
  assert {
    condition = one([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s if s.Sid == "DescribeForVpcEnis"]) == {
      Sid    = "DescribeForVpcEnis", Effect = "Allow", Resource = ["*"]
      Action = ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]
    }
    error_message = "only the two Describe actions may use Resource *"
  }
  # CreateNetworkInterface: ENIs of this account/Region in exactly these subnets and groups.
  assert {
    condition = one([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s if s.Sid == "CreateVpcEnisInOwnSubnets"]).Resource == [
      "arn:aws:ec2:eu-west-1:123456789012:network-interface/*",
      "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-0aaaaaaaaaaaaaaaa",
      "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-0bbbbbbbbbbbbbbbb",
      "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0123456789abcdef0",
    ]
    error_message = "CreateNetworkInterface must be scoped to the given subnets and security groups"
  }
  assert {
    condition = one([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s if s.Sid == "ManageVpcEnis"]) == {
      Sid    = "ManageVpcEnis", Effect = "Allow", Resource = ["arn:aws:ec2:eu-west-1:123456789012:network-interface/*"]
      Action = ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
    }
    error_message = "ENI management must be limited to network interfaces of this account and Region"
  }
  # Nothing beyond logs + the three VPC statements, and no write action on "*".
  assert {
    condition = length(jsondecode(aws_iam_role_policy.this.policy).Statement) == 4 && alltrue([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement :
      !contains(s.Resource, "*") || alltrue([for a in s.Action : startswith(a, "ec2:Describe")])
    ])
    error_message = "no write action may use Resource *"
  }
  assert {
    condition     = output.vpc_config.subnet_ids == tolist(["subnet-0bbbbbbbbbbbbbbbb", "subnet-0aaaaaaaaaaaaaaaa"]) && output.vpc_config.security_group_ids == tolist(["sg-0123456789abcdef0"])
    error_message = "vpc_config output wrong"
  }
}

run "rejects_subnets_without_security_groups" {
  command = plan
  variables {
    vpc_subnet_ids = ["subnet-0aaaaaaaaaaaaaaaa"]
  }
  expect_failures = [aws_lambda_function.this]
}

run "rejects_security_groups_without_subnets" {
  command = plan
  variables {
    vpc_security_group_ids = ["sg-0123456789abcdef0"]
  }
  expect_failures = [aws_lambda_function.this]
}

run "rejects_ipv6_without_vpc" {
  command = plan
  variables {
    vpc_ipv6_allowed_for_dual_stack = true
  }
  expect_failures = [aws_lambda_function.this]
}

run "rejects_malformed_and_too_many_ids" {
  command = plan
  variables {
    vpc_subnet_ids         = ["subnet-0aaaaaaaaaaaaaaaa", "vpc-0aaaaaaaaaaaaaaaa"]
    vpc_security_group_ids = ["sg-00000001", "sg-00000002", "sg-00000003", "sg-00000004", "sg-00000005", "sg-00000006"]
  }
  expect_failures = [var.vpc_subnet_ids, var.vpc_security_group_ids]
}
