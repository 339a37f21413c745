"""Send a poison message straight to the DLQ, with why it failed.

The body is copied unchanged, so a DLQ redrive (StartMessageMoveTask with the source queue
as DestinationArn) replays exactly what the client sent. The original message attributes
are copied (converted from Lambda's event shape to SendMessage's) and three are added:
`failure-type`, `failure-reason`, `source-message-id`. SQS allows 10 attributes per
message ("Amazon SQS message attributes" page): the added ones and `requestId` win, other
originals are kept in order until the limit and the dropped names are returned.
"""

from __future__ import annotations

import base64
import re

MAX_ATTRIBUTES = 10
REASON_MAX = 1024
# Characters SQS refuses in attribute values (outside XML 1.0's Char production) become "?".
# Written as the small excluded set: the complement class costs ~4 ms to compile at import.
INVALID_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _send_shape(attr: dict) -> dict:
    data_type = attr.get("dataType", "String")
    if data_type.startswith("Binary"):
        return {"DataType": data_type, "BinaryValue": base64.b64decode(attr.get("binaryValue") or "")}
    return {"DataType": data_type, "StringValue": attr.get("stringValue") or ""}


def dead_letter_attributes(record: dict, failure_type: str, reason: str) -> tuple[dict, list[str]]:
    """(MessageAttributes for SendMessage, names of original attributes that did not fit)."""
    out = {
        "failure-type": {"DataType": "String", "StringValue": failure_type},
        "failure-reason": {"DataType": "String", "StringValue": INVALID_CHARS.sub("?", reason[:REASON_MAX]) or "-"},
        "source-message-id": {"DataType": "String", "StringValue": record["messageId"]},
    }
    original = record.get("messageAttributes") or {}
    names = sorted(original, key=lambda n: n != "requestId")  # requestId first, others stable
    dropped = []
    for name in names:
        if name in out:
            continue  # a replayed dead letter: the new failure wins
        if len(out) >= MAX_ATTRIBUTES:
            dropped.append(name)
            continue
        out[name] = _send_shape(original[name])
    return out, dropped


def send_to_dlq(sqs, queue_url: str, record: dict, failure_type: str, reason: str) -> list[str]:
    """SendMessage to the DLQ; raises on failure (the caller then lets SQS retry it)."""
    attributes, dropped = dead_letter_attributes(record, failure_type, reason)
    params = {"QueueUrl": queue_url, "MessageBody": record["body"], "MessageAttributes": attributes}
    group = (record.get("attributes") or {}).get("MessageGroupId")
    if group:  # FIFO source => FIFO DLQ, which requires a group and a deduplication id
        params["MessageGroupId"] = group
        params["MessageDeduplicationId"] = record["messageId"]
    sqs.send_message(**params)
    return dropped
