"""HTTP API step integrate, against the embedded emulator: SQS-SendMessage passes on exactly
what was mapped (SQS refuses what it refuses), the credentials role is assumed as API Gateway
assumes it (trust policy, no source ARN/account), HTTP proxy mapping."""

from __future__ import annotations

import json
import uuid

import pytest

from apigw_fixtures import TRUST_APIGW, http_api as _api, trust
from storefirst.local.apigw.http.chain import HttpChain
from storefirst.local.apigw.http.integrate import Integrations
from storefirst.local.apigw.http.model import RequestCtx, Route
from storefirst.local.emulator import ACCOUNT


class Shipper:
    def __init__(self):
        self.lines = []

    def put(self, group, message, stream="x"):
        self.lines.append((group, message))


ATTRS = json.dumps({"signature": {"DataType": "String", "StringValue": "$request.header.X-Signature"},
                    "requestId": {"DataType": "String", "StringValue": "$context.requestId"}})
LOG_FORMAT = json.dumps({"requestId": "$context.requestId", "status": "$context.status",
                         "integrationError": "$context.integrationErrorMessage"})


@pytest.fixture(scope="module")
def sqs_api(emulator):
    iam, sqs = emulator.client("iam"), emulator.client("sqs")
    suffix = uuid.uuid4().hex[:6]
    url = sqs.create_queue(QueueName=f"apigw-int-{suffix}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": arn}]})
    roles = {}
    for name, doc in (("ok", TRUST_APIGW),
                      ("source-arn", trust("apigateway.amazonaws.com", condition={
                          "ArnLike": {"aws:SourceArn": f"arn:aws:execute-api:eu-west-1:{ACCOUNT}:abc123/*"}})),
                      ("source-account", trust("apigateway.amazonaws.com", condition={
                          "StringEquals": {"aws:SourceAccount": ACCOUNT}})),
                      ("lambda-only", trust("lambda.amazonaws.com"))):
        rn = f"apigw-int-{name}-{suffix}"
        roles[name] = iam.create_role(RoleName=rn, AssumeRolePolicyDocument=json.dumps(doc))["Role"]["Arn"]
        iam.put_role_policy(RoleName=rn, PolicyName="send", PolicyDocument=policy)
    return url, roles


def _send(emulator, url, role, headers, attrs=ATTRS):
    api = _api([], {"$default": {"AccessLogSettings": {"DestinationArn": "arn:aws:logs:eu-west-1:1:log-group:/gw",
                                                      "Format": LOG_FORMAT}}})
    api.routes.append(Route("r", "POST /hook", "integrations/i", "NONE", None, []))
    api.integrations["i"] = {"IntegrationType": "AWS_PROXY", "IntegrationSubtype": "SQS-SendMessage",
                             "CredentialsArn": role, "RequestParameters": {
                                 "QueueUrl": url, "MessageBody": "$request.body", "MessageAttributes": attrs}}
    shipper = Shipper()
    resp, ctx = HttpChain(Integrations(emulator.client), shipper).handle(api, "POST", "/hook", headers, b'{"a":1}', "127.0.0.1")
    return resp, json.loads(shipper.lines[-1][1])


def test_signed_request_is_sent(emulator, sqs_api):
    url, roles = sqs_api
    resp, _ = _send(emulator, url, roles["ok"], {"x-signature": "sha256=ab"})
    assert resp.status == 200, resp.body
    assert json.loads(resp.body)["SendMessageResponse"]["SendMessageResult"]["MessageId"]


def test_missing_optional_header_is_refused_by_sqs_as_on_aws(emulator, sqs_api):
    """No X-Signature: the attribute's StringValue is "" and SQS refuses the message. (The
    local gateway used to drop the attribute, hiding this.)"""
    url, roles = sqs_api
    resp, _ = _send(emulator, url, roles["ok"], {})
    body = json.loads(resp.body)
    assert resp.status == 400 and body["Error"]["Code"] == "InvalidParameterValue"
    assert "must contain a non-empty value" in body["Error"]["Message"]


