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


def test_rest_api_with_vtl_applies_and_runs(applied):
    import json
    import urllib.error
    import urllib.request

    from storefirst.local.emulator import ACCOUNT
    from storefirst.local.gateway import Gateway

    out = applied("tests/fixtures/local_rest", name="restfix-a")
    v1 = applied.client("apigateway")
    stage = v1.get_stage(restApiId=out["rest_api_id"], stageName="v1")
    assert stage["methodSettings"]["*/*"]["throttlingRateLimit"] == 100
    emu = applied.emulator
    gw = Gateway(emu.client, None, emu.region, ACCOUNT, emulator_url=emu.url)
    try:
        url = gw.start()[out["rest_api_id"]] + "/v1/"

        def post(body):
            req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    return r.status, json.loads(r.read())
            except urllib.error.HTTPError as e:
                return e.code, json.loads(e.read())

        env = {"operation": "store-new-user", "data": {"id": "ABC123", "first_name": "John"}}
        assert post(env) == (200, {"stored": True})
        assert post(env) == (409, {"message": "already exists"})
        assert post({"operation": "nope", "data": {"id": "x"}}) == (400, {"message": "Invalid request body"})
        item = applied.client("dynamodb").get_item(TableName=out["table_name"], Key={"pk": {"S": "ABC123"}})["Item"]
        assert json.loads(item["raw"]["S"]) == env["data"]
    finally:
        gw.stop()
