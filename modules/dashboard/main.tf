# One CloudWatch dashboard per environment, generated from the inventory of what the
# environment deployed. Metric names and dimensions are the ones AWS publishes:
# API Gateway (HTTP: ApiId+Stage, metrics 4xx/5xx/Count/Latency; REST: ApiName+Stage,
# 4XXError/5XXError), SQS (QueueName), Lambda (FunctionName), DynamoDB (TableName),
# Step Functions (StateMachineArn).

data "aws_region" "current" {}

locals {
  region = data.aws_region.current.name
  p      = var.period_seconds

  http_api_widgets = [for k, a in var.inventory.http_apis : {
    type = "metric", width = 12, height = 6
    properties = {
      title  = "HTTP API ${k}: requests, errors, p99 latency"
      region = local.region, period = local.p, view = "timeSeries"
      metrics = [
        ["AWS/ApiGateway", "Count", "ApiId", a.api_id, "Stage", a.stage, { stat = "Sum" }],
        ["AWS/ApiGateway", "4xx", "ApiId", a.api_id, "Stage", a.stage, { stat = "Sum" }],
        ["AWS/ApiGateway", "5xx", "ApiId", a.api_id, "Stage", a.stage, { stat = "Sum" }],
        ["AWS/ApiGateway", "Latency", "ApiId", a.api_id, "Stage", a.stage, { stat = "p99", yAxis = "right" }],
      ]
    }
  }]

  rest_api_widgets = [for k, a in var.inventory.rest_apis : {
    type = "metric", width = 12, height = 6
    properties = {
      title  = "REST API ${k}: requests, errors, p99 latency"
      region = local.region, period = local.p, view = "timeSeries"
      metrics = [
        ["AWS/ApiGateway", "Count", "ApiName", a.api_name, "Stage", a.stage, { stat = "Sum" }],
        ["AWS/ApiGateway", "4XXError", "ApiName", a.api_name, "Stage", a.stage, { stat = "Sum" }],
        ["AWS/ApiGateway", "5XXError", "ApiName", a.api_name, "Stage", a.stage, { stat = "Sum" }],
        ["AWS/ApiGateway", "Latency", "ApiName", a.api_name, "Stage", a.stage, { stat = "p99", yAxis = "right" }],
      ]
    }
  }]

  queue_widgets = flatten([for k, q in var.inventory.queues : [
    {
      type = "metric", width = 12, height = 6
      properties = {
        title  = "Queue ${k}: depth and age of oldest message"
        region = local.region, period = local.p, view = "timeSeries"
        metrics = [
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q.queue_name, { stat = "Maximum" }],
          ["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", q.queue_name, { stat = "Maximum" }],
          ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", q.queue_name, { stat = "Maximum", yAxis = "right" }],
        ]
      }
    },
    {
      type = "metric", width = 12, height = 6
      properties = {
        title  = "DLQ of ${k}: messages waiting (should be 0)"
        region = local.region, period = local.p, view = "timeSeries"
        metrics = [
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q.dlq_name, { stat = "Maximum" }],
        ]
      }
    },
  ]])

  function_widgets = [for k, fn in var.inventory.functions : {
    type = "metric", width = 12, height = 6
    properties = {
      title  = "Function ${k}: concurrency, errors, throttles"
      region = local.region, period = local.p, view = "timeSeries"
      metrics = [
        ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", fn, { stat = "Maximum" }],
        ["AWS/Lambda", "Errors", "FunctionName", fn, { stat = "Sum" }],
        ["AWS/Lambda", "Throttles", "FunctionName", fn, { stat = "Sum" }],
        ["AWS/Lambda", "Duration", "FunctionName", fn, { stat = "p99", yAxis = "right" }],
      ]
    }
  }]

  table_widgets = [for k, t in var.inventory.tables : {
    type = "metric", width = 12, height = 6
    properties = {
      title  = "Table ${k}: throttles and errors"
      region = local.region, period = local.p, view = "timeSeries"
      metrics = [
        ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", t, { stat = "Sum" }],
        ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", t, { stat = "Sum" }],
        ["AWS/DynamoDB", "SystemErrors", "TableName", t, { stat = "Sum" }],
      ]
    }
  }]

  workflow_widgets = [for k, arn in var.inventory.state_machines : {
    type = "metric", width = 12, height = 6
    properties = {
      title  = "Workflow ${k}: executions"
      region = local.region, period = local.p, view = "timeSeries"
      metrics = [
        ["AWS/States", "ExecutionsStarted", "StateMachineArn", arn, { stat = "Sum" }],
        ["AWS/States", "ExecutionsFailed", "StateMachineArn", arn, { stat = "Sum" }],
        ["AWS/States", "ExecutionsTimedOut", "StateMachineArn", arn, { stat = "Sum" }],
        ["AWS/States", "ExecutionThrottled", "StateMachineArn", arn, { stat = "Sum" }],
      ]
    }
  }]

  widgets = concat(
    local.http_api_widgets, local.rest_api_widgets, local.queue_widgets,
    local.function_widgets, local.table_widgets, local.workflow_widgets,
  )
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.widgets })

  lifecycle {
    precondition {
      condition     = length(local.widgets) > 0
      error_message = "dashboard: the inventory is empty; pass at least one API, queue, function, table or state machine."
    }
  }
}
