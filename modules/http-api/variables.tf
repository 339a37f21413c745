variable "name" {
  type        = string
  description = "Prefix for every resource name (API, log group, IAM role, alarms). 1-40 characters: letters, digits, '-' and '_' (the IAM role name adds a suffix and IAM allows 64 characters)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,40}$", var.name))
    error_message = "name must be 1-40 characters of letters, digits, '-' or '_'."
  }
}

variable "description" {
  type        = string
  description = "Description of the HTTP API."
  default     = "storefirst HTTP API"
}

variable "routes" {
  description = <<-EOT
    Routes keyed by route key ("POST /webhook", "GET /users/{id}", "ANY /{proxy+}" or "$default").
    Every route has a `kind` and a `target`, which is a key of the map for that kind:
    kind "queue" -> var.queues, "function" -> var.functions, "http_proxy" -> var.http_backends,
    "workflow" -> var.state_machines, "event" -> var.event_buses, "stream" -> var.streams. Common options: `throttle` (per-route rate/burst, overrides
    default_throttle), `authorization` ("NONE", "JWT", "AWS_IAM" or "CUSTOM": the Lambda REQUEST
    authorizer of var.lambda_authorizer), `authorization_scopes` (JWT),
    `timeout_milliseconds` (50-30000). Queue options: `forward_headers` (request headers carried
    to the worker in the message body's frame, at most 20; each is optional for the client),
    `message_group_id` and
    `message_deduplication_id` (FIFO only; selection expressions or constants). Workflow options:
    `sync` (StartSyncExecution, Express only), `execution_name` (StartExecution only). HTTP proxy
    option: `forward_path` (default true: the request path replaces the backend URL's path).
    Event options (EventBridge-PutEvents; the body is the event's Detail): `detail_type`
    (default the route key) and `source` (default "storefirst.<name>"). Stream option
    (Kinesis-PutRecord; the body is the record's data): `partition_key` (default
    "$context.requestId": spread over shards, no ordering; e.g. "$request.header.X-Tenant-Id").
  EOT
  type = map(object({
    kind                 = string
    target               = string
    throttle             = optional(object({ rate_limit = number, burst_limit = number }))
    authorization        = optional(string, "NONE")
    authorization_scopes = optional(list(string), [])
    timeout_milliseconds = optional(number)

    # kind = "queue"
    forward_headers          = optional(list(string), [])
    message_group_id         = optional(string)
    message_deduplication_id = optional(string)

    # kind = "workflow"
    sync           = optional(bool, false)
    execution_name = optional(string)

    # kind = "http_proxy"
    forward_path = optional(bool, true)

    # kind = "event"
    detail_type = optional(string)
    source      = optional(string)

    # kind = "stream"
    partition_key = optional(string)
  }))

  validation {
    condition     = length(var.routes) > 0 && length(var.routes) <= 300
    error_message = "routes must hold 1-300 routes (HTTP API quota: 300 routes per API)."
  }

  validation {
    condition     = alltrue([for k, r in var.routes : contains(["queue", "function", "http_proxy", "workflow", "event", "stream"], r.kind)])
    error_message = "routes: every route's kind must be one of \"queue\", \"function\", \"http_proxy\", \"workflow\", \"event\", \"stream\"; unknown kind(s) in: ${join(", ", [for k, r in var.routes : "${k} (${r.kind})" if !contains(["queue", "function", "http_proxy", "workflow", "event", "stream"], r.kind)])}."
  }

  validation {
    # HTTP API route keys: "$default" or "METHOD /path"; path segments are literals, {param},
    # or a final greedy {param+} (API Gateway "Working with routes for HTTP APIs").
    condition = alltrue([for k, r in var.routes : k == "$default" || can(regex(
      "^(ANY|GET|HEAD|OPTIONS|POST|PUT|PATCH|DELETE) /(|([A-Za-z0-9._~-]+|\\{[A-Za-z0-9_]+\\})(/([A-Za-z0-9._~-]+|\\{[A-Za-z0-9_]+\\}))*(/\\{[A-Za-z0-9_]+\\+\\})?|\\{[A-Za-z0-9_]+\\+\\})$", k
    ))])
    error_message = "routes: every key must be \"$default\" or \"METHOD /path\" (METHOD one of ANY, GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE; path segments literal, {param} or a final {param+}); invalid: ${join(", ", [for k, r in var.routes : "\"${k}\"" if !(k == "$default" || can(regex("^(ANY|GET|HEAD|OPTIONS|POST|PUT|PATCH|DELETE) /(|([A-Za-z0-9._~-]+|\\{[A-Za-z0-9_]+\\})(/([A-Za-z0-9._~-]+|\\{[A-Za-z0-9_]+\\}))*(/\\{[A-Za-z0-9_]+\\+\\})?|\\{[A-Za-z0-9_]+\\+\\})$", k)))])}."
  }

  validation {
    condition     = alltrue([for k, r in var.routes : r.target != ""])
    error_message = "routes: every route needs a non-empty target (a key of the map for its kind)."
  }

  validation {
    # Stage and route throttles share the account quota: 10,000 rps steady, 5,000 burst
    # (API Gateway "Amazon API Gateway quotas", http-api-throttling.html).
    condition = alltrue([for k, r in var.routes : r.throttle == null ? true : (
      r.throttle.rate_limit >= 0 && r.throttle.rate_limit <= 10000 &&
      r.throttle.burst_limit >= 0 && r.throttle.burst_limit <= 5000 &&
      floor(r.throttle.burst_limit) == r.throttle.burst_limit
    )])
    error_message = "routes: throttle.rate_limit must be 0-10000 requests/s and throttle.burst_limit a whole number 0-5000."
  }

  validation {
    condition     = alltrue([for k, r in var.routes : contains(["NONE", "JWT", "AWS_IAM", "CUSTOM"], r.authorization)])
    error_message = "routes: authorization must be \"NONE\", \"JWT\", \"AWS_IAM\" or \"CUSTOM\" (the Lambda authorizer of var.lambda_authorizer)."
  }

  validation {
    condition     = alltrue([for k, r in var.routes : r.timeout_milliseconds == null ? true : (r.timeout_milliseconds >= 50 && r.timeout_milliseconds <= 30000)])
    error_message = "routes: timeout_milliseconds must be 50-30000 (HTTP API integration timeout limit, http-api-quotas.html)."
  }

  validation {
    # Each header adds a line to every message (the queue's maximum message size counts it).
    condition     = alltrue([for k, r in var.routes : length(r.forward_headers) <= 20])
    error_message = "routes: forward_headers can list at most 20 headers."
  }

  validation {
    # Header names are written into the frame and into ${request.header.Name}: HTTP token
    # characters only (letters, digits, '-', '_'), so a name can hold no ':' or line break.
    condition = alltrue(flatten([for k, r in var.routes : [for h in r.forward_headers :
    can(regex("^[A-Za-z0-9_-]{1,128}$", h))]]))
    error_message = "routes: forward_headers entries must be header names of 1-128 letters, digits, '-' or '_'."
  }

  validation {
    # PutEvents refuses sources starting with "aws." (reserved for AWS services) and limits
    # Source and DetailType to 256 characters (EventBridge API reference, PutEventsRequestEntry).
    condition = alltrue([for k, r in var.routes : (r.source == null || (can(regex("^[A-Za-z0-9._/-]{1,256}$", r.source)) && !startswith(lower(coalesce(r.source, "x")), "aws."))) &&
    (r.detail_type == null || (length(coalesce(r.detail_type, "x")) <= 256 && length(coalesce(r.detail_type, "x")) > 0))])
    error_message = "routes: source must be 1-256 letters, digits, '.', '_', '/' or '-' and not start with \"aws.\"; detail_type 1-256 characters."
  }
}

