"""Event and stream routes end to end on the local stack (tests/fixtures/local_event_routes):
HTTP API -> EventBridge-PutEvents -> bus -> rule -> SQS (only where the queue policy allows
the rule), and HTTP API -> Kinesis-PutRecord into an encrypted stream."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

import stack_group
from storefirst.local.testing import wait_for
from storefirst.terraform import REPO

pytestmark = [pytest.mark.terraform, pytest.mark.slow, pytest.mark.xdist_group("local_stack")]

FIXTURE = REPO / "tests" / "fixtures" / "local_event_routes"


stack = stack_group.join(__name__, lambda: stack_group.Spec(FIXTURE, "test-local-event-routes"))


def post(stack, path: str, body: bytes, headers: dict | None = None) -> tuple[int, dict]:
    url = stack.api_urls[stack.outputs["api_id"]] + path
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def receive(stack, url_output: str) -> list[dict]:
    sqs = stack.emulator.client("sqs")
    got = sqs.receive_message(QueueUrl=stack.outputs[url_output], MaxNumberOfMessages=10, WaitTimeSeconds=1)
    return [json.loads(m["Body"]) for m in got.get("Messages", [])]


def test_an_event_route_puts_the_body_on_the_bus_and_the_rule_delivers_it_to_the_queue(stack):
    status, doc = post(stack, "/orders", json.dumps({"order_id": "o-1", "total": 42}).encode())
    assert status == 200 and doc["FailedEntryCount"] == 0 and doc["Entries"][0]["EventId"], doc
    events = wait_for(lambda: receive(stack, "orders_queue_url"), timeout=20)
    assert len(events) == 1
    ev = events[0]
    assert ev["id"] == doc["Entries"][0]["EventId"]
    assert ev["source"] == "shop.orders" and ev["detail-type"] == "OrderPlaced"
    assert ev["detail"] == {"order_id": "o-1", "total": 42}


def test_a_rule_whose_queue_policy_does_not_allow_it_delivers_nothing(stack):
    post(stack, "/orders", json.dumps({"order_id": "o-2"}).encode())
    assert wait_for(lambda: receive(stack, "orders_queue_url"), timeout=20)  # the allowed rule delivers
    assert receive(stack, "unallowed_queue_url") == []


def test_a_body_that_is_not_json_is_a_200_with_a_failed_entry(stack):
    """PutEvents refuses the entry but answers 200; the HTTP API passes it on unchanged."""
    status, doc = post(stack, "/orders", b"not json")
    assert status == 200 and doc["FailedEntryCount"] == 1 and doc["Entries"][0]["ErrorCode"] == "MalformedDetail"
    assert receive(stack, "orders_queue_url") == []


def test_a_stream_route_puts_the_body_as_the_record(stack):
    body = json.dumps({"click": "buy"}).encode()
    status, doc = post(stack, "/clicks", body, {"X-Session-Id": "s-1"})
    assert status == 200 and doc["SequenceNumber"] and doc["ShardId"], doc
    kinesis = stack.emulator.client("kinesis")
    it = kinesis.get_shard_iterator(StreamName=stack.outputs["stream_name"], ShardId=doc["ShardId"],
                                    ShardIteratorType="AT_SEQUENCE_NUMBER",
                                    StartingSequenceNumber=doc["SequenceNumber"])["ShardIterator"]
    rec = kinesis.get_records(ShardIterator=it, Limit=1)["Records"][0]
    assert rec["Data"] == body and rec["PartitionKey"] == "s-1"


def test_a_stream_route_without_the_partition_key_header_is_refused_by_kinesis(stack):
    """The partition key maps from a header the client did not send: Kinesis refuses the empty
    key (PartitionKey must be 1-256 characters), and that 400 is what the client gets."""
    status, doc = post(stack, "/clicks", b'{"click":"view"}')
    assert status == 400, doc
