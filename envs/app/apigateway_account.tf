# REST API stages can only write access and execution logs once the account's API Gateway
# settings name a CloudWatch Logs role ("Set up CloudWatch logging for REST APIs in API
# Gateway"). One per account and Region, hence the switch.

resource "aws_iam_role" "apigateway_cloudwatch" {
  count = var.manage_apigateway_account ? 1 : 0
  name  = "${var.name_prefix}-apigw-cloudwatch"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "apigateway.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "apigateway_cloudwatch" {
  count      = var.manage_apigateway_account ? 1 : 0
  role       = aws_iam_role.apigateway_cloudwatch[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  count               = var.manage_apigateway_account ? 1 : 0
  cloudwatch_role_arn = aws_iam_role.apigateway_cloudwatch[0].arn
  depends_on          = [aws_iam_role_policy_attachment.apigateway_cloudwatch]
}

data "aws_partition" "current" {}