variable "queues" {
  description = "Queues that `queue` routes can target, keyed by the name routes use as `target`. `arn` and `url` of the queue, `fifo` when it is a FIFO queue, `content_based_deduplication` when the FIFO queue computes deduplication ids itself, `kms_key_arn` when it is encrypted with a customer managed key (the integration role then gets kms:GenerateDataKey and kms:Decrypt on it). Outputs of modules/queue fit (queue_arn, queue_url, fifo, kms_key_arn)."
  type = map(object({
    arn                         = string
    url                         = string
    fifo                        = optional(bool, false)
    content_based_deduplication = optional(bool, false)
    kms_key_arn                 = optional(string)
  }))
  default = {}

  validation {
    condition = alltrue([for k, q in var.queues : can(regex("^arn:aws[a-z-]*:sqs:", q.arn)) && can(regex("^https?://", q.url))])
    # AWS queue URLs are https; an emulator's (the local stack's) are http on 127.0.0.1.
    error_message = "queues: every queue needs an SQS ARN (arn:aws:sqs:...) and an http(s):// queue URL."
  }

  validation {
    condition     = alltrue([for k, q in var.queues : q.fifo == endswith(q.arn, ".fifo")])
    error_message = "queues: fifo must be true exactly when the queue ARN ends in \".fifo\"."
  }

  validation {
    condition     = alltrue([for k, q in var.queues : q.kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", q.kms_key_arn))])
    error_message = "queues: kms_key_arn must be null (SQS-managed SSE) or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>), not an alias: IAM policy statements name a KMS key by key ARN only, never an alias (KMS developer guide, cmks-in-iam-policies)."
  }
}

variable "functions" {
  description = "Lambda functions that `function` routes can target (AWS_PROXY, payload format 2.0), keyed by the name routes use as `target`. `arn` is the function ARN (used for the invoke permission), `invoke_arn` its invoke ARN; `qualifier` an optional alias or version. Outputs of modules/function fit (function_arn, invoke_arn)."
  type = map(object({
    arn        = string
    invoke_arn = string
    qualifier  = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for k, f in var.functions : can(regex("^arn:aws[a-z-]*:lambda:", f.arn)) && can(regex("^arn:aws[a-z-]*:apigateway:", f.invoke_arn))])
    error_message = "functions: arn must be a Lambda function ARN and invoke_arn a Lambda invoke ARN (arn:aws:apigateway:...)."
  }
}

variable "http_backends" {
  description = "HTTP backends that `http_proxy` routes forward to (HTTP_PROXY), keyed by the name routes use as `target`. `url` is the base URL (scheme and host, e.g. the legacy system in a strangler migration); with `forward_path` (default) the request path replaces its path."
  type = map(object({
    url = string
  }))
  default = {}

  validation {
    condition     = alltrue([for k, b in var.http_backends : can(regex("^https?://[^/\\s]+", b.url))])
    error_message = "http_backends: url must be an http:// or https:// URL."
  }
}

variable "state_machines" {
  description = "Step Functions state machines that `workflow` routes can start, keyed by the name routes use as `target`. `arn` of the state machine and its `type` (STANDARD or EXPRESS; `sync` routes need EXPRESS). The integration role may call only states:StartExecution / states:StartSyncExecution on the machines routes use."
  type = map(object({
    arn  = string
    type = optional(string, "STANDARD")
  }))
  default = {}

  validation {
    condition     = alltrue([for k, s in var.state_machines : can(regex("^arn:aws[a-z-]*:states:", s.arn)) && contains(["STANDARD", "EXPRESS"], s.type)])
    error_message = "state_machines: arn must be a Step Functions state machine ARN and type \"STANDARD\" or \"EXPRESS\"."
  }
}

variable "event_buses" {
  description = "EventBridge buses that `event` routes put events on (EventBridge-PutEvents), keyed by the name routes use as `target`. `arn` of the bus (modules/event-bus bus_arn). The integration role may call events:PutEvents on the routed buses only."
  type = map(object({
    arn = string
  }))
  default = {}

  validation {
    condition     = alltrue([for k, b in var.event_buses : can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]{1,256}$", b.arn))])
    error_message = "event_buses: arn must be an EventBridge event bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>)."
  }
}

variable "streams" {
  description = "Kinesis data streams that `stream` routes put records on (Kinesis-PutRecord), keyed by the name routes use as `target`. `arn` of the stream; `kms_key_arn` of its customer managed key when server-side encryption uses one (null for the AWS managed key alias/aws/kinesis). The role may call kinesis:PutRecord on the routed streams only."
  type = map(object({
    arn         = string
    kms_key_arn = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for k, s in var.streams : can(regex("^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/[A-Za-z0-9_.-]{1,128}$", s.arn))])
    error_message = "streams: arn must be a Kinesis data stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>)."
  }

  validation {
    condition     = alltrue([for k, s in var.streams : s.kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", s.kms_key_arn))])
    error_message = "streams: kms_key_arn must be null or a KMS key ARN (IAM statements name keys by key ARN only)."
  }
}

variable "default_throttle" {
  description = "Stage-wide throttling applied to every route without its own `throttle`: steady `rate_limit` (requests/s, 0-10000) and `burst_limit` (0-5000). Excess requests get 429."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
  default = {
    rate_limit  = 100
    burst_limit = 200
  }

  validation {
    condition = (var.default_throttle.rate_limit >= 0 && var.default_throttle.rate_limit <= 10000 &&
      var.default_throttle.burst_limit >= 0 && var.default_throttle.burst_limit <= 5000 &&
    floor(var.default_throttle.burst_limit) == var.default_throttle.burst_limit)
    error_message = "default_throttle.rate_limit must be 0-10000 requests/s and default_throttle.burst_limit a whole number 0-5000."
  }
}

variable "cors" {
  description = "CORS configuration of the API, or null for none. API Gateway answers preflight OPTIONS requests itself."
  type = object({
    allow_origins     = list(string)
    allow_methods     = optional(list(string), ["GET", "POST", "OPTIONS"])
    allow_headers     = optional(list(string), ["content-type", "authorization"])
    expose_headers    = optional(list(string), [])
    allow_credentials = optional(bool, false)
    max_age           = optional(number, 300)
  })
  default = null

  validation {
    condition     = var.cors == null ? true : (length(var.cors.allow_origins) > 0 && var.cors.max_age >= 0 && var.cors.max_age <= 86400)
    error_message = "cors.allow_origins must list at least one origin and cors.max_age must be 0-86400 seconds."
  }

  validation {
    # Browsers reject credentials with a wildcard origin; API Gateway rejects the combination too.
    condition     = var.cors == null ? true : !(var.cors.allow_credentials && contains(var.cors.allow_origins, "*"))
    error_message = "cors.allow_credentials cannot be true when cors.allow_origins contains \"*\"."
  }
}

variable "jwt_authorizer" {
  description = "Optional JWT authorizer (e.g. Cognito or any OIDC issuer) for routes with authorization = \"JWT\": `issuer` URL, `audience` (client ids), `identity_sources` (default the Authorization header)."
  type = object({
    issuer           = string
    audience         = list(string)
    identity_sources = optional(list(string), ["$request.header.Authorization"])
  })
  default = null

  validation {
    condition     = var.jwt_authorizer == null ? true : (can(regex("^https://", var.jwt_authorizer.issuer)) && length(var.jwt_authorizer.audience) > 0)
    error_message = "jwt_authorizer.issuer must be an https:// URL and jwt_authorizer.audience must list at least one audience."
  }
}

variable "lambda_authorizer" {
  description = <<-EOT
    Optional Lambda REQUEST authorizer for routes with authorization = "CUSTOM" (payload format
    2.0, simple responses: the function returns {"isAuthorized": true|false}). `function_arn` (for
    the invoke permission, scoped to this API's authorizers) and `invoke_arn` (the authorizer
    URI; an alias's invoke ARN with `qualifier`), `name` (default "<name>-lambda"),
    `identity_sources` (default ["$request.header.X-Origin-Verify"]: a request missing any of
    them gets 401 without invoking the function), `result_ttl_seconds` (0-3600, default 300:
    results are cached per identity source value; 0 disables caching, and only then may
    identity_sources be empty). lambda_src/origin_verify is such a function.
  EOT
  type = object({
    function_arn       = string
    invoke_arn         = string
    qualifier          = optional(string)
    name               = optional(string)
    identity_sources   = optional(list(string), ["$request.header.X-Origin-Verify"])
    result_ttl_seconds = optional(number, 300)
  })
  default = null

  validation {
    condition     = var.lambda_authorizer == null ? true : (can(regex("^arn:aws[a-z-]*:lambda:", var.lambda_authorizer.function_arn)) && can(regex("^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/", var.lambda_authorizer.invoke_arn)))
    error_message = "lambda_authorizer: function_arn must be a Lambda function ARN and invoke_arn a Lambda invoke ARN (arn:aws:apigateway:<region>:lambda:path/...; modules/function output invoke_arn)."
  }

  validation {
    # AuthorizerResultTtlInSeconds: 0 disables caching, maximum 3600 (API Gateway V2 API
    # reference, Authorizer).
    condition     = var.lambda_authorizer == null ? true : (var.lambda_authorizer.result_ttl_seconds >= 0 && var.lambda_authorizer.result_ttl_seconds <= 3600 && floor(var.lambda_authorizer.result_ttl_seconds) == var.lambda_authorizer.result_ttl_seconds)
    error_message = "lambda_authorizer.result_ttl_seconds must be a whole number of seconds, 0-3600 (0 disables caching)."
  }

  validation {
    # With caching on, the cache key is the identity sources' values: without any, API Gateway
    # would have nothing to key on (identity source is optional only when caching is off).
    condition     = var.lambda_authorizer == null ? true : (var.lambda_authorizer.result_ttl_seconds == 0 || length(var.lambda_authorizer.identity_sources) > 0)
    error_message = "lambda_authorizer.identity_sources must list at least one source when result_ttl_seconds > 0 (the cache is keyed by their values); set result_ttl_seconds = 0 to authorize without any."
  }

  validation {
    condition = var.lambda_authorizer == null ? true : alltrue([for s in var.lambda_authorizer.identity_sources :
    can(regex("^\\$(request\\.header\\.[A-Za-z0-9_-]{1,128}|request\\.querystring\\.[A-Za-z0-9_.~-]{1,128}|context\\.[A-Za-z0-9_.]{1,128}|stageVariables\\.[A-Za-z0-9_]{1,128})$", s))])
    error_message = "lambda_authorizer.identity_sources entries must be selection expressions: $request.header.<name>, $request.querystring.<name>, $context.<variable> or $stageVariables.<name>."
  }

  validation {
    condition     = var.lambda_authorizer == null ? true : (var.lambda_authorizer.name == null || can(regex("^[A-Za-z0-9_-]{1,128}$", coalesce(var.lambda_authorizer.name, "x"))))
    error_message = "lambda_authorizer.name must be 1-128 letters, digits, '-' or '_'."
  }
}

variable "access_log_retention_days" {
  description = "Retention of the access log group in days (a value CloudWatch Logs accepts)."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.access_log_retention_days)
    error_message = "access_log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "access_log_kms_key_arn" {
  description = "KMS key ARN to encrypt the access log group, or null for CloudWatch Logs' default encryption. The key policy must allow the logs service principal."
  type        = string
  default     = null

  validation {
    # CloudWatch Logs' kmsKeyId takes the key ARN (AssociateKmsKey).
    condition     = var.access_log_kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.access_log_kms_key_arn))
    error_message = "access_log_kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>); CloudWatch Logs takes the key ARN, not an alias."
  }
}

variable "detailed_metrics" {
  description = "Publish per-route CloudWatch metrics (dimensions ApiId, Method, Resource, Stage). Billed as custom metrics."
  type        = bool
  default     = true
}

variable "request_id_attribute" {
  description = "Name of the SQS message attribute that carries the API Gateway request id ($context.requestId) on queue routes; workers use it as correlation id."
  type        = string
  default     = "request_id"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,256}$", var.request_id_attribute)) && !can(regex("^(?i)(aws|amazon)", var.request_id_attribute))
    error_message = "request_id_attribute must be letters, digits, '-' or '_' and must not start with \"AWS\" or \"Amazon\"."
  }
}

variable "alarms_enabled" {
  description = "Create the API's CloudWatch alarms (5xx and p99 latency)."
  type        = bool
  default     = true
}

variable "alarm_actions" {
  description = "SNS topic ARNs notified when an alarm fires and when it returns to OK."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_actions : can(regex("^arn:aws[a-z-]*:sns:", a))])
    error_message = "alarm_actions must be SNS topic ARNs."
  }
}

