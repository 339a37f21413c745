"""modules/data-api planned offline with the real provider: what would be created."""

from __future__ import annotations

import json

import pytest

from storefirst.terraform import REPO, Plan, Workdir, offline_copy

pytestmark = pytest.mark.terraform


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Plan:
    copy = offline_copy(REPO / "tests" / "fixtures" / "data_api_plan", tmp_path_factory.mktemp("data-api-plan"))
    return Workdir(copy).plan()


def test_role_allows_only_catalog_actions_on_table_and_index(plan):
    policy = json.loads(plan.one("aws_iam_role_policy", name="integration")["change"]["after"]["policy"])
    granted = {(a, r) for s in policy["Statement"] for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
               for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])}
    table = "arn:aws:dynamodb:eu-west-1:123456789012:table/users"
    assert granted == {
        ("dynamodb:PartiQLInsert", table), ("dynamodb:PartiQLSelect", table), ("dynamodb:PartiQLUpdate", table),
        ("dynamodb:PartiQLDelete", table), ("dynamodb:PartiQLSelect", table + "/index/gsi1")}
    assert all(s["Effect"] == "Allow" for s in policy["Statement"])


def test_validator_model_auth_logging(plan):
    assert plan.one("aws_api_gateway_request_validator")["change"]["after"]["validate_request_body"] is True
    model = json.loads(plan.one("aws_api_gateway_model")["change"]["after"]["schema"])
    assert model["$schema"].endswith("draft-04/schema#") and "store-new-user" in model["properties"]["operation"]["enum"]
    method = plan.one("aws_api_gateway_method")["change"]["after"]
    assert method["authorization"] == "AWS_IAM" and method["request_models"] == {"application/json": "Envelope"}
    integ = plan.one("aws_api_gateway_integration")["change"]["after"]
    assert integ["uri"] == "arn:aws:apigateway:eu-west-1:dynamodb:action/ExecuteStatement"
    assert integ["passthrough_behavior"] == "NEVER"
    stage = plan.one("aws_api_gateway_stage")["change"]["after"]
    assert stage["access_log_settings"] and "$context.requestId" in stage["access_log_settings"][0]["format"]
    settings = plan.one("aws_api_gateway_method_settings")["change"]["after"]["settings"][0]
    assert settings["metrics_enabled"] and settings["logging_level"] == "ERROR" and not settings["data_trace_enabled"]
    assert plan.one("aws_cloudwatch_log_group")["change"]["after"]["retention_in_days"] == 30
    statuses = {rc["change"]["after"]["status_code"] for rc in plan.changes("aws_api_gateway_method_response")}
    assert {"200", "201", "400", "404", "409", "429", "503"} <= statuses


def test_alarms_wired_to_topic(plan):
    alarms = {a["metric_name"]: a for a in plan.after("aws_cloudwatch_metric_alarm")}
    assert set(alarms) == {"5XXError", "Latency"}
    for a in alarms.values():
        assert a["namespace"] == "AWS/ApiGateway" and set(a["dimensions"]) == {"ApiName", "Stage"}
        assert a["alarm_actions"] == ["arn:aws:sns:eu-west-1:123456789012:alarms"] and a["treat_missing_data"] == "notBreaching"
    assert alarms["Latency"]["extended_statistic"] == "p99"


def test_private_without_endpoints_names_the_problem(tmp_path):
    copy = offline_copy(REPO / "tests" / "fixtures" / "data_api_plan", tmp_path)
    (copy / "private_override.tf").write_text('module "data_api" {\n  endpoint_type = "PRIVATE"\n}\n')
    wd = Workdir(copy, data_dir=tmp_path / "tfdata")
    wd.init(backend=True)
    res = wd.run("plan", "-no-color", "-input=false", "-lock=false", check=False)
    assert res.returncode != 0
    assert "endpoint_type = PRIVATE needs at least one execute-api VPC endpoint id" in " ".join(res.output.split())
