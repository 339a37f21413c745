"""Cross-check of the capacity model against the local stack (issue 11).

A scaled-down spike is sent through a real HTTP API route (local gateway) into a real queue
(emulator) drained by the local event source mapping with a worker whose per-record time is
fixed (tests/fixtures/capacity_local). The model runs on the same env's own offline plan with
the arrivals as measured per second; the measured peak depth and drain time must agree with
its prediction within TOLERANCE (25 %, plus the records being processed for the depth).

What is measured and why: the local runtime's per-invocation cost (emulator receive and delete,
the hand-off to the function process, on a machine whose 2 cores are shared) is not AWS's, and
it changes with the load on the machine and the process (the gateway, the emulator and the
mapping's pollers share one process; the other test worker comes and goes). So the mapping's
service time per record is measured on the spike's own batches, while requests arrive and after,
and given to the model as the phases' and the profile's record_ms. What the cross-check then
tests is the model's queue dynamics: growth at offered minus drained, drain at concurrency x
batch / service time, the drain time, and that the local mapping keeps its slots busy.
Why 25 %: the load can still change inside a phase, the local mapping polls with a 1 s wait
when the queue runs dry, and the model has 1 s resolution; each of these moves the drain time
by a few seconds on a ~40-90 s drain.
"""

from __future__ import annotations

import threading
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

import stack_group
from storefirst.terraform import CACHE, REPO

pytestmark = [pytest.mark.terraform, pytest.mark.slow, pytest.mark.xdist_group("local_stack")]

FIXTURE = REPO / "tests" / "fixtures" / "capacity_local"
RATE, SECONDS = 15, 20                 # offered: 300 messages in 20 s
RECORD_S, BATCH, CONC = 0.2, 5, 2      # worker: 1 s of work per batch of 5, 2 at a time
TOLERANCE = 0.25


def _zip() -> Path:
    out = CACHE / "capacity-xcheck" / "fixed_worker.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    info = zipfile.ZipInfo("fixed_worker.py", date_time=(1980, 1, 1, 0, 0, 0))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(info, (FIXTURE / "fixed_worker.py").read_bytes())
    return out


def _spec() -> stack_group.Spec:
    variables = {"zip_path": str(_zip()), "record_seconds": RECORD_S, "batch_size": BATCH, "maximum_concurrency": CONC}
    return stack_group.Spec(FIXTURE, "test-capacity-xcheck", variables, [Path(variables["zip_path"]).parent])


# Applied beside the group's other stacks; every apply has finished before this test measures.
stack = stack_group.join(__name__, _spec)


@pytest.fixture(scope="module")
def variables(stack):
    return stack.variables


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


def _service_ms_per_record(timings, t0: float, t1: float) -> float:
    """Mean time an invocation slot spent per record on the full batches it asked for in
    [t0, t1): receive, invoke (the worker's fixed work plus the hand-off) and deletes."""
    spans = [b.done - b.asked for b in timings if t0 <= b.asked < t1 and b.records == BATCH]
    assert len(spans) >= 3, f"too few full batches between {t0:.1f} and {t1:.1f} to measure: {len(spans)}"
    return sum(spans) / len(spans) / BATCH * 1000


def _spike_and_model(env, api_url, sqs, qurl, stack) -> tuple[bool, str]:
    """One spike, one model run: (within tolerance, report)."""
    from storefirst.capacity import profile, simulate

    # 1. The spike through the webhook route, paced per 100 ms slot; arrivals recorded per second.
    runner = stack.esm.runners[0]
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
    t_end = _wait_empty(sqs, qurl, 600)
    drained_s = t_end - t0
    done.set()
    sent = statuses.count(200)
    assert sent == len(threads), f"{len(threads)} sent, {sent} accepted"
    peak = max(d for _, d in samples)
    assert runner.stats.deleted >= sent, runner.stats

    # 2. The local service time per record, measured on the spike itself: while requests arrive
    #    and after. The local runtime's per-invocation cost is not AWS's, and it follows the load
    #    the shared machine and process carry at that moment (the gateway takes CPU from the
    #    mapping while requests arrive; the other test worker comes and goes), so a calibration
    #    run before the spike missed by 30 % either way. These times cover only the batches the
    #    mapping actually ran: slots left idle, partial batches, polling gaps or a concurrency
    #    other than the plan's are not in them, and they would make the measured queue differ.
    last = max(i for i, n in enumerate(arrivals) if n) + 1
    during_ms = _service_ms_per_record(runner.stats.timings, t0, t0 + last)
    after_ms = _service_ms_per_record(runner.stats.timings, t0 + last, t_end)

    # 3. The model: the same env's plan, the arrivals as measured, the service times as measured
    #    (a phase's own record_ms while requests arrive, the profile's after).
    phases = [{"duration_s": 1, "rps": n, "record_ms": during_ms} for n in arrivals[:last]]
    prof = profile.from_dict({"phases": phases, "record_ms": after_ms, "tables": []})
    run = simulate.decoupled(env, prof)
    want_peak = float((run.series["depth"] + run.series["inflight"]).max())
    want_drain = float(run.totals["drained_at_s"])
    report = (f"service time per record {during_ms:.0f} ms while arriving, {after_ms:.0f} ms after "
              f"({RECORD_S * 1000:.0f} ms of it the worker's work); {sent} messages in {last} s; "
              f"predicted peak {want_peak:.0f}, drained at {want_drain:.0f} s; "
              f"measured peak {peak}, drained at {drained_s:.1f} s")
    # Measured depth counts the <= CONC x BATCH records being processed (NotVisible); allow them.
    peak_ok = abs(peak - want_peak) <= TOLERANCE * want_peak + CONC * BATCH
    return peak_ok and abs(drained_s - want_drain) <= TOLERANCE * want_drain, report


def test_model_matches_the_local_stack_within_tolerance(stack, variables):
    from storefirst.capacity import envplan
    from storefirst.terraform import plan_env

    env = envplan.read(plan_env(FIXTURE, var_files=(), **variables), "tests/fixtures/capacity_local")
    assert (env.esm.maximum_concurrency, env.esm.batch_size) == (CONC, BATCH)
    api_url = stack.api_urls[stack.outputs["api_id"]]
    sqs = stack.emulator.client("sqs")
    qurl = stack.outputs["queue_url"]

    # Two attempts at most: a change of the machine's load in the middle of a phase (the other
    # test worker starting a terraform plan) is not in a phase's mean service time. A model
    # that is wrong misses on both attempts and fails.
    reports = []
    for _ in range(2):
        ok, report = _spike_and_model(env, api_url, sqs, qurl, stack)
        print(report)
        reports.append(report)
        if ok:
            break
    (CACHE / "capacity-xcheck" / "last.txt").write_text("\n".join(reports) + "\n")
    assert ok, "\n".join(reports)
