"""Plan assertions on every env (offline plan with the real AWS provider, no credentials).

Values AWS computes (ARNs, URLs) are unknown in a plan; what is checked here is what the
plan does know: integration kinds and mappings, settings, names, alarm metrics and
dimensions, and that computed values are wired (present in after_unknown). Exact policy
JSON with concrete ARNs is checked by the modules' `terraform test` files (mock provider)
and by applying envs/local on the embedded emulator.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tf_roots import ENVS

pytestmark = pytest.mark.terraform

ENV_NAMES = [e.name for e in ENVS if e.name != "local"]


def tfvars(env: str) -> dict:
    """The handful of tfvars values the assertions compare against (simple HCL subset)."""
    text = (Path(__file__).parents[2] / "envs" / env / "terraform.tfvars").read_text()
    out = {}
    for key, val in re.findall(r"^(\w+)\s*=\s*(.+)$", text, re.M):
        val = val.split("#")[0].strip()
        if val.startswith("{"):
            val = json.loads(re.sub(r"(\w+)\s*=", r'"\1":', val))
        elif val in ("true", "false"):
            val = val == "true"
        elif re.fullmatch(r"-?\d+", val):
            val = int(val)
        else:
            val = val.strip('"')
        out[key] = val
    return out


def known_or_unknown(rc: dict, attr: str) -> bool:
    """True when the plan sets attr, to a known value or one AWS computes."""
    after, unknown = rc["change"]["after"], rc["change"].get("after_unknown", {})
    return bool(after.get(attr)) or bool(unknown.get(attr))


@pytest.fixture(params=ENV_NAMES)
def env(request):
    return request.param


@pytest.fixture
def plan(env, env_plan):
    return env_plan(env)


def test_webhook_route_writes_straight_to_sqs(plan):
    ints = [rc for rc in plan.changes("aws_apigatewayv2_integration")
            if rc["change"]["after"].get("integration_subtype") == "SQS-SendMessage"]
    assert ints, "no SQS-SendMessage integration"
    for rc in ints:
        after = rc["change"]["after"]
        assert after["integration_type"] == "AWS_PROXY"
        assert after["payload_format_version"] == "1.0"
        assert known_or_unknown(rc, "credentials_arn"), "the integration must use the module's role"
        # The queue URL is unknown until the queue exists, which makes the provider show the
        # whole request_parameters map as unknown; the module keeps a known copy of the
        # integration's settings (its replace trigger, for provider issue #22647).
        assert "request_parameters" in rc["change"]["after_unknown"] or after.get("request_parameters")
    settings = [rc["change"]["after"]["input"] for rc in plan.changes("terraform_data")
                if (rc["change"]["after"].get("input") or {}).get("subtype") == "SQS-SendMessage"]
    assert len(settings) == len(ints)
    bodies = set()
    for s in settings:
        params = s["request_parameters"]
        # Headers ride in the body's frame; the only attribute is the AWS-generated request id.
        assert json.loads(params["MessageAttributes"]) == {"requestId": {"DataType": "String", "StringValue": "${context.requestId}"}}
        bodies.add(params["MessageBody"])
    assert bodies == {
        "storefirst-frame/1 ${context.routeKey}\nX-Idempotency-Key:${request.header.X-Idempotency-Key}\n\n${request.body}",
        "storefirst-frame/1 ${context.routeKey}\nX-Hub-Signature-256:${request.header.X-Hub-Signature-256}\n"
        "X-GitHub-Delivery:${request.header.X-GitHub-Delivery}\n\n${request.body}",
    }
    routes = {rc["change"]["after"]["route_key"] for rc in plan.changes("aws_apigatewayv2_route")}
    assert {"POST /webhook", "POST /webhook/github"} <= routes


def test_signed_webhook_route_has_a_kms_encrypted_secret(plan):
    (secret,) = plan.changes("aws_secretsmanager_secret")
    assert any("aws_kms_key.webhook_secrets" in r for r in plan.references(secret["address"], "kms_key_id"))
    keys = [rc for rc in plan.changes("aws_kms_key") if rc["address"].endswith("aws_kms_key.webhook_secrets")]
    assert len(keys) == 1 and keys[0]["change"]["after"]["enable_key_rotation"] is True
    # dev/prod set no value: it never lands in state (put-secret-value out of band).
    assert plan.changes("aws_secretsmanager_secret_version") == []


def test_integration_role_trusts_only_api_gateway(plan):
    roles = [rc["change"]["after"] for rc in plan.changes("aws_iam_role")]
    apigw = [r for r in roles if "apigateway.amazonaws.com" in (r.get("assume_role_policy") or "")]
    assert apigw, "the HTTP API module must create its own integration role"
    for role in apigw:
        trust = json.loads(role["assume_role_policy"])
        principals = [s["Principal"]["Service"] for s in trust["Statement"]]
        assert set(map(str, principals)) <= {"apigateway.amazonaws.com"}


def work_queues_and_dlqs(plan) -> tuple[list[dict], list[dict]]:
    """Split planned queues: a work queue's redrive_policy references another queue's ARN."""
    work, dlqs = [], []
    for rc in plan.changes("aws_sqs_queue"):
        refs = plan.references(rc["address"], "redrive_policy")
        (work if any(r.startswith("aws_sqs_queue.") and r.endswith(".arn") for r in refs) else dlqs).append(rc)
    return work, dlqs


def test_every_work_queue_has_dlq_redrive_and_sse(plan):
    work, dlqs = work_queues_and_dlqs(plan)
    assert work, "no work queue"
    for rc in work + dlqs:
        after = rc["change"]["after"]
        assert after.get("sqs_managed_sse_enabled") or after.get("kms_master_key_id"), f"{rc['address']} is not encrypted"
    module_of = lambda rc: rc.get("module_address")
    for rc in work:
        refs = plan.references(rc["address"], "redrive_policy")
        assert any(r.endswith("max_receive_count") for r in refs), f"{rc['address']}: redrive without maxReceiveCount"
        own_dlqs = [d for d in dlqs if module_of(d) == module_of(rc) and f"aws_sqs_queue.{d['name']}.arn" in refs]
        assert len(own_dlqs) == 1, f"{rc['address']} needs its own DLQ"


def test_worker_mapping_reports_batch_failures_and_is_capped(plan, env):
    want = tfvars(env)["worker"]["maximum_concurrency"]
    esms = plan.after("aws_lambda_event_source_mapping")
    assert esms
    for esm in esms:
        assert esm["function_response_types"] == ["ReportBatchItemFailures"]
        assert esm["scaling_config"] and esm["scaling_config"][0]["maximum_concurrency"] == want


def test_http_api_has_access_logs_and_throttling(plan, env):
    values = tfvars(env)
    stages = plan.changes("aws_apigatewayv2_stage")
    assert stages
    for rc in stages:
        after = rc["change"]["after"]
        logs = after["access_log_settings"]
        assert logs and json.loads(logs[0]["format"]).get("requestId") is not None
        default = after["default_route_settings"][0]
        assert default["throttling_rate_limit"] == values["default_throttle"]["rate_limit"]
        assert default["throttling_burst_limit"] == values["default_throttle"]["burst_limit"]
        assert default["detailed_metrics_enabled"] is True
        per_route = {r["route_key"]: r for r in after.get("route_settings", [])}
        webhook = per_route["POST /webhook"]
        assert webhook["throttling_rate_limit"] == values["webhook_throttle"]["rate_limit"]
        assert webhook["throttling_burst_limit"] == values["webhook_throttle"]["burst_limit"]


def test_log_groups_have_env_retention(plan, env):
    days = tfvars(env)["log_retention_days"]
    groups = plan.after("aws_cloudwatch_log_group")
    assert groups
    for g in groups:
        assert g["retention_in_days"] == days, g.get("name")


def test_tables_protected_as_configured(plan, env):
    want = tfvars(env)["deletion_protection"]
    tables = plan.after("aws_dynamodb_table")
    assert tables
    for t in tables:
        assert t["deletion_protection_enabled"] is want
        assert t["point_in_time_recovery"][0]["enabled"] is True
        assert t["server_side_encryption"] or True  # AWS owned key by default: block may be absent


def _integrations(plan) -> dict[str, dict]:
    """route key -> the integration's known settings (the module's replace-trigger copy)."""
    out = {}
    for rc in plan.changes("terraform_data"):
        key = rc.get("index")
        inp = rc["change"]["after"].get("input") or {}
        if isinstance(key, str) and "type" in inp:
            out[key] = inp
    return out


def test_issue5_route_kinds(plan, env):
    ints = _integrations(plan)
    # simple web service: Lambda proxy, payload 2.0, one function behind two routes
    for key in ("GET /users", "ANY /users/{proxy+}"):
        assert ints[key]["type"] == "AWS_PROXY" and ints[key]["payload_format_version"] == "2.0", ints[key]
    # state machines: async start and Express sync
    assert ints["POST /orders"]["subtype"] == "StepFunctions-StartExecution"
    # Express sync runs on the REST API (a failed execution must not answer 200): no HTTP API route.
    assert "POST /customers" not in ints
    (sync,) = [rc["change"]["after"] for rc in plan.changes("aws_api_gateway_integration", module="module.app.module.customers_api")]
    assert sync["type"] == "AWS" and sync["integration_http_method"] == "POST"  # URI pinned by the module test
    (tmpl,) = [rc["change"]["after"]["response_templates"]["application/json"]
               for rc in plan.changes("aws_api_gateway_integration_response", module="module.app.module.customers_api")
               if rc["name"] == "answered"]
    assert "$context.responseOverride.status = 409" in tmpl and "$context.responseOverride.status = 500" in tmpl
    # strangler: everything not moved yet goes to the legacy base URL
    legacy = tfvars(env)["legacy_base_url"]
    assert ints["$default"]["type"] == "HTTP_PROXY" and ints["$default"]["uri"].startswith(legacy), ints["$default"]
    machines = {m["name"]: m["type"] for m in plan.after("aws_sfn_state_machine")}
    assert machines == {f"{tfvars(env)['name_prefix']}-order": "STANDARD", f"{tfvars(env)['name_prefix']}-customer-signup": "EXPRESS"}


def test_function_routes_may_only_be_invoked_by_this_api(plan):
    perms = [rc for rc in plan.changes("aws_lambda_permission") if rc["change"]["after"]["principal"] == "apigateway.amazonaws.com"]
    assert perms, "function routes need a permission"
    for rc in perms:
        assert rc["change"]["after"]["action"] == "lambda:InvokeFunction"
        assert known_or_unknown(rc, "source_arn"), f"{rc['address']}: a permission without source_arn lets any API invoke"



def test_only_the_rest_stages_wait_for_the_accounts_cloudwatch_role(plan):
    """A REST stage's logging needs the account's CloudWatch Logs role (apigateway_account.tf),
    and only the stage waits for it: a module-level depends_on would hold back the module's
    every resource (the claim-check bucket and its minute-long lifecycle wait among them) and
    defer its data sources ("depends_on" in the Terraform language docs: a last resort)."""
    app = plan.raw["configuration"]["root_module"]["module_calls"]["app"]["module"]
    stages = []
    for name, call in app["module_calls"].items():
        assert not call.get("depends_on"), f"module.app.module.{name} has a module-level depends_on"
        for r in call["module"].get("resources", []):
            if r["type"] == "aws_api_gateway_stage":
                stages.append(name)
                assert "terraform_data.logging_role_ready" in r.get("depends_on", []), name
                refs = call["expressions"].get("logging_role_ready", {}).get("references", [])
                assert "aws_api_gateway_account.this" in refs, (name, refs)
    assert sorted(stages) == ["customers_api", "data_api", "large_webhook"]
