"""Local gateway integrations other than SQS, on resources created with boto3 in the
embedded emulator (no Terraform, so these stay fast): Lambda proxy (payload 2.0) run in a
worker process, Step Functions StartExecution / StartSyncExecution, JWT authorizer, IAM check
of the integration role."""

from __future__ import annotations

import base64
import io
import json
import time
import urllib.error
import urllib.request
import zipfile

import pytest

from apigw_fixtures import trust
from storefirst.local.emulator import ACCOUNT
from storefirst.local.gateway import Gateway
from storefirst.local.runtime import Runtimes

HANDLER = '''
import json, os
def handler(event, context):
    return {"statusCode": 201, "headers": {"x-fn": os.environ["GREETING"]},
            "body": json.dumps({"event": event, "fn": context.function_name})}
'''


def _zip(src: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("echo.py", src)
    return buf.getvalue()


def _jwt(claims: dict) -> str:
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")  # noqa: E731
    return f"{enc({'alg': 'RS256', 'typ': 'JWT'})}.{enc(claims)}.c2ln"


@pytest.fixture(scope="module")
def gw(emulator):
    e = emulator
    iam, lam, v2, sfn = e.client("iam"), e.client("lambda"), e.client("apigatewayv2"), e.client("stepfunctions")
    # One role trusted by the three services that use it here (as each assumes it, see apigw.iam).
    role = iam.create_role(RoleName="gwtest", AssumeRolePolicyDocument=json.dumps(
        trust("lambda.amazonaws.com", "states.amazonaws.com", "apigateway.amazonaws.com")))["Role"]["Arn"]
    fn = lam.create_function(FunctionName="gwtest-echo", Runtime="python3.12", Role=role, Handler="echo.handler",
                             Code={"ZipFile": _zip(HANDLER)}, Environment={"Variables": {"GREETING": "hi"}},
                             Timeout=10)["FunctionArn"]
    sm = sfn.create_state_machine(name="gwtest-sm", roleArn=role, definition=json.dumps({
        "StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"done": True}, "End": True}}}))["stateMachineArn"]
    # StartSyncExecution is for Express state machines only.
    express = sfn.create_state_machine(name="gwtest-express", roleArn=role, type="EXPRESS", definition=json.dumps({
        "StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"done": True}, "End": True}}}))["stateMachineArn"]
    failing = sfn.create_state_machine(name="gwtest-failing", roleArn=role, type="EXPRESS", definition=json.dumps({
        "StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Nope", "Cause": "bad input"}}}))["stateMachineArn"]
    iam.put_role_policy(RoleName="gwtest", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["states:StartExecution", "states:StartSyncExecution"], "Resource": [sm, express, failing]}]}))
    api = v2.create_api(Name="gwtest", ProtocolType="HTTP")["ApiId"]
    auth = v2.create_authorizer(ApiId=api, AuthorizerType="JWT", Name="jwt", IdentitySource=["$request.header.Authorization"],
                                JwtConfiguration={"Issuer": "https://issuer.example", "Audience": ["aud-1"]})["AuthorizerId"]

    def route(key, integ, **kw):
        v2.create_route(ApiId=api, RouteKey=key, Target=f"integrations/{integ}", **kw)

    i_fn = v2.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=fn, PayloadFormatVersion="2.0")["IntegrationId"]
    route("GET /echo/{name}", i_fn)
    route("GET /private", i_fn, AuthorizationType="JWT", AuthorizerId=auth, AuthorizationScopes=["read"])
    i_sfn = v2.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationSubtype="StepFunctions-StartExecution",
                                  CredentialsArn=role, PayloadFormatVersion="1.0",
                                  RequestParameters={"StateMachineArn": sm, "Input": "$request.body"})["IntegrationId"]
    route("POST /start", i_sfn)
    for path, target in (("/sync", express), ("/sync-failing", failing), ("/sync-standard", sm)):
        i_sync = v2.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationSubtype="StepFunctions-StartSyncExecution",
                                       CredentialsArn=role, PayloadFormatVersion="1.0",
                                       RequestParameters={"StateMachineArn": target, "Input": "$request.body"})["IntegrationId"]
        route(f"POST {path}", i_sync)
    v2.create_stage(ApiId=api, StageName="$default")
    runtimes = Runtimes(lam, e.env(), code_dirs=[])
    from storefirst.local import emulator as emulator_mod

    emulator_mod.invoke_hook = runtimes.invoke_hook
    g = Gateway(e.client, runtimes, e.region, ACCOUNT)
    urls = g.start()
    yield urls[api]
    emulator_mod.invoke_hook = None
    g.stop()
    runtimes.close()


