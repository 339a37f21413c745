"""Capacity model rules against cases computed by hand (issue 11). No Terraform needed."""

from __future__ import annotations

import time

import numpy as np
import pytest

from capacity_env import env as hand_env
from storefirst.capacity import alarms, apigw, gates, prices, profile, simulate


def prof(phases, **kw):
    kw.setdefault("tables", [{"table": "users", "writes_per_record": 1}])
    return profile.from_dict({"phases": phases, **kw})


# ---------------------------------------------------------------- API Gateway token bucket

def test_token_bucket_saturated_accepts_burst_plus_rate_per_second():
    acc = apigw.token_bucket(np.full(10, 10_000.0), rate=500, burst=1000)
    # Second 0: the full bucket (1,000) plus the 500 tokens arriving during it; then 500/s.
    assert acc.tolist() == [1500.0] + [500.0] * 9
    assert acc.sum() == 1000 + 500 * 10


def test_token_bucket_below_rate_never_throttles_and_refills_to_burst_only():
    assert apigw.token_bucket(np.full(60, 300.0), rate=500, burst=1000).tolist() == [300.0] * 60
    # Idle for 10 s refills to the burst (1,000), not 10 x rate.
    offered = np.array([0.0] * 10 + [5000.0, 5000.0])
    assert apigw.token_bucket(offered, rate=100, burst=1000).tolist()[-2:] == [1100.0, 100.0]


def test_account_bucket_binds_when_tighter_than_route():
    acc = apigw.accepted(np.full(3, 20_000.0), 50_000, 50_000, 10_000, 5_000)
    assert acc.tolist() == [15_000.0, 10_000.0, 10_000.0]


# ---------------------------------------------------------------- SQS + worker

def test_arrivals_below_drain_rate_never_build_a_queue():
    # 5 concurrent x (1 / 0.1 s) = 50 records/s drained; 40/s arrive.
    run = simulate.decoupled(hand_env(max_conc=5), prof([{"duration_s": 300, "rps": 40}], record_ms=100))
    assert run.series["depth"].max() == 0
    assert run.series["oldest_age"].max() <= 1      # never waits past the second it arrived in
    assert run.totals["lost"] == 0 and run.series["processed"].sum() == 40 * 300


def test_spike_grows_the_queue_at_exactly_offered_minus_drained():
    run = simulate.decoupled(hand_env(max_conc=5), prof([{"duration_s": 30, "rps": 100}], record_ms=100))
    depth = run.series["depth"]
    assert depth[:30].tolist() == [50.0 * (k + 1) for k in range(30)]       # +100 -50 each second
    # Then 50/s drain the 1,500 left: empty at the end of second 59.
    assert run.totals["drained_at_s"] == 60
    assert run.series["processed"].sum() == 3000
    # The oldest message at the end of second 29 arrived at second 15 (1,500 of 3,000 drained).
    assert run.series["oldest_age"][29] == 29 - 15 + 1


def test_a_phase_with_its_own_record_time_drains_at_that_rate_then_at_the_profiles():
    # 10 s at 40/s with 200 ms per record: 5 workers drain 25/s, +15 each second; afterwards
    # 100 ms per record (the profile's): 50/s clear the 150 left in 3 s.
    phases = [{"duration_s": 10, "rps": 40, "record_ms": 200}]
    run = simulate.decoupled(hand_env(max_conc=5), prof(phases, record_ms=100))
    assert run.series["depth"][:10].tolist() == [15.0 * (k + 1) for k in range(10)]
    assert run.totals["drained_at_s"] == 13 and run.series["processed"].sum() == 400
    # Without the phase's own time the same traffic never queues (see above).
    assert simulate.decoupled(hand_env(max_conc=5), prof([{"duration_s": 10, "rps": 40}], record_ms=100)
                              ).series["depth"].max() == 0
    # The slower phase is what the coupled path sizes its concurrency on, too.
    coupled = simulate.coupled(hand_env(max_conc=5), prof(phases + [{"duration_s": 5, "rps": 40}], record_ms=100))
    assert coupled.series["concurrency"].tolist() == [8.0] * 10 + [4.0] * 5


