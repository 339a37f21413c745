"""End-to-end test of the local stack engine on a small throwaway config
(tests/fixtures/local_stack): real `terraform apply` into the embedded emulator, then requests
through the local gateway -> SQS -> event source mapping -> handler worker -> DynamoDB.

One apply per session (~60-75 s: the provider waits ~25 s per SQS queue, and the main queue
waits for its DLQ), made beside the group's other stacks (tests/stack_group.py).
"""

from __future__ import annotations

import json
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import stack_group
from storefirst.terraform import CACHE, REPO
from storefirst.local.testing import call_json, wait_for

# One group: with `--dist loadgroup` one xdist worker applies the group's stacks side by side.
pytestmark = [pytest.mark.terraform, pytest.mark.slow, pytest.mark.xdist_group("local_stack")]

FIXTURE = REPO / "tests" / "fixtures" / "local_stack"


def _spec() -> stack_group.Spec:
    code = CACHE / "local-stack-fixture"
    code.mkdir(parents=True, exist_ok=True)
    z = code / "fixture_worker.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(FIXTURE / "handler" / "fixture_worker.py", "fixture_worker.py")
    return stack_group.Spec(FIXTURE, "test-local-stack", {"zip_path": str(z)}, [code])


# The session emulator: moto's state is process-wide anyway; the stack serves only what its own
# Terraform state created.
stack = stack_group.join(__name__, _spec)


def _url(stack) -> str:
    return next(iter(stack.api_urls.values()))


def post(stack, path: str, body, headers=None) -> tuple[int, dict]:
    return call_json(_url(stack) + path, "POST", body, headers)


def items(stack, prefix: str) -> dict[str, dict]:
    ddb = stack.emulator.client("dynamodb")
    out, kw = {}, {"TableName": stack.outputs["table_name"]}
    while True:
        page = ddb.scan(**kw)
        for it in page["Items"]:
            if it["id"]["S"].startswith(prefix):
                out[it["id"]["S"]] = {k: v["S"] for k, v in it.items()}
        if "LastEvaluatedKey" not in page:
            return out
        kw["ExclusiveStartKey"] = page["LastEvaluatedKey"]




def test_what_runs_is_what_terraform_applied(stack):
    api = next(iter(stack.gateway.apis.values()))
    assert sorted(r.route_key for r in api.routes) == ["POST /items", "POST /limited"]
    (runner,) = stack.esm.runners
    assert (runner.batch_size, runner.concurrency, runner.report_failures) == (10, 2, True)
    assert runner.queue_url.endswith("/lsfix-main")


def test_request_reaches_handler_with_mapped_attributes(stack):
    body = {"id": "one-1", "first_name": "John", "email": "john@example.com"}
    status, resp = post(stack, "/items", body, {"Idempotency-Key": "idem-1"})
    # What a client gets from an SQS-SendMessage integration: SQS's SendMessage response.
    assert status == 200
    result = resp["SendMessageResponse"]["SendMessageResult"]
    assert result["MessageId"] and result["MD5OfMessageBody"]
    got = wait_for(lambda: items(stack, "one-"))
    assert json.loads(got["one-1"]["body"]) == body
    assert got["one-1"]["idempotencyKey"] == "idem-1"


def test_client_without_the_optional_header_is_accepted(stack):
    """The fixture maps the header into a never-empty value, so a client that sends no
    Idempotency-Key is accepted, as it would be on AWS (an empty StringValue is refused)."""
    assert post(stack, "/items", {"id": "no-header-1"})[0] == 200
    got = wait_for(lambda: items(stack, "no-header-"))
    assert got["no-header-1"]["idempotencyKey"] == ""


def test_header_holding_a_quote_breaks_the_mapped_json_as_on_aws(stack):
    status, body = post(stack, "/items", {"id": "quote-1"}, {"Idempotency-Key": 'a"b'})
    assert status == 400 and body == {"message": "Bad Request"}


def test_unknown_route_is_404(stack):
    assert post(stack, "/nope", {}) == (404, {"message": "Not Found"})


def test_poison_goes_to_dlq_after_max_receive_count_rest_of_batch_stored(stack):
    sqs = stack.emulator.client("sqs")
    for body in ({"id": "p-ok-1"}, {"id": "p-bad", "poison": True}, {"id": "p-ok-2"}, {"id": "p-ok-3"}):
        assert post(stack, "/items", body)[0] == 200
    assert wait_for(lambda: len(items(stack, "p-ok-")) == 3, 30)

    def dlq_messages():
        return sqs.receive_message(QueueUrl=stack.outputs["dlq_url"], MaxNumberOfMessages=10,
                                   WaitTimeSeconds=1, AttributeNames=["All"]).get("Messages", [])

    dead = wait_for(dlq_messages, 90)  # two 12 s visibility timeouts, plus polling under load
    assert [json.loads(m["Body"])["id"] for m in dead] == ["p-bad"]
    # moto moves a message on the receive *after* maxReceiveCount (2) failed ones.
    assert int(dead[0]["Attributes"]["ApproximateReceiveCount"]) >= 2
    assert "p-bad" not in items(stack, "p-")


def test_200_concurrent_requests_are_each_processed_once(stack):
    ids = [f"c-{i:03d}" for i in range(200)]
    with ThreadPoolExecutor(16) as ex:
        statuses = list(ex.map(lambda i: post(stack, "/items", {"id": i})[0], ids))
    assert statuses == [200] * 200
    got = wait_for(lambda: (lambda d: d if len(d) == 200 else None)(items(stack, "c-")), 240)  # functional, not a timing test
    assert got and sorted(got) == ids
    assert {v["receiveCount"] for v in got.values()} == {"1"}  # none delivered twice


def test_route_throttling_429_beyond_rate(stack):
    # POST /limited: stage route_settings rate 1 rps, burst 2.
    codes = [post(stack, "/limited", {"id": f"t-{i}"}) for i in range(5)]
    assert [c for c, _ in codes[:2]] == [200, 200]
    assert [c for c, _ in codes[2:]] == [429, 429, 429]
    assert codes[2][1] == {"message": "Too Many Requests"}
    time.sleep(1.1)
    assert post(stack, "/limited", {"id": "t-later"})[0] == 200
