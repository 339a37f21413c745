"""Advice computed by re-running the model, not canned text.

- the smallest `maximum_concurrency` (2-1,000, the ScalingConfig range) whose run keeps the
  oldest message under the age alarm threshold and loses nothing;
- the retention that loses nothing (peak oldest age with the 14-day SQS maximum);
- the route throttle that protects the table on the coupled path (largest rate with no failed
  request) and the largest route rate the decoupled path takes with lost = 0 and the age
  under its alarm threshold.
Each search is a bisection over a monotone quantity; every probe is a full simulation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from . import dynamodb, simulate
from .envplan import EnvModel
from .profile import Profile

RETENTION_MAX = 1_209_600  # 14 days (quotas-messages.html)


def _bisect(lo: int, hi: int, ok: Callable[[int], bool], smallest: bool = True) -> int | None:
    """Smallest (or largest) integer in [lo, hi] for which ok holds, ok monotone."""
    if smallest:
        if not ok(hi):
            return None
        while lo < hi:
            mid = (lo + hi) // 2
            if ok(mid):
                hi = mid
            else:
                lo = mid + 1
        return lo
    if not ok(lo):
        return None
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def downstream_concurrency(env: EnvModel, prof: Profile) -> tuple[int, str]:
    """Most concurrent workers whose writes the data API and the tables take without throttling."""
    rec_s = prof.record_ms / 1000.0
    limits = []
    if env.data_api_throttle is not None:
        limits.append((env.data_api_throttle.rate, f"the data API's {env.data_api_throttle.rate:g} rps stage throttle"))
    for use in prof.tables:
        cfg = env.table(use.table)
        wru = use.writes_per_record * math.ceil(prof.item_kb)
        if wru <= 0:
            continue
        # What the table takes at the start, as the simulation models it (provisioned: its WCU).
        cap = dynamodb.model(cfg.billing, cfg.wcu, prof.table_previous_peak_wru, prof.table_max_wru).capacity(0)
        limits.append((cap / wru, f"table {cfg.name} at {cap:g} WRU/s"))
    if not limits:
        return 1000, "the mapping's 1,000 maximum"
    rate, what = min(limits)
    return int(rate * rec_s), what


def compute(env: EnvModel, prof: Profile, overrides: dict[str, Any], dec_run: simulate.Run) -> list[dict[str, Any]]:
    out = []
    thr = env.queue.age_alarm.threshold
    # The slowest phase decides whether a batch outlives the function timeout.
    rec_s = (prof.slowest_record_ms + prof.invoke_overhead_ms / env.esm.batch_size) / 1000.0
    if env.esm.batch_size * rec_s > env.worker.timeout_s:
        fit = max(1, int(env.worker.timeout_s / rec_s))
        out.append(
            {
                "id": "batch_size",
                "value": fit,
                "current": env.esm.batch_size,
                "text": f"a batch of {env.esm.batch_size} takes {env.esm.batch_size * rec_s:.0f} s, longer than the "
                f"{env.worker.timeout_s} s function timeout: every batch times out and comes back; "
                f"batch_size <= {fit} fits (or raise the timeout and the visibility timeout with it)",
            }
        )
    base = dict(overrides)

    def healthy(run: simulate.Run) -> bool:
        return run.totals["lost"] <= 1e-9 and float(run.series["oldest_age"].max(initial=0)) < thr

    cur_mc = base.get("maximum_concurrency", env.esm.maximum_concurrency)
    # More concurrency is not always better: above what the downstream limits take, the extra
    # records fail and come back a visibility timeout later. Search below that level only.
    safe, binding = downstream_concurrency(env, prof)
    hi = max(2, min(1000, safe))
    if safe >= 1000:
        binding = "the mapping's 1,000 maximum"
    times_out = env.esm.batch_size * rec_s > env.worker.timeout_s
    mc = _bisect(2, hi, lambda m: healthy(simulate.decoupled(env, prof, **{**base, "maximum_concurrency": m})))
    if mc is None and times_out:
        out.append(
            {
                "id": "maximum_concurrency",
                "value": None,
                "current": cur_mc,
                "downstream_limit": hi,
                "text": "no maximum_concurrency helps while every batch times out (see batch_size above)",
            }
        )
    elif mc is None:
        out.append(
            {
                "id": "maximum_concurrency",
                "value": None,
                "current": cur_mc,
                "downstream_limit": hi,
                "text": f"no maximum_concurrency keeps the oldest message under {thr:.0f} s: the most that "
                f"helps is {hi} ({binding}); raise that limit or lower the route throttle",
            }
        )
    else:
        verdict = (
            "enough"
            if cur_mc is not None and mc <= cur_mc <= hi
            else ("above the downstream limit" if cur_mc and cur_mc > hi else "raise it")
        )
        out.append(
            {
                "id": "maximum_concurrency",
                "value": mc,
                "current": cur_mc,
                "downstream_limit": hi,
                "text": f"smallest maximum_concurrency keeping the oldest message under the {thr:.0f} s age alarm "
                f"and losing nothing: {mc} (now {cur_mc}: {verdict}; at most {hi} before {binding} throttles)",
            }
        )

    wide = simulate.decoupled(env, prof, **{**base, "retention_s": RETENTION_MAX})
    need = int(wide.series["oldest_age"].max(initial=0)) + 60  # a minute of margin
    cur_ret = base.get("retention_s", env.queue.retention_s)
    if wide.totals["lost"] > 1e-9 or need > RETENTION_MAX:
        out.append(
            {
                "id": "retention_s",
                "value": None,
                "current": cur_ret,
                "text": "even 14 days of retention loses messages: the worker cannot drain this profile",
            }
        )
    else:
        out.append(
            {
                "id": "retention_s",
                "value": need,
                "current": cur_ret,
                "text": f"retention needed to lose nothing: {need} s ({need / 3600:.1f} h); "
                f"now {cur_ret} s ({'enough' if cur_ret >= need else 'too short'})",
            }
        )

    peak = int(max(prof.arrivals().max(initial=0), 1))
    burst_ratio = env.route_throttle.burst / max(env.route_throttle.rate, 1e-9)

    def coupled_ok(r: float) -> bool:
        run = simulate.coupled(env, prof, route_rate=r, route_burst=r * burst_ratio)
        return float(run.series["failed"].sum()) <= 1e-6

    rate_c = _bisect(1, max(peak, int(env.route_throttle.rate)), coupled_ok, smallest=False)
    out.append(
        {
            "id": "coupled_route_throttle",
            "value": rate_c,
            "current": env.route_throttle.rate,
            "text": "coupled path: route throttle protecting the table and Lambda (no failed request): "
            + (f"{rate_c} rps" if rate_c else "none (fails even at 1 rps)"),
        }
    )

    def dec_ok(r: float) -> bool:
        return healthy(simulate.decoupled(env, prof, **{**base, "route_rate": r, "route_burst": r * burst_ratio}))

    rate_d = _bisect(1, max(peak, int(env.route_throttle.rate)), dec_ok, smallest=False)
    out.append(
        {
            "id": "decoupled_route_throttle",
            "value": rate_d,
            "current": base.get("route_rate", env.route_throttle.rate),
            "text": "decoupled path: largest route throttle with lost = 0 and the oldest message under "
            f"{thr:.0f} s: "
            + (f"{rate_d} rps" if rate_d else "none")
            + (" (the whole peak: no throttle needed for the queue)" if rate_d == peak else ""),
        }
    )
    return out
