"""Unit tests of the local stack's pieces that need no Terraform: parameter mapping, event
shapes, throttling, route matching, partial batch responses, the emulator shims."""

from __future__ import annotations

import json

import pytest

from storefirst.local import esm, gateway
from storefirst.local.gateway import HttpApi, RequestCtx, Route, TokenBucket


def _api(routes=(), stages=None):
    return HttpApi("abc123", "t", [Route(str(i), k, None, "NONE", None, []) for i, k in enumerate(routes)],
                   {}, stages or {"$default": {}}, {}, "eu-west-1", "123456789012")


def _ctx(body=b'{"a": {"b": [1, 2]}, "s": "x"}', headers=None, query="q=1&q=2&r=z", path_params=None):
    ctx = RequestCtx(_api(["POST /items/{id}"]), "POST", "/items/42", query,
                     headers or {"idempotency-key": "k-1", "user-agent": "curl/8"}, body, "127.0.0.1")
    ctx.route = ctx.api.routes[0]
    ctx.path_params = path_params or {"id": "42"}
    return ctx


def test_parameter_mapping_sources():
    ctx = _ctx()
    out, missing = gateway.map_parameters({
        "MessageBody": "$request.body",
        "MessageGroupId": "$request.path.id",
        "MessageDeduplicationId": "$request.header.Idempotency-Key",
        "Q": "$request.querystring.q",
        "B": "$request.body.a.b[1]",
        "S": "$request.body.s",
        "R": "$context.requestId",
        "Mixed": "id-${request.path.id}-${request.querystring.r}",
        "Static": "static",
    }, ctx)
    assert out["MessageBody"] == ctx.body.decode()
    assert out["MessageGroupId"] == "42"
    assert out["MessageDeduplicationId"] == "k-1"  # header names are case-insensitive
    assert out["Q"] == "1,2"                        # repeated query parameters joined by commas
    assert out["B"] == "2" and out["S"] == "x"
    assert out["R"] == ctx.request_id
    assert out["Mixed"] == "id-42-z"
    assert out["Static"] == "static"
    assert not missing


def test_parameter_mapping_json_escapes_and_missing():
    ctx = _ctx(headers={"x-sig": 'a"b'})
    tmpl = json.dumps({"sig": {"DataType": "String", "StringValue": "$request.header.X-Sig"},
                       "key": {"DataType": "String", "StringValue": "$request.header.Idempotency-Key"}})
    out, missing = gateway.map_parameters({"MessageAttributes": tmpl}, ctx)
    attrs = json.loads(out["MessageAttributes"])  # a header cannot break the JSON document
    assert attrs["sig"]["StringValue"] == 'a"b'
    assert attrs["key"]["StringValue"] == "" and "request.header.Idempotency-Key" in missing
    assert "key" not in gateway._drop_empty_attrs(attrs)


@pytest.mark.parametrize("method,path,expected", [
    ("GET", "/items/1", "GET /items/{id}"),
    ("GET", "/items/special", "GET /items/special"),
    ("POST", "/items/1", "ANY /items/{id}"),
    ("GET", "/files/a/b/c", "GET /files/{proxy+}"),
    ("DELETE", "/nothing", "$default"),
])
def test_route_selection_most_specific_wins(method, path, expected):
    api = _api(["GET /items/{id}", "GET /items/special", "ANY /items/{id}", "GET /files/{proxy+}", "$default"])
    ctx = RequestCtx(api, method, path, "", {}, b"", "127.0.0.1", path=path)
    assert gateway.match_route(ctx) is None
    assert ctx.route.route_key == expected


def test_no_route_is_404_with_aws_body():
    ctx = RequestCtx(_api(["GET /a"]), "GET", "/b", "", {}, b"", "127.0.0.1", path="/b")
    resp = gateway.match_route(ctx)
    assert resp.status == 404 and json.loads(resp.body) == {"message": "Not Found"}


