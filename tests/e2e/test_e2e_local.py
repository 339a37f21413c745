"""End-to-end tests against envs/local (issues 4, 5 and 6): the real env, applied once with
`terraform apply` into the embedded emulator, served by the local gateway, with the worker
fed by the local event source mapping runner.

One stack for the whole file, applied beside the group's other stacks (tests/stack_group.py:
the provider waits ~25 s per SQS queue and about a minute for an S3 lifecycle). Its
variables: `legacy_base_url` points at a tiny legacy server started here (the strangler's
`$default` route), and `default_throttle` is low (rate 5, burst 10) so the throttle test can
show 429s on the `$default` route without touching the webhook route (own throttle 300/300,
which the 200-request test needs). Buckets are per route, so the other default-throttled
routes (GET /users/{id}, POST /orders, POST /customers) each send far fewer than 10 requests
here.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import stack_group
from storefirst.terraform import REPO
from storefirst.local.testing import wait_for

pytestmark = [pytest.mark.terraform, pytest.mark.slow, pytest.mark.xdist_group("local_stack")]

ENV = REPO / "envs" / "local"
DEFAULT_THROTTLE = {"rate_limit": 5, "burst_limit": 10}


# --------------------------------------------------------------------------- fixtures

class _Legacy(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []

    def log_message(self, *a):  # quiet
        pass

    def do_GET(self):
        _Legacy.seen.append(("GET", self.path))
        body = json.dumps({"legacy": True, "path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Legacy", "yes")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _spec() -> stack_group.Spec:
    # The legacy server runs from before the apply (its URL is a variable) to the session's end.
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Legacy)
    threading.Thread(target=srv.serve_forever, daemon=True).start()

    def close():
        srv.shutdown()
        srv.server_close()

    variables = {"legacy_base_url": f"http://127.0.0.1:{srv.server_address[1]}", "default_throttle": DEFAULT_THROTTLE}
    return stack_group.Spec(ENV, "test-e2e-local", variables, [REPO / "build"], close=close)


stack = stack_group.join(__name__, _spec)


@pytest.fixture(scope="module")
def app(stack):
    return stack.outputs["app"]


@pytest.fixture(scope="module")
def api_url(stack, app):
    return stack.api_urls[app["api_id"]]


@pytest.fixture(scope="module")
def data_api(stack, app):
    """A data API client (the one the functions use) aimed at the local gateway, signing with
    the emulator's dummy credentials."""
    import sys

    from botocore.credentials import Credentials

    from storefirst.local.emulator import ACCESS_KEY, SECRET_KEY
    from storefirst.local.runtime import resolve_url

    sys.path.insert(0, str(REPO / "lambda_src" / "shared"))
    from data_api_client.client import DataApiClient

    url = resolve_url(app["data_api_url"], stack.gateway.url_map())
    assert url.startswith("http://127.0.0.1:"), url
    return DataApiClient(url, region=stack.emulator.region, credentials=Credentials(ACCESS_KEY, SECRET_KEY))


def request(url: str, method: str = "GET", body=None, headers=None) -> tuple[int, dict, object]:
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            raw, status, hdrs = r.read(), r.status, dict(r.headers)
    except urllib.error.HTTPError as e:
        raw, status, hdrs = e.read(), e.code, dict(e.headers)
    try:
        return status, hdrs, json.loads(raw or b"null")
    except ValueError:
        return status, hdrs, raw




def user(uid: str) -> dict:
    return {"id": uid, "first_name": "John", "last_name": f"Doe-{uid}", "email": f"{uid.lower()}@example.com"}


def envelope(uid: str) -> dict:
    return {"operation": "store-new-user", "data": user(uid)}


