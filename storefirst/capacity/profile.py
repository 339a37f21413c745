"""Traffic profile (YAML): what arrives, how big it is and what each record costs the worker.

The minimal profile is `phases: [{duration_s: 600, rps: 10000}, {duration_s: 3600, rps: 20}]`;
everything else has a default. A phase may ramp (`rps` -> `rps_to`, linear) or follow a
diurnal sine (`diurnal: {peak_rps, trough_rps, period_s}`). A phase may also set its own
`record_ms`, the worker's time per record while that phase's traffic arrives (a downstream that
slows under the spike); outside such phases, and after the last one, the profile's applies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import yaml


class ProfileError(ValueError):
    pass


@dataclass
class TableUse:
    """What one processed record does to one table (matched by a substring of its name)."""

    table: str
    writes_per_record: float = 1.0
    reads_per_record: float = 0.0


@dataclass
class Profile:
    phases: list[dict[str, Any]]
    route: str = "POST /webhook"
    payload_bytes: int = 1024
    item_kb: float = 1.0  # size of each item written (WRU per write = ceil)
    record_ms: float = 50.0  # worker (and coupled function) time per record
    invoke_overhead_ms: float = 0.0  # per invocation on top of the records (poll, hand-off)
    invalid_share: float = 0.0  # records the worker dead-letters at once
    tables: list[TableUse] = field(default_factory=lambda: [TableUse("users", 1.0), TableUse("idempotency", 2.0)])
    account_rps: float = 10000.0  # API Gateway account throttle (rate, burst)
    account_burst: float = 5000.0
    account_concurrency: int = 1000  # Lambda concurrent executions per Region
    other_concurrency: int = 0  # used by the account's other functions
    table_previous_peak_wru: float | None = None  # None: a new on-demand table
    table_max_wru: float = 40000.0
    horizon_s: int | None = None  # stop after this even if the queue is not drained
    name: str = "profile"

    @property
    def duration_s(self) -> int:
        return int(sum(p["duration_s"] for p in self.phases))

    @property
    def slowest_record_ms(self) -> float:
        return max([self.record_ms] + [float(p["record_ms"]) for p in self.phases if "record_ms" in p])

    def record_seconds(self) -> np.ndarray:
        """The worker's time per record (s) in each second of the profile: the phase's record_ms
        where it sets one, else the profile's."""
        parts = [np.full(int(p["duration_s"]), float(p.get("record_ms", self.record_ms)) / 1000.0) for p in self.phases]
        return np.concatenate(parts) if parts else np.zeros(0)

    def arrivals(self) -> np.ndarray:
        """Requests offered in each second of the profile (float; deterministic)."""
        parts = []
        for p in self.phases:
            n = int(p["duration_s"])
            t = np.arange(n, dtype=float)
            if "diurnal" in p:
                d = p["diurnal"]
                mid = (d["peak_rps"] + d["trough_rps"]) / 2
                amp = (d["peak_rps"] - d["trough_rps"]) / 2
                parts.append(mid - amp * np.cos(2 * math.pi * t / float(d.get("period_s", 86400))))
            elif "rps_to" in p:
                parts.append(p["rps"] + (p["rps_to"] - p["rps"]) * t / max(n, 1))
            else:
                parts.append(np.full(n, float(p["rps"])))
        return np.concatenate(parts) if parts else np.zeros(0)


_FIELDS = {f.name for f in fields(Profile)}


def _check_phase(i: int, p: Any) -> dict[str, Any]:
    if not isinstance(p, dict):
        raise ProfileError(f"phases[{i}] must be a mapping like {{duration_s: 600, rps: 100}}")
    if not isinstance(p.get("duration_s"), (int, float)) or p["duration_s"] <= 0:
        raise ProfileError(f"phases[{i}].duration_s must be a positive number of seconds")
    if "diurnal" in p:
        d = p["diurnal"]
        if not isinstance(d, dict) or not {"peak_rps", "trough_rps"} <= set(d):
            raise ProfileError(f"phases[{i}].diurnal needs peak_rps and trough_rps")
    elif not isinstance(p.get("rps"), (int, float)) or p["rps"] < 0:
        raise ProfileError(f"phases[{i}].rps must be a number >= 0")
    if "record_ms" in p and (not isinstance(p["record_ms"], (int, float)) or p["record_ms"] <= 0):
        raise ProfileError(f"phases[{i}].record_ms must be a number of milliseconds > 0")
    if int(p["duration_s"]) != p["duration_s"]:
        raise ProfileError(f"phases[{i}].duration_s must be whole seconds (1 s resolution)")
    return p


def from_dict(raw: Any, name: str = "profile") -> Profile:
    if not isinstance(raw, dict) or not isinstance(raw.get("phases"), list) or not raw["phases"]:
        raise ProfileError("a profile needs `phases: [{duration_s: 600, rps: 10000}, ...]`")
    unknown = set(raw) - _FIELDS
    if unknown:
        raise ProfileError(f"unknown profile key {sorted(unknown)[0]!r}; known: {sorted(_FIELDS)}")
    kw = dict(raw)
    kw["phases"] = [_check_phase(i, p) for i, p in enumerate(raw["phases"])]
    if "tables" in kw:
        if not isinstance(kw["tables"], list):
            raise ProfileError("tables is a list of {table, writes_per_record, reads_per_record}")
        kw["tables"] = [TableUse(**t) for t in kw["tables"]]
    if not 0 <= float(kw.get("invalid_share", 0)) <= 1:
        raise ProfileError("invalid_share is a fraction between 0 and 1")
    if float(kw.get("record_ms", 50)) <= 0:
        raise ProfileError("record_ms must be > 0")
    kw.setdefault("name", name)
    return Profile(**kw)


def load(path: str | Path) -> Profile:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise ProfileError(f"cannot read profile {path}: {exc.strerror}") from None
    return from_dict(raw, name=path.stem)