def test_token_bucket_burst_then_rate():
    b = TokenBucket(rate=2, burst=3)
    t0 = b.stamp
    assert [b.take(t0) for _ in range(4)] == [True, True, True, False]
    assert b.take(t0 + 0.5) is True      # 0.5 s at 2 rps refills one token
    assert b.take(t0 + 0.5) is False


def test_throttle_uses_route_settings_over_stage_default():
    api = _api(["POST /a", "POST /b"], {"$default": {
        "DefaultRouteSettings": {"ThrottlingRateLimit": 1000, "ThrottlingBurstLimit": 1000},
        "RouteSettings": {"POST /b": {"ThrottlingRateLimit": 0.0001, "ThrottlingBurstLimit": 1}}}})
    ctx = RequestCtx(api, "POST", "/b", "", {}, b"", "127.0.0.1", path="/b")
    ctx.route = api.routes[1]
    assert gateway.throttle(ctx) is None
    resp = gateway.throttle(ctx)
    assert resp.status == 429 and json.loads(resp.body) == {"message": "Too Many Requests"}
    ctx.route = api.routes[0]
    assert gateway.throttle(ctx) is None


def test_payload_v2_event_shape():
    ctx = _ctx(headers={"cookie": "a=1; b=2", "content-type": "application/json"})
    ev = gateway.payload_v2_event(ctx)
    assert ev["version"] == "2.0" and ev["routeKey"] == "POST /items/{id}"
    assert ev["cookies"] == ["a=1", "b=2"] and "cookie" not in ev["headers"]
    assert ev["queryStringParameters"] == {"q": "1,2", "r": "z"}
    assert ev["pathParameters"] == {"id": "42"}
    assert ev["requestContext"]["http"]["method"] == "POST"
    assert ev["isBase64Encoded"] is False and ev["body"] == ctx.body.decode()
    assert "stageVariables" not in ev


def test_lambda_v2_response_rules():
    r = gateway.lambda_v2_response({"statusCode": 201, "headers": {"x": "1"}, "body": "ok"})
    assert (r.status, r.body, r.headers["x"]) == (201, b"ok", "1")
    r = gateway.lambda_v2_response({"hello": "world"})  # no statusCode: 200 JSON of the result
    assert r.status == 200 and json.loads(r.body) == {"hello": "world"}


def _msg(i, **attrs):
    return {"MessageId": f"m{i}", "ReceiptHandle": f"r{i}", "Body": f"b{i}", "MD5OfBody": "x",
            "Attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1", "SenderId": "S",
                           "ApproximateFirstReceiveTimestamp": "2", **attrs},
            "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}, "MD5OfMessageAttributes": "y"}


def test_sqs_record_matches_lambda_event_shape():
    rec = esm.sqs_record(_msg(1, MessageGroupId="g"), "arn:aws:sqs:eu-west-1:1:q", "eu-west-1")
    assert set(rec) == {"messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody",
                        "md5OfMessageAttributes", "eventSource", "eventSourceARN", "awsRegion"}
    assert rec["eventSource"] == "aws:sqs" and rec["attributes"]["MessageGroupId"] == "g"
    assert rec["messageAttributes"]["k"] == {"stringValue": "v", "stringListValues": [], "binaryListValues": [],
                                             "dataType": "String"}


def test_partial_batch_response_rules():
    batch = [_msg(i) for i in range(3)]
    ids = lambda ms: [m["MessageId"] for m in ms]  # noqa: E731
    assert ids(esm.succeeded(batch, {"batchItemFailures": [{"itemIdentifier": "m1"}]}, True)) == ["m0", "m2"]
    assert ids(esm.succeeded(batch, {"batchItemFailures": []}, True)) == ["m0", "m1", "m2"]
    assert ids(esm.succeeded(batch, None, True)) == ["m0", "m1", "m2"]
    assert esm.succeeded(batch, {"batchItemFailures": [{"itemIdentifier": "nope"}]}, True) == []
    assert esm.succeeded(batch, {"batchItemFailures": [{"itemIdentifier": ""}]}, True) == []
    assert esm.succeeded(batch, "garbage", True) == []
    # Without ReportBatchItemFailures a successful invocation deletes the whole batch.
    assert ids(esm.succeeded(batch, {"batchItemFailures": [{"itemIdentifier": "m1"}]}, False)) == ["m0", "m1", "m2"]


