"""Second-by-second simulation of one profile on one env: the storage-first path and the
coupled path (API -> Lambda -> table, synchronously), with the same API throttles and tables.

Worker (decoupled): each second the mapping runs `used = min(cap, ceil(visible x record_s))`
concurrent invocations and so takes at most used / record_s records (Little's law: a worker
busy for record_s per record). Records are dead-lettered by the worker at once when invalid
(webhook_worker sends permanent failures to the DLQ itself), fail as a whole batch when a batch
outlasts the function timeout, and fail when a downstream limit (the data API's stage throttle,
a table's capacity) refuses their writes: the worker reports them in batchItemFailures, so
they come back after the visibility timeout and reach the DLQ after maxReceiveCount receives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import apigw, dynamodb, esm, lambda_scaling, sqs
from .envplan import EnvModel
from .profile import Profile

SERIES = (
    "offered",
    "accepted",
    "throttled",
    "depth",
    "inflight",
    "oldest_age",
    "concurrency",
    "processed",
    "failed",
    "wru",
    "table_throttled",
)


@dataclass
class Run:
    """Per-second series (numpy arrays) and totals of one simulated design."""

    design: str
    series: dict[str, np.ndarray]
    # Floats, except drained_at_s: None when the queue still holds messages at the end.
    totals: dict[str, Any] = field(default_factory=dict)


def _table_models(env: EnvModel, prof: Profile):
    out = []
    for use in prof.tables:
        cfg = env.table(use.table)
        wru = use.writes_per_record * math.ceil(prof.item_kb)
        out.append(
            (cfg, use, wru, dynamodb.model(cfg.billing, cfg.wcu, prof.table_previous_peak_wru, prof.table_max_wru))
        )
    return out


def _horizon(env: EnvModel, prof: Profile) -> int:
    if prof.horizon_s is not None:
        return max(prof.duration_s, prof.horizon_s)
    # Long enough for every message to be deleted, expire or reach the DLQ.
    tail = env.queue.retention_s + (env.queue.max_receive_count or 1) * env.queue.visibility_s + 120
    return prof.duration_s + min(tail, 7 * 86400)


def decoupled(
    env: EnvModel,
    prof: Profile,
    *,
    maximum_concurrency: int | None = None,
    retention_s: int | None = None,
    route_rate: float | None = None,
    route_burst: float | None = None,
) -> Run:
    """API -> SQS -> mapping -> worker -> tables. Keyword overrides serve the advice search."""
    arrivals = prof.arrivals()
    rate = env.route_throttle.rate if route_rate is None else route_rate
    burst = env.route_throttle.burst if route_burst is None else route_burst
    acc = apigw.accepted(arrivals, rate, burst, prof.account_rps, prof.account_burst)
    q = sqs.Queue(
        env.queue.retention_s if retention_s is None else retention_s,
        env.queue.visibility_s,
        env.queue.max_receive_count,
    )
    max_conc = maximum_concurrency if maximum_concurrency is not None else env.esm.maximum_concurrency
    pool = env.worker.reserved if env.worker.reserved is not None else prof.account_concurrency - prof.other_concurrency
    ceiling = min(x for x in (max_conc, pool, esm.ESM_MAX, sqs.IN_FLIGHT_MAX // env.esm.batch_size) if x is not None)
    pollers = esm.Pollers(ceiling)
    tables = _table_models(env, prof)
    # Per-invocation overhead spread over a full batch: what one worker spends per record, in
    # each second (a phase may set its own record_ms; after the phases, the profile's applies).
    overhead_s = prof.invoke_overhead_ms / env.esm.batch_size / 1000.0
    rec_series = prof.record_seconds() + overhead_s
    rec_after = prof.record_ms / 1000.0 + overhead_s
    data_api = env.data_api_throttle
    api_tokens = data_api.burst if data_api else 0.0
    api_calls = 1.0  # the worker's users write goes through the data API: one call per record

    horizon = _horizon(env, prof)
    n = prof.duration_s
    cols: dict[str, list[float]] = {k: [] for k in SERIES}
    t_tot = dict(
        invocations=0.0,
        busy_s=0.0,
        receives=0.0,
        empty_receives=0.0,
        wru=0.0,
        rru=0.0,
        data_api_calls=0.0,
        data_api_throttled=0.0,
        invalid=0.0,
        batch_timeouts=0.0,
        table_throttled_writes=0.0,
        worker_failures=0.0,
    )
    last_backlog = -1
    t = 0
    while t < horizon:
        offered = float(arrivals[t]) if t < n else 0.0
        accepted = float(acc[t]) if t < n else 0.0
        rec_s = float(rec_series[t]) if t < n else rec_after
        batch_times_out = env.esm.batch_size * rec_s > env.worker.timeout_s
        q.tick(t)
        q.send(t, accepted)
        cap = pollers.cap()
        want = q.depth * rec_s
        used = min(cap, math.ceil(want - 1e-9)) if q.depth > 1e-9 else 0
        got = q.receive(used / rec_s) if used else []
        taken = sum(c[1] for c in got)
        failed_cohorts: list[list] = []
        processed = 0.0
        wru_now = 0.0
        throttled_w = 0.0
        if taken:
            batches = math.ceil(taken / env.esm.batch_size - 1e-9)
            t_tot["invocations"] += batches
            t_tot["receives"] += batches
            t_tot["busy_s"] += taken * rec_s if not batch_times_out else batches * env.worker.timeout_s
            if batch_times_out:
                # The invocation ends at the timeout: no response, every record comes back.
                t_tot["batch_timeouts"] += batches
                failed_cohorts = got
            else:
                invalid = taken * prof.invalid_share
                t_tot["invalid"] += invalid
                q.dead_lettered += invalid
                valid = taken - invalid
                ok_share = 1.0
                if data_api is not None and valid:
                    if t:
                        api_tokens = min(data_api.burst, api_tokens + data_api.rate)
                    allowed = api_tokens / api_calls
                    ok_share = min(1.0, allowed / valid)
                for _cfg, _use, wru, model in tables:
                    capw = model.capacity(t)
                    need = valid * ok_share * wru
                    if need > capw:
                        ok_share *= capw / need
                ok_valid = valid * ok_share
                if data_api is not None and valid:
                    calls = valid * api_calls
                    api_tokens = max(0.0, api_tokens - ok_valid * api_calls)
                    t_tot["data_api_calls"] += ok_valid * api_calls
                    t_tot["data_api_throttled"] += calls - min(calls, ok_valid * api_calls) if not tables else 0.0
                for _cfg, use, wru, model in tables:
                    want_w = valid * wru
                    done_w = ok_valid * wru
                    model.consume(t, done_w)
                    wru_now += done_w
                    t_tot["rru"] += ok_valid * use.reads_per_record
                    throttled_w += want_w - done_w
                processed = ok_valid + invalid
                # Scale per cohort: invalid and ok leave, the rest come back.
                keep_share = (valid - ok_valid) / taken
                if keep_share > 1e-12:
                    _, failed_cohorts = sqs.split(got, 1 - keep_share)
        failed = sum(c[1] for c in failed_cohorts)
        t_tot["worker_failures"] += failed
        q.fail(t, failed_cohorts)
        t_tot["wru"] += wru_now
        t_tot["table_throttled_writes"] += throttled_w
        if not used:
            # Idle pollers still long-poll (20 s waits): five of them, as AWS scales back to five.
            t_tot["empty_receives"] += esm.START / 20.0
        pollers.observe(t, used, q.depth)
        oldest = q.oldest_arrival()
        for k, v in (
            ("offered", offered),
            ("accepted", accepted),
            ("throttled", offered - accepted),
            ("depth", q.depth),
            ("inflight", q.inflight),
            ("oldest_age", 0.0 if oldest is None else float(t - oldest + 1)),
            ("concurrency", float(used)),
            ("processed", processed),
            ("failed", failed),
            ("wru", wru_now),
            ("table_throttled", throttled_w),
        ):
            cols[k].append(v)
        if q.depth + q.inflight > 1e-9:
            last_backlog = t  # drained_at: the end of the last second that left a backlog
        t += 1
        if t >= n and q.empty():
            break
    series = {k: np.asarray(v, dtype=float) for k, v in cols.items()}
    totals: dict[str, Any] = dict(t_tot)
    # A backlog left at the end of second k (time k+1) is gone by the end of second k+1.
    drained_at = (0 if last_backlog < 0 else last_backlog + 2) if q.empty() else None
    totals.update(
        lost=q.lost,
        dead_lettered=q.dead_lettered,
        drained_at_s=drained_at,
        simulated_s=t,
        left_in_queue=q.depth + q.inflight,
    )
    return Run("decoupled", series, totals)


def coupled(
    env: EnvModel, prof: Profile, *, route_rate: float | None = None, route_burst: float | None = None, **_: object
) -> Run:
    """The same route as API -> Lambda (synchronous) -> tables: no buffer in between."""
    arrivals = prof.arrivals()
    acc = apigw.accepted(
        arrivals,
        env.route_throttle.rate if route_rate is None else route_rate,
        env.route_throttle.burst if route_burst is None else route_burst,
        prof.account_rps,
        prof.account_burst,
    )
    pool = env.worker.reserved if env.worker.reserved is not None else prof.account_concurrency - prof.other_concurrency
    fn = lambda_scaling.FunctionScaling(pool)
    tables = _table_models(env, prof)
    latency = prof.record_seconds()  # per second: a phase may set its own record_ms
    cols: dict[str, list[float]] = {k: [] for k in SERIES}
    t_tot = dict(
        invocations=0.0,
        busy_s=0.0,
        wru=0.0,
        rru=0.0,
        lambda_throttled=0.0,
        table_failed=0.0,
        invalid=0.0,
        peak_needed=0.0,
    )
    for t in range(prof.duration_s):
        offered, accepted = float(arrivals[t]), float(acc[t])
        lat_s = float(latency[t])
        # HTTP API integrations time out at 30 s (http-api-quotas.html): slower calls all fail (504).
        too_slow = lat_s > 30.0
        need = accepted * lat_s  # concurrent executions needed
        cap = fn.cap()
        served = accepted if need <= cap else cap / lat_s
        fn.observe(t, need)
        if too_slow:
            t_tot["invocations"] += served
            t_tot["busy_s"] += served * 30.0
            t_tot["lambda_throttled"] += accepted - served
            t_tot["timed_out"] = t_tot.get("timed_out", 0.0) + served
            for k, v in (
                ("offered", offered),
                ("accepted", accepted),
                ("throttled", offered - accepted),
                ("depth", 0.0),
                ("inflight", 0.0),
                ("oldest_age", 0.0),
                ("concurrency", min(need, cap)),
                ("processed", 0.0),
                ("failed", accepted),
                ("wru", 0.0),
                ("table_throttled", 0.0),
            ):
                cols[k].append(v)
            continue
        t_tot["peak_needed"] = max(t_tot["peak_needed"], need)
        invalid = served * prof.invalid_share  # 4xx answered by the function
        valid = served - invalid
        ok_share = 1.0
        for _cfg, _use, wru, model in tables:
            capw = model.capacity(t)
            if valid * ok_share * wru > capw:
                ok_share *= capw / (valid * ok_share * wru)
        ok = valid * ok_share
        wru_now = 0.0
        thr = 0.0
        for _cfg, use, wru, model in tables:
            model.consume(t, ok * wru)
            wru_now += ok * wru
            thr += (valid - ok) * wru
            t_tot["rru"] += ok * use.reads_per_record
        t_tot["invocations"] += served
        t_tot["busy_s"] += served * lat_s
        t_tot["wru"] += wru_now
        t_tot["lambda_throttled"] += accepted - served
        t_tot["table_failed"] += valid - ok
        t_tot["invalid"] += invalid
        failed = (accepted - served) + (valid - ok)
        for k, v in (
            ("offered", offered),
            ("accepted", accepted),
            ("throttled", offered - accepted),
            ("depth", 0.0),
            ("inflight", 0.0),
            ("oldest_age", 0.0),
            ("concurrency", min(need, cap)),
            ("processed", ok + invalid),
            ("failed", failed),
            ("wru", wru_now),
            ("table_throttled", thr),
        ):
            cols[k].append(v)
    series = {k: np.asarray(v, dtype=float) for k, v in cols.items()}
    return Run("coupled", series, t_tot)
