"""Ship local log lines into the emulator's CloudWatch Logs groups that Terraform created.

Why: in AWS a stage's access log and a function's stdout land in CloudWatch Logs, and that is
where an operator follows one request (issue 6). The local gateway and runtime write to the
same groups (the stage's `AccessLogSettings` destination, `/aws/lambda/<function>`), so
`logs filter_log_events` against the emulator finds them as it would in AWS.

A background thread batches lines (PutLogEvents takes up to 10,000 events per call, "PutLogEvents"
in the CloudWatch Logs API reference) so request latency does not include a logs round trip.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

log = logging.getLogger("storefirst.local.cwlogs")

_CTX = re.compile(r"\$context\.([A-Za-z0-9_.]+)")


def group_of(destination_arn: str) -> str:
    """Log group name of an access log destination ARN (`...:log-group:<name>[:*]`)."""
    name = destination_arn.split(":log-group:", 1)[-1]
    return name[:-2] if name.endswith(":*") else name


def render_access_log(fmt: str, values: dict[str, Any]) -> str:
    """Render an access log format: each `$context.x` becomes its value, "-" when absent
    (API Gateway writes "-" for variables without a value). Inside a JSON format the value
    is JSON-escaped so it cannot break the string it sits in."""
    is_json = fmt.lstrip().startswith("{")

    def sub(m: re.Match) -> str:
        val = values.get(m.group(1))
        text = "-" if val is None or val == "" else str(val)
        return json.dumps(text)[1:-1] if is_json else text

    return _CTX.sub(sub, fmt)


class LogShipper:
    def __init__(self, logs_client: Callable[[], Any], flush_seconds: float = 0.2):
        self._client_factory = logs_client
        self._q: queue.Queue = queue.Queue()
        self._streams: dict[str, str] = {}
        self._flush = flush_seconds
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._t = threading.Thread(target=self._run, name="cwlogs", daemon=True)
        self._t.start()

    def put(self, group: str, message: str, stream_prefix: str = "local") -> None:
        self._idle.clear()
        self._q.put((group, stream_prefix, int(time.time() * 1000), message))

    def _stream(self, client: Any, group: str, prefix: str) -> str:
        key = f"{group}\0{prefix}"
        if key not in self._streams:
            name = f"{time.strftime('%Y/%m/%d')}/{prefix}/{uuid.uuid4().hex[:12]}"
            client.create_log_stream(logGroupName=group, logStreamName=name)
            self._streams[key] = name
        return self._streams[key]

    def _run(self) -> None:
        client = None
        while not self._stop.is_set() or not self._q.empty():
            batch: dict[tuple[str, str], list[dict[str, Any]]] = {}
            try:
                item = self._q.get(timeout=self._flush)
            except queue.Empty:
                self._idle.set()
                continue
            items = [item]
            while len(items) < 5000:
                try:
                    items.append(self._q.get_nowait())
                except queue.Empty:
                    break
            for group, prefix, ts, msg in items:
                batch.setdefault((group, prefix), []).append({"timestamp": ts, "message": msg})
            try:
                client = client or self._client_factory()
                for (group, prefix), events in batch.items():
                    try:
                        client.put_log_events(
                            logGroupName=group,
                            logStreamName=self._stream(client, group, prefix),
                            logEvents=sorted(events, key=lambda e: e["timestamp"]),
                        )
                    except Exception as exc:  # a group Terraform did not create: say so once per batch
                        log.warning("cannot write to log group %s: %s", group, exc)
            except Exception:
                log.exception("log shipping failed")
            if self._q.empty():
                self._idle.set()

    def drain(self, timeout: float = 5.0) -> bool:
        """Wait until everything put so far is written (tests use it before reading logs)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._q.empty() and self._idle.wait(0.05) and self._q.empty():
                return True
        return False

    def stop(self) -> None:
        self._stop.set()
        self._t.join(timeout=5)
