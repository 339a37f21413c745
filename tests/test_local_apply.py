"""The `applied` fixture (storefirst.local.testing): apply a root config for real against the
embedded emulator, assert through boto3, destroy at teardown. Module tests use it the same
way with `modules/<name>/examples/<example>`."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.terraform, pytest.mark.slow]


def test_state_machine_applies_and_route_is_wired(applied):
    out = applied("tests/fixtures/local_sfn", name="sfnfix-a")
    sfn = applied.client("stepfunctions")
    sm = sfn.describe_state_machine(stateMachineArn=out["state_machine_arn"])
    assert sm["name"] == "sfnfix-a-sm" and sm["type"] == "STANDARD"
    v2 = applied.client("apigatewayv2")
    (integ,) = v2.get_integrations(ApiId=out["api_id"])["Items"]
    assert integ["IntegrationSubtype"] == "StepFunctions-StartExecution"
    assert integ["RequestParameters"]["StateMachineArn"] == out["state_machine_arn"]
    assert integ["RequestParameters"]["Input"] == "$request.body"

    # The applied route runs in the local gateway: StartExecution with the request body as input.
    import json
    import urllib.request

    from storefirst.local.emulator import ACCOUNT
    from storefirst.local.gateway import Gateway

    emu = applied.emulator
    gw = Gateway(emu.client, None, emu.region, ACCOUNT)
    try:
        url = gw.start()[out["api_id"]]
        req = urllib.request.Request(url + "/start", data=b'{"hello": "world"}', method="POST")
        with urllib.request.urlopen(req, timeout=30) as r:
            execution_arn = json.loads(r.read())["executionArn"]
        assert json.loads(sfn.describe_execution(executionArn=execution_arn)["input"]) == {"hello": "world"}
    finally:
        gw.stop()
