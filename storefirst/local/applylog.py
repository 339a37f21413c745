"""Read `terraform apply -json` as it streams: progress lines and each resource's timing.

Terraform's machine-readable UI (https://developer.hashicorp.com/terraform/internals/machine-readable-ui)
emits `planned_change` per resource, then `apply_start` / `apply_progress` / `apply_complete`
(or `apply_errored`) hooks per resource, and `diagnostic` messages. From them:
- `progress()` lines: resources done of total and what the apply is waiting on (printed at
  least every `every` seconds while anything runs, so no minute is silent);
- `timings`: when each resource started and finished, relative to the apply's start;
- `critical_path(deps)`: the chain that decided the apply's duration, walking back from the
  last resource to finish through the dependency that finished last (deps from the state).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_INDEX = re.compile(r"\[[^\]]*\]")


def config_address(addr: str) -> str:
    """module.a["x"].aws_b.c[0] -> module.a.aws_b.c (how the state's depends_on names it)."""
    return _INDEX.sub("", addr)


@dataclass
class ApplyLog:
    report: Callable[[str], None] | None = None
    every: float = 5.0
    t0: float = field(default_factory=time.monotonic)
    planned: set[str] = field(default_factory=set)
    started: dict[str, float] = field(default_factory=dict)
    finished: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    _last_report: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ---------------------------------------------------------------- input

    def feed(self, line: str) -> None:
        try:
            msg = json.loads(line)
        except ValueError:
            return
        now = time.monotonic() - self.t0
        kind = msg.get("type")
        hook = msg.get("hook") or {}
        addr = (hook.get("resource") or {}).get("addr")
        with self._lock:
            if addr and _is_data(addr):
                pass  # data sources are read while planning: not resources the apply makes
            elif kind == "planned_change":
                change = msg.get("change") or {}
                if change.get("action") not in (None, "noop", "read"):
                    self.planned.add(change["resource"]["addr"])
            elif kind == "apply_start" and addr:
                self.started.setdefault(addr, now)
                self.planned.add(addr)
            elif kind == "apply_complete" and addr:
                self.finished[addr] = now
            elif kind == "apply_errored" and addr:
                self.finished[addr] = now
                self.errors.append(f"{addr}: failed")
            elif kind == "diagnostic" and msg.get("@level") == "error":
                diag = msg.get("diagnostic") or {}
                self.errors.append(
                    f"{diag.get('address') or ''} {diag.get('summary', '')}: {diag.get('detail', '')}".strip()
                )
        self.tick()

    def tick(self) -> None:
        """Report progress if `every` seconds passed since the last report."""
        if self.report is None:
            return
        now = time.monotonic()
        if now - self._last_report >= self.every:
            self._last_report = now
            self.report(self.progress())

    def start_ticker(self) -> threading.Event:
        """A thread that reports even while terraform prints nothing; set() the event to stop."""
        stop = threading.Event()

        def run() -> None:
            while not stop.wait(1.0):
                self.tick()

        threading.Thread(target=run, daemon=True, name="apply-progress").start()
        return stop

    # ---------------------------------------------------------------- output

    def running(self) -> list[tuple[str, float]]:
        now = time.monotonic() - self.t0
        with self._lock:
            return sorted(
                ((a, now - s) for a, s in self.started.items() if a not in self.finished), key=lambda x: -x[1]
            )

    def progress(self) -> str:
        now = time.monotonic() - self.t0
        run = self.running()
        total = len(self.planned) or "?"
        head = f"  [{now:5.0f} s] {len(self.finished)}/{total} resources done"
        if not self.started:
            return f"  [{now:5.0f} s] init and plan (terraform computes what to create)"
        if not run:
            return head
        waits = ", ".join(f"{_short(a)} ({s:.0f} s)" for a, s in run[:3])
        more = f" +{len(run) - 3} more" if len(run) > 3 else ""
        return f"{head}; waiting on {waits}{more}"

    def durations(self) -> dict[str, float]:
        return {a: self.finished[a] - s for a, s in self.started.items() if a in self.finished}

    def critical_path(self, deps: dict[str, list[str]]) -> list[dict[str, Any]]:
        """[{address, start, end, seconds}] from the first link to the last-finishing resource.

        deps: instance address -> addresses it depends on (state `depends_on`, config form)."""
        if not self.finished:
            return []
        by_config: dict[str, list[str]] = {}
        for a in self.finished:
            by_config.setdefault(config_address(a), []).append(a)
        node = max(self.finished, key=self.finished.__getitem__)
        path: list[dict[str, Any]] = []
        seen: set[str] = set()
        while node and node not in seen:
            seen.add(node)
            path.append(
                {
                    "address": node,
                    "start": round(self.started.get(node, 0.0), 1),
                    "end": round(self.finished[node], 1),
                    "seconds": round(self.finished[node] - self.started.get(node, 0.0), 1),
                }
            )
            preds = [
                i
                for d in deps.get(node, [])
                for i in by_config.get(config_address(d), [])
                if i in self.finished and self.finished[i] <= self.started.get(node, 0.0) + 0.5
            ]
            node = max(preds, key=self.finished.__getitem__) if preds else None  # type: ignore[assignment]
        return list(reversed(path))


def _is_data(addr: str) -> bool:
    return addr.startswith("data.") or ".data." in addr


def _short(addr: str) -> str:
    """module.app.module.webhook_queue.aws_sqs_queue.dlq -> webhook_queue.aws_sqs_queue.dlq"""
    parts = addr.split(".")
    mods = [parts[i + 1] for i in range(0, len(parts) - 1) if parts[i] == "module"]
    tail = ".".join(p for i, p in enumerate(parts) if p != "module" and (i == 0 or parts[i - 1] != "module"))
    return ".".join(mods[-1:] + [tail])


def format_path(path: list[dict[str, Any]]) -> list[str]:
    return [f"  {p['start']:6.1f} -> {p['end']:6.1f} s  ({p['seconds']:5.1f} s)  {p['address']}" for p in path]