def test_backlog_older_than_retention_is_lost_in_the_exact_amount():
    # 1,000 messages in second 0; 2 workers x 5 records/s = 10/s; retention 60 s:
    # seconds 0-59 drain 600, the 400 left expire at t = 60.
    e = hand_env(max_conc=2, retention=60)
    run = simulate.decoupled(e, prof([{"duration_s": 1, "rps": 1000}, {"duration_s": 200, "rps": 0}], record_ms=200))
    assert run.totals["lost"] == 400
    assert run.series["processed"].sum() == 600
    assert run.series["oldest_age"].max() == 60


def test_failures_come_back_after_the_visibility_timeout_and_reach_the_dlq():
    # A batch of 10 records at 3.1 s each outlasts the 30 s timeout: every receive fails.
    e = hand_env(max_conc=5, visibility=60, max_receive=5)
    run = simulate.decoupled(e, prof([{"duration_s": 1, "rps": 10}, {"duration_s": 10, "rps": 0}], record_ms=3100))
    assert run.totals["batch_timeouts"] > 0
    assert run.totals["dead_lettered"] == pytest.approx(10)
    assert run.totals["worker_failures"] == pytest.approx(50)            # received 5 times each
    assert run.totals["lost"] == 0
    # The in-flight ones count for the oldest age (ApproximateAgeOfOldestMessage = non-deleted).
    assert run.series["oldest_age"].max() >= 4 * 60


def test_invalid_records_are_dead_lettered_at_once():
    run = simulate.decoupled(hand_env(), prof([{"duration_s": 10, "rps": 100}], record_ms=10, invalid_share=0.1))
    assert run.totals["dead_lettered"] == pytest.approx(100)
    assert run.totals["worker_failures"] == 0


def test_pollers_start_at_five_and_add_300_per_minute():
    e = hand_env(max_conc=1000)
    run = simulate.decoupled(e, prof([{"duration_s": 300, "rps": 20_000}], record_ms=1000,
                                     tables=[{"table": "users", "writes_per_record": 0}]))
    conc = run.series["concurrency"]
    assert conc[0] == 5 and conc[59] == 5 and conc[60] == 305 and conc[120] == 605 and conc[180] == 905
    assert conc[240] == 1000 and conc.max() == 1000     # the mapping's (and account's) ceiling


def test_provisioned_table_throttles_writes_which_come_back():
    e = hand_env(max_conc=5, billing="PROVISIONED", wcu=20, visibility=30)
    run = simulate.decoupled(e, prof([{"duration_s": 10, "rps": 40}], record_ms=10))
    assert run.series["wru"].max() == 20            # the table never serves more than its WCU
    assert run.totals["table_throttled_writes"] > 0
    assert run.totals["worker_failures"] > 0
    assert run.totals["lost"] == 0


def test_on_demand_new_table_serves_4000_wru_at_once():
    e = hand_env(max_conc=1000, rate=10_000, burst=5_000)
    p = prof([{"duration_s": 5, "rps": 10_000}], record_ms=100)
    c = simulate.coupled(e, p)
    assert c.series["wru"].max() == 4000
    assert c.series["failed"][0] == pytest.approx(c.series["accepted"][0] - 4000)


# ---------------------------------------------------------------- coupled Lambda scaling

def test_coupled_function_scales_1000_per_10_seconds_up_to_the_account():
    e = hand_env(rate=100_000, burst=100_000)
    p = prof([{"duration_s": 40, "rps": 3000}], record_ms=1000, account_concurrency=3000,
             account_rps=100_000, account_burst=100_000, table_previous_peak_wru=100_000)
    c = simulate.coupled(e, p)
    served = c.series["accepted"] - c.series["failed"]
    assert served[0] == 1000 and served[9] == 1000 and served[10] == 2000 and served[20] == 3000
    assert c.totals["lambda_throttled"] == 2000 * 10 + 1000 * 10


# ---------------------------------------------------------------- alarms, gates, prices, profile

def test_age_alarm_fires_after_evaluation_periods_of_breaching_minutes():
    age = np.concatenate([np.zeros(120), np.full(600, 400.0)])
    assert alarms.fires_at(age, 300, 60, 5) == 120 + 5 * 60
    assert alarms.fires_at(np.full(240, 400.0), 300, 60, 5) is None          # 4 minutes only
    gap = np.concatenate([np.full(240, 400.0), np.zeros(60), np.full(240, 400.0)])
    assert alarms.fires_at(gap, 300, 60, 5) is None                           # not consecutive


