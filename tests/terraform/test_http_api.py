"""modules/http-api planned offline through its webhook example (real provider schema, no AWS).

The example is copied with `offline_copy` (dummy credentials, skip flags, local backend) and
the module's own files are linked beside it so `source = "../.."` resolves in the copy.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from storefirst.terraform import REPO, Plan, Workdir, offline_copy

pytestmark = pytest.mark.terraform

MODULE = REPO / "modules" / "http-api"
EXAMPLE = MODULE / "examples" / "webhook"


@pytest.fixture(scope="module")
def example_wd(tmp_path_factory) -> Workdir:
    root = tmp_path_factory.mktemp("http-api-example")
    copy = offline_copy(EXAMPLE, root)
    # A data dir of its own: the lock file lives in the (fresh) copy, so init must run.
    wd = Workdir(copy, data_dir=Path(tempfile.mkdtemp(prefix="http-api-tfdata-", dir=root)))
    wd.init(backend=True)
    return wd


def _plan(wd: Workdir, *args: str) -> Plan:
    plan_file = wd.data_dir / "plan.tfplan"  # type: ignore[operator]
    wd.run("plan", "-no-color", "-input=false", "-lock=false", f"-out={plan_file}", *args)
    return Plan(json.loads(wd.run("show", "-json", str(plan_file)).stdout))


def _flat(text: str) -> str:
    """Terraform wraps diagnostics at ~80 columns; compare on single spaces."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def example_plan(example_wd) -> Plan:
    return _plan(example_wd)


def test_unknown_queue_route_fails_with_module_message(example_wd):
    res = example_wd.run("plan", "-no-color", "-input=false", "-lock=false", "-var=webhook_target=nope", check=False)
    assert res.returncode != 0, res.output
    out = _flat(res.output)
    assert "Resource precondition failed" in out
    assert 'http-api: route "POST /webhook" (kind queue) targets "nope", which is not a key of var.queues (known: ["webhooks"]).' in out
    # The module's precondition is what stops it, not an index error somewhere else.
    assert "Invalid index" not in out


def test_custom_route_without_lambda_authorizer_fails_with_module_message(example_wd):
    res = example_wd.run("plan", "-no-color", "-input=false", "-lock=false", "-var=webhook_authorization=CUSTOM", check=False)
    assert res.returncode != 0, res.output
    out = _flat(res.output)
    assert 'http-api: route "POST /webhook" uses authorization = "CUSTOM" but var.lambda_authorizer is null' in out


def test_bad_attribute_header_fails_with_module_message(example_wd):
    res = example_wd.run("plan", "-no-color", "-input=false", "-lock=false", "-var=signature_header=X.Sig", check=False)
    assert res.returncode != 0
    assert "forward_headers entries must be header names" in _flat(res.output)


FRAMED_BODY = "storefirst-frame/1 ${context.routeKey}\nX-Signature:${request.header.X-Signature}\n\n${request.body}"

# Header values a real client can send (HTTP forbids only CR, LF and NUL in a field value).
HOSTILE_HEADERS = [
    'sha256=abc", "request_id": {"DataType": "String", "StringValue": "forged"}, "x": {"a": "',
    "back\\slash \\u0022 \\n",
    "unicodé ✓ 😀",
    "X-Other:injected",
    "",
    None,  # not sent
]


def _aws_substitute(template: str, values: dict[str, str | None]) -> str:
    """HTTP API parameter mapping as AWS documents it: ${...} replaced by the value, no
    escaping (http-api-parameter-mapping.html); an absent value taken as ""."""
    import re

    return re.sub(r"\$\{([^}]+)\}", lambda m: values.get(m.group(1)) or "", template)


@pytest.mark.parametrize("header", HOSTILE_HEADERS)
def test_no_header_value_changes_the_structure_sqs_receives(example_plan, header):
    import sys

    sys.path.insert(0, str(REPO / "lambda_src" / "webhook_worker"))
    import webhook_frame

    params = example_plan.one("terraform_data", module="module.api")["change"]["after"]["input"]["request_parameters"]
    body = '{"operation": "store-new-user", "data": {"id": "1\\n\\"x"}}\n\nX-Signature:tail'
    values = {"context.requestId": "req-aws", "context.routeKey": "POST /webhook", "request.body": body,
              "request.header.X-Signature": header}
    attrs = json.loads(_aws_substitute(params["MessageAttributes"], values))
    assert attrs == {"request_id": {"DataType": "String", "StringValue": "req-aws"}}  # never empty, never forged
    frame = webhook_frame.decode(_aws_substitute(params["MessageBody"], values))
    assert frame.route == "POST /webhook" and frame.body == body
    assert frame.header("X-Signature") == (header or None) and set(frame.headers) == {"x-signature"}


