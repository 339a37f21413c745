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
def planner(tmp_path_factory):
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
    dist = plan.one("aws_cloudfront_distribution")["change"]["after"]
    origin = dist["origin"][0]
    assert origin["domain_name"] == "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"
    assert origin["custom_origin_config"][0]["origin_protocol_policy"] == "https-only"
    assert origin["custom_header"][0]["name"] == "X-Origin-Verify"
    assert dist["viewer_certificate"][0]["minimum_protocol_version"] == "TLSv1.2_2021"
    assert dist["default_cache_behavior"][0]["cache_policy_id"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    # Everything CloudFront needs in us-east-1 is planned there.
    assert plan.one("aws_acm_certificate")["change"]["after"]["domain_name"] == "api.example.com"
    assert plan.one("aws_cloudwatch_log_delivery_source")["change"]["after"]["log_type"] == "ACCESS_LOGS"
    assert plan.one("aws_cloudwatch_metric_alarm")["change"]["after"]["metric_name"] == "5xxErrorRate"
    assert not plan.changes("aws_apigatewayv2_domain_name")
    # The secret is sensitive in the plan (it still lands in state).
    assert "X-Origin-Verify" in json.dumps(plan.raw) and "example-only-0123456789" not in res.output


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
