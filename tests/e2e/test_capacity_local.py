"""Cross-check of the capacity model against the local stack (issue 11).

A scaled-down spike is sent through a real HTTP API route (local gateway) into a real queue
(emulator) drained by the local event source mapping with a worker whose per-record time is
fixed (tests/fixtures/capacity_local). The model runs on the same env's own offline plan with
the arrivals as measured per second; the measured peak depth and drain time must agree with
its prediction within TOLERANCE (25 %, plus the records being processed for the depth).

What is calibrated and why: the local runtime's per-invocation overhead (emulator receive and
delete, the hand-off to the function process, on a machine whose 2 cores are shared) is not
AWS's, so it is measured first and given to the model as `invoke_overhead_ms`. It is measured
under the spike's own load (a backlog sent straight to SQS while requests arrive through the
gateway at the spike's rate): the gateway, the emulator and the mapping's pollers share one
process, and a calibration without gateway traffic drained ~20 % faster than the mapping does
during the spike (fresh-clone CI run: predicted peak 113, measured 160). What the cross-check
then tests is the model's queue dynamics: growth at offered minus drained, drain at the
concurrency x per-record rate, and the drain time.
Why 25 %: the calibration itself varies run to run with the machine's load (other test
workers), the local mapping polls with a 1 s wait when the queue runs dry, and the model has
1 s resolution; each of these moves the drain time by a few seconds on a ~60-90 s drain.
"""

from __future__ import annotations

import threading
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from storefirst.terraform import CACHE, REPO

pytestmark = [pytest.mark.terraform, pytest.mark.slow, pytest.mark.xdist_group("local_stack")]

FIXTURE = REPO / "tests" / "fixtures" / "capacity_local"
RATE, SECONDS = 15, 20                 # offered: 300 messages in 20 s
RECORD_S, BATCH, CONC = 0.2, 5, 2      # worker: 1 s of work per batch of 5, 2 at a time
CALIBRATION = 40                       # backlog sent straight to SQS before the calibration window
CALIBRATION_S = 8                      # window in which the drain rate is measured under load
TOLERANCE = 0.25


def _zip() -> Path:
    out = CACHE / "capacity-xcheck" / "fixed_worker.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    info = zipfile.ZipInfo("fixed_worker.py", date_time=(1980, 1, 1, 0, 0, 0))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(info, (FIXTURE / "fixed_worker.py").read_bytes())
    return out


@pytest.fixture(scope="module")
def variables():
    return {"zip_path": str(_zip()), "record_seconds": RECORD_S, "batch_size": BATCH, "maximum_concurrency": CONC}


@pytest.fixture(scope="module")
def stack(emulator, variables):
    from storefirst.local.stack import Stack

    st = Stack(FIXTURE, variables, code_dirs=[Path(variables["zip_path"]).parent], name="test-capacity-xcheck",
               emulator=emulator)
    st.up()
    try:
        yield st
    finally:
        st.down()