def test_emulator_shims():
    from storefirst.local.emulator import Emulator

    with Emulator() as emu:
        sfn = emu.client("stepfunctions")
        ok = sfn.validate_state_machine_definition(definition=json.dumps(
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}))
        assert ok["result"] == "OK" and ok["diagnostics"] == []
        assert sfn.validate_state_machine_definition(definition="{")["result"] == "FAIL"
        # moto's synchronous SQS -> Lambda delivery is off: a mapping exists but SendMessage
        # leaves the message in the queue for storefirst.local.esm.
        sqs, lam, iam = emu.client("sqs"), emu.client("lambda"), emu.client("iam")
        q = sqs.create_queue(QueueName="shim")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        role = iam.create_role(RoleName="shim", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        import io
        import zipfile

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("h.py", "def handler(e, c):\n    raise SystemExit(1)\n")
        lam.create_function(FunctionName="shim", Runtime="python3.12", Role=role, Handler="h.handler",
                            Code={"ZipFile": buf.getvalue()})
        lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="shim")
        assert lam.list_event_source_mappings()["EventSourceMappings"][0]["EventSourceArn"] == arn
        sqs.send_message(QueueUrl=q, MessageBody="stays")
        got = sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=10)["Messages"]
        assert [m["Body"] for m in got] == ["stays"]


