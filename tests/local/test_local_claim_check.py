"""Claim-check end to end on the local stack (tests/fixtures/local_claim_check, built from
modules/claim-check, queue, queue-worker, table): a body too large for an SQS message is
POSTed to the REST API, stored in S3 by the AWS integration (no Lambda), S3 notifies the
queue, and the real webhook worker reads the object and stores the user."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

import stack_group
from storefirst import build
from storefirst.local.testing import wait_for
from storefirst.terraform import REPO

pytestmark = [pytest.mark.terraform, pytest.mark.slow, pytest.mark.xdist_group("local_stack")]

FIXTURE = REPO / "tests" / "fixtures" / "local_claim_check"


def _spec() -> stack_group.Spec:
    zip_path = build.build("webhook_worker")
    return stack_group.Spec(FIXTURE, "test-local-claim-check", {"zip_path": str(zip_path)}, [zip_path.parent])


stack = stack_group.join(__name__, _spec)


def post(stack, body: bytes, headers: dict | None = None) -> tuple[int, dict]:
    api = stack.outputs["rest_api_id"]
    url = stack.api_urls[api] + "/v1/webhook/large"
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def user(stack, user_id: str) -> dict | None:
    item = stack.emulator.client("dynamodb").get_item(TableName=stack.outputs["users_table"],
                                                      Key={"pk": {"S": f"USER#{user_id}"}}).get("Item")
    return {k: v.get("S") for k, v in item.items()} if item else None


def test_a_300_kb_body_is_stored_in_s3_and_applied_by_the_worker(stack):
    # A webhook whose payload carries far more than the operation's data (the worker reads
    # only the envelope's operation and data).
    envelope = {"operation": "store-new-user", "idempotency_key": "cc-1",
                "data": {"id": "CLAIM1", "first_name": "Big", "last_name": "Body", "email": "big@example.com"},
                "attachment": "x" * (300 * 1024)}
    body = json.dumps(envelope).encode()
    assert len(body) > 262144  # what SQS-SendMessage would refuse
    status, doc = post(stack, body, {"X-Idempotency-Key": "cc-1"})
    assert status == 202 and doc["status"] == "accepted", doc
    request_id = doc["request_id"]
    s3 = stack.emulator.client("s3")
    head = s3.head_object(Bucket=stack.outputs["bucket_name"], Key=f"incoming/{request_id}")
    assert head["ContentLength"] == len(body)
    assert head["Metadata"] == {"request-id": request_id, "route": "POST /webhook/large", "x-idempotency-key": "cc-1"}
    stored = wait_for(lambda: user(stack, "CLAIM1"), timeout=60)
    assert stored and stored["first_name"] == "Big", "the worker did not store the claim-checked user"


def test_a_body_over_10_mb_gets_413_and_nothing_is_stored(stack):
    s3 = stack.emulator.client("s3")
    before = s3.list_objects_v2(Bucket=stack.outputs["bucket_name"]).get("KeyCount", 0)
    status, doc = post(stack, b"{" + b" " * (10 * 1024 * 1024) + b"}")
    assert status == 413 and doc == {"message": "Request Too Long"}
    assert s3.list_objects_v2(Bucket=stack.outputs["bucket_name"]).get("KeyCount", 0) == before


def test_the_bucket_refuses_a_notification_the_queue_policy_does_not_allow(stack):
    """S3 validates the destination (PutBucketNotificationConfiguration): a queue whose policy
    does not name this bucket is refused, as on AWS."""
    from botocore.exceptions import ClientError

    sqs, s3 = stack.emulator.client("sqs"), stack.emulator.client("s3")
    url = sqs.create_queue(QueueName="ccfix-unrelated")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    try:
        with pytest.raises(ClientError) as err:
            s3.put_bucket_notification_configuration(
                Bucket=stack.outputs["bucket_name"],
                NotificationConfiguration={"QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:Put"]}]})
        assert "Unable to validate the following destination configurations" in str(err.value)
    finally:
        sqs.delete_queue(QueueUrl=url)
