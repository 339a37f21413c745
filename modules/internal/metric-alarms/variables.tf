variable "alarms" {
  type = map(object({
    name        = string
    description = string
    threshold   = number
    # Single-metric alarm: the metric with a statistic or an extended statistic (p99, ...).
    metric             = optional(string)
    statistic          = optional(string)
    extended_statistic = optional(string)
    # Metric math: `expression` (its id, the expression, a label) over `metrics` keyed by id.
    expression = optional(object({
      id         = string
      expression = string
      label      = optional(string)
    }))
    metrics = optional(map(object({
      metric     = string
      stat       = string
      dimensions = optional(map(string))
    })), {})
    # Both kinds: where the metrics are and how they are evaluated.
    namespace           = string
    dimensions          = optional(map(string))
    period              = number
    evaluation_periods  = optional(number, 1)
    comparison_operator = optional(string, "GreaterThanOrEqualToThreshold")
    treat_missing_data  = optional(string, "notBreaching")
  }))
  description = "Alarms keyed as the arns and names outputs. Each is either a single-metric alarm (metric and exactly one of statistic or extended_statistic) or a metric-math one (expression over metrics, each metric in namespace and period, with dimensions unless it has its own). evaluation_periods defaults to 1, comparison_operator to GreaterThanOrEqualToThreshold, treat_missing_data to notBreaching (no data points = nothing to alarm on)."

  validation {
    condition     = alltrue([for a in values(var.alarms) : (a.metric == null) != (a.expression == null)])
    error_message = "Each alarm sets exactly one of metric (a single-metric alarm) or expression (metric math)."
  }

  validation {
    condition     = alltrue([for a in values(var.alarms) : a.metric == null || ((a.statistic == null) != (a.extended_statistic == null))])
    error_message = "A single-metric alarm sets exactly one of statistic or extended_statistic."
  }

  validation {
    condition     = alltrue([for a in values(var.alarms) : a.expression == null ? length(a.metrics) == 0 : length(a.metrics) > 0 && a.statistic == null && a.extended_statistic == null])
    error_message = "A metric-math alarm sets metrics (at least one) and no statistic; a single-metric alarm sets no metrics."
  }

  validation {
    condition     = alltrue([for a in values(var.alarms) : contains(["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"], a.comparison_operator)])
    error_message = "comparison_operator must be GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold or LessThanOrEqualToThreshold."
  }

  validation {
    condition     = alltrue([for a in values(var.alarms) : contains(["breaching", "notBreaching", "ignore", "missing"], a.treat_missing_data)])
    error_message = "treat_missing_data must be breaching, notBreaching, ignore or missing."
  }

  validation {
    # PutMetricAlarm: Period is 10, 20, 30 or a multiple of 60 seconds.
    condition     = alltrue([for a in values(var.alarms) : contains([10, 20, 30], a.period) || (a.period >= 60 && a.period % 60 == 0)])
    error_message = "period must be 10, 20, 30 or a multiple of 60 seconds."
  }

  validation {
    condition     = alltrue([for a in values(var.alarms) : a.evaluation_periods >= 1])
    error_message = "evaluation_periods must be at least 1."
  }
}

variable "alarm_actions" {
  type        = list(string)
  description = "ARNs notified when an alarm goes to ALARM and back to OK (SNS topics, typically the alerts module's)."
  default     = []
}

variable "tags" {
  type        = map(string)
  description = "Tags for every alarm."
  default     = {}
}