def call(url, method="GET", body=None, headers=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_lambda_proxy_payload_v2_in_worker_process(gw):
    status, headers, body = call(gw + "/echo/bob?x=1&x=2", headers={"Cookie": "c=1"})
    assert status == 201 and headers["x-fn"] == "hi"   # the function's own environment
    out = json.loads(body)
    ev = out["event"]
    assert out["fn"] == "gwtest-echo"
    assert ev["version"] == "2.0" and ev["routeKey"] == "GET /echo/{name}"
    assert ev["pathParameters"] == {"name": "bob"} and ev["queryStringParameters"] == {"x": "1,2"}
    assert ev["cookies"] == ["c=1"] and ev["requestContext"]["requestId"] == headers["apigw-requestid"]


def test_jwt_authorizer_claims_and_scopes(gw):
    assert call(gw + "/private")[0] == 401
    bad_aud = _jwt({"iss": "https://issuer.example", "aud": "other", "exp": time.time() + 60, "scope": "read"})
    assert call(gw + "/private", headers={"Authorization": f"Bearer {bad_aud}"})[0] == 401
    expired = _jwt({"iss": "https://issuer.example", "aud": "aud-1", "exp": time.time() - 1, "scope": "read"})
    assert call(gw + "/private", headers={"Authorization": expired})[0] == 401
    no_scope = _jwt({"iss": "https://issuer.example", "aud": "aud-1", "exp": time.time() + 60, "scope": "write"})
    status, _, body = call(gw + "/private", headers={"Authorization": no_scope})
    assert status == 403 and json.loads(body) == {"message": "Forbidden"}
    ok = _jwt({"iss": "https://issuer.example", "aud": "aud-1", "exp": time.time() + 60, "scope": "read", "sub": "u1"})
    status, _, body = call(gw + "/private", headers={"Authorization": f"Bearer {ok}"})
    assert status == 201
    assert json.loads(body)["event"]["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] == "u1"


def test_step_functions_start_and_sync(gw):
    status, _, body = call(gw + "/start", "POST", b'{"a": 1}')
    assert status == 200 and json.loads(body)["executionArn"].startswith("arn:aws:states:")
    status, _, body = call(gw + "/sync", "POST", b'{"a": 1}')
    out = json.loads(body)
    assert status == 200 and out["status"] == "SUCCEEDED" and json.loads(out["output"]) == {"done": True}


def test_failed_sync_execution_is_still_200_with_status_failed(gw):
    """StartSyncExecution answers 200 with "status": "FAILED"; an HTTP API cannot map it."""
    status, _, body = call(gw + "/sync-failing", "POST", b'{"a": 1}')
    out = json.loads(body)
    assert status == 200 and (out["status"], out["error"], out["cause"]) == ("FAILED", "Nope", "bad input")


def test_sync_execution_of_a_standard_state_machine_is_refused(gw):
    status, _, body = call(gw + "/sync-standard", "POST", b'{"a": 1}')
    assert status == 400 and json.loads(body)["__type"] == "StateMachineTypeNotSupported"


def test_lambda_invoke_api_runs_the_handler(gw, emulator):
    lam = emulator.client("lambda")
    out = lam.invoke(FunctionName="gwtest-echo", Payload=b'{"k": "v"}')
    assert "FunctionError" not in out
    res = json.loads(out["Payload"].read())
    assert res["statusCode"] == 201 and json.loads(res["body"])["event"] == {"k": "v"}


def test_state_machine_task_invokes_the_local_handler(gw, emulator):
    sfn, iam = emulator.client("stepfunctions"), emulator.client("iam")
    role = iam.get_role(RoleName="gwtest")["Role"]["Arn"]
    fn = emulator.client("lambda").get_function_configuration(FunctionName="gwtest-echo")["FunctionArn"]
    sm = sfn.create_state_machine(name="gwtest-task", roleArn=role, definition=json.dumps({
        "StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                               "Parameters": {"FunctionName": fn, "Payload.$": "$"},
                                               "OutputPath": "$.Payload", "End": True}}}))["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=sm, input='{"n": 1}')["executionArn"]
    for _ in range(100):
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            break
        time.sleep(0.1)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(json.loads(d["output"])["body"])["event"] == {"n": 1}
