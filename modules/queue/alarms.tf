# --- Alarms (AWS/SQS, dimension QueueName; "Available CloudWatch metrics for Amazon SQS") ---------
# One alarm per entry of local.alarms, keyed as the alarm_arns output. SQS stops publishing for
# a queue idle for ~6 hours, so missing data means "idle", not "broken": notBreaching everywhere.

locals {
  # `for ... if`, not `cond ? {...} : {}`: a conditional would unify the entries into one map
  # type; the for keeps each entry's own attributes.
  alarms = { for key, alarm in {
    age = {
      description        = "Oldest message in ${local.queue_name} is older than ${var.age_alarm_threshold_seconds}s: the consumer is stuck or too slow."
      metric             = "ApproximateAgeOfOldestMessage"
      queue_name         = aws_sqs_queue.this.name
      evaluation_periods = var.alarm_evaluation_periods
      threshold          = var.age_alarm_threshold_seconds
    }
    depth = {
      description        = "${local.queue_name} holds ${var.depth_alarm_threshold}+ visible messages: backlog is growing."
      metric             = "ApproximateNumberOfMessagesVisible"
      queue_name         = aws_sqs_queue.this.name
      evaluation_periods = var.alarm_evaluation_periods
      threshold          = var.depth_alarm_threshold
    }
    dlq = {
      description        = "${local.dlq_name} holds at least one message: a message failed ${var.max_receive_count} times. Inspect, fix, then redrive."
      metric             = "ApproximateNumberOfMessagesVisible"
      queue_name         = aws_sqs_queue.dlq.name
      evaluation_periods = 1
      threshold          = 1
    }
  } : key => alarm if var.alarms_enabled }
}

module "alarms" {
  source = "../internal/metric-alarms"

  alarms = { for key, alarm in local.alarms : key => {
    name               = local.alarm_names[key]
    description        = alarm.description
    namespace          = "AWS/SQS"
    metric             = alarm.metric
    dimensions         = { QueueName = alarm.queue_name }
    statistic          = "Maximum"
    period             = 60
    evaluation_periods = alarm.evaluation_periods
    threshold          = alarm.threshold
  } }
  alarm_actions = var.alarm_actions
  tags          = var.tags
}

# The alarms moved into the shared internal module: state follows, no replace.
moved {
  from = aws_cloudwatch_metric_alarm.this
  to   = module.alarms.aws_cloudwatch_metric_alarm.this
}

# Each alarm was a count-based resource of its own: moved keeps it in state (no replace).
moved {
  from = aws_cloudwatch_metric_alarm.age[0]
  to   = aws_cloudwatch_metric_alarm.this["age"]
}

moved {
  from = aws_cloudwatch_metric_alarm.depth[0]
  to   = aws_cloudwatch_metric_alarm.this["depth"]
}

moved {
  from = aws_cloudwatch_metric_alarm.dlq[0]
  to   = aws_cloudwatch_metric_alarm.this["dlq"]
}
