# VPC inputs passed through to modules/function. Mocked AWS provider; needs build/ping.zip.
mock_provider "aws" {
  source = "../../tests/mocks/aws" # shared mock values (tests/mocks/aws)
}

variables {
  name = "webhook-worker"
  function = {
    zip_path = "../../build/ping.zip"
    handler  = "ping.handler"
    timeout  = 30
  }
  queue = {
    arn                        = "arn:aws:sqs:eu-west-1:123456789012:webhooks"
    url                        = "https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks"
    name                       = "webhooks"
    visibility_timeout_seconds = 180
  }
}

run "vpc_passed_through" {
  command = apply
  variables {
    function = {
      zip_path               = "../../build/ping.zip"
      handler                = "ping.handler"
      vpc_subnet_ids         = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
      vpc_security_group_ids = ["sg-0123456789abcdef0"]
    }
  }

  assert {
    condition     = output.vpc_config.subnet_ids == tolist(["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]) && output.vpc_config.security_group_ids == tolist(["sg-0123456789abcdef0"])
    error_message = "the worker must join the given subnets and security groups"
  }
  assert {
    condition     = length([for s in jsondecode(module.function.role_policy_json).Statement : s if s.Sid == "CreateVpcEnisInOwnSubnets"]) == 1
    error_message = "the worker's role must get the ENI permissions"
  }
  assert {
    condition     = one([for s in jsondecode(module.function.role_policy_json).Statement : s if s.Sid == "ConsumeQueue"]).Resource == ["arn:aws:sqs:eu-west-1:123456789012:webhooks"]
    error_message = "queue permissions unchanged by the VPC"
  }
}

run "no_vpc_by_default" {
  command = plan

  assert {
    condition     = output.vpc_config == null
    error_message = "no VPC unless asked"
  }
}
