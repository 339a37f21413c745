# Mock values every module's `terraform test` shares (mock_provider "aws" { source = ... }):
# the ids and ARNs assertions compare against, in eu-west-1 and account 123456789012. A test
# file's own mock_resource / mock_data blocks take precedence over these (Terraform "Mocks":
# the blocks written in the mock_provider block win over these; tried with Terraform 1.11).
# Without a value here a mocked computed attribute is random text, which breaks jsondecode of
# policies and ARN parsing in the modules.

mock_data "aws_region" {
  defaults = { name = "eu-west-1" }
}

mock_data "aws_partition" {
  defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
}

mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/mock" }
}

mock_resource "aws_cloudwatch_metric_alarm" {
  defaults = { arn = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:mock" }
}

mock_resource "aws_sqs_queue" {
  defaults = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:mock"
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/mock"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/mock"
  }
}

mock_resource "aws_lambda_function" {
  defaults = {
    arn           = "arn:aws:lambda:eu-west-1:123456789012:function:mock"
    invoke_arn    = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mock/invocations"
    qualified_arn = "arn:aws:lambda:eu-west-1:123456789012:function:mock:7"
    version       = "7"
  }
}

mock_resource "aws_lambda_alias" {
  defaults = {
    arn        = "arn:aws:lambda:eu-west-1:123456789012:function:mock:live"
    invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mock:live/invocations"
  }
}

mock_resource "aws_lambda_event_source_mapping" {
  defaults = {
    arn  = "arn:aws:lambda:eu-west-1:123456789012:event-source-mapping:11111111-2222-3333-4444-555555555555"
    uuid = "11111111-2222-3333-4444-555555555555"
  }
}

mock_resource "aws_api_gateway_rest_api" {
  defaults = {
    id               = "a1b2c3d4e5"
    root_resource_id = "r00t"
    execution_arn    = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5"
    arn              = "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5"
  }
}

mock_resource "aws_api_gateway_stage" {
  defaults = {
    arn        = "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/v1"
    invoke_url = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1"
  }
}

mock_resource "aws_kms_key" {
  defaults = {
    arn    = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
  }
}
