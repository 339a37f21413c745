# A queue (modules/queue) drained by a throttled worker (this module), using the ping zip.
# Build it first: `make build`. The variables exist so tests can probe the module's rules.
provider "aws" {
  region = "eu-west-1"
}

variable "name" {
  type        = string
  description = "Name prefix."
  default     = "storefirst-example-worker"
}

variable "visibility_timeout_seconds" {
  type        = number
  description = "Queue visibility timeout (must be >= 6x timeout)."
  default     = 180
}

variable "timeout" {
  type        = number
  description = "Worker timeout in seconds."
  default     = 30
}

variable "batch_size" {
  type        = number
  description = "Records per invocation."
  default     = 10
}

variable "maximum_batching_window_in_seconds" {
  type        = number
  description = "Batching window in seconds."
  default     = 0
}

variable "maximum_concurrency" {
  type        = number
  description = "Concurrency cap of the mapping."
  default     = 5
}

module "queue" {
  source = "../../../queue"

  name                       = var.name
  visibility_timeout_seconds = var.visibility_timeout_seconds
}

module "worker" {
  source = "../.."

  name                               = var.name
  queue                              = module.queue.queue
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.maximum_batching_window_in_seconds
  maximum_concurrency                = var.maximum_concurrency

  function = {
    zip_path = "${path.module}/../../../../build/ping.zip"
    handler  = "ping.handler"
    timeout  = var.timeout
  }
}

output "queue_url" {
  description = "Send work here."
  value       = module.queue.queue_url
}

output "event_source_mapping_uuid" {
  description = "UUID of the mapping."
  value       = module.worker.event_source_mapping_uuid
}