def test_header_with_a_quote_breaks_the_attributes_json(emulator, sqs_api):
    url, roles = sqs_api
    resp, line = _send(emulator, url, roles["ok"], {"x-signature": 'a"b'})
    assert resp.status == 400 and json.loads(resp.body) == {"message": "Bad Request"}
    assert "MessageAttributes is not JSON" in line["integrationError"]


@pytest.mark.parametrize("role", ["source-arn", "source-account", "lambda-only"])
def test_role_api_gateway_cannot_assume_is_500(emulator, sqs_api, role):
    """API Gateway sends no aws:SourceArn / aws:SourceAccount when it assumes a credentials
    role: a trust condition on them cannot hold, and every call fails with a 500."""
    url, roles = sqs_api
    resp, line = _send(emulator, url, roles[role], {"x-signature": "s"})
    assert resp.status == 500 and json.loads(resp.body) == {"message": "Internal Server Error"}
    assert "does not have permission to assume the provided role" in line["integrationError"]
    assert line["status"] == "500"


def test_http_proxy_applies_request_parameter_mapping():
    """HTTP_PROXY with `overwrite:path = $request.path` (modules/http-api's strangler routes):
    the backend sees the client's path; header/querystring mappings apply."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen = {}

    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            seen.update(path=self.path, hdr=self.headers.get("x-added"), gone=self.headers.get("x-drop"))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        ctx = RequestCtx(_api(["$default"]), "GET", "/legacy/a%20b", "q=1", {"x-drop": "1"}, b"", "127.0.0.1")
        ctx.path = "/legacy/a%20b"
        ctx.route = ctx.api.routes[0]
        integ = {"IntegrationType": "HTTP_PROXY", "IntegrationMethod": "ANY",
                 "IntegrationUri": f"http://127.0.0.1:{srv.server_address[1]}",
                 "RequestParameters": {"overwrite:path": "$request.path", "append:header.x-added": "v",
                                       "remove:header.x-drop": "''", "append:querystring.z": "9"}}
        resp = Integrations(lambda s: None).http_proxy(integ, ctx)
        assert resp.status == 200
        assert seen["path"] == "/legacy/a%20b?q=1&z=9"
        assert seen["hdr"] == "v" and seen["gone"] is None
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.fixture(scope="module")
def cmk_queue(emulator):
    """A queue encrypted with a customer managed key, and roles with/without KMS access."""
    iam, sqs, kms = emulator.client("iam"), emulator.client("sqs"), emulator.client("kms")
    sfx = uuid.uuid4().hex[:6]
    root_only = kms.create_key(Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"}]}))
    key_arn = root_only["KeyMetadata"]["Arn"]
    url = sqs.create_queue(QueueName=f"apigw-cmk-{sfx}", Attributes={"KmsMasterKeyId": key_arn})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    send = {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": arn}
    kms_via_sqs = {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": key_arn,
                   "Condition": {"StringLike": {"kms:ViaService": "sqs.*.amazonaws.com"}}}
    kms_via_s3 = {**kms_via_sqs, "Condition": {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}}
    roles = {}
    for name, stmts in (("with-kms", [send, kms_via_sqs]), ("no-kms", [send]), ("wrong-service", [send, kms_via_s3])):
        rn = f"apigw-cmk-{name}-{sfx}"
        roles[name] = iam.create_role(RoleName=rn, AssumeRolePolicyDocument=json.dumps(TRUST_APIGW))["Role"]["Arn"]
        iam.put_role_policy(RoleName=rn, PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": stmts}))
    return url, roles


def test_cmk_queue_needs_kms_access_through_sqs(emulator, cmk_queue):
    """SQS uses the queue's CMK on the producer's behalf: the key policy (here: the account
    root, i.e. delegated to IAM) and the role's policy must allow kms:GenerateDataKey and
    kms:Decrypt, with kms:ViaService = sqs.<region>.amazonaws.com."""
    url, roles = cmk_queue
    resp, _ = _send(emulator, url, roles["with-kms"], {"x-signature": "s"})
    assert resp.status == 200, resp.body
    for role in ("no-kms", "wrong-service"):
        resp, _ = _send(emulator, url, roles[role], {"x-signature": "s"})
        body = json.loads(resp.body)
        assert resp.status == 400 and body["Error"]["Code"] == "KMS.AccessDeniedException", body