def test_queue_integration_request_parameters(example_plan):
    integ = example_plan.one("aws_apigatewayv2_integration", module="module.api")
    after = integ["change"]["after"]
    assert after["integration_type"] == "AWS_PROXY"
    assert after["integration_subtype"] == "SQS-SendMessage"
    assert after["payload_format_version"] == "1.0"
    # The provider (SDKv2) plans a map holding one unknown value (QueueUrl, until the queue
    # exists) as wholly unknown; the module's terraform_data twin of the integration settings
    # (its replace trigger, fed from the same local) shows the known mappings.
    assert "request_parameters" not in after or after["request_parameters"]["MessageBody"] == FRAMED_BODY
    twin = example_plan.one("terraform_data", module="module.api")["change"]
    assert twin["after"]["input"]["subtype"] == "SQS-SendMessage"
    assert twin["after_unknown"]["input"]["request_parameters"] == {"QueueUrl": True}
    params = twin["after"]["input"]["request_parameters"]
    assert set(params) == {"MessageBody", "MessageAttributes"}  # + QueueUrl (unknown)
    assert params["MessageBody"] == FRAMED_BODY
    assert json.loads(params["MessageAttributes"]) == {
        "request_id": {"DataType": "String", "StringValue": "${context.requestId}"},
    }
    assert "MessageGroupId" not in params and "MessageDeduplicationId" not in params
    # The integration runs as the module's role and sends to the example's queue.
    refs = example_plan.references("module.api.aws_apigatewayv2_integration.this", "credentials_arn")
    assert any(r.startswith("aws_iam_role.integration") for r in refs)


def test_stage_throttling_and_access_log(example_plan):
    stage = example_plan.one("aws_apigatewayv2_stage", module="module.api")["change"]["after"]
    assert stage["name"] == "$default" and stage["auto_deploy"] is True
    default = stage["default_route_settings"][0]
    assert (default["throttling_rate_limit"], default["throttling_burst_limit"]) == (20, 40)
    assert default["detailed_metrics_enabled"] is True
    routes = {s["route_key"]: (s["throttling_rate_limit"], s["throttling_burst_limit"]) for s in stage["route_settings"]}
    assert routes == {"POST /webhook": (50, 100)}
    fmt = json.loads(stage["access_log_settings"][0]["format"])
    for field in ("requestId", "ip", "routeKey", "status", "integrationError", "integrationLatency", "responseLatency"):
        assert field in fmt
    logs = example_plan.one("aws_cloudwatch_log_group", module="module.api")["change"]["after"]
    assert logs["retention_in_days"] == 30


def test_alarms_on_http_api_metrics(example_plan):
    alarms = {rc["index"]: rc["change"]["after"] for rc in example_plan.changes("aws_cloudwatch_metric_alarm", module="module.api")}
    assert set(alarms) == {"server_errors_rate", "latency_p99"}
    assert alarms["latency_p99"]["metric_name"] == "Latency" and alarms["latency_p99"]["extended_statistic"] == "p99"
    metrics = sorted(q["metric"][0]["metric_name"] for q in alarms["server_errors_rate"]["metric_query"] if q["metric"])
    assert metrics == ["5xx", "Count"]
    assert all(a["treat_missing_data"] == "notBreaching" for a in alarms.values())


# --- apply with the real provider against moto: create, change a mapping, no drift, destroy ---

