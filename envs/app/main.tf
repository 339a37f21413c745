# The sample application every environment deploys, one file per pattern:
#   webhook.tf       scalable webhook: HTTP API -> SQS -> throttled worker
#   data.tf          users table + data API (REST + VTL -> DynamoDB) + idempotency table
#   web_service.tf   simple web service (users_api behind the HTTP API) and internal API
#   orders.tf        state machines: order saga (async route) and customer sign-up (sync route)
#   api.tf           the public HTTP API and its routes, incl. the strangler's $default
#   observability.tf alarm topic and dashboard
# envs/dev, envs/prod and envs/local are thin roots around this module that only set the
# provider, the backend and per-env values.

locals {
  build_dir     = coalesce(var.build_dir, "${path.module}/../../build")
  catalog_path  = "${path.module}/../catalogs/users.yaml"
  workflows_dir = "${path.module}/workflows" # the app's own state machines (not the module's samples)
  alarm_actions = [module.alerts.topic_arn]
}