def test_jwt_signature_checked_with_local_jwks(tmp_path, monkeypatch):
    import base64
    import time

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pub = key.public_key().public_numbers()
    b64 = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")  # noqa: E731
    as_bytes = lambda n: n.to_bytes((n.bit_length() + 7) // 8, "big")  # noqa: E731
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [
        {"kty": "RSA", "kid": "k1", "n": b64(as_bytes(pub.n)), "e": b64(as_bytes(pub.e))}]}))
    monkeypatch.setenv("STOREFIRST_LOCAL_JWKS", str(tmp_path / "jwks.json"))

    def token(claims, signer=key):
        head = b64(json.dumps({"alg": "RS256", "kid": "k1"}).encode())
        body = b64(json.dumps(claims).encode())
        sig = signer.sign(f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{head}.{body}.{b64(sig)}"

    api = _api(["GET /p"])
    api.routes[0].authorization_type, api.routes[0].authorizer_id = "JWT", "a1"
    api.authorizers["a1"] = {"IdentitySource": ["$request.header.Authorization"],
                             "JwtConfiguration": {"Issuer": "https://i", "Audience": ["x"]}}
    claims = {"iss": "https://i", "aud": "x", "exp": time.time() + 60}

    def run(tok):
        ctx = RequestCtx(api, "GET", "/p", "", {"authorization": f"Bearer {tok}"}, b"", "127.0.0.1", path="/p")
        ctx.route = api.routes[0]
        return gateway.authorize(ctx)

    assert run(token(claims)) is None
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert run(token(claims, other)).status == 401


def test_emulator_returns_redrive_allow_policy():
    """aws_sqs_queue_redrive_allow_policy polls the attribute until it reads back."""
    import json as _json

    from storefirst.local.emulator import Emulator

    with Emulator() as emu:
        sqs = emu.client("sqs")
        url = sqs.create_queue(QueueName="dlq-allow")["QueueUrl"]
        policy = _json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": ["arn:aws:sqs:eu-west-1:123456789012:src"]})
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedriveAllowPolicy": policy})
        got = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedriveAllowPolicy"])["Attributes"]
        assert _json.loads(got["RedriveAllowPolicy"]) == _json.loads(policy)
        # setting one attribute keeps the others (moto used to drop the queue policy)
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": _json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "*",
                           "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})})
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedriveAllowPolicy": policy})
        got = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert "Policy" in got and "RedriveAllowPolicy" in got
        plain = sqs.create_queue(QueueName="plain")["QueueUrl"]
        assert "RedriveAllowPolicy" not in sqs.get_queue_attributes(QueueUrl=plain, AttributeNames=["All"])["Attributes"]


def test_resolve_url_maps_execute_api_origins_to_the_local_gateway():
    from storefirst.local.runtime import resolve_url

    m = {"https://abc123.execute-api.eu-west-1.amazonaws.com": "http://127.0.0.1:4000"}
    assert resolve_url("https://abc123.execute-api.eu-west-1.amazonaws.com/v1", m) == "http://127.0.0.1:4000/v1"
    assert resolve_url("https://abc123.execute-api.eu-west-1.amazonaws.com", m) == "http://127.0.0.1:4000"
    # Another API, a look-alike host and plain values pass unchanged.
    assert resolve_url("https://zzz.execute-api.eu-west-1.amazonaws.com/v1", m).startswith("https://zzz")
    assert resolve_url("https://abc123.execute-api.eu-west-1.amazonaws.com.evil/v1", m).startswith("https://")
    assert resolve_url("users-table", m) == "users-table"


def test_access_log_rendering_and_destination_group():
    from storefirst.local.cwlogs import group_of, render_access_log

    fmt = json.dumps({"requestId": "$context.requestId", "ua": "$context.identity.userAgent",
                      "err": "$context.error.message", "status": "$context.status"})
    line = json.loads(render_access_log(fmt, {"requestId": "r-1", "identity.userAgent": 'x "q" cid/r-1', "status": 200}))
    assert line == {"requestId": "r-1", "ua": 'x "q" cid/r-1', "err": "-", "status": "200"}
    assert render_access_log("$context.requestId $context.status", {"requestId": "r"}) == "r -"
    assert group_of("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigw/x:*") == "/aws/apigw/x"
    assert group_of("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigw/x") == "/aws/apigw/x"


def test_log_shipper_writes_to_the_group(emulator):
    from storefirst.local.cwlogs import LogShipper

    logs = emulator.client("logs")
    logs.create_log_group(logGroupName="/test/shipper")
    sh = LogShipper(lambda: emulator.client("logs"), flush_seconds=0.05)
    try:
        sh.put("/test/shipper", "hello cid/abc")
        sh.put("/test/missing-group", "dropped with a warning, not raised")
        assert sh.drain(5)
        msgs = [e["message"] for e in logs.filter_log_events(logGroupName="/test/shipper")["events"]]
        assert msgs == ["hello cid/abc"]
    finally:
        sh.stop()


def test_rest_templates_share_request_override_and_apply_response_override():
    """$context.requestOverride.header.X set by the request template is read by the response
    template; $context.responseOverride.status replaces the integration response's status."""
    from storefirst.local.gateway_rest import RestApi, RestGateway, RestMethod

    integ = {
        "type": "AWS", "uri": "arn:aws:apigateway:eu-west-1:dynamodb:action/ExecuteStatement",
        "credentials": "arn:aws:iam::123456789012:role/r", "passthroughBehavior": "NEVER",
        "requestTemplates": {"application/json":
                             '#set($context.requestOverride.header.Op = "get-user"){"Statement": "x"}'},
        "integrationResponses": {"200": {"statusCode": "200", "responseTemplates": {"application/json":
            '#set($op = $context.requestOverride.header.Op)#if($op == "get-user")'
            '#set($context.responseOverride.status = 404)#set($context.responseOverride.header.X-Op = $op)#end'
            '{"op": "$op"}'}}},
    }
    api = RestApi("r1", "t", "eu-west-1", "123456789012",
                  [RestMethod("root", "/", "POST", {"authorizationType": "NONE", "methodIntegration": integ})],
                  {}, {}, {"v1": {}})
    gw = RestGateway(lambda s: None, "http://unused", None)
    sent = {}

    def fake_call(integ, payload, api, override_headers=None):
        sent.update(override_headers or {})
        return "200", "{}"

    gw.call_service = fake_call
    resp = gw.handle(api, "POST", "/v1", {"content-type": "application/json"}, b"{}", "127.0.0.1")
    assert sent == {"Op": "get-user"}  # sent to the integration as a header
    assert resp.status == 404
    assert json.loads(resp.body) == {"op": "get-user"}
    assert resp.headers["X-Op"] == "get-user"


@pytest.mark.parametrize("statement, action, resource", [
    ('INSERT INTO "users" VALUE {\'pk\': ?}', "dynamodb:PartiQLInsert", "table/users"),
    ('SELECT * FROM "users" WHERE pk = ?', "dynamodb:PartiQLSelect", "table/users"),
    ('SELECT * FROM "users"."gsi1" WHERE last_name = ?', "dynamodb:PartiQLSelect", "table/users/index/gsi1"),
    ('UPDATE "users" SET email = ? WHERE pk = ?', "dynamodb:PartiQLUpdate", "table/users"),
    ('DELETE FROM "users" WHERE pk = ?', "dynamodb:PartiQLDelete", "table/users"),
])
def test_execute_statement_is_authorized_as_its_partiql_action(statement, action, resource):
    from storefirst.local.gateway_rest import dynamodb_authz

    got = dynamodb_authz("ExecuteStatement", json.dumps({"Statement": statement}), "eu-west-1", "123456789012")
    assert got == (action, f"arn:aws:dynamodb:eu-west-1:123456789012:{resource}")
    assert dynamodb_authz("PutItem", '{"TableName": "t"}', "eu-west-1", "1")[0] == "dynamodb:PutItem"


def test_emulator_partiql_insert_with_parameters(emulator):
    """modules/data-api's INSERT with `?` parameters: stored once, a second INSERT of the same
    key is refused with DuplicateItemException (moto alone raises TypeError / overwrites)."""
    import botocore.exceptions

    from storefirst.local.partiql_shim import parse_insert

    assert parse_insert("INSERT INTO \"t\" VALUE {'pk': ?, 'n': 3, 's': 'it''s', 'b': true}", [{"S": "k"}]) == \
        ("t", {"pk": {"S": "k"}, "n": {"N": "3"}, "s": {"S": "it's"}, "b": {"BOOL": True}})
    assert parse_insert("INSERT INTO \"t\" VALUE {'pk': ?}", []) is None  # missing parameter
    assert parse_insert('SELECT * FROM "t"', []) is None
    ddb = emulator.client("dynamodb")
    ddb.create_table(TableName="units-partiql", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    stmt = "INSERT INTO \"units-partiql\" VALUE {'pk': ?, 'email': ?}"
    ddb.execute_statement(Statement=stmt, Parameters=[{"S": "u1"}, {"S": "a@example.com"}])
    assert ddb.get_item(TableName="units-partiql", Key={"pk": {"S": "u1"}})["Item"] == \
        {"pk": {"S": "u1"}, "email": {"S": "a@example.com"}}
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        ddb.execute_statement(Statement=stmt, Parameters=[{"S": "u1"}, {"S": "b@example.com"}])
    assert exc.value.response["Error"]["Code"] == "DuplicateItemException"
    assert ddb.get_item(TableName="units-partiql", Key={"pk": {"S": "u1"}})["Item"]["email"] == {"S": "a@example.com"}
    ddb.delete_table(TableName="units-partiql")


def test_emulator_partiql_select_update_delete_as_data_api_sends_them(emulator):
    import botocore.exceptions

    ddb = emulator.client("dynamodb")
    ddb.create_table(TableName="units-partiql2", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "ln", "AttributeType": "S"}],
                     GlobalSecondaryIndexes=[{"IndexName": "gsi1", "KeySchema": [{"AttributeName": "ln", "KeyType": "HASH"}],
                                              "Projection": {"ProjectionType": "ALL"}}])
    t = '"units-partiql2"'
    for i in range(3):
        ddb.put_item(TableName="units-partiql2", Item={"pk": {"S": f"U#{i}"}, "id": {"S": str(i)}, "ln": {"S": "Doe"}, "e": {"S": "x"}})
    got = ddb.execute_statement(Statement=f'SELECT "id", "e" FROM {t} WHERE "pk" = ?', Parameters=[{"S": "U#1"}])
    assert got["Items"] == [{"id": {"S": "1"}, "e": {"S": "x"}}]
    assert ddb.execute_statement(Statement=f'SELECT "id" FROM {t} WHERE "pk" = ?', Parameters=[{"S": "nope"}])["Items"] == []
    page = ddb.execute_statement(Statement=f'SELECT "id" FROM {t}."gsi1" WHERE "ln" = ?', Parameters=[{"S": "Doe"}], Limit=2)
    rest = ddb.execute_statement(Statement=f'SELECT "id" FROM {t}."gsi1" WHERE "ln" = ?', Parameters=[{"S": "Doe"}],
                                 Limit=2, NextToken=page["NextToken"])
    assert sorted(i["id"]["S"] for i in page["Items"] + rest["Items"]) == ["0", "1", "2"] and "NextToken" not in rest
    new = ddb.execute_statement(Statement=f'UPDATE {t} SET "e" = ? WHERE "pk" = ? RETURNING ALL NEW *',
                                Parameters=[{"S": "y"}, {"S": "U#1"}])["Items"]
    assert new[0]["e"] == {"S": "y"} and new[0]["id"] == {"S": "1"}
    with pytest.raises(botocore.exceptions.ClientError) as exc:  # missing item: no Item back
        ddb.execute_statement(Statement=f'UPDATE {t} SET "e" = ? WHERE "pk" = ? RETURNING ALL NEW *',
                              Parameters=[{"S": "y"}, {"S": "U#9"}], ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert exc.value.response["Error"]["Code"] == "ConditionalCheckFailedException" and "Item" not in exc.value.response
    with pytest.raises(botocore.exceptions.ClientError) as exc:  # mismatch: the old item back
        ddb.execute_statement(Statement=f'DELETE FROM {t} WHERE "pk" = ? AND "e" = ? RETURNING ALL OLD *',
                              Parameters=[{"S": "U#1"}, {"S": "zzz"}], ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert exc.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert exc.value.response["Item"]["e"] == {"S": "y"}
    old = ddb.execute_statement(Statement=f'DELETE FROM {t} WHERE "pk" = ? RETURNING ALL OLD *', Parameters=[{"S": "U#1"}])
    assert old["Items"][0]["id"] == {"S": "1"}
    assert "Item" not in ddb.get_item(TableName="units-partiql2", Key={"pk": {"S": "U#1"}})
    ddb.delete_table(TableName="units-partiql2")


def test_execute_statement_authz_names_the_table_not_a_projected_attribute():
    from storefirst.local.gateway_rest import dynamodb_authz

    got = dynamodb_authz("ExecuteStatement", json.dumps({"Statement": 'SELECT "id", "email" FROM "users" WHERE "pk" = ?'}),
                         "eu-west-1", "1")
    assert got == ("dynamodb:PartiQLSelect", "arn:aws:dynamodb:eu-west-1:1:table/users")


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
        resp = gateway.Integrations(lambda s: None).http_proxy(integ, ctx)
        assert resp.status == 200
        assert seen["path"] == "/legacy/a%20b?q=1&z=9"
        assert seen["hdr"] == "v" and seen["gone"] is None
    finally:
        srv.shutdown()
        srv.server_close()