variable "server_error_alarm_mode" {
  description = "How the 5xx alarm measures errors: \"rate\" (percentage of requests, ignoring periods with fewer than server_error_min_requests requests) or \"count\" (number of 5xx responses per period)."
  type        = string
  default     = "rate"

  validation {
    condition     = contains(["rate", "count"], var.server_error_alarm_mode)
    error_message = "server_error_alarm_mode must be \"rate\" or \"count\"."
  }
}

variable "server_error_rate_threshold" {
  description = "5xx alarm threshold in percent of requests (server_error_alarm_mode = \"rate\"), 0-100."
  type        = number
  default     = 1

  validation {
    condition     = var.server_error_rate_threshold > 0 && var.server_error_rate_threshold <= 100
    error_message = "server_error_rate_threshold must be greater than 0 and at most 100 (percent)."
  }
}

variable "server_error_min_requests" {
  description = "Rate mode only: periods with fewer requests than this never alarm, so one failed request out of two is not a 50% outage page."
  type        = number
  default     = 20

  validation {
    condition     = var.server_error_min_requests >= 1
    error_message = "server_error_min_requests must be at least 1."
  }
}

variable "server_error_count_threshold" {
  description = "5xx alarm threshold in responses per period (server_error_alarm_mode = \"count\")."
  type        = number
  default     = 5

  validation {
    condition     = var.server_error_count_threshold >= 1
    error_message = "server_error_count_threshold must be at least 1."
  }
}

variable "latency_p99_threshold_ms" {
  description = "p99 Latency (ms, whole request as API Gateway sees it) above which the latency alarm fires. The HTTP API integration timeout is 30,000 ms."
  type        = number
  default     = 2000

  validation {
    condition     = var.latency_p99_threshold_ms > 0 && var.latency_p99_threshold_ms <= 30000
    error_message = "latency_p99_threshold_ms must be greater than 0 and at most 30000."
  }
}

variable "alarm_period_seconds" {
  description = "Period of the alarms' metrics in seconds (60 or a multiple of 60)."
  type        = number
  default     = 300

  validation {
    condition     = var.alarm_period_seconds >= 60 && var.alarm_period_seconds % 60 == 0
    error_message = "alarm_period_seconds must be 60 or a multiple of 60."
  }
}

variable "alarm_evaluation_periods" {
  description = "Consecutive periods that must breach before an alarm fires."
  type        = number
  default     = 2

  validation {
    condition     = var.alarm_evaluation_periods >= 1 && var.alarm_evaluation_periods <= 24
    error_message = "alarm_evaluation_periods must be 1-24."
  }
}

variable "tags" {
  description = "Tags for every taggable resource."
  type        = map(string)
  default     = {}
}
