"""The report: one dict (written as JSON) and its text rendering."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROWS = (  # (label, decoupled key, coupled key)
    ("requests offered", "offered", "offered"),
    ("accepted by the API", "accepted", "accepted"),
    ("throttled at the API (429)", "throttled", "throttled"),
    ("failed after acceptance", "worker_failures", "failed"),
    ("dead-lettered", "dead_lettered", None),
    ("lost (expired past retention)", "lost", None),
    ("peak queue depth", "peak_depth", None),
    ("peak oldest message age (s)", "max_age_s", None),
    ("age alarm fires at (s)", "age_alarm_fires_at_s", None),
    ("drained at (s)", "drained_at_s", None),
    ("peak concurrency", "peak_concurrency", "peak_concurrency"),
    ("concurrency needed", None, "peak_concurrency_needed"),
    ("peak WRU/s (all tables)", "peak_wru_per_s", "peak_wru_per_s"),
    ("throttled table writes", "table_throttled_writes", "table_throttled_writes"),
    ("cost of the profile (USD)", "cost_usd", "cost_usd"),
    ("monthly at the average rate (USD)", "monthly_usd", "monthly_usd"),
)


def build(env, prof, overrides, dec: dict, cpl: dict, advice: list, prices: dict, run_time_s: float) -> dict[str, Any]:
    return {
        "env": env.env,
        "region": env.region,
        "route": env.route,
        "profile": {
            "name": prof.name,
            "duration_s": prof.duration_s,
            "phases": prof.phases,
            "record_ms": prof.record_ms,
            "payload_bytes": prof.payload_bytes,
            "invalid_share": prof.invalid_share,
            "tables": [asdict(t) for t in prof.tables],
        },
        "settings": {
            "route_throttle": {
                "rate": overrides.get("route_rate", env.route_throttle.rate),
                "burst": overrides.get("route_burst", env.route_throttle.burst),
                "from": env.throttle_source,
            },
            "queue": {**asdict(env.queue), "retention_s": overrides.get("retention_s", env.queue.retention_s)},
            "esm": {
                **asdict(env.esm),
                "maximum_concurrency": overrides.get("maximum_concurrency", env.esm.maximum_concurrency),
            },
            "worker": asdict(env.worker),
            "tables": [asdict(env.table(t.table)) for t in prof.tables],
            "data_api_throttle": asdict(env.data_api_throttle) if env.data_api_throttle else None,
            "overrides": overrides,
        },
        "decoupled": dec,
        "coupled": cpl,
        "advice": advice,
        "prices": {"as_of": prices.get("as_of"), "region": prices.get("region")},
        "model": {"resolution_s": 1, "run_time_s": round(run_time_s, 3)},
    }


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.2f}" if abs(v) < 100 and v != int(v) else f"{v:,.0f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def text(rep: dict[str, Any]) -> str:
    s = rep["settings"]
    lines = [
        f"capacity plan: {rep['env']} {rep['route']}, profile {rep['profile']['name']} "
        f"({rep['profile']['duration_s']} s, record {rep['profile']['record_ms']} ms)",
        f"  route throttle {s['route_throttle']['rate']:g} rps / burst {s['route_throttle']['burst']:g}"
        f" ({s['route_throttle']['from']}); "
        f"queue retention {s['queue']['retention_s']} s, visibility {s['queue']['visibility_s']} s, maxReceiveCount "
        f"{s['queue']['max_receive_count']}, age alarm {s['queue']['age_alarm']['threshold']:g} s; "
        f"mapping batch {s['esm']['batch_size']}, window {s['esm']['window_s']} s, maximum_concurrency "
        f"{s['esm']['maximum_concurrency']}; worker {s['worker']['memory_mb']} MB / {s['worker']['timeout_s']} s"
        + (f"; data API throttle {s['data_api_throttle']['rate']:g} rps" if s["data_api_throttle"] else ""),
    ]
    if s["overrides"]:
        lines.append(f"  what-if overrides: {s['overrides']}")
    lines.append("")
    lines.append(f"  {'':36} {'decoupled (API->SQS->worker)':>30} {'coupled (API->Lambda->table)':>30}")
    for label, dk, ck in ROWS:
        dv = rep["decoupled"].get(dk) if dk else None
        cv = rep["coupled"].get(ck) if ck else None
        lines.append(f"  {label:36} {_fmt(dv):>30} {_fmt(cv):>30}")
    lines.append("")
    lines.append("advice (computed by re-running the model):")
    lines += [f"  - {a['text']}" for a in rep["advice"]]
    prices = rep["prices"]
    lines.append(f"\nmodel run time {rep['model']['run_time_s']} s; prices {prices['region']} as of {prices['as_of']}")
    return "\n".join(lines)


def write_json(rep: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rep, indent=2, sort_keys=True, default=float) + "\n")
    return path
