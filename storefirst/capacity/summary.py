"""The figures a user reads (and CI gates on) from a simulated run."""

from __future__ import annotations

import numpy as np

from . import alarms, cost
from .envplan import EnvModel
from .profile import Profile
from .simulate import Run


def _r(x: float) -> float:
    return float(round(float(x), 1))


def decoupled(run: Run, env: EnvModel, prof: Profile, prices: dict) -> dict:
    s, t = run.series, run.totals
    age, depth = s["oldest_age"], s["depth"]
    q = env.queue
    peak_age_i = int(np.argmax(age)) if len(age) else 0
    drained = t["drained_at_s"]
    c = cost.decoupled(run, env, prof, prices)
    return {
        "offered": _r(s["offered"].sum()),
        "accepted": _r(s["accepted"].sum()),
        "throttled": _r(s["throttled"].sum()),
        "dead_lettered": _r(t["dead_lettered"]),
        "lost": _r(t["lost"]),
        "peak_depth": _r(depth.max(initial=0)),
        "peak_depth_at_s": int(np.argmax(depth)) if len(depth) else 0,
        "max_age_s": _r(age.max(initial=0)),
        "max_age_at_s": peak_age_i,
        "age_alarm_threshold_s": q.age_alarm.threshold if q.age_alarm else None,
        "age_alarm_fires_at_s": alarms.fires_at(
            age, q.age_alarm.threshold, q.age_alarm.period_s, q.age_alarm.evaluation_periods
        )
        if q.age_alarm
        else None,
        "depth_alarm_fires_at_s": alarms.fires_at(
            depth, q.depth_alarm.threshold, q.depth_alarm.period_s, q.depth_alarm.evaluation_periods
        )
        if q.depth_alarm
        else None,
        "retention_s": q.retention_s,
        "drained_at_s": drained,
        "drain_after_profile_s": None if drained is None else max(0, drained - prof.duration_s),
        "left_in_queue": _r(t["left_in_queue"]),
        "peak_concurrency": _r(s["concurrency"].max(initial=0)),
        "worker_failures": _r(t["worker_failures"]),
        "batch_timeouts": _r(t["batch_timeouts"]),
        "peak_wru_per_s": _r(s["wru"].max(initial=0)),
        "table_throttled_writes": _r(t["table_throttled_writes"]),
        "data_api_calls": _r(t["data_api_calls"]),
        "cost_usd": c["total"],
        "monthly_usd": c["monthly_at_average_rate"],
        "cost_breakdown_usd": c,
    }


def coupled(run: Run, env: EnvModel, prof: Profile, prices: dict) -> dict:
    s, t = run.series, run.totals
    c = cost.coupled(run, env, prof, prices)
    accepted = float(s["accepted"].sum())
    failed = float(s["failed"].sum())
    return {
        "offered": _r(s["offered"].sum()),
        "accepted": _r(accepted),
        "throttled": _r(s["throttled"].sum()),
        "failed": _r(failed),
        "failed_share": round(failed / accepted, 4) if accepted else 0.0,
        "lambda_throttled": _r(t["lambda_throttled"]),
        "table_failed": _r(t["table_failed"]),
        "seconds_with_failures": int((s["failed"] > 1e-9).sum()),
        "peak_concurrency_needed": _r(t["peak_needed"]),
        "peak_concurrency": _r(s["concurrency"].max(initial=0)),
        "peak_wru_per_s": _r(s["wru"].max(initial=0)),
        "table_throttled_writes": _r(s["table_throttled"].sum()),
        "cost_usd": c["total"],
        "monthly_usd": c["monthly_at_average_rate"],
        "cost_breakdown_usd": c,
    }
