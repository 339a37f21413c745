"""SQS event source mappings, run for real against the emulator.

Each enabled mapping read back with `ListEventSourceMappings` gets poller threads (as many as
its `ScalingConfig.MaximumConcurrency`, capped locally) that long-poll the queue, gather a batch
(`BatchSize`, `MaximumBatchingWindowInSeconds`), invoke the function with the event Lambda
builds and then delete what succeeded. Failed messages are *not* touched: they reappear after
the queue's own visibility timeout and go to the DLQ by the queue's own redrive policy, as with
Lambda ("Using Lambda with Amazon SQS" and "Handling errors for an SQS event source in Lambda"
in the Lambda developer guide).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .runtime import InvokeError, Runtimes

log = logging.getLogger("storefirst.local.esm")

# Locally a mapping never runs more than this many concurrent batches (2-core machines);
# MaximumConcurrency below it is honoured exactly.
LOCAL_CONCURRENCY_CAP = 4


def queue_url_from_arn(sqs: Any, arn: str) -> str:
    _, _, _, region, account, name = arn.split(":", 5)
    return sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]


def sqs_record(msg: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """One record of the SQS event, shaped like the example event in "Using Lambda with Amazon
    SQS" (Lambda developer guide): camelCase keys, attributes as strings, message attribute
    values as {stringValue|binaryValue, stringListValues, binaryListValues, dataType}."""
    attrs = {}
    for key in (
        "ApproximateReceiveCount",
        "SentTimestamp",
        "SenderId",
        "ApproximateFirstReceiveTimestamp",
        "SequenceNumber",
        "MessageGroupId",
        "MessageDeduplicationId",
        "AWSTraceHeader",
        "DeadLetterQueueSourceArn",
    ):
        if key in msg.get("Attributes", {}):
            attrs[key] = str(msg["Attributes"][key])
    mattrs = {}
    for name, val in (msg.get("MessageAttributes") or {}).items():
        out: dict[str, Any] = {"stringListValues": [], "binaryListValues": [], "dataType": val["DataType"]}
        if "StringValue" in val:
            out["stringValue"] = val["StringValue"]
        if "BinaryValue" in val:
            import base64

            raw = val["BinaryValue"]
            out["binaryValue"] = base64.b64encode(raw).decode() if isinstance(raw, bytes) else raw
        mattrs[name] = out
    rec = {
        "messageId": msg["MessageId"],
        "receiptHandle": msg["ReceiptHandle"],
        "body": msg["Body"],
        "attributes": attrs,
        "messageAttributes": mattrs,
        "md5OfBody": msg.get("MD5OfBody") or hashlib.md5(msg["Body"].encode()).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }
    if mattrs and msg.get("MD5OfMessageAttributes"):
        rec["md5OfMessageAttributes"] = msg["MD5OfMessageAttributes"]
    return rec


def succeeded(batch: list[dict[str, Any]], result: Any, report_failures: bool) -> list[dict[str, Any]]:
    """Messages to delete after a successful invocation.

    With ReportBatchItemFailures: everything except the listed itemIdentifiers; an empty or
    null list is full success; an itemIdentifier that is null, empty or not in the batch, or
    a malformed response, fails the whole batch ("Implementing partial batch responses").
    Without it: the whole batch.
    """
    if not report_failures:
        return batch
    if result is None or (isinstance(result, dict) and not result.get("batchItemFailures")):
        return batch
    if not isinstance(result, dict) or not isinstance(result.get("batchItemFailures"), list):
        return []  # not an SQSBatchResponse: an invalid response fails the whole batch
    ids = {m["MessageId"] for m in batch}
    failed = set()
    for item in result["batchItemFailures"]:
        ident = item.get("itemIdentifier") if isinstance(item, dict) else None
        if not ident or ident not in ids:
            return []
        failed.add(ident)
    return [m for m in batch if m["MessageId"] not in failed]


class BatchTiming(NamedTuple):
    """What one invocation slot spent on a batch (time.monotonic()): the receive asked at
    `asked`, had the batch at `received`, was done with it (deletes, or a failed invoke) at
    `done`."""

    asked: float
    received: float
    done: float
    records: int


@dataclass
class MappingStats:
    batches: int = 0
    records: int = 0
    deleted: int = 0
    failed_invocations: int = 0
    last_error: str | None = None
    batch_sizes: list[int] = field(default_factory=list)
    # The latest batches' timings (bounded: a local stack may run for days); the capacity
    # cross-check reads the local service time per batch from them.
    timings: deque[BatchTiming] = field(default_factory=lambda: deque(maxlen=10_000))


class SqsMappingRunner:
    def __init__(self, mapping: dict[str, Any], sqs: Any, runtimes: Runtimes, region: str, poll_wait_seconds: int = 1):
        self.mapping = mapping
        self.sqs = sqs
        self.runtimes = runtimes
        self.region = region
        self.queue_arn = mapping["EventSourceArn"]
        self.queue_url = queue_url_from_arn(sqs, self.queue_arn)
        self.batch_size = int(mapping.get("BatchSize") or 10)
        self.window = float(mapping.get("MaximumBatchingWindowInSeconds") or 0)
        max_conc = (mapping.get("ScalingConfig") or {}).get("MaximumConcurrency")
        self.concurrency = min(int(max_conc or LOCAL_CONCURRENCY_CAP), LOCAL_CONCURRENCY_CAP)
        self.report_failures = "ReportBatchItemFailures" in (mapping.get("FunctionResponseTypes") or [])
        self.poll_wait = poll_wait_seconds
        self.stats = MappingStats()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._stats_lock = threading.Lock()
        self._inflight: set[threading.Thread] = set()

    def start(self) -> SqsMappingRunner:
        fn = self.runtimes.get(self.mapping["FunctionArn"])  # fail early if the code is missing
        log.info(
            "mapping %s: %s -> %s (batch %d, window %.0fs, concurrency %d)",
            self.mapping["UUID"],
            self.queue_arn,
            fn.fn.name,
            self.batch_size,
            self.window,
            self.concurrency,
        )
        # One poller per mapping hands batches to at most `concurrency` concurrent invocations;
        # it only receives when an invocation slot is free, so no message waits in flight
        # unprocessed (its visibility timeout would otherwise run down).
        self._slots = threading.Semaphore(self.concurrency)
        t = threading.Thread(target=self._loop, name=f"esm-{self.mapping['UUID'][:8]}", daemon=True)
        t.start()
        self._threads.append(t)
        return self

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=self.poll_wait + 5)
        deadline = time.monotonic() + 10
        for t in list(self._inflight):
            t.join(timeout=max(0.1, deadline - time.monotonic()))

    def _receive(self, n: int, wait: int) -> list[dict[str, Any]]:
        return self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=min(10, n),
            WaitTimeSeconds=wait,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])

    def _gather(self) -> list[dict[str, Any]]:
        batch = self._receive(self.batch_size, self.poll_wait)
        if not batch:
            return batch
        # The batching window: keep gathering until the batch is full or the window ends
        # ("Batching behavior" in "Using Lambda with Amazon SQS"). With no window Lambda
        # invokes with what one poll returned (at most 10 per ReceiveMessage).
        end = time.monotonic() + self.window
        while len(batch) < self.batch_size and time.monotonic() < end and not self._stop.is_set():
            more = self._receive(self.batch_size - len(batch), 0)
            if not more:
                time.sleep(min(0.1, max(0.0, end - time.monotonic())))
            batch += more
        return batch

    def _loop(self) -> None:
        while not self._stop.is_set():
            if not self._slots.acquire(timeout=0.5):
                continue
            asked = time.monotonic()
            try:
                batch = self._gather()
            except Exception as exc:  # emulator stopping, transient errors
                self._slots.release()
                if self._stop.is_set():
                    return
                self.stats.last_error = repr(exc)
                time.sleep(0.5)
                continue
            if not batch:
                self._slots.release()
                continue
            t = threading.Thread(target=self._run, args=(batch, asked, time.monotonic()), daemon=True)
            self._inflight.add(t)
            t.start()

    def _run(self, batch: list[dict[str, Any]], asked: float, received: float) -> None:
        try:
            self.process(batch)
            self.stats.timings.append(BatchTiming(asked, received, time.monotonic(), len(batch)))
        except Exception as exc:
            self.stats.last_error = repr(exc)
            log.exception("processing a batch failed")
        finally:
            self._inflight.discard(threading.current_thread())
            self._slots.release()

    def process(self, batch: list[dict[str, Any]]) -> None:
        fn = self.runtimes.get(self.mapping["FunctionArn"])
        event = {"Records": [sqs_record(m, self.queue_arn, self.region) for m in batch]}
        with self._stats_lock:
            self.stats.batches += 1
            self.stats.records += len(batch)
            self.stats.batch_sizes.append(len(batch))
        try:
            result = fn.invoke(event)
        except InvokeError as exc:
            # Whole batch failed: leave it, visibility timeout + redrive policy take over.
            self.stats.failed_invocations += 1
            self.stats.last_error = exc.payload.get("errorMessage")
            log.warning("%s failed: %s", fn.fn.name, exc.payload.get("errorMessage"))
            return
        ok = succeeded(batch, result, self.report_failures)
        for i in range(0, len(ok), 10):
            chunk = ok[i : i + 10]
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(j), "ReceiptHandle": m["ReceiptHandle"]} for j, m in enumerate(chunk)],
            )
        with self._stats_lock:
            self.stats.deleted += len(ok)


class EsmManager:
    """Starts a runner for every enabled SQS mapping in the emulator."""

    def __init__(self, lambda_client: Any, sqs: Any, runtimes: Runtimes, region: str, poll_wait_seconds: int = 1):
        self.lam, self.sqs, self.runtimes, self.region = lambda_client, sqs, runtimes, region
        self.poll_wait = poll_wait_seconds
        self.runners: list[SqsMappingRunner] = []

    def start(self, only: set[str] | None = None) -> list[SqsMappingRunner]:
        """Run every enabled SQS mapping (or only the UUIDs in `only`)."""
        paginator = self.lam.get_paginator("list_event_source_mappings")
        for page in paginator.paginate():
            for m in page["EventSourceMappings"]:
                if only is not None and m["UUID"] not in only:
                    continue
                if m.get("State") not in ("Enabled", "Enabling", "Creating", None):
                    continue
                if not m.get("EventSourceArn", "").startswith("arn:aws:sqs:"):
                    log.warning("mapping %s: only SQS sources run locally (%s)", m["UUID"], m.get("EventSourceArn"))
                    continue
                self.runners.append(SqsMappingRunner(m, self.sqs, self.runtimes, self.region, self.poll_wait).start())
        return self.runners

    def stop(self) -> None:
        for r in self.runners:
            r._stop.set()
        for r in self.runners:
            r.stop()
