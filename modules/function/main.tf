# A Python Lambda function from a prebuilt zip, with its own log group, a least-privilege
# execution role, the public Powertools v3 layer and the alarms issue 6 asks for.

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  # Public Powertools for AWS Lambda (Python) v3 layers, published by AWS from account
  # 017000801446 in the commercial Regions, one per Python version and architecture:
  # arn:aws:lambda:{region}:017000801446:layer:AWSLambdaPowertoolsPythonV3-{python312|python313}-{arm64|x86_64}:{version}
  # (Powertools docs, "Installation" > "Lambda Layer").
  powertools_layer_arn = format(
    "arn:%s:lambda:%s:017000801446:layer:AWSLambdaPowertoolsPythonV3-%s-%s:%d",
    data.aws_partition.current.partition,
    data.aws_region.current.name,
    replace(var.runtime, ".", ""),
    var.architecture,
    var.powertools_layer_version,
  )
  layers = concat(var.powertools_layer_enabled ? [local.powertools_layer_arn] : [], var.layers)

  log_group_name = "/aws/lambda/${var.name}"

  # VPC: Lambda creates Hyperplane ENIs in these subnets with the function's own role
  # ("Giving Lambda functions access to resources in an Amazon VPC", configuration-vpc.html).
  vpc_enabled = length(var.vpc_subnet_ids) > 0

  # Secrets: the function learns where they are (ARNs), never their values. An env value is
  # readable by anyone with lambda:GetFunctionConfiguration and lands in Terraform state.
  secret_env  = { for name, arn in var.secrets : "SECRET_${upper(name)}_ARN" => arn }
  environment = merge({ POWERTOOLS_SERVICE_NAME = var.name }, var.environment, local.secret_env)

  ssm_secret_arns = sort(distinct([for arn in values(var.secrets) : arn if strcontains(arn, ":ssm:")]))
  sm_secret_arns  = sort(distinct([for arn in values(var.secrets) : arn if strcontains(arn, ":secretsmanager:")]))
  # kms:ViaService: the key may decrypt only inside a GetParameter / GetSecretValue call of this
  # Region's SSM / Secrets Manager, not through a direct kms:Decrypt ("AWS KMS condition keys").
  secret_services = concat(
    length(local.ssm_secret_arns) > 0 ? ["ssm.${data.aws_region.current.name}.amazonaws.com"] : [],
    length(local.sm_secret_arns) > 0 ? ["secretsmanager.${data.aws_region.current.name}.amazonaws.com"] : [],
  )

  # Cold starts: SnapStart and provisioned concurrency only apply to published versions, so
  # either one publishes and puts an alias in front ("Improving startup performance with
  # Lambda SnapStart"; "Configuring provisioned concurrency for a function").
  alias_enabled = var.publish || var.snap_start || var.provisioned_concurrency > 0
  # SnapStart runtimes for Python: 3.12 and later (snapstart.html, "Supported features and limitations").
  snap_start_runtimes = ["python3.12", "python3.13"]

  # IAM statements, built with jsonencode so the policy JSON is real under mock_provider tests.
  logs_statement = {
    Sid      = "WriteOwnLogGroup"
    Effect   = "Allow"
    Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    Resource = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
  # X-Ray's PutTraceSegments / PutTelemetryRecords support no resource-level permissions:
  # "*" is the only valid Resource ("Identity-based policy examples for AWS X-Ray").
  xray_statement = {
    Sid      = "WriteXRayTraces"
    Effect   = "Allow"
    Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    Resource = ["*"]
  }
  # The actions of AWSLambdaVPCAccessExecutionRole (AWS managed policy reference), narrowed:
  # - ec2:DescribeNetworkInterfaces / ec2:DescribeSubnets support no resource-level permissions
  #   ("This action only works if it's allowed on all resources", configuration-vpc.html;
  #   Service Authorization Reference, Amazon EC2): "*" is the only valid Resource; read-only.
  # - ec2:CreateNetworkInterface authorizes the new ENI and the subnet and security groups it
  #   uses: the ENI type in this account/Region, and exactly the given subnets and groups.
  # - Delete / Assign / UnassignPrivateIpAddresses act on an ENI whose id Lambda picks: "either
  #   specify a unique resource ID, or include all resource IDs" (configuration-vpc.html), so
  #   every network-interface of this account/Region.
  # The account id is read from the log group's ARN (no sts:GetCallerIdentity data source, so
  # offline plans keep working).
  vpc_account = local.vpc_enabled ? split(":", aws_cloudwatch_log_group.this.arn)[4] : ""
  vpc_arn     = "arn:${data.aws_partition.current.partition}:ec2:${data.aws_region.current.name}:${local.vpc_account}"
  vpc_statements = local.vpc_enabled ? [
    {
      Sid      = "DescribeForVpcEnis"
      Effect   = "Allow"
      Action   = ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]
      Resource = ["*"]
    },
    {
      Sid    = "CreateVpcEnisInOwnSubnets"
      Effect = "Allow"
      Action = ["ec2:CreateNetworkInterface"]
      Resource = concat(
        ["${local.vpc_arn}:network-interface/*"],
        [for id in sort(var.vpc_subnet_ids) : "${local.vpc_arn}:subnet/${id}"],
        [for id in sort(var.vpc_security_group_ids) : "${local.vpc_arn}:security-group/${id}"],
      )
    },
    {
      Sid      = "ManageVpcEnis"
      Effect   = "Allow"
      Action   = ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
      Resource = ["${local.vpc_arn}:network-interface/*"]
    },
  ] : []
  extra_statements = [
    for s in var.policy_statements : merge(
      { Effect = s.effect, Action = s.actions, Resource = s.resources },
      s.sid == null ? {} : { Sid = s.sid },
      length(s.conditions) == 0 ? {} : {
        Condition = {
          for test in distinct([for c in s.conditions : c.test]) : test => {
            for c in s.conditions : c.variable => c.values if c.test == test
          }
        }
      },
    )
  ]
  # Exactly the secrets named in var.secrets: GetParameter(s) / GetSecretValue, nothing listable.
  secret_statements = concat(
    length(local.ssm_secret_arns) == 0 ? [] : [{
      Sid      = "ReadSsmSecrets"
      Effect   = "Allow"
      Action   = ["ssm:GetParameter", "ssm:GetParameters"]
      Resource = local.ssm_secret_arns
    }],
    length(local.sm_secret_arns) == 0 ? [] : [{
      Sid      = "ReadSecretsManagerSecrets"
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = local.sm_secret_arns
    }],
  )
  kms_statements = var.secrets_kms_key_arn == null ? [] : [{
    Sid       = "DecryptSecretsViaService"
    Effect    = "Allow"
    Action    = ["kms:Decrypt"]
    Resource  = [var.secrets_kms_key_arn]
    Condition = { StringEquals = { "kms:ViaService" = local.secret_services } }
  }]
  role_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [local.logs_statement],
      var.tracing_enabled ? [local.xray_statement] : [],
      local.vpc_statements,
      local.secret_statements,
      local.kms_statements,
      local.extra_statements,
    )
  }
}

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158: CloudWatch Logs encrypts log data at rest with service-managed keys by default; a CMK is optional (log_kms_key_arn) because its key policy must be written per account.
  #checkov:skip=CKV_AWS_338: Retention is a per-env choice (log_retention_days, default 30, validated); a 1-year floor is not a fit for dev stacks.
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

