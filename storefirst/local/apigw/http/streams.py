"""HTTP API integration subtypes EventBridge-PutEvents and Kinesis-PutRecord ("Integration
subtype reference"), run against the emulator after the integration role was assumed.

- EventBridge-PutEvents: one entry from Detail, DetailType, Source, EventBusName (name or ARN;
  the default bus without it), Time, Resources; the role needs events:PutEvents on the bus.
  EventBridge answers HTTP 200 with {"Entries": [...], "FailedEntryCount": n} even when it
  refuses the entry (e.g. ErrorCode "MalformedDetail" for a Detail that is not JSON; PutEvents
  API reference), and the HTTP API passes that 200 to the client: a route cannot map it.
  Rules then deliver to their SQS targets only when the queue policy allows the rule
  (storefirst.local.events_delivery).
- Kinesis-PutRecord: StreamName, Data, PartitionKey (+ ExplicitHashKey,
  SequenceNumberForOrdering); the role needs kinesis:PutRecord on the stream, and
  kms:GenerateDataKey on the stream's customer managed key when it has one. Data: the mapped
  text's UTF-8 bytes are the record (how API Gateway encodes Data is not documented; a
  consumer that reads the record as the body's bytes is what this assumes).
A service refusal comes back as the service's status and JSON error, as API Gateway returns it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..core import Response

AMZ_JSON = "application/x-amz-json-1.1"


def _error(status: int, code: str, message: str) -> Response:
    return Response(status, json.dumps({"__type": code, "message": message}).encode(), {"Content-Type": AMZ_JSON})


def _client_error(exc: Exception) -> Response:
    resp = getattr(exc, "response", None) or {}
    err = resp.get("Error", {})
    return _error(
        resp.get("ResponseMetadata", {}).get("HTTPStatusCode", 400),
        err.get("Code", type(exc).__name__),
        err.get("Message", str(exc)),
    )


def bus_arn(name_or_arn: str | None, region: str, account: str) -> str:
    if name_or_arn and name_or_arn.startswith("arn:"):
        return name_or_arn
    return f"arn:aws:events:{region}:{account}:event-bus/{name_or_arn or 'default'}"


def put_events(
    client: Callable[[str], Any],
    allowed: Callable[[str, str, str], bool],
    role: str,
    p: dict[str, str],
    region: str,
    account: str,
) -> Response:
    arn = bus_arn(p.get("EventBusName"), region, account)
    if not allowed(role, "events:PutEvents", arn):
        return _error(
            400,
            "AccessDeniedException",
            f"User: {role} is not authorized to perform: events:PutEvents on resource: {arn}",
        )
    entry: dict[str, Any] = {k: p[k] for k in ("Source", "DetailType", "Detail") if k in p}
    entry["EventBusName"] = arn
    if p.get("Resources"):
        entry["Resources"] = [r.strip() for r in p["Resources"].split(",") if r.strip()]
    try:
        res = client("events").put_events(Entries=[entry])
    except Exception as exc:
        return _client_error(exc)
    doc = {"Entries": res.get("Entries", []), "FailedEntryCount": res.get("FailedEntryCount", 0)}
    return Response(200, json.dumps(doc).encode(), {"Content-Type": AMZ_JSON})


def put_record(
    client: Callable[[str], Any],
    allowed: Callable[[str, str, str], bool],
    key_denied: Callable[[str, str, str], str | None],
    role: str,
    p: dict[str, str],
    region: str,
    account: str,
) -> Response:
    name = p.get("StreamName", "")
    arn = f"arn:aws:kinesis:{region}:{account}:stream/{name}"
    if not allowed(role, "kinesis:PutRecord", arn):
        return _error(
            400,
            "AccessDeniedException",
            f"User: {role} is not authorized to perform: kinesis:PutRecord on resource: {arn}",
        )
    kinesis = client("kinesis")
    try:
        summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    except Exception as exc:
        return _client_error(exc)
    key = summary.get("KeyId") if summary.get("EncryptionType") == "KMS" else None
    if key and key != "alias/aws/kinesis":
        denied = key_denied(role, key, region)
        if denied:
            return _error(400, "KMSAccessDeniedException", denied)
    kw: dict[str, Any] = {
        "StreamName": name,
        "Data": p.get("Data", "").encode("utf-8"),
        "PartitionKey": p.get("PartitionKey", ""),
    }
    for k in ("ExplicitHashKey", "SequenceNumberForOrdering"):
        if p.get(k):
            kw[k] = p[k]
    try:
        res = kinesis.put_record(**kw)
    except Exception as exc:  # e.g. an empty PartitionKey: ValidationException
        return _client_error(exc)
    doc = {k: res.get(k) for k in ("SequenceNumber", "ShardId", "EncryptionType") if res.get(k) is not None}
    return Response(200, json.dumps(doc).encode(), {"Content-Type": AMZ_JSON})