MOTO_ROOT = """
variable "endpoint" {{ type = string }}
variable "headers" {{
  type    = list(string)
  default = ["X-Signature"]
}}
provider "aws" {{
  region                      = "eu-west-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {{
    apigatewayv2 = var.endpoint
    iam          = var.endpoint
    logs         = var.endpoint
    cloudwatch   = var.endpoint
    sts          = var.endpoint
  }}
}}
module "api" {{
  source = "{module}"
  name   = "moto-hooks"
  routes = {{
    "POST /webhook" = {{ kind = "queue", target = "webhooks", forward_headers = var.headers, throttle = {{ rate_limit = 5, burst_limit = 10 }} }}
    "$default"      = {{ kind = "http_proxy", target = "legacy" }}
  }}
  queues        = {{ webhooks = {{ arn = "arn:aws:sqs:eu-west-1:123456789012:webhooks", url = "https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks" }} }}
  http_backends = {{ legacy = {{ url = "https://legacy.example.com" }} }}
}}
output "api_id" {{ value = module.api.api_id }}
output "integration_ids" {{ value = module.api.integration_ids }}
"""


@pytest.mark.slow
def test_apply_update_and_destroy_against_moto(tmp_path):
    """The real provider accepts the module's resources; a mapping change replaces the
    integration (create-before-destroy, route re-pointed) and leaves no drift."""
    import socket

    import boto3
    from moto.server import ThreadedMotoServer

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # A relative source through a link to modules/: an absolute one is copied as a package of
    # its own, and http-api's `../internal/metric-alarms` would leave it.
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "modules").symlink_to(REPO / "modules")
    (root / "main.tf").write_text(MOTO_ROOT.format(module="../modules/http-api"))
    wd = Workdir(root, data_dir=tmp_path / "data")
    var = f"-var=endpoint={endpoint}"
    two_headers = '-var=headers=["X-Signature","X-Event-Type"]'
    destroyed = False
    try:
        wd.run("init", "-no-color", "-input=false")
        wd.run("apply", "-auto-approve", "-no-color", "-input=false", var)
        outputs = json.loads(wd.run("output", "-json").stdout)
        api_id = outputs["api_id"]["value"]
        first_integration = outputs["integration_ids"]["value"]["POST /webhook"]

        client = boto3.client("apigatewayv2", endpoint_url=endpoint, region_name="eu-west-1",
                              aws_access_key_id="testing", aws_secret_access_key="testing")
        integ = client.get_integration(ApiId=api_id, IntegrationId=first_integration)
        assert integ["IntegrationSubtype"] == "SQS-SendMessage"
        assert json.loads(integ["RequestParameters"]["MessageAttributes"]) == {
            "request_id": {"DataType": "String", "StringValue": "${context.requestId}"},
        }
        assert integ["RequestParameters"]["MessageBody"] == FRAMED_BODY
        stage = client.get_stage(ApiId=api_id, StageName="$default")
        assert stage["AutoDeploy"] is True
        assert json.loads(stage["AccessLogSettings"]["Format"])["requestId"] == "$context.requestId"

        # Change the mapping: the integration must be replaced, not updated in place (#22647).
        applied = wd.run("apply", "-auto-approve", "-no-color", "-input=false", var, two_headers).stdout
        assert 'aws_apigatewayv2_integration.this["POST /webhook"] will be replaced due to changes in replace_triggered_by' in applied
        outputs = json.loads(wd.run("output", "-json").stdout)
        second_integration = outputs["integration_ids"]["value"]["POST /webhook"]
        assert second_integration != first_integration
        routes = {r["RouteKey"]: r["Target"] for r in client.get_routes(ApiId=api_id)["Items"]}
        assert routes["POST /webhook"] == f"integrations/{second_integration}"
        body = client.get_integration(ApiId=api_id, IntegrationId=second_integration)["RequestParameters"]["MessageBody"]
        assert "\nX-Signature:${request.header.X-Signature}\nX-Event-Type:${request.header.X-Event-Type}\n\n" in body

        # Converged: a second plan with the same inputs has nothing to do.
        res = wd.run("plan", "-detailed-exitcode", "-no-color", "-input=false", var, two_headers, check=False)
        assert res.returncode == 0, res.output

        # Destroy succeeds (dependency order on delete) and leaves the API gone.
        wd.run("destroy", "-auto-approve", "-no-color", "-input=false", var, two_headers)
        destroyed = True
        assert api_id not in {a["ApiId"] for a in client.get_apis()["Items"]}
    finally:
        # moto's backends are process-wide (other tests in this xdist worker start their own
        # server on them): clean up after a failed step too.
        if not destroyed:
            wd.run("destroy", "-auto-approve", "-no-color", "-input=false", var, check=False)
        server.stop()
