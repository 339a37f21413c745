"""Lambda events and contexts shaped as AWS delivers them, for tests and benchmarks."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

REGION = "eu-west-1"
ACCOUNT = "123456789012"


@dataclass
class FakeLambdaContext:
    """The LambdaContext attributes Powertools reads."""

    function_name: str = "dev-webhook-worker"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:dev-webhook-worker"
    aws_request_id: str = "lambda-req-1"
    remaining_ms: int = 30_000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def string_attribute(value: str) -> dict:
    """A message attribute as the SQS event source mapping puts it in the event."""
    return {"stringValue": value, "stringListValues": [], "binaryListValues": [], "dataType": "String"}


def frame(body: str, route: str, headers: Mapping[str, str | None]) -> str:
    """The MessageBody modules/http-api's queue routes build (see webhook_frame.py)."""
    lines = [f"storefirst-frame/1 {route}"] + [f"{n}:{v or ''}" for n, v in headers.items()]
    return "\n".join(lines) + "\n\n" + body


def sqs_record(
    body: str,
    *,
    message_id: str | None = None,
    request_id: str | None = None,
    headers: dict[str, str] | None = None,
    sent_ms: int | None = None,
    receive_count: int = 1,
    queue_arn: str = f"arn:aws:sqs:{REGION}:{ACCOUNT}:webhook",
    route: str | None = "POST /webhook",
) -> dict:
    """One record of an SQS event, for a message an HTTP API SQS-SendMessage integration sent:
    body = the frame (route, forwarded headers, request body; route=None: the bare body, as a
    producer calling SendMessage itself sends it); attribute `requestId`."""
    sent_ms = sent_ms if sent_ms is not None else int(time.time() * 1000) - 20
    attrs = {"requestId": string_attribute(request_id or f"req-{uuid.uuid4().hex[:12]}")}
    if route is not None:
        body = frame(body, route, headers or {})
    return {
        "messageId": message_id or str(uuid.uuid4()),
        "receiptHandle": "AQEB" + uuid.uuid4().hex,
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": str(receive_count),
            "SentTimestamp": str(sent_ms),
            "SenderId": "AROAEXAMPLE:apigateway",
            "ApproximateFirstReceiveTimestamp": str(sent_ms + 5),
        },
        "messageAttributes": attrs,
        "md5OfMessageAttributes": hashlib.md5(repr(sorted(attrs)).encode()).hexdigest(),
        "md5OfBody": hashlib.md5(body.encode()).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }
