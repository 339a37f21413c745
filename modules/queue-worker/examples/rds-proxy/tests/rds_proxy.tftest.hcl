# The example with a mocked AWS provider (run by tests/terraform/test_rds_proxy_budget.py): the worker's
# rds-db:connect resource is built from the proxy's ARN, and the worker joins the VPC.
mock_provider "aws" {
  source = "../../../../tests/mocks/aws" # shared mock values; the blocks below are this file's own
  mock_resource "aws_db_proxy" {
    defaults = {
      arn      = "arn:aws:rds:eu-west-1:123456789012:db-proxy:prx-0123456789abcdef0"
      endpoint = "storefirst-example-db.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com"
    }
  }
  mock_resource "aws_db_instance" {
    defaults = {
      master_user_secret = [{
        secret_arn    = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf"
        kms_key_id    = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        secret_status = "active"
      }]
    }
  }
  mock_resource "aws_db_proxy_default_target_group" {
    defaults = { name = "default" }
  }
  mock_resource "aws_security_group" {
    defaults = { id = "sg-0123456789abcdef0" }
  }
}

# Two AZs, two distinct subnets (the function module refuses duplicate subnet ids).
override_resource {
  target = aws_subnet.private[0]
  values = { id = "subnet-0aaaaaaaaaaaaaaaa" }
}

override_resource {
  target = aws_subnet.private[1]
  values = { id = "subnet-0bbbbbbbbbbbbbbbb" }
}


# modules/queue checks the queue's ARN against the one its policies were built from: give the
# mocked queues their real ARNs (a single mock ARN for both would fail that postcondition).
override_resource {
  target = module.queue.aws_sqs_queue.dlq
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:storefirst-example-db-dlq"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/storefirst-example-db-dlq"
  }
}

override_resource {
  target = module.queue.aws_sqs_queue.this
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:storefirst-example-db"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/storefirst-example-db"
  }
}

run "worker_connects_to_the_proxy_with_iam" {
  command = apply

  assert {
    condition     = output.worker_connect_arn == "arn:aws:rds-db:eu-west-1:123456789012:dbuser:prx-0123456789abcdef0/app_admin"
    error_message = "rds-db:connect must name the proxy's resource id and the database user"
  }
  assert {
    condition     = module.worker.vpc_config.security_group_ids == tolist(["sg-0123456789abcdef0"]) && length(module.worker.vpc_config.subnet_ids) == 2
    error_message = "the worker must join the private subnets with its own security group"
  }
  assert {
    condition     = one(jsondecode(aws_iam_role_policy.proxy.policy).Statement).Resource == ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf"]
    error_message = "the proxy's role may read the database secret only"
  }
  assert {
    condition     = output.connection_budget.maximum_concurrency == 50 && module.worker.maximum_concurrency == 50
    error_message = "100 connections x 50% at 1 per worker = 50 workers"
  }
}