def test_gates_parse_and_fail():
    rep = {"decoupled": {"lost": 3.0, "max_age_s": 100.0}, "coupled": {"failed": 0.0}}
    assert gates.check(rep, ["lost>0", "max_age_s>900", "coupled.failed>0"]) == ["lost>0: lost = 3.0"]
    with pytest.raises(gates.GateError, match="METRIC OP NUMBER"):
        gates.parse("lost is big")
    with pytest.raises(gates.GateError, match="no metric 'nope'"):
        gates.check(rep, ["nope>1"])


def test_price_table_is_dated_and_a_file_overrides_it(tmp_path):
    table = prices.load()
    assert table["as_of"] and table["lambda"]["requests_per_million"] == 0.20
    f = tmp_path / "eu.yaml"
    f.write_text("region: eu-west-1\nsqs: {standard_per_million: 0.41}\n")
    t2 = prices.load(f)
    assert t2["sqs"]["standard_per_million"] == 0.41 and t2["sqs"]["chunk_kb"] == 64 and t2["region"] == "eu-west-1"
    f.write_text("sqs: {standard_per_millon: 1}\n")
    with pytest.raises(prices.PriceError, match="standard_per_millon"):
        prices.load(f)


@pytest.mark.parametrize("raw, msg", [
    ({}, "needs `phases"),
    ({"phases": [{"rps": 10}]}, "duration_s"),
    ({"phases": [{"duration_s": 10, "rps": -1}]}, "rps"),
    ({"phases": [{"duration_s": 10, "rps": 1}], "rsp": 3}, "unknown profile key 'rsp'"),
    ({"phases": [{"duration_s": 10, "rps": 1}], "invalid_share": 2}, "fraction"),
    ({"phases": [{"duration_s": 10, "rps": 1, "record_ms": 0}]}, r"phases\[0\].record_ms"),
    ({"phases": [{"duration_s": 10, "rps": 1, "record_ms": "slow"}]}, r"phases\[0\].record_ms"),
])
def test_profile_refuses_what_it_cannot_use(raw, msg):
    with pytest.raises(profile.ProfileError, match=msg):
        profile.from_dict(raw)


def test_profile_as_written_in_the_issue_and_shapes():
    p = profile.from_dict({"phases": [{"duration_s": 600, "rps": 10000}, {"duration_s": 3600, "rps": 20}]})
    a = p.arrivals()
    assert len(a) == 4200 and a[:600].sum() == 6_000_000 and a[600:].sum() == 72_000
    ramp = profile.from_dict({"phases": [{"duration_s": 10, "rps": 0, "rps_to": 100}]}).arrivals()
    assert ramp[0] == 0 and ramp[5] == 50
    d = profile.from_dict({"phases": [{"duration_s": 100, "diurnal": {"peak_rps": 10, "trough_rps": 2, "period_s": 100}}]}).arrivals()
    assert d[0] == pytest.approx(2) and d[50] == pytest.approx(10)


def test_one_hour_at_one_second_simulates_in_under_two_seconds():
    e = hand_env(max_conc=50, rate=10_000, burst=5_000)
    p = prof([{"duration_s": 600, "rps": 10_000}, {"duration_s": 3000, "rps": 20}], record_ms=50,
             tables=[{"table": "users", "writes_per_record": 3}])
    t0 = time.perf_counter()
    run = simulate.decoupled(e, p)
    simulate.coupled(e, p)
    elapsed = time.perf_counter() - t0
    assert run.totals["simulated_s"] >= 3600
    assert elapsed < 2.0, f"{elapsed:.2f} s"


def test_busy_mapping_does_not_scale_back_while_traffic_continues():
    # 500/s need 25 workers at 50 ms: after the first minute's backlog (5 workers) is drained,
    # the mapping keeps the concurrency that traffic uses instead of dropping back to five.
    e = hand_env(max_conc=50, rate=10_000, burst=10_000)
    run = simulate.decoupled(e, prof([{"duration_s": 900, "rps": 500}], record_ms=50))
    depth = run.series["depth"]
    assert depth[59] == 60 * (500 - 100)                  # 5 workers x 20/s in the first minute
    assert depth[200:].max() == 0 and run.series["concurrency"][200:].min() == 25
