"""Messages S3 sends to the webhook queue for bodies stored by modules/claim-check.

The REST API writes each body to S3 as `<prefix><API Gateway request id>` with user metadata
`request-id`, `route` and the forwarded headers (x-amz-meta-*); S3 then sends the queue an
event notification ("Event message structure", S3 user guide):

    {"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                  "s3": {"bucket": {"name": ...}, "object": {"key": <URL-encoded>, "size": ...}}}]}

and, once, when the notification is configured, a test message
`{"Service": "Amazon S3", "Event": "s3:TestEvent", ...}` that carries no object.

The worker reads the object and hands it on as the frame a queue route would have sent
(route, forwarded headers, body), so signature checks, idempotency, dead-lettering and
metrics are the queued envelope's, and the request id is the correlation id.
"""

from __future__ import annotations

import json
import os
from typing import NamedTuple

import worker_clients
from webhook_frame import Frame
from worker_operations import MalformedMessage, PermanentError

OWN_METADATA = ("request-id", "route")
# The REST API refuses bodies over 10 MB (413 before S3 is called); anything bigger here was
# not written by the claim-check route.
MAX_BYTES = int(os.environ.get("CLAIM_CHECK_MAX_BYTES", str(10 * 1024 * 1024)))


class ClaimCheckMissing(PermanentError):
    """The object is gone (expired by the lifecycle rule, or deleted): nothing to retry."""

    kind = "ClaimCheckMissing"


class ClaimCheckTooLarge(PermanentError):
    kind = "ClaimCheckTooLarge"


class ClaimCheck(NamedTuple):  # cheaper to create at cold import than a frozen dataclass
    bucket: str
    key: str
    size: int


TEST_EVENT = "s3:TestEvent"


def parse(body: str) -> ClaimCheck | str | None:
    """A ClaimCheck, TEST_EVENT, or None when the body is not an S3 message (a queue route's frame)."""
    if not body.startswith("{") or '"' not in body[:64]:
        return None
    try:
        doc = json.loads(body)
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    if doc.get("Service") == "Amazon S3" and doc.get("Event") == TEST_EVENT:
        return TEST_EVENT
    records = doc.get("Records")
    if (
        not isinstance(records, list)
        or not records
        or not all(isinstance(r, dict) and r.get("eventSource") == "aws:s3" for r in records)
    ):
        return None
    if len(records) != 1:
        raise MalformedMessage(f"an S3 notification with {len(records)} records; expected one per message")
    rec = records[0]
    if not str(rec.get("eventName", "")).startswith("ObjectCreated:"):
        raise MalformedMessage(f"S3 event {rec.get('eventName')!r} is not an object creation")
    try:
        s3 = rec["s3"]
        # Keys are URL-encoded in S3 event messages (form encoding: '+' is a space).
        return ClaimCheck(s3["bucket"]["name"], _unquote_plus(s3["object"]["key"]), int(s3["object"].get("size", 0)))
    except (KeyError, TypeError, ValueError) as exc:
        raise MalformedMessage(f"S3 event without bucket/object: {exc}") from None


def fetch(claim: ClaimCheck) -> tuple[Frame, str | None]:
    """(frame of the stored request, its API Gateway request id)."""
    if claim.size > MAX_BYTES:
        raise ClaimCheckTooLarge(f"s3://{claim.bucket}/{claim.key} is {claim.size} bytes (limit {MAX_BYTES})")
    client = worker_clients.s3()
    try:
        obj = client.get_object(Bucket=claim.bucket, Key=claim.key)
    except client.exceptions.NoSuchKey:
        raise ClaimCheckMissing(f"s3://{claim.bucket}/{claim.key} no longer exists (expired or deleted)") from None
    raw = obj["Body"].read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ClaimCheckTooLarge(f"s3://{claim.bucket}/{claim.key} is over {MAX_BYTES} bytes")
    meta = {k.lower(): v for k, v in (obj.get("Metadata") or {}).items()}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedMessage(f"s3://{claim.bucket}/{claim.key} is not UTF-8 text") from None
    headers = {k: v for k, v in meta.items() if k not in OWN_METADATA}
    return Frame(body=text, route=meta.get("route") or None, headers=headers), meta.get("request-id") or None


def _unquote_plus(key: str) -> str:
    # S3 event keys are URL-encoded; imported here so queue-route cold starts don't pay for it.
    import urllib.parse

    return urllib.parse.unquote_plus(key)
