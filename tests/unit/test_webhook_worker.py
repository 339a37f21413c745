"""The webhook worker against moto: SQS events shaped as Lambda delivers them.

The events are built like the SQS event source mapping builds them from messages an HTTP API
`SQS-SendMessage` integration sent: body = the raw request body, message attributes
`requestId` (the API request id) and forwarded headers, in Lambda's attribute shape.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import sys
from pathlib import Path
import time
import types
import uuid

import boto3
import pytest
from moto import mock_aws

from storefirst.lambda_events import ACCOUNT, REGION, FakeLambdaContext, sqs_record
from storefirst.terraform import REPO

FN_DIR = REPO / "lambda_src" / "webhook_worker"
NAMESPACE = "storefirst-test"

# Module-level settings read at import time, as the Lambda environment would set them.
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", NAMESPACE)
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "webhook-worker")
for p in (str(FN_DIR), str(REPO / "lambda_src" / "shared")):
    if p not in sys.path:
        sys.path.insert(0, p)

import webhook_worker  # noqa: E402
import worker_dead_letter  # noqa: E402
import worker_users  # noqa: E402

USER = {"id": "ABC123", "first_name": "John", "last_name": "Doe", "email": "john@example.com"}


def record(body, **kw) -> dict:
    return sqs_record(body if isinstance(body, str) else json.dumps(body), **kw)


def envelope(data=None, operation="store-new-user", **extra) -> dict:
    return {"operation": operation, "data": USER if data is None else data, **extra}


class World:
    """moto tables/queues plus captured logs and EMF metrics of the last invocations."""

    def __init__(self, capsys):
        self.capsys = capsys
        self.ddb = boto3.client("dynamodb", region_name=REGION)
        self.sqs = boto3.client("sqs", region_name=REGION)
        self.logs = io.StringIO()
        self.metrics: list[dict] = []

    def invoke(self, *records) -> dict:
        try:
            return webhook_worker.handler({"Records": list(records)}, FakeLambdaContext())
        finally:  # metrics are flushed even when the invocation fails
            out = self.capsys.readouterr().out
            self.metrics += [json.loads(l) for l in out.splitlines() if l.startswith("{") and '"_aws"' in l]

    def failures(self, result) -> list[str]:
        return [f["itemIdentifier"] for f in result["batchItemFailures"]]

    def metric(self, name) -> list[float]:
        values = []
        for blob in self.metrics:
            assert blob["_aws"]["CloudWatchMetrics"][0]["Namespace"] == NAMESPACE
            if name in blob:
                v = blob[name]
                values += v if isinstance(v, list) else [v]
        return values

    def log_lines(self) -> list[dict]:
        return [json.loads(l) for l in self.logs.getvalue().splitlines() if l.strip()]

    def user(self, user_id) -> dict | None:
        item = self.ddb.get_item(TableName="users", Key={"pk": {"S": f"USER#{user_id}"}}).get("Item")
        return {k: v["S"] for k, v in item.items()} if item else None

    def dlq_messages(self) -> list[dict]:
        url = os.environ["DLQ_URL"]
        got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"])
        return got.get("Messages", [])


@pytest.fixture
def world(monkeypatch, capsys, plain_moto):
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "dev-webhook-worker")
    monkeypatch.setenv("USERS_TABLE", "users")
    monkeypatch.setenv("IDEMPOTENCY_TABLE", "idempotency")
    monkeypatch.delenv("DATA_API_URL", raising=False)
    monkeypatch.delenv("IDEMPOTENCY_FALLBACK_KEY", raising=False)
    with mock_aws():
        webhook_worker.reset()
        w = World(capsys)
        s = {"AttributeType": "S"}
        w.ddb.create_table(
            TableName="users", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": n, **s} for n in ("pk", "email", "last_name", "first_name")],
            GlobalSecondaryIndexes=[
                {"IndexName": "by_email", "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                 "Projection": {"ProjectionType": "ALL"}},
                {"IndexName": "by_last_name", "KeySchema": [{"AttributeName": "last_name", "KeyType": "HASH"},
                                                            {"AttributeName": "first_name", "KeyType": "RANGE"}],
                 "Projection": {"ProjectionType": "ALL"}},
            ],
        )
        # The layout Powertools' DynamoDBPersistenceLayer expects by default.
        w.ddb.create_table(
            TableName="idempotency", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", **s}],
        )
        monkeypatch.setenv("DLQ_URL", w.sqs.create_queue(QueueName="webhook-dlq")["QueueUrl"])
        handler = webhook_worker.logger.registered_handler
        old_stream = handler.setStream(w.logs)
        capsys.readouterr()
        try:
            yield w
        finally:
            handler.setStream(old_stream)
            webhook_worker.reset()


def count_store_calls(monkeypatch) -> list[dict]:
    calls: list[dict] = []
    store = worker_users.store()
    original = store.create_user

    def spy(user, **kw):
        calls.append(user)
        return original(user, **kw)

    monkeypatch.setattr(store, "create_user", spy)
    return calls


# --- success -----------------------------------------------------------------------------

def test_store_new_user_writes_the_item(world):
    result = world.invoke(record(envelope()))
    assert result == {"batchItemFailures": []}
    item = world.user("ABC123")
    assert {k: item[k] for k in USER} == USER
    assert item["pk"] == "USER#ABC123" and item["created_at"].endswith("+00:00")
    assert world.metric("ProcessedRecords") == [1.0]
    assert world.metric("FailedRecords") == [0.0] and world.metric("DuplicateRecords") == [0.0]
    # Readable back through the GSI a future list-users-by-email uses.
    q = world.ddb.query(TableName="users", IndexName="by_email", KeyConditionExpression="email = :e",
                        ExpressionAttributeValues={":e": {"S": USER["email"]}})
    assert q["Count"] == 1


# --- poison messages ---------------------------------------------------------------------

def test_one_bad_record_in_ten_is_the_only_failure_without_dlq_url(world, monkeypatch):
    """Fallback mode: the bad record is reported, reaches the DLQ by redrive; nine succeed."""
    monkeypatch.delenv("DLQ_URL")
    records = [record(envelope({**USER, "id": f"U{i}", "email": f"u{i}@example.com"})) for i in range(10)]
    records[4] = record(envelope({**USER, "id": "U4", "email": "not-an-email"}))
    result = world.invoke(*records)
    assert world.failures(result) == [records[4]["messageId"]]
    assert [world.user(f"U{i}") is not None for i in range(10)] == [i != 4 for i in range(10)]
    assert world.metric("ProcessedRecords") == [9.0] and world.metric("FailedRecords") == [1.0]
    assert world.metric("DeadLetteredRecords") == [0.0]
    err = [l for l in world.log_lines() if l["level"] == "ERROR"]
    assert len(err) == 1 and err[0]["failure_type"] == "InvalidData" and "email" in err[0]["reason"]


def test_one_bad_record_in_ten_goes_straight_to_the_dlq(world):
    records = [record(envelope({**USER, "id": f"U{i}", "email": f"u{i}@example.com"})) for i in range(10)]
    records[7] = record("{not json", request_id="req-poison")
    result = world.invoke(*records)
    assert result == {"batchItemFailures": []}  # acknowledged: it is in the DLQ, not retried
    assert sum(world.user(f"U{i}") is not None for i in range(10)) == 9
    (msg,) = world.dlq_messages()
    assert msg["Body"] == records[7]["body"]  # the frame unchanged, so a redrive replays exactly the request
    a = {k: v["StringValue"] for k, v in msg["MessageAttributes"].items()}
    assert a["failure-type"] == "MalformedMessage" and "not JSON" in a["failure-reason"]
    assert a["source-message-id"] == records[7]["messageId"] and a["requestId"] == "req-poison"
    assert world.metric("FailedRecords") == [1.0] and world.metric("DeadLetteredRecords") == [1.0]
    assert world.metric("ProcessedRecords") == [9.0]


@pytest.mark.parametrize("body, kind, words", [
    ("{not json", "MalformedMessage", "not JSON"),
    ("[1, 2]", "MalformedMessage", "JSON object"),
    (json.dumps({"data": USER}), "MalformedMessage", "operation"),
    (json.dumps({"operation": "store-new-user"}), "MalformedMessage", "data"),
    (json.dumps(envelope(operation="delete-everything")), "UnknownOperation", "delete-everything"),
    # InvalidData: the reasons are the catalog schema's (envs/catalogs/users.yaml).
    (json.dumps(envelope({**USER, "email": "john.example.com"})), "InvalidData",
     "store-new-user: data.email: does not match the pattern ^[^@\\s]+@[^@\\s]+$"),
    (json.dumps(envelope({k: v for k, v in USER.items() if k != "last_name"})), "InvalidData",
     "data: missing required property last_name"),
    (json.dumps(envelope({**USER, "id": 42})), "InvalidData", "data.id: must be of type string, not integer"),
    (json.dumps(envelope({**USER, "id": ""})), "InvalidData", "data.id: must be at least 1 characters long"),
    (json.dumps(envelope({**USER, "first_name": "x" * 257})), "InvalidData",
     "data.first_name: must be at most 256 characters long"),
    (json.dumps(envelope({**USER, "admin": True})), "InvalidData",
     "data: unexpected properties admin (additionalProperties is false)"),
    (json.dumps(envelope("not an object")), "InvalidData", "data: must be of type object, not string"),
    (json.dumps(envelope(idempotency_key=7)), "MalformedMessage", "idempotency key"),
])
def test_poison_is_dead_lettered_with_its_reason(world, body, kind, words):
    result = world.invoke(rec := record(body))
    assert result == {"batchItemFailures": []}
    (msg,) = world.dlq_messages()
    a = {k: v["StringValue"] for k, v in msg["MessageAttributes"].items()}
    assert (a["failure-type"], msg["Body"], a["source-message-id"]) == (kind, rec["body"], rec["messageId"])
    assert words in a["failure-reason"]
    assert world.user("ABC123") is None
    # Invalid messages never reserve an idempotency key.
    assert world.ddb.scan(TableName="idempotency")["Count"] == 0


@pytest.mark.parametrize("change", [
    {"first_name": "A" * 256, "last_name": "B" * 256},  # the catalog's maxLength (the old worker: 100)
    {"email": "ops@localhost"},  # no dot in the domain: the catalog's pattern allows it
    {"id": "A#B c"},  # the catalog sets no pattern on id; the key template keeps it unambiguous
])
def test_a_value_the_catalog_accepts_is_stored(world, change):
    import jsonschema
    import yaml

    user = {**USER, **change}
    catalog = yaml.safe_load((REPO / "envs" / "catalogs" / "users.yaml").read_text())
    jsonschema.Draft4Validator(catalog["operations"]["store-new-user"]["data"]).validate(user)  # the oracle
    assert world.invoke(record(envelope(user))) == {"batchItemFailures": []}
    item = world.user(user["id"])
    assert {k: item[k] for k in USER} == user and item["pk"] == f"USER#{user['id']}"
    assert world.dlq_messages() == []


def test_a_value_the_catalog_refuses_is_dead_lettered_with_the_schemas_reason(world):
    import jsonschema
    import yaml

    user = {**USER, "first_name": "A" * 257}
    catalog = yaml.safe_load((REPO / "envs" / "catalogs" / "users.yaml").read_text())
    schema = catalog["operations"]["store-new-user"]["data"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(user)
    world.invoke(record(envelope(user)))
    (msg,) = world.dlq_messages()
    reason = msg["MessageAttributes"]["failure-reason"]["StringValue"]
    assert reason == f"store-new-user: data.first_name: must be at most {schema['properties']['first_name']['maxLength']} characters long"
    assert world.user(user["id"]) is None


def test_dlq_send_failure_falls_back_to_retry_never_drops(world, monkeypatch):
    monkeypatch.setenv("DLQ_URL", f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/missing")
    ok, bad = record(envelope()), record(envelope(operation="nope"))
    result = world.invoke(ok, bad)
    assert world.failures(result) == [bad["messageId"]]
    assert any("sending to the DLQ failed" in l["message"] for l in world.log_lines())


def test_transient_failure_is_retried_and_releases_the_idempotency_key(world, monkeypatch):
    store = worker_users.store()
    original = store.create_user
    boom = {"on": True}

    def flaky(user, **kw):
        if boom["on"] and user["id"] == "FLAKY":
            raise ConnectionError("DynamoDB endpoint unreachable")
        return original(user, **kw)

    monkeypatch.setattr(store, "create_user", flaky)
    flaky_rec = record(envelope({**USER, "id": "FLAKY"}))
    result = world.invoke(record(envelope()), flaky_rec)
    assert world.failures(result) == [flaky_rec["messageId"]]
    assert world.dlq_messages() == []  # transient: SQS retries it, not the DLQ
    boom["on"] = False
    assert world.invoke({**flaky_rec, "attributes": {**flaky_rec["attributes"], "ApproximateReceiveCount": "2"}}) == {"batchItemFailures": []}
    assert world.user("FLAKY") is not None


# --- idempotency -------------------------------------------------------------------------

def test_sqs_redelivery_is_applied_once(world, monkeypatch):
    calls = count_store_calls(monkeypatch)
    rec = record(envelope())
    world.invoke(rec)
    first = world.user("ABC123")
    again = {**rec, "receiptHandle": "AQEBother", "attributes": {**rec["attributes"], "ApproximateReceiveCount": "2"}}
    assert world.invoke(again) == {"batchItemFailures": []}
    assert len(calls) == 1  # one write
    assert world.user("ABC123") == first
    assert world.metric("DuplicateRecords") == [0.0, 1.0]
    assert world.metric("ProcessedRecords") == [1.0, 0.0]
    assert any(l["message"] == "Duplicate skipped" for l in world.log_lines())


def test_client_retry_with_same_idempotency_key_is_applied_once(world, monkeypatch):
    calls = count_store_calls(monkeypatch)
    key = {"X-Idempotency-Key": "client-key-1"}
    # A retry is a new request: new API request id, new SQS message id, same key.
    world.invoke(record(envelope(), headers=key))
    world.invoke(record(json.dumps(envelope(), indent=2), headers=key))
    assert len(calls) == 1 and world.metric("DuplicateRecords") == [0.0, 1.0]


def test_same_key_different_payload_is_refused(world):
    world.invoke(record(envelope(idempotency_key="k-1")))
    other = record(envelope({**USER, "id": "OTHER"}, idempotency_key="k-1"))
    assert world.invoke(other) == {"batchItemFailures": []}
    (msg,) = world.dlq_messages()
    assert msg["MessageAttributes"]["failure-type"]["StringValue"] == "IdempotencyKeyReused"
    assert world.user("OTHER") is None


def test_without_key_an_identical_request_is_a_duplicate_by_payload(world, monkeypatch):
    calls = count_store_calls(monkeypatch)
    world.invoke(record(envelope()))
    world.invoke(record(json.dumps({"data": dict(reversed(USER.items())), "operation": "store-new-user"})))
    assert len(calls) == 1 and world.metric("DuplicateRecords") == [0.0, 1.0]


def test_message_id_fallback_still_applies_identical_create_once(world, monkeypatch):
    """IDEMPOTENCY_FALLBACK_KEY=message-id: a new message reaches the store, which sees the
    identical stored user and reports a duplicate instead of a conflict."""
    monkeypatch.setenv("IDEMPOTENCY_FALLBACK_KEY", "message-id")
    calls = count_store_calls(monkeypatch)
    world.invoke(record(envelope()))
    first = world.user("ABC123")
    assert world.invoke(record(envelope())) == {"batchItemFailures": []}
    assert len(calls) == 2 and world.user("ABC123") == first
    assert world.metric("DuplicateRecords") == [0.0, 1.0] and world.dlq_messages() == []


def test_existing_user_id_with_other_data_is_rejected_not_overwritten(world):
    world.invoke(record(envelope()))
    original = world.user("ABC123")
    clash = record(envelope({**USER, "first_name": "Jane", "email": "jane@example.com"}), request_id="req-clash")
    assert world.invoke(clash) == {"batchItemFailures": []}
    assert world.user("ABC123") == original
    (msg,) = world.dlq_messages()
    a = {k: v["StringValue"] for k, v in msg["MessageAttributes"].items()}
    assert a["failure-type"] == "Conflict" and "email, first_name" in a["failure-reason"]
    err = [l for l in world.log_lines() if l["level"] == "ERROR"]
    assert err[0]["correlation_id"] == "req-clash" and err[0]["failure_type"] == "Conflict"


# --- observability -----------------------------------------------------------------------

def test_request_id_is_the_correlation_id_of_every_log_line(world):
    world.invoke(record(envelope(), request_id="apigw-req-1"), record(envelope(operation="nope"), request_id="apigw-req-2"))
    lines = world.log_lines()
    ok = [l for l in lines if l["message"] == "Record processed"]
    bad = [l for l in lines if l["level"] == "ERROR"]
    assert ok[0]["correlation_id"] == "apigw-req-1" and ok[0]["operation"] == "store-new-user"
    assert bad[0]["correlation_id"] == "apigw-req-2" and "operation" not in bad[0]
    assert all(l["service"] == "webhook-worker" and "message_id" in l for l in ok + bad)


def test_lag_metric_is_now_minus_sent_timestamp(world):
    sent = int(time.time() * 1000) - 5_000
    world.invoke(record(envelope(), sent_ms=sent), record(envelope({**USER, "id": "B"}), sent_ms=sent + 1_000))
    lags = world.metric("RecordLag")
    assert len(lags) == 2 and 5_000 <= lags[0] < 6_000 and 4_000 <= lags[1] < 5_000
    units = {m["Name"]: m["Unit"] for b in world.metrics for m in b["_aws"]["CloudWatchMetrics"][0]["Metrics"]}
    assert units["RecordLag"] == "Milliseconds" and units["ProcessedRecords"] == "Count"


# --- seams and helpers -------------------------------------------------------------------

def test_data_api_store_is_used_when_data_api_url_is_set(world, monkeypatch, scripted_server):
    """The real data_api_client against a data API stand-in on 127.0.0.1: 200, then 409."""
    url, script = scripted_server
    script.replies = [(200, {"data": USER}), (409, {"error": "Conflict", "message": "item exists"})]
    monkeypatch.syspath_prepend(str(Path(__file__).parents[2] / "lambda_src" / "shared"))
    sys.modules.pop("data_api_client", None)
    sys.modules.pop("data_api_client.client", None)
    monkeypatch.setenv("DATA_API_URL", url)
    webhook_worker.reset()
    world.invoke(record(envelope(), request_id="req-d1"), record(envelope({**USER, "id": "TAKEN"})))
    first = script.seen[0]
    assert first["body"] == {"operation": "store-new-user", "data": USER}
    assert first["headers"]["X-Correlation-Id"] == "req-d1"
    assert first["headers"]["Authorization"].startswith("AWS4-HMAC-SHA256")  # SigV4-signed
    assert world.user("ABC123") is None  # nothing written directly
    (msg,) = world.dlq_messages()
    assert msg["MessageAttributes"]["failure-type"]["StringValue"] == "Conflict"


def test_dead_letter_attributes_respect_the_sqs_limit_of_ten():
    # Attributes set by some other producer (queue routes send only requestId).
    rec = record("x", request_id="req-keep", route=None)
    rec["messageAttributes"].update({f"h{i:02d}": {"stringValue": "v", "dataType": "String"} for i in range(12)})
    rec["messageAttributes"]["blob"] = {"binaryValue": "AAE=", "dataType": "Binary"}
    out, dropped = worker_dead_letter.dead_letter_attributes(rec, "InvalidData", "bad\x00value" + "x" * 2000)
    assert len(out) == 10 and out["requestId"]["StringValue"] == "req-keep"
    assert {"failure-type", "failure-reason", "source-message-id"} <= set(out)
    assert len(dropped) == 14 - 7 and "blob" in dropped
    assert out["failure-reason"]["StringValue"].startswith("bad?value") and len(out["failure-reason"]["StringValue"]) == 1024


def test_fifo_dead_letter_keeps_the_group_and_dedups_by_message_id():
    sent = []
    sqs = types.SimpleNamespace(send_message=lambda **kw: sent.append(kw))
    rec = record("{bad", message_id="m-1", route=None)
    rec["attributes"]["MessageGroupId"] = "tenant-7"
    worker_dead_letter.send_to_dlq(sqs, "https://sqs/dlq.fifo", rec, "MalformedMessage", "body is not JSON")
    assert sent[0]["MessageGroupId"] == "tenant-7" and sent[0]["MessageDeduplicationId"] == "m-1"
    assert sent[0]["MessageBody"] == "{bad"


def test_a_batch_where_every_record_fails_transiently_fails_the_invocation(world, monkeypatch):
    """Powertools' default: the whole batch returns to the queue and the function's Errors
    metric shows the outage (poison alone never does this: it is acknowledged after the DLQ)."""
    from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

    monkeypatch.setenv("USERS_TABLE", "no-such-table")
    with pytest.raises(BatchProcessingError):
        world.invoke(record(envelope()), record(envelope({**USER, "id": "B"})))
    assert world.metric("FailedRecords") == [2.0]
    assert world.invoke(record("{bad")) == {"batchItemFailures": []}


# --------------------------------------------------------------------------- frame decoding

import webhook_frame  # noqa: E402
import webhook_signature  # noqa: E402


@pytest.mark.parametrize("value", [
    'a", "requestId": {"StringValue": "forged"}', "back\\slash \\u0022", "unicodé ✓ 😀", "X-Signature:sha256=0", "", None,
])
def test_frame_round_trips_hostile_header_values(value):
    body = '{"operation": "x"}\n\nX-Idempotency-Key:forged'
    raw = webhook_frame.encode(body, "POST /webhook", {"X-Idempotency-Key": value, "X-Signature": "s"})
    frame = webhook_frame.decode(raw)
    assert frame.route == "POST /webhook" and frame.body == body
    assert frame.header("x-idempotency-key") == (value or None) and frame.header("X-Signature") == "s"


@pytest.mark.parametrize("raw, words", [
    ("storefirst-frame/1 POST /webhook\nX-A:1\n", "empty line"),
    ("storefirst-frame/1 POST /webhook", "route line"),
    ("storefirst-frame/1 POST /webhook\nno colon\n\n{}", "without a name"),
    ("storefirst-frame/1 POST /webhook\nX-A:1\nx-a:2\n\n{}", "twice"),
])
def test_a_broken_frame_is_dead_lettered_not_guessed(world, raw, words):
    rec = record(raw, route=None)
    assert world.invoke(rec) == {"batchItemFailures": []}
    (msg,) = world.dlq_messages()
    a = {k: v["StringValue"] for k, v in msg["MessageAttributes"].items()}
    assert a["failure-type"] == "MalformedMessage" and words in a["failure-reason"]


def test_an_unframed_message_is_its_own_body(world):
    # A producer calling SendMessage itself (IAM-authorised) sends the bare envelope.
    assert world.invoke(record(envelope(), route=None)) == {"batchItemFailures": []}
    assert world.user("ABC123")["email"] == USER["email"]


def test_client_without_any_optional_header_is_processed(world):
    # The seed curl sends no X-Signature; on the unsigned route an empty header line is "not sent".
    rec = record(envelope(), headers={"X-Idempotency-Key": None, "X-Signature": None})
    assert world.invoke(rec) == {"batchItemFailures": []}
    assert world.user("ABC123") is not None


# --------------------------------------------------------------------------- signatures

GITHUB_ROUTE = "POST /webhook/github"
STRIPE_ROUTE = "POST /webhook/stripe"


@pytest.fixture
def signed(world, monkeypatch):
    """Two signed routes with secrets in (moto) Secrets Manager, as modules/function passes them."""
    sm = boto3.client("secretsmanager", region_name=REGION)
    secrets = {}
    for name in ("github_webhook", "stripe_webhook"):
        value = f"{name}-{uuid.uuid4().hex}"
        arn = sm.create_secret(Name=f"{name}-{uuid.uuid4().hex[:8]}", SecretString=value)["ARN"]
        monkeypatch.setenv(f"SECRET_{name.upper()}_ARN", arn)
        secrets[name] = value.encode()
    monkeypatch.setenv("WEBHOOK_SIGNATURES", json.dumps({
        GITHUB_ROUTE: {"secret": "github_webhook", "header": "X-Hub-Signature-256", "scheme": "github"},
        STRIPE_ROUTE: {"secret": "stripe_webhook", "header": "Stripe-Signature", "scheme": "stripe", "tolerance_seconds": 300},
    }))
    webhook_worker.reset()
    webhook_signature.preload()
    return secrets


def _github(secret: bytes, body: str) -> str:
    return "sha256=" + hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()


def _stripe(secret: bytes, body: str, t: int) -> str:
    return f"t={t},v1=" + hmac.new(secret, f"{t}.{body}".encode(), hashlib.sha256).hexdigest()


def _rejected(world, rec, words):
    assert world.invoke(rec) == {"batchItemFailures": []}
    (msg,) = world.dlq_messages()
    a = {k: v["StringValue"] for k, v in msg["MessageAttributes"].items()}
    assert a["failure-type"] == "SignatureInvalid" and words in a["failure-reason"], a
    assert world.user("ABC123") is None  # never stored
    assert world.ddb.scan(TableName="idempotency")["Count"] == 0
    assert world.metric("SignatureRejectedRecords") == [1.0] and world.metric("DeadLetteredRecords") == [1.0]


def test_github_signed_message_over_the_exact_body_is_applied(world, signed):
    body = json.dumps(envelope()) + "  \n"  # whitespace is part of what was signed
    rec = record(body, route=GITHUB_ROUTE, headers={"X-Hub-Signature-256": _github(signed["github_webhook"], body)})
    assert world.invoke(rec) == {"batchItemFailures": []}
    assert world.user("ABC123") is not None and world.metric("SignatureRejectedRecords") == [0.0]


def test_unsigned_message_on_a_signed_route_is_dead_lettered(world, signed):
    _rejected(world, record(json.dumps(envelope()), route=GITHUB_ROUTE, headers={"X-Hub-Signature-256": None}), "unsigned")


@pytest.mark.parametrize("mutate", [
    lambda s, b: _github(b"wrong secret", b),
    lambda s, b: _github(s, b + " "),  # signed another body
    lambda s, b: _github(s, b).upper(),
    lambda s, b: 'sha256="; DROP',
])
def test_wrongly_signed_message_is_dead_lettered(world, signed, mutate):
    body = json.dumps(envelope())
    sig = mutate(signed["github_webhook"], body)
    _rejected(world, record(body, route=GITHUB_ROUTE, headers={"X-Hub-Signature-256": sig}), "does not match")


def test_stripe_style_signature_with_tolerance_window(world, signed):
    body = json.dumps(envelope())
    now = int(time.time())
    good = _stripe(signed["stripe_webhook"], body, now - 10)
    # Rotation: an old-secret v1 beside the current one still verifies.
    rotated = good + ",v1=" + "0" * 64
    assert world.invoke(record(body, route=STRIPE_ROUTE, headers={"Stripe-Signature": rotated})) == {"batchItemFailures": []}
    assert world.user("ABC123") is not None


@pytest.mark.parametrize("header, words", [
    (lambda s, b, now: _stripe(s, b, now - 301), "tolerance"),
    (lambda s, b, now: _stripe(s, b, now + 301), "tolerance"),
    (lambda s, b, now: _stripe(b"other", b, now), "no v1"),
    (lambda s, b, now: "v1=abc", "t=<unix seconds>"),
])
def test_stripe_style_rejections(world, signed, header, words):
    body = json.dumps(envelope())
    value = header(signed["stripe_webhook"], body, int(time.time()))
    _rejected(world, record(body, route=STRIPE_ROUTE, headers={"Stripe-Signature": value}), words)


def test_unsigned_route_needs_no_signature_even_when_others_do(world, signed):
    assert world.invoke(record(envelope(), route="POST /webhook")) == {"batchItemFailures": []}
    assert world.user("ABC123") is not None


def test_signature_config_naming_an_ungranted_secret_fails_at_init(monkeypatch):
    monkeypatch.setenv("WEBHOOK_SIGNATURES", json.dumps({GITHUB_ROUTE: {"secret": "nope", "header": "X-Sig"}}))
    monkeypatch.delenv("SECRET_NOPE_ARN", raising=False)
    webhook_signature.config.cache_clear()
    with pytest.raises(ValueError, match="SECRET_NOPE_ARN"):
        webhook_signature.preload()
    webhook_signature.config.cache_clear()


# --- claim-check: bodies stored in S3 by modules/claim-check ------------------------------

def s3_notification(bucket: str, key: str, size: int) -> dict:
    """The message S3 sends the queue ("Event message structure", S3 user guide): no message
    attributes, the key URL-encoded."""
    import urllib.parse

    body = {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": REGION,
                         "eventName": "ObjectCreated:Put",
                         "s3": {"s3SchemaVersion": "1.0", "configurationId": "claim-check",
                                "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
                                "object": {"key": urllib.parse.quote_plus(key), "size": size}}}]}
    rec = sqs_record(json.dumps(body), route=None)
    rec["messageAttributes"] = {}
    return rec


def stored(world, key: str, body: bytes, request_id: str, route: str = "POST /webhook/large", **headers) -> dict:
    s3 = boto3.client("s3", region_name=REGION)
    if not s3.list_buckets()["Buckets"]:
        s3.create_bucket(Bucket="claims", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket="claims", Key=key, Body=body,
                  Metadata={"request-id": request_id, "route": route, **headers})
    return s3_notification("claims", key, len(body))


def test_a_claim_checked_body_is_read_from_s3_and_applied_once_with_its_request_id(world):
    big = {**USER, "first_name": "J" * 100, "notes": None}
    big.pop("notes")
    body = json.dumps(envelope(big)).encode()
    rec = stored(world, "incoming/req-large-1", body, "req-large-1", **{"x-idempotency-key": "k-large"})
    result = world.invoke(rec)
    assert world.failures(result) == []
    assert world.user("ABC123")["first_name"] == "J" * 100
    ok = [l for l in world.log_lines() if l["message"] == "Record processed"]
    assert ok[0]["correlation_id"] == "req-large-1" and ok[0]["idempotency_key_source"] == "caller"
    assert ok[0]["claim_check"] == "s3://claims/incoming/req-large-1"
    world.invoke(rec)  # S3 notifications are at-least-once: the redelivery is a duplicate
    assert world.metric("DuplicateRecords")[-1] == 1


def test_a_vanished_claim_check_is_dead_lettered_with_the_reason(world):
    rec = s3_notification("claims", "incoming/gone", 10)
    boto3.client("s3", region_name=REGION).create_bucket(Bucket="claims", CreateBucketConfiguration={"LocationConstraint": REGION})
    assert world.failures(world.invoke(rec)) == []
    (msg,) = world.dlq_messages()
    assert msg["MessageAttributes"]["failure-type"]["StringValue"] == "ClaimCheckMissing"
    assert "incoming/gone" in msg["MessageAttributes"]["failure-reason"]["StringValue"]


def test_a_claim_checked_body_that_is_not_an_envelope_is_dead_lettered(world):
    rec = stored(world, "incoming/req-bad", b"not json", "req-bad")
    world.invoke(rec)
    (msg,) = world.dlq_messages()
    assert msg["MessageAttributes"]["failure-type"]["StringValue"] == "MalformedMessage"
    err = [l for l in world.log_lines() if l["level"] == "ERROR"]
    assert err[0]["correlation_id"] == "req-bad"


def test_the_s3_test_event_is_acknowledged_not_dead_lettered(world):
    body = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": "2026-12-02T07:00:00.000Z",
            "Bucket": "claims", "RequestId": "R", "HostId": "H"}
    rec = sqs_record(json.dumps(body), route=None)
    assert world.failures(world.invoke(rec)) == []
    assert world.dlq_messages() == [] and world.metric("ProcessedRecords")[-1] == 1


def test_a_claim_checked_body_is_verified_against_the_stored_route_and_signature(world, signed):
    body = json.dumps(envelope())
    good = stored(world, "incoming/req-sig-1", body.encode(), "req-sig-1", route=GITHUB_ROUTE,
                  **{"x-hub-signature-256": _github(signed["github_webhook"], body)})
    assert world.failures(world.invoke(good)) == [] and world.user("ABC123")
    world.ddb.delete_item(TableName="users", Key={"pk": {"S": "USER#ABC123"}})
    for item in world.ddb.scan(TableName="idempotency")["Items"]:
        world.ddb.delete_item(TableName="idempotency", Key={"id": item["id"]})
    world.metrics.clear()
    forged = stored(world, "incoming/req-sig-2", body.encode(), "req-sig-2", route=GITHUB_ROUTE,
                    **{"x-hub-signature-256": "sha256=" + "0" * 64})
    _rejected(world, forged, "signature")
