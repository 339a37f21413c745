"""modules/front-door examples planned offline with the real provider (no credentials):
the distribution and the custom domain as AWS would receive them, and the module's refusals
as a user sees them on the command line. Attribute wiring is in the module's terraform test."""

from __future__ import annotations

import json

import pytest

from storefirst.terraform import OFFLINE_ENV, REPO, Plan, Workdir, offline_copy

pytestmark = pytest.mark.terraform

EXAMPLES = REPO / "modules" / "front-door" / "examples"


def _one_line(text: str) -> str:
    return " ".join(line.strip(" │╷╵") for line in text.splitlines()).replace("  ", " ")


@pytest.fixture(scope="module")
def planner(tmp_path_factory, built_zips):  # the cloudfront example deploys build/origin_verify.zip
    cache: dict[str, Workdir] = {}

    def plan(example: str, **variables):
        if example not in cache:
            root = tmp_path_factory.mktemp(f"front-door-{example}")
            wd = Workdir(offline_copy(EXAMPLES / example, root / "repo"), env=dict(OFFLINE_ENV), data_dir=root / "tfdata")
            wd.init(backend=True)
            cache[example] = wd
        wd = cache[example]
        args = ["plan", "-no-color", "-input=false", "-lock=false", "-out=tfplan"]
        args += [f"-var={k}={v}" for k, v in variables.items()]
        res = wd.run(*args, check=False)
        shown = Plan(json.loads(wd.run("show", "-json", "tfplan").stdout)) if res.returncode == 0 else None
        return res, shown

    return plan


def test_cloudfront_plan(planner):
    res, plan = planner("cloudfront")
    assert res.returncode == 0, res.output
    fd = {"module": "module.front_door"}
    dist_rc = plan.one("aws_cloudfront_distribution", **fd)["change"]
    dist = dist_rc["after"]
    origin = dist["origin"][0]
    # The origin is the example's own API, created in the same plan (its host is not known yet).
    assert "domain_name" not in origin and dist_rc["after_unknown"]["origin"][0]["domain_name"] is True
    assert origin["custom_origin_config"][0]["origin_protocol_policy"] == "https-only"
    assert origin["custom_header"][0]["name"] == "X-Origin-Verify"
    assert dist["viewer_certificate"][0]["minimum_protocol_version"] == "TLSv1.2_2021"
    assert dist["default_cache_behavior"][0]["cache_policy_id"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    # Everything CloudFront needs in us-east-1 is planned there.
    assert plan.one("aws_acm_certificate", **fd)["change"]["after"]["domain_name"] == "api.example.com"
    assert plan.one("aws_cloudwatch_log_delivery_source", **fd)["change"]["after"]["log_type"] == "ACCESS_LOGS"
    assert plan.one("aws_cloudwatch_metric_alarm", **fd)["change"]["after"]["metric_name"] == "5xxErrorRate"
    assert not plan.changes("aws_apigatewayv2_domain_name")
    # The secret is sensitive in the plan (it still lands in state).
    assert "X-Origin-Verify" in json.dumps(plan.raw) and "example-only-0123456789" not in res.output


def test_cloudfront_example_enforces_the_origin_header(planner):
    """What stops a client calling execute-api directly: every route goes through the
    origin_verify Lambda REQUEST authorizer, keyed (and cached) by the header's value."""
    res, plan = planner("cloudfront")
    assert res.returncode == 0, res.output
    auth = plan.one("aws_apigatewayv2_authorizer", module="module.api")["change"]["after"]
    assert auth["authorizer_type"] == "REQUEST"
    assert auth["authorizer_payload_format_version"] == "2.0" and auth["enable_simple_responses"] is True
    assert auth["identity_sources"] == ["$request.header.X-Origin-Verify"]
    assert auth["authorizer_result_ttl_in_seconds"] == 300
    routes = plan.after("aws_apigatewayv2_route", module="module.api")
    assert routes and all(r["authorization_type"] == "CUSTOM" for r in routes)
    perm = plan.one("aws_lambda_permission", module="module.api", name="authorizer")["change"]
    assert perm["after"]["principal"] == "apigateway.amazonaws.com" and perm["after"]["action"] == "lambda:InvokeFunction"
    assert perm["after_unknown"]["source_arn"] is True  # <execution_arn>/authorizers/<id>: the module's terraform test checks the value
    # The function reads the secret by ARN from SSM (its environment holds the ARN, known
    # after apply, never the value).
    fn = plan.one("aws_lambda_function", module="module.origin_verify")["change"]
    assert fn["after"]["handler"] == "origin_verify.handler"
    assert fn["after_unknown"]["environment"][0]["variables"] is True
    assert "example-only" not in json.dumps(fn)
    assert plan.one("aws_ssm_parameter")["change"]["after"]["type"] == "SecureString"


def test_regional_plan(planner):
    res, plan = planner("regional")
    assert res.returncode == 0, res.output
    dn = plan.one("aws_apigatewayv2_domain_name")["change"]["after"]
    assert dn["domain_name_configuration"][0]["security_policy"] == "TLS_1_2"
    assert dn["domain_name_configuration"][0]["endpoint_type"] == "REGIONAL"
    mapping = plan.one("aws_apigatewayv2_api_mapping")["change"]["after"]
    assert mapping["api_id"] == "a1b2c3d4e5" and mapping["stage"] == "$default"
    assert not plan.changes("aws_cloudfront_distribution")


def test_custom_domain_refuses_an_api_in_another_region(planner):
    res, _ = planner("regional", api_endpoint="https://a1b2c3d4e5.execute-api.us-west-2.amazonaws.com")
    assert res.returncode != 0
    assert "must be created in the API's Region (us-west-2)" in _one_line(res.output)


def test_cloudfront_refuses_a_short_secret(planner):
    res, _ = planner("cloudfront", origin_verify_secret="tooshort")
    assert res.returncode != 0
    assert "origin_verify_secret must be 32-256 characters" in _one_line(res.output)