def stored_users(stack, app, prefix: str) -> dict[str, dict]:
    """Users table items whose key starts with the test's prefix (raw scan, not the API)."""
    ddb = stack.emulator.client("dynamodb")
    out, kw = {}, {"TableName": app["users_table_name"]}
    while True:
        page = ddb.scan(**kw)
        for it in page["Items"]:
            uid = (it.get("id") or {}).get("S", "")
            if uid.startswith(prefix):
                out.setdefault(uid, []).append(it)
        if "LastEvaluatedKey" not in page:
            return out
        kw["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def dlq_messages(stack, app) -> list[dict]:
    sqs = stack.emulator.client("sqs")
    got = []
    for _ in range(5):
        res = sqs.receive_message(QueueUrl=app["webhook_dlq_url"], MaxNumberOfMessages=10,
                                  MessageAttributeNames=["All"], AttributeNames=["All"], WaitTimeSeconds=0,
                                  VisibilityTimeout=0)
        msgs = res.get("Messages", [])
        if not msgs:
            break
        got += msgs
    return got


def uid(tag: str) -> str:
    return f"{tag}{uuid.uuid4().hex[:10].upper()}"


# --------------------------------------------------------------------------- issue 4

def test_seed_envelope_round_trip(stack, app, api_url, data_api):
    u = uid("SEED")
    status, hdrs, body = request(api_url + "/webhook", "POST", envelope(u))
    assert 200 <= status < 300, body
    assert body["SendMessageResponse"]["SendMessageResult"]["MessageId"]
    assert wait_for(lambda: stored_users(stack, app, u), 60), "worker did not store the user"
    # Data API get-user returns exactly what was sent.
    assert data_api.call("get-user", {"id": u}) == user(u)
    # The function route reads it back through the data API as well.
    status, _, body = request(f"{api_url}/users/{u}")
    assert status == 200, body
    assert body == user(u)


def _client_body(message_body: str) -> str:
    import sys

    sys.path.insert(0, str(REPO / "lambda_src" / "webhook_worker"))
    import webhook_frame

    return webhook_frame.decode(message_body).body


def test_poison_message_dead_lettered_rest_of_batch_stored(stack, app, api_url):
    good = [uid("BATCH") for _ in range(4)]
    poison_body = b'{"operation": "store-new-user", "data": '  # malformed JSON
    unknown = {"operation": "launch-rockets", "data": {"id": "x"}}
    marker = uuid.uuid4().hex
    # Send the batch straight to the queue in one SendMessageBatch so the worker receives
    # the poison messages together with good ones (one SQS batch).
    sqs = stack.emulator.client("sqs")
    entries = [{"Id": f"g{i}", "MessageBody": json.dumps(envelope(g))} for i, g in enumerate(good)]
    entries.insert(2, {"Id": "bad", "MessageBody": poison_body.decode(),
                       "MessageAttributes": {"requestId": {"DataType": "String", "StringValue": f"bad-{marker}"}}})
    entries.append({"Id": "unknown", "MessageBody": json.dumps(unknown),
                    "MessageAttributes": {"requestId": {"DataType": "String", "StringValue": f"unk-{marker}"}}})
    res = sqs.send_message_batch(QueueUrl=app["webhook_queue_url"], Entries=entries)
    assert not res.get("Failed"), res
    # One poison message through the API too (the gateway path).
    status, _, _ = request(api_url + "/webhook", "POST", b"not json at all {")
    assert 200 <= status < 300

    assert wait_for(lambda: len(stored_users(stack, app, "BATCH")) >= 4 and set(good) <= set(stored_users(stack, app, "BATCH")), 60)
    found = {}

    def dead():
        for m in dlq_messages(stack, app):
            found[m["MessageId"]] = m
        bodies = [_client_body(m["Body"]) for m in found.values()]
        return (poison_body.decode() in bodies and json.dumps(unknown) in bodies
                and "not json at all {" in bodies)

    assert wait_for(dead, 60), [m["Body"] for m in found.values()]
    # The DLQ keeps the message as queued (a request through the API is a frame, so a redrive
    # replays exactly what the gateway sent); the client's body is the frame's payload.
    by_body = {_client_body(m["Body"]): m for m in found.values()}
    for body in (poison_body.decode(), json.dumps(unknown), "not json at all {"):
        attrs = by_body[body].get("MessageAttributes") or {}
        text = json.dumps(attrs).lower()
        assert "reason" in text or "error" in text, attrs  # the failure reason travels with it
    assert "malformed" in json.dumps(by_body[poison_body.decode()]["MessageAttributes"]).lower() \
        or "json" in json.dumps(by_body[poison_body.decode()]["MessageAttributes"]).lower()
    assert "launch-rockets" in json.dumps(by_body[json.dumps(unknown)]["MessageAttributes"]) \
        or "unknown" in json.dumps(by_body[json.dumps(unknown)]["MessageAttributes"]).lower()
    # Nothing else lost: every good one stored exactly once, the main queue drained.
    users = stored_users(stack, app, "BATCH")
    assert all(len(users[g]) == 1 for g in good)
    attrs = sqs.get_queue_attributes(QueueUrl=app["webhook_queue_url"],
                                     AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    assert wait_for(lambda: sqs.get_queue_attributes(
        QueueUrl=app["webhook_queue_url"], AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"] == "0", 30), attrs


def _queue_drained(stack, app) -> bool:
    attrs = stack.emulator.client("sqs").get_queue_attributes(
        QueueUrl=app["webhook_queue_url"],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return attrs["ApproximateNumberOfMessages"] == "0" and attrs["ApproximateNumberOfMessagesNotVisible"] == "0"


def test_same_idempotency_key_twice_one_item(stack, app, api_url):
    u = uid("IDEM")
    key = f"key-{uuid.uuid4().hex}"
    ddb = stack.emulator.client("dynamodb")
    before = ddb.scan(TableName=app["idempotency_table_name"], Select="COUNT")["Count"]
    # The client retries after the first delivery was stored (a lost response). Two copies in
    # flight at once also end as one item, but the second then meets Powertools' INPROGRESS
    # record, fails its batch item and comes back after the visibility timeout (60 s here),
    # too slow for this suite.
    status, _, _ = request(api_url + "/webhook", "POST", envelope(u), {"X-Idempotency-Key": key})
    assert 200 <= status < 300
    assert wait_for(lambda: stored_users(stack, app, u), 60)
    assert wait_for(lambda: _queue_drained(stack, app), 30)
    status, _, _ = request(api_url + "/webhook", "POST", envelope(u), {"X-Idempotency-Key": key})
    assert 200 <= status < 300
    # Both deliveries consumed (deleted from the queue, not waiting for a retry).
    assert wait_for(lambda: _queue_drained(stack, app), 60)
    assert len(stored_users(stack, app, u)[u]) == 1
    # One idempotency record for the two requests (Powertools stores the key hashed).
    assert ddb.scan(TableName=app["idempotency_table_name"], Select="COUNT")["Count"] == before + 1
    # Without idempotency the second store-new-user would hit the data API's INSERT on an
    # existing key -> 409 Conflict -> the worker dead-letters it: it must not be in the DLQ.
    assert not any(u in m["Body"] for m in dlq_messages(stack, app))


def test_200_concurrent_requests_exactly_200_items(stack, app, api_url):
    prefix = uid("CONC")
    ids = [f"{prefix}-{i:03d}" for i in range(200)]
    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(lambda i: request(api_url + "/webhook", "POST", envelope(i))[0], ids))
    assert statuses.count(200) == 200, {s: statuses.count(s) for s in set(statuses)}
    assert wait_for(lambda: len(stored_users(stack, app, prefix)) == 200, 120), len(stored_users(stack, app, prefix))
    time.sleep(2)
    users = stored_users(stack, app, prefix)
    assert sorted(users) == sorted(ids)
    assert all(len(v) == 1 for v in users.values())


# --------------------------------------------------------------------------- issue 5

def test_function_route_answers(api_url):
    status, _, body = request(f"{api_url}/users/NOPE-{uuid.uuid4().hex[:8]}")
    assert status == 404, body
    assert body["error"] == "not_found"
    status, _, body = request(f"{api_url}/users?last_name=Nobody")
    assert status == 200 and body["items"] == [], body


def test_strangler_default_route_reaches_legacy(api_url):
    path = f"/legacy/thing-{uuid.uuid4().hex[:6]}?q=1"
    status, hdrs, body = request(api_url + path)
    assert status == 200, body
    assert body == {"legacy": True, "path": path}
    assert ("GET", path) in _Legacy.seen


def test_order_route_starts_execution_that_writes_its_order(stack, app, api_url):
    ddb = stack.emulator.client("dynamodb")
    ddb.put_item(TableName=app["inventory_table_name"], Item={"sku": {"S": "sku-e2e"}, "available": {"N": "10"}})
    order_id = f"o-{uuid.uuid4().hex[:8]}"
    status, _, body = request(api_url + "/orders", "POST",
                              {"order_id": order_id, "customer_id": "c-1", "sku": "sku-e2e", "quantity": 2})
    assert 200 <= status < 300, body
    assert body["executionArn"]
    sfn = stack.emulator.client("stepfunctions")
    assert wait_for(lambda: sfn.describe_execution(executionArn=body["executionArn"])["status"] != "RUNNING", 60)
    desc = sfn.describe_execution(executionArn=body["executionArn"])
    assert desc["status"] == "SUCCEEDED", desc
    item = ddb.get_item(TableName=app["orders_table_name"], Key={"order_id": {"S": order_id}})
    assert "Item" in item, "the order workflow did not write its order item"
    stock = ddb.get_item(TableName=app["inventory_table_name"], Key={"sku": {"S": "sku-e2e"}})["Item"]
    assert stock["available"] == {"N": "8"}


@pytest.fixture(scope="module")
def customers_url(stack, app):
    """POST /customers runs on the REST sync workflow API (modules/sync-workflow-api)."""
    from storefirst.local.runtime import resolve_url

    url = resolve_url(app["customers_url"], stack.gateway.url_map())
    assert url.startswith("http://127.0.0.1:"), url
    return url


def test_sync_workflow_route_returns_output(stack, app, customers_url):
    cid = f"c-{uuid.uuid4().hex[:8]}"
    status, _, body = request(customers_url, "POST", {"customer_id": cid, "email": "a@example.com"})
    assert status == 200, body
    assert body == {"customer_id": cid, "status": "CREATED"}
    item = stack.emulator.client("dynamodb").get_item(TableName=app["customers_table_name"],
                                                      Key={"customer_id": {"S": cid}})["Item"]
    assert item["email"] == {"S": "a@example.com"}


def test_failing_sync_workflow_is_not_a_200(customers_url):
    """StartSyncExecution answers 200 with status FAILED; the client must get the 4xx."""
    cid = f"c-{uuid.uuid4().hex[:8]}"
    assert request(customers_url, "POST", {"customer_id": cid, "email": "a@example.com"})[0] == 200
    status, _, body = request(customers_url, "POST", {"customer_id": cid, "email": "a@example.com"})
    assert status == 409 and body["error"] == "AlreadyExists", body
    status, _, body = request(customers_url, "POST", {"customer_id": cid})
    assert status == 400 and body["error"] == "ValidationError", body


# --------------------------------------------------------------------------- issue 6

def _log_lines(stack, group: str, needle: str) -> list[str]:
    logs = stack.emulator.client("logs")
    out, kw = [], {"logGroupName": group}
    while True:
        page = logs.filter_log_events(**kw)
        out += [e["message"] for e in page.get("events", []) if needle in e["message"]]
        if not page.get("nextToken"):
            return out
        kw["nextToken"] = page["nextToken"]


def test_one_request_id_in_gateway_worker_and_data_api_logs(stack, app, api_url):
    u = uid("CORR")
    status, hdrs, _ = request(api_url + "/webhook", "POST", envelope(u))
    assert 200 <= status < 300
    request_id = hdrs.get("apigw-requestid")
    assert request_id
    assert wait_for(lambda: stored_users(stack, app, u), 60)
    stack.shipper.drain()
    v2 = stack.emulator.client("apigatewayv2")
    stage = v2.get_stages(ApiId=app["api_id"])["Items"][0]
    api_group = stage["AccessLogSettings"]["DestinationArn"].split(":log-group:", 1)[1].removesuffix(":*")
    worker_group = f"/aws/lambda/{app['worker_function_name']}"
    rest_id = app["data_api_url"].split("//", 1)[1].split(".", 1)[0]
    rest_stage = stack.emulator.client("apigateway").get_stages(restApiId=rest_id)["item"][0]
    data_group = rest_stage["accessLogSettings"]["destinationArn"].split(":log-group:", 1)[1].removesuffix(":*")

    def all_three():
        stack.shipper.drain()
        return (_log_lines(stack, api_group, request_id) and _log_lines(stack, worker_group, request_id)
                and _log_lines(stack, data_group, request_id))

    assert wait_for(all_three, 20), {g: _log_lines(stack, g, request_id) for g in (api_group, worker_group, data_group)}
    gw = json.loads(_log_lines(stack, api_group, request_id)[0])
    assert gw["requestId"] == request_id and gw["routeKey"] == "POST /webhook" and gw["status"] == "200"
    worker = [json.loads(line) for line in _log_lines(stack, worker_group, request_id) if line.startswith("{")]
    assert any(w.get("correlation_id") == request_id for w in worker), worker
    data = json.loads(_log_lines(stack, data_group, request_id)[0])
    assert f"cid/{request_id}" in data["userAgent"]


# --------------------------------------------------------------------------- issue 9: real clients

LOCAL_GITHUB_SECRET = b"local-only-webhook-signing-secret"  # envs/local/main.tf


def test_webhook_client_without_any_optional_header_is_stored(stack, app, api_url):
    u = f"NOHDR{uuid.uuid4().hex[:6].upper()}"
    status, _, _ = request(api_url + "/webhook", "POST", envelope(u))  # no X-Idempotency-Key at all
    assert 200 <= status < 300
    assert wait_for(lambda: stored_users(stack, app, u), 60)


def test_hostile_header_value_is_carried_not_interpreted(stack, app, api_url):
    u = f"HOSTILE{uuid.uuid4().hex[:6].upper()}"
    key = 'k", "requestId": {"DataType": "String", "StringValue": "forged"}, "x": {"a": "\\'
    status, _, _ = request(api_url + "/webhook", "POST", envelope(u), {"X-Idempotency-Key": key})
    assert 200 <= status < 300
    assert wait_for(lambda: stored_users(stack, app, u), 60)


def _github_signed(body: bytes, secret: bytes = LOCAL_GITHUB_SECRET) -> dict[str, str]:
    import hashlib
    import hmac

    return {"X-Hub-Signature-256": "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest(),
            "X-GitHub-Delivery": str(uuid.uuid4())}


def test_github_signed_route_stores_only_correctly_signed_messages(stack, app, api_url):
    good, forged, unsigned = (f"SIG{k}{uuid.uuid4().hex[:6].upper()}" for k in ("G", "F", "U"))
    body = json.dumps(envelope(good)).encode()
    assert 200 <= request(api_url + "/webhook/github", "POST", body, _github_signed(body))[0] < 300
    body_f = json.dumps(envelope(forged)).encode()
    assert 200 <= request(api_url + "/webhook/github", "POST", body_f, _github_signed(body_f, b"guess"))[0] < 300
    assert 200 <= request(api_url + "/webhook/github", "POST", envelope(unsigned))[0] < 300
    assert wait_for(lambda: stored_users(stack, app, good), 60)

    def rejected():
        found = {m["Body"]: m for m in dlq_messages(stack, app)}
        hits = [m for b, m in found.items() if forged in b or unsigned in b]
        return hits if len(hits) == 2 else None

    hits = wait_for(rejected, 60)
    assert hits, "forged and unsigned messages must be dead-lettered"
    for m in hits:
        assert m["MessageAttributes"]["failure-type"]["StringValue"] == "SignatureInvalid"
    assert not stored_users(stack, app, forged) and not stored_users(stack, app, unsigned)


# --------------------------------------------------------------------------- throttling (last)

def test_route_throttling_429_beyond_configured_rate(api_url):
    """`$default` (strangler) route under the stage default throttle (rate 5/s, burst 10)."""
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(lambda i: request(f"{api_url}/legacy/burst-{i}")[0], range(40)))
    elapsed = time.monotonic() - t0
    ok, limited = statuses.count(200), statuses.count(429)
    assert ok + limited == 40, statuses
    assert limited > 0, statuses
    allowed = DEFAULT_THROTTLE["burst_limit"] + DEFAULT_THROTTLE["rate_limit"] * elapsed + 1
    assert ok <= allowed, (ok, elapsed)
    assert ok >= DEFAULT_THROTTLE["burst_limit"]


def test_large_webhook_body_is_claim_checked_through_s3_to_the_worker(stack, app):
    """POST /webhook/large (modules/claim-check in envs/app): a body over SQS's 256 KiB is
    stored in S3 by the REST API, S3 notifies the webhook queue and the worker stores the user."""
    from storefirst.local.runtime import resolve_url

    url = resolve_url(app["large_webhook_url"], stack.gateway.url_map())
    uid = f"L{uuid.uuid4().hex[:8]}"
    body = {**envelope(uid), "attachment": "x" * (300 * 1024)}
    status, _, doc = request(url, "POST", body)
    assert status == 202 and doc["status"] == "accepted", doc
    assert wait_for(lambda: stored_users(stack, app, uid), timeout=60), "the worker did not store the claim-checked user"


def test_bad_envelope_to_the_data_api_is_a_json_400_and_the_log_names_the_problem(stack, app):
    """A signed client sending an unknown operation: the deployed gateway response (substitution
    only, as on AWS) is JSON naming the error, the contract and the request id; the validator's
    exact message, which names the problem, is the stage access log's validationError."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    from storefirst.local.emulator import ACCESS_KEY, SECRET_KEY
    from storefirst.local.runtime import resolve_url

    url = resolve_url(app["data_api_url"], stack.gateway.url_map())
    body = json.dumps({"operation": "drop-table", "data": {"id": "x\"y"}}).encode()
    aws_req = AWSRequest(method="POST", url=url, data=body, headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "execute-api", stack.emulator.region).add_auth(aws_req)
    status, _, out = request(url, "POST", body, dict(aws_req.headers))
    assert status == 400 and isinstance(out, dict), out
    assert out["error"] == "ValidationError" and "store-new-user" in out["operations"] and out["request_id"], out

    rest_id = app["data_api_url"].split("//", 1)[1].split(".", 1)[0]
    rest_stage = stack.emulator.client("apigateway").get_stages(restApiId=rest_id)["item"][0]
    group = rest_stage["accessLogSettings"]["destinationArn"].split(":log-group:", 1)[1].removesuffix(":*")

    def logged():
        stack.shipper.drain()
        return _log_lines(stack, group, out["request_id"])

    lines = wait_for(logged, 20)
    assert lines and "drop-table" in json.loads(lines[0])["validationError"], lines