def _depth(sqs, qurl) -> int:
    a = sqs.get_queue_attributes(QueueUrl=qurl, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return int(a["ApproximateNumberOfMessages"]) + int(a["ApproximateNumberOfMessagesNotVisible"])


def _wait_empty(sqs, qurl, timeout: float) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if _depth(sqs, qurl) == 0:
            return time.monotonic()
        time.sleep(0.1)
    raise AssertionError(f"queue not drained after {timeout} s")


def _paced_posts(api_url: str, seconds: int, t0: float, arrivals: list[int]) -> tuple[list[threading.Thread], list[int]]:  # noqa: E501
    """POST RATE requests a second to the webhook route for `seconds`, paced per 100 ms slot from
    t0; each accepted request is counted in arrivals[second]. Returns the threads and statuses."""
    statuses: list[int] = []

    def post() -> None:
        req = urllib.request.Request(f"{api_url}/webhook", data=b'{"operation":"noop","data":{}}', method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            statuses.append(r.status)
            arrivals[int(time.monotonic() - t0)] += 1

    threads: list[threading.Thread] = []
    for slot in range(seconds * 10):
        while time.monotonic() - t0 < slot / 10:
            time.sleep(0.005)
        for _ in range((slot + 1) * RATE // 10 - slot * RATE // 10):
            th = threading.Thread(target=post, daemon=True)
            th.start()
            threads.append(th)
    return threads, statuses


def _calibrate_spike_and_model(env, api_url, sqs, qurl, stack) -> tuple[bool, str]:
    """One calibration, one spike, one model run: (within tolerance, report)."""
    from storefirst.capacity import profile, simulate

    # 1. Calibration: the local runtime's per-invocation overhead is not AWS's; measure the
    #    mapping's drain rate while the queue holds a backlog and requests arrive through the
    #    gateway at the spike's rate (the load the spike puts on the shared process), and give
    #    it to the model as invoke_overhead_ms.
    runner = stack.esm.runners[0]
    for _ in range(0, CALIBRATION, 10):
        sqs.send_message_batch(QueueUrl=qurl, Entries=[{"Id": str(j), "MessageBody": "{}"} for j in range(10)])
    completions: list[tuple[float, int]] = []     # (time, records deleted so far) at each change
    watching = threading.Event()

    def watch() -> None:
        last = runner.stats.deleted
        while not watching.is_set():
            now = runner.stats.deleted
            if now != last:
                completions.append((time.monotonic(), now))
                last = now
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    t_cal = time.monotonic()
    cal_threads, cal_statuses = _paced_posts(api_url, CALIBRATION_S, t_cal, [0] * (CALIBRATION_S + 120))
    watching.set()
    watcher.join()
    for th in cal_threads:
        th.join(timeout=30)
    _wait_empty(sqs, qurl, 300)
    assert cal_statuses.count(200) == len(cal_threads)
    window = [(t, n) for t, n in completions if t - t_cal >= 1.0]   # the first batches start cold
    assert len(window) >= 4, f"too few batch completions to calibrate on: {completions}"
    rate = (window[-1][1] - window[0][1]) / (window[-1][0] - window[0][0])  # records per second, all workers
    per_batch = CONC * BATCH / rate                                      # seconds of one worker per batch
    overhead_ms = max(0.0, (per_batch - BATCH * RECORD_S) * 1000)

    # 2. The spike through the webhook route, paced per 100 ms slot; arrivals recorded per second.
    arrivals = [0] * (SECONDS + 120)
    samples: list[tuple[float, int]] = []
    done = threading.Event()
    t0 = time.monotonic()

    def sampler() -> None:
        while not done.is_set():
            samples.append((time.monotonic() - t0, _depth(sqs, qurl)))
            time.sleep(0.5)

    threading.Thread(target=sampler, daemon=True).start()
    threads, statuses = _paced_posts(api_url, SECONDS, t0, arrivals)
    for th in threads:
        th.join(timeout=30)
    drained_s = _wait_empty(sqs, qurl, 600) - t0
    done.set()
    sent = statuses.count(200)
    assert sent == len(threads), f"{len(threads)} sent, {sent} accepted"
    peak = max(d for _, d in samples)

    # 3. The model: the same env's plan, the arrivals as measured, the calibrated overhead.
    last = max(i for i, n in enumerate(arrivals) if n) + 1
    phases = [{"duration_s": 1, "rps": n} for n in arrivals[:last]]
    prof = profile.from_dict({"phases": phases, "record_ms": RECORD_S * 1000,
                              "invoke_overhead_ms": overhead_ms, "tables": []})
    run = simulate.decoupled(env, prof)
    want_peak = float((run.series["depth"] + run.series["inflight"]).max())
    want_drain = float(run.totals["drained_at_s"])
    report = (f"calibrated overhead {overhead_ms:.0f} ms per batch of {BATCH} ({BATCH * RECORD_S:.1f} s of work); "
              f"{sent} messages in {last} s; predicted peak {want_peak:.0f}, drained at {want_drain:.0f} s; "
              f"measured peak {peak}, drained at {drained_s:.1f} s")
    # Measured depth counts the <= CONC x BATCH records being processed (NotVisible); allow them.
    ok = abs(peak - want_peak) <= TOLERANCE * want_peak + CONC * BATCH and abs(drained_s - want_drain) <= TOLERANCE * want_drain
    return ok, report


def test_model_matches_the_local_stack_within_tolerance(stack, variables):
    from storefirst.capacity import envplan
    from storefirst.terraform import plan_env

    env = envplan.read(plan_env(FIXTURE, var_files=(), **variables), "tests/fixtures/capacity_local")
    assert (env.esm.maximum_concurrency, env.esm.batch_size) == (CONC, BATCH)
    api_url = stack.api_urls[stack.outputs["api_id"]]
    sqs = stack.emulator.client("sqs")
    qurl = stack.outputs["queue_url"]

    # Two attempts at most, each with its own calibration and spike: the local runtime's drain
    # rate follows the load of the other test worker on the machine's 2 cores, which moved a
    # single attempt ~30 % either way in fresh-clone CI runs (predicted peak 113 vs measured 160;
    # 195 vs 148). A model that is wrong misses on both attempts and fails.
    reports = []
    for _ in range(2):
        ok, report = _calibrate_spike_and_model(env, api_url, sqs, qurl, stack)
        print(report)
        reports.append(report)
        if ok:
            break
    (CACHE / "capacity-xcheck" / "last.txt").write_text("\n".join(reports) + "\n")
    assert ok, "\n".join(reports)
