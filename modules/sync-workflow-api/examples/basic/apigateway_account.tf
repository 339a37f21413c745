# The account's API Gateway CloudWatch Logs role: REST API stages are refused access and
# execution logging until the account's settings name one ("Set up CloudWatch logging for REST
# APIs in API Gateway", set-up-logging.html). It is one setting per account and Region: where
# another stack already sets it, drop this file and leave logging_role_ready unset.

resource "aws_iam_role" "apigateway_cloudwatch" {
  name = "customers-apigw-cloudwatch"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "apigateway.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "apigateway_cloudwatch" {
  role       = aws_iam_role.apigateway_cloudwatch.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.apigateway_cloudwatch.arn
  depends_on          = [aws_iam_role_policy_attachment.apigateway_cloudwatch]
}
