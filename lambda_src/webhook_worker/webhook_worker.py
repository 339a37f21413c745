"""Webhook worker: drains the queue an HTTP API writes to and applies each operation once.

Each SQS message body is a frame (webhook_frame.py): the route key, the forwarded headers
(such as `X-Idempotency-Key` or a signature header) and the client's raw body, the agnostic
envelope `{"operation": "<name>", "data": {...}, "idempotency_key": "<optional>"}`. The only
message attribute is the API request id (`requestId`). Routes configured in
WEBHOOK_SIGNATURES are verified first (webhook_signature.py). See README.md for the
poison-message, signature and idempotency design.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections import Counter

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)

import webhook_frame
import worker_clients
import worker_users  # noqa: F401  (registers the user operations)
from worker_operations import MalformedMessage, OperationContext, PermanentError, lookup

logger = Logger()  # service name from POWERTOOLS_SERVICE_NAME
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "storefirst"))
processor = BatchProcessor(event_type=EventType.SQS)

# Message attribute names of the request id, compared case-insensitively.
REQUEST_ID_ATTRIBUTES = ("requestid", "request-id", "x-request-id")
# Forwarded header names (in the frame) that carry the caller's idempotency key.
IDEMPOTENCY_KEY_HEADERS = ("X-Idempotency-Key", "Idempotency-Key", "X-GitHub-Delivery")
IDEMPOTENCY_KEY_MAX = 256

# Outcome of a record -> the EMF metric counting it. Every record lands in exactly one of
# Processed / Duplicate / Failed; DeadLettered is the part of Failed sent to the DLQ.
OUTCOME_METRICS = {
    "processed": "ProcessedRecords",
    "duplicate": "DuplicateRecords",
    "failed": "FailedRecords",
    "dead_lettered": "DeadLetteredRecords",
}
# Part of DeadLettered: refused because the route's signature was missing or wrong.
SIGNATURE_METRIC = "SignatureRejectedRecords"
LAG_METRIC = "RecordLag"
_counts: Counter = Counter()


class IdempotencyKeyReused(PermanentError):
    kind = "IdempotencyKeyReused"


def _mark_duplicate(response, _record):
    """Powertools calls this only when it returns a stored result instead of running."""
    return {**(response or {}), "duplicate": True}


IDEMPOTENCY_CONFIG = IdempotencyConfig(
    event_key_jmespath="key",
    # Same caller key with another payload is a client bug: refused, not silently deduped.
    payload_validation_jmespath="payload",
    raise_on_no_idempotency_key=True,
    # Longer than any redelivery (maxReceiveCount x visibility timeout) and typical webhook
    # sender retry windows; records expire through the table's TTL on `expiration`.
    expires_after_seconds=int(os.environ.get("IDEMPOTENCY_TTL_SECONDS", "86400")),
    response_hook=_mark_duplicate,
)


def _apply(request: dict, ctx: OperationContext) -> dict:
    payload = request["payload"]
    return lookup(payload["operation"]).handler(payload["data"], ctx)


@functools.cache
def _idempotent_apply():
    """Built on first use: the persistence layer creates a DynamoDB client."""
    table = os.environ.get("IDEMPOTENCY_TABLE")
    if not table:
        raise RuntimeError("IDEMPOTENCY_TABLE is not set; refusing to process without idempotency")
    store = DynamoDBPersistenceLayer(table_name=table, boto3_client=worker_clients.dynamodb())
    return idempotent_function(
        _apply, data_keyword_argument="request", persistence_store=store, config=IDEMPOTENCY_CONFIG
    )


def reset() -> None:
    """Forget clients and stores (tests, or after changing the environment)."""
    if "webhook_signature" in sys.modules:
        sys.modules["webhook_signature"].config.cache_clear()
    worker_clients.reset()
    worker_users.store.cache_clear()
    _idempotent_apply.cache_clear()


def _attribute(raw: dict, names: tuple[str, ...]) -> str | None:
    for name, attr in (raw.get("messageAttributes") or {}).items():
        if name.lower() in names and attr.get("stringValue"):
            return attr["stringValue"]
    return None


def _frame(raw: dict) -> webhook_frame.Frame:
    try:
        return webhook_frame.decode(raw["body"])
    except webhook_frame.FrameError as exc:
        raise MalformedMessage(f"message body is not a valid frame: {exc}") from None


def _signatures():
    """The verifier, loaded only where a route is signed: unsigned workers skip its cold import."""
    if not os.environ.get("WEBHOOK_SIGNATURES"):
        return None
    import webhook_signature

    return webhook_signature


def _parse(frame: webhook_frame.Frame) -> tuple[dict, str | None]:
    """(envelope, caller idempotency key) or MalformedMessage / SignatureInvalid."""
    signatures = _signatures()
    if signatures and signatures.verify(frame.route, frame.header, frame.body):
        logger.append_keys(signature="verified")
    try:
        envelope = json.loads(frame.body)
    except (TypeError, ValueError) as exc:
        raise MalformedMessage(f"body is not JSON: {exc}") from None
    if not isinstance(envelope, dict):
        raise MalformedMessage('body must be a JSON object {"operation": ..., "data": {...}}')
    if not isinstance(envelope.get("operation"), str) or not envelope["operation"]:
        raise MalformedMessage('envelope needs a non-empty string "operation"')
    if "data" not in envelope:
        raise MalformedMessage('envelope needs "data"')
    key = next((frame.header(h) for h in IDEMPOTENCY_KEY_HEADERS if frame.header(h)), None) or envelope.get(
        "idempotency_key"
    )
    if key is not None and (not isinstance(key, str) or not 0 < len(key) <= IDEMPOTENCY_KEY_MAX):
        raise MalformedMessage(f"idempotency key must be a string of 1-{IDEMPOTENCY_KEY_MAX} characters")
    return envelope, key


def _idempotency_key(caller_key: str | None, payload: dict, raw: dict) -> tuple[object, str]:
    """(key Powertools hashes, where it came from). Namespaced so sources cannot collide."""
    if caller_key:
        return f"caller:{caller_key}", "caller"
    if os.environ.get("IDEMPOTENCY_FALLBACK_KEY", "payload") == "message-id":
        return f"message:{raw['messageId']}", "message-id"
    # Default: the canonical payload (validated data, keys sorted by Powertools' hashing), so
    # an SQS redelivery AND a blind client retry of the same request both apply once.
    return payload, "payload"


def _process(raw: dict, request_id: str) -> str:
    # A body stored by the claim-check route arrives as S3's notification: read the object,
    # then handle it like a queued frame, correlated by the request id stored with it.
    # API routes write frames ("storefirst-frame/1 ..."), never JSON, so a queue fed only by
    # routes never loads the claim-check reader (its cold import is skipped).
    claim = None
    if raw["body"].startswith("{"):
        import worker_claim_check

        claim = worker_claim_check.parse(raw["body"])
        if claim == worker_claim_check.TEST_EVENT:
            logger.info("S3 test event acknowledged (sent once when the bucket notification is configured)")
            return "processed"
    if claim is not None:
        frame, stored_request_id = worker_claim_check.fetch(claim)  # type: ignore[arg-type]
        if stored_request_id:
            request_id = stored_request_id
            logger.set_correlation_id(request_id)
        logger.append_keys(claim_check=f"s3://{claim.bucket}/{claim.key}")  # type: ignore[union-attr]
    else:
        frame = _frame(raw)
    envelope, caller_key = _parse(frame)
    op = lookup(envelope["operation"])
    logger.append_keys(operation=op.name)
    payload = {"operation": op.name, "data": op.validator(envelope["data"])}
    key, source = _idempotency_key(caller_key, payload, raw)
    logger.append_keys(idempotency_key_source=source)
    ctx = OperationContext(request_id=request_id, message_id=raw["messageId"])
    try:
        result = _idempotent_apply()(request={"key": key, "payload": payload}, ctx=ctx)
    except IdempotencyValidationError:
        raise IdempotencyKeyReused("idempotency key already used for a different payload") from None
    return "duplicate" if result.get("duplicate") else "processed"


def _dead_letter(raw: dict, exc: PermanentError) -> None:
    """Send to the DLQ now, or (no DLQ_URL) fail the record so redrive takes it there."""
    dlq_url = os.environ.get("DLQ_URL")
    fields = {"failure_type": exc.kind, "reason": exc.reason}
    if not dlq_url:
        logger.error("Permanent failure; reported for redrive to the DLQ (DLQ_URL not set)", extra=fields)
        raise exc
    import worker_dead_letter  # failure path only: the happy path skips its cold import

    try:
        dropped = worker_dead_letter.send_to_dlq(worker_clients.sqs(), dlq_url, raw, exc.kind, exc.reason)
    except Exception:
        logger.exception("Permanent failure, and sending to the DLQ failed; SQS will redeliver", extra=fields)
        raise
    logger.error("Permanent failure; sent to the DLQ", extra={**fields, "dropped_attributes": dropped})


def record_handler(record) -> None:
    raw = record.raw_event
    request_id = _attribute(raw, REQUEST_ID_ATTRIBUTES) or raw["messageId"]
    logger.set_correlation_id(request_id)
    attributes = raw.get("attributes") or {}
    outcome = "failed"
    with logger.append_context_keys(
        message_id=raw["messageId"], receive_count=attributes.get("ApproximateReceiveCount")
    ):
        try:
            try:
                outcome = _process(raw, request_id)
            except PermanentError as exc:
                _dead_letter(raw, exc)
                outcome = "dead_lettered"
                if exc.kind == "SignatureInvalid":
                    _counts["signature_rejected"] += 1
            except IdempotencyAlreadyInProgressError:
                logger.warning("Another delivery of this message is in progress; SQS will redeliver")
                raise
            except Exception:
                logger.exception("Transient failure; SQS will redeliver")
                raise
        finally:
            _counts[outcome] += 1
            if outcome == "dead_lettered":
                _counts["failed"] += 1
            # End-to-end lag: sent to the queue -> done here (queue wait + batch + processing).
            sent = attributes.get("SentTimestamp")
            lag_ms = max(0, int(time.time() * 1000) - int(sent)) if sent else None
            if lag_ms is not None:
                metrics.add_metric(name=LAG_METRIC, unit=MetricUnit.Milliseconds, value=lag_ms)
            if outcome in ("processed", "duplicate"):
                logger.info(
                    "Duplicate skipped" if outcome == "duplicate" else "Record processed", extra={"lag_ms": lag_ms}
                )
            logger.remove_keys(["operation", "idempotency_key_source", "signature", "claim_check"])


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def handler(event, context):
    IDEMPOTENCY_CONFIG.register_lambda_context(context)
    _counts.clear()
    try:
        return process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )
    finally:
        # Zeros too: an idle or healthy worker still reports, so alarms see data, not gaps.
        for outcome, name in OUTCOME_METRICS.items():
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=_counts[outcome])
        metrics.add_metric(name=SIGNATURE_METRIC, unit=MetricUnit.Count, value=_counts["signature_rejected"])
        logger.set_correlation_id(None)


# Init phase: read the signature secrets once per execution environment (cached by
# function_secrets), so a missing grant or secret fails the init instead of every record.
# A secret that is not readable yet (value not set) must not stop the unsigned routes: the
# error is logged and signed messages fail transiently (retried, then redriven) until it is.
_init_signatures = _signatures()
if _init_signatures:
    try:
        _init_signatures.preload()
    except Exception:
        logger.exception("Could not read the webhook signing secrets at init; signed routes will be retried")
