"""What a simulated run costs, from its counters and the price table (prices.yaml)."""

from __future__ import annotations

import math

from .envplan import EnvModel
from .profile import Profile
from .simulate import Run

MONTH_S = 730 * 3600  # AWS pricing pages' month: 730 hours


def _m(n: float, per_million: float) -> float:
    return n * per_million / 1e6


def decoupled(run: Run, env: EnvModel, prof: Profile, prices: dict) -> dict[str, float]:
    t, s = run.totals, run.series
    accepted = float(s["accepted"].sum())
    api_units = math.ceil(prof.payload_bytes / (prices["apigateway"]["http_metering_kb"] * 1024))
    chunk = prices["sqs"]["chunk_kb"] * 1024
    send_req = accepted * math.ceil(prof.payload_bytes / chunk)
    taken = float(s["processed"].sum() + s["failed"].sum())
    # A receive returns up to batch_size messages; each 64 KB chunk of the response is a request.
    recv_req = max(t["receives"], taken * prof.payload_bytes / chunk)
    delete_req = t["receives"]  # one DeleteMessageBatch per batch
    dlq_req = t["invalid"] * math.ceil(prof.payload_bytes / chunk)
    sqs_price = prices["sqs"]["fifo_per_million" if env.queue.fifo else "standard_per_million"]
    gb_s = t["busy_s"] * env.worker.memory_mb / 1024
    out = {
        "apigateway": _m(accepted * api_units, prices["apigateway"]["http_per_million"]),
        "sqs": _m(send_req + recv_req + delete_req + dlq_req + t["empty_receives"], sqs_price),
        "lambda": _m(t["invocations"], prices["lambda"]["requests_per_million"])
        + gb_s * prices["lambda"][f"gb_second_{env.worker.arch}"],
        "dynamodb": _dynamodb(t["wru"], t["rru"], env, prof, prices, run.totals["simulated_s"]),
        "data_api": _m(t["data_api_calls"], prices["apigateway"]["rest_per_million"]),
        "stepfunctions": 0.0,
    }
    return _with_totals(out, prof)


def coupled(run: Run, env: EnvModel, prof: Profile, prices: dict) -> dict[str, float]:
    t, s = run.totals, run.series
    accepted = float(s["accepted"].sum())
    api_units = math.ceil(prof.payload_bytes / (prices["apigateway"]["http_metering_kb"] * 1024))
    gb_s = t["busy_s"] * env.worker.memory_mb / 1024
    out = {
        "apigateway": _m(accepted * api_units, prices["apigateway"]["http_per_million"]),
        "sqs": 0.0,
        "lambda": _m(t["invocations"], prices["lambda"]["requests_per_million"])
        + gb_s * prices["lambda"][f"gb_second_{env.worker.arch}"],
        "dynamodb": _dynamodb(t["wru"], t["rru"], env, prof, prices, prof.duration_s),
        "data_api": 0.0,
        "stepfunctions": 0.0,
    }
    return _with_totals(out, prof)


def _dynamodb(wru: float, rru: float, env: EnvModel, prof: Profile, prices: dict, seconds: float) -> float:
    used = {env.table(u.table).name: env.table(u.table) for u in prof.tables}
    if all(t.billing != "PROVISIONED" for t in used.values()):
        return _m(wru, prices["dynamodb"]["wru_per_million"]) + _m(rru, prices["dynamodb"]["rru_per_million"])
    total = 0.0
    hours = seconds / 3600
    for t in used.values():
        if t.billing == "PROVISIONED":
            total += hours * (
                (t.wcu or 0) * prices["dynamodb"]["wcu_hour"] + (t.rcu or 0) * prices["dynamodb"]["rcu_hour"]
            )
    # On-demand tables among them: their share of the units, in proportion to writes per record.
    per = {u.table: u.writes_per_record for u in prof.tables}
    od = sum(w for name, w in per.items() if env.table(name).billing != "PROVISIONED")
    share = od / max(sum(per.values()), 1e-9)
    return total + share * (
        _m(wru, prices["dynamodb"]["wru_per_million"]) + _m(rru, prices["dynamodb"]["rru_per_million"])
    )


def _with_totals(out: dict[str, float], prof: Profile) -> dict[str, float]:
    total = sum(out.values())
    out = {k: round(v, 4) for k, v in out.items()}
    out["total"] = round(total, 4)
    out["monthly_at_average_rate"] = round(total / max(prof.duration_s, 1) * MONTH_S, 2)
    return out