resource "aws_iam_role" "this" {
  name        = "${var.name}-role"
  description = "Execution role of the ${var.name} Lambda function"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.name}-policy"
  role   = aws_iam_role.this.id
  policy = jsonencode(local.role_policy)
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_117: VPC is opt-in (vpc_subnet_ids): functions that only call AWS APIs (SQS, DynamoDB, API Gateway) over TLS with IAM auth gain no isolation from a VPC and would need NAT or endpoints; functions reaching private databases set it.
  #checkov:skip=CKV_AWS_272: Code signing needs an AWS Signer profile per account; integrity comes from the deterministic zip whose SHA-256 (source_code_hash) Terraform records.
  #checkov:skip=CKV_AWS_116: A Lambda DLQ only applies to asynchronous invocations; these functions are invoked by SQS event source mappings (the queue's own DLQ catches failures) or synchronously.
  function_name    = var.name
  description      = var.description
  role             = aws_iam_role.this.arn
  filename         = var.zip_path
  source_code_hash = filebase64sha256(var.zip_path)
  handler          = var.handler
  runtime          = var.runtime
  architectures    = [var.architecture]
  memory_size      = var.memory_size
  timeout          = var.timeout
  layers           = local.layers
  kms_key_arn      = var.kms_key_arn
  publish          = local.alias_enabled

  # -1 = unreserved (the provider's own encoding).
  reserved_concurrent_executions = var.reserved_concurrency == null ? -1 : var.reserved_concurrency

  environment {
    variables = local.environment
  }

  tracing_config {
    mode = var.tracing_enabled ? "Active" : "PassThrough"
  }

  # Subnets in at least two AZs are AWS's advice for availability; outbound traffic leaves
  # through the VPC (no internet without NAT; AWS APIs need NAT or VPC endpoints).
  dynamic "vpc_config" {
    for_each = local.vpc_enabled ? [1] : []
    content {
      subnet_ids                  = var.vpc_subnet_ids
      security_group_ids          = var.vpc_security_group_ids
      ipv6_allowed_for_dual_stack = var.vpc_ipv6_allowed_for_dual_stack
    }
  }

  # The snapshot is taken when a version is published; invoke the alias, not $LATEST.
  dynamic "snap_start" {
    for_each = var.snap_start ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  # Advanced logging controls: JSON lines into the log group this module owns (with its
  # retention), instead of the implicit /aws/lambda/<name> group Lambda would create.
  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.this.name
    application_log_level = var.log_level
    system_log_level      = "WARN"
  }

  tags = var.tags

  # The role must be able to write logs before the first invocation.
  depends_on = [aws_iam_role_policy.this]

  lifecycle {
    precondition {
      condition     = length(local.layers) <= 5
      error_message = "A Lambda function takes at most 5 layers; got ${length(local.layers)} (Powertools counts as one when powertools_layer_enabled = true)."
    }
    precondition {
      condition     = !var.snap_start || contains(local.snap_start_runtimes, var.runtime)
      error_message = "snap_start needs a Python 3.12+ runtime (${join(", ", local.snap_start_runtimes)}); runtime is ${var.runtime}."
    }
    precondition {
      # "SnapStart does not support provisioned concurrency" (snapstart.html).
      condition     = !(var.snap_start && var.provisioned_concurrency > 0)
      error_message = "snap_start and provisioned_concurrency exclude each other (SnapStart does not support provisioned concurrency): set provisioned_concurrency = 0 or snap_start = false."
    }
    precondition {
      # Provisioned environments are drawn from the function's reserved concurrency when it has one.
      condition     = var.reserved_concurrency == null || var.provisioned_concurrency <= coalesce(var.reserved_concurrency, 0)
      error_message = "provisioned_concurrency (${var.provisioned_concurrency}) cannot exceed reserved_concurrency (${coalesce(var.reserved_concurrency, -1)})."
    }
    precondition {
      condition     = length(setintersection(keys(var.environment), keys(local.secret_env))) == 0
      error_message = "environment must not set ${join(", ", sort(setintersection(keys(var.environment), keys(local.secret_env))))}: the module sets SECRET_<NAME>_ARN from secrets."
    }
    precondition {
      condition     = length(distinct([for k in keys(var.secrets) : upper(k)])) == length(var.secrets)
      error_message = "secrets: two names differ only by case and would share one SECRET_<NAME>_ARN variable."
    }
    precondition {
      # CreateFunction with subnets and no security group (or the reverse) is refused by Lambda;
      # fail at plan with the reason instead.
      condition     = (length(var.vpc_subnet_ids) == 0) == (length(var.vpc_security_group_ids) == 0)
      error_message = "vpc_subnet_ids and vpc_security_group_ids go together: give both (the function joins the VPC) or neither (got ${length(var.vpc_subnet_ids)} subnet(s), ${length(var.vpc_security_group_ids)} security group(s))."
    }
    precondition {
      condition     = !var.vpc_ipv6_allowed_for_dual_stack || local.vpc_enabled
      error_message = "vpc_ipv6_allowed_for_dual_stack needs vpc_subnet_ids (dual-stack subnets) and vpc_security_group_ids."
    }
    precondition {
      condition     = var.secrets_kms_key_arn == null || length(var.secrets) > 0
      error_message = "secrets_kms_key_arn is set but secrets is empty: the key grant would decrypt nothing."
    }
  }
}

# --- Versions: alias and provisioned concurrency --------------------------------------------------

# The stable name callers and API routes invoke; it moves to each newly published version.
resource "aws_lambda_alias" "this" {
  count = local.alias_enabled ? 1 : 0

  name             = var.alias_name
  description      = "Current version of ${var.name}"
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}

# Billed for every configured environment for as long as it is configured ("Lambda pricing",
# provisioned concurrency), whether it serves requests or not.
resource "aws_lambda_provisioned_concurrency_config" "this" {
  count = var.provisioned_concurrency > 0 ? 1 : 0

  function_name                     = aws_lambda_alias.this[0].function_name
  qualifier                         = aws_lambda_alias.this[0].name
  provisioned_concurrent_executions = var.provisioned_concurrency
}
