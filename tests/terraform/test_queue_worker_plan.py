"""modules/queue-worker: the example's refusals (visibility vs timeout, batching, concurrency) and its plan.

The refusals plan the module's runnable example offline (no credentials) with a bad `-var`
and assert that *the module's own* error message comes back, not a provider error at apply
time. The native `terraform test` files cover attribute wiring with mocks; these tests cover
what a user sees on the command line.
"""

from __future__ import annotations

import pytest

from example_planner import one_line

pytestmark = pytest.mark.terraform


def test_queue_worker_refuses_visibility_shorter_than_6x_timeout(planner):
    res = planner("queue-worker").plan(timeout=31)  # 6 x 31 = 186 > 180
    out = one_line(res.output)
    assert res.returncode != 0
    assert "Resource precondition failed" in out
    assert "visibility timeout of 180s, shorter than 6x the function timeout (6 x 31s = 186s)" in out
    assert "at least 186" in out


def test_queue_worker_function_values_get_modules_function_validation(planner):
    # `function` attributes are checked by modules/function itself, with its own message.
    res = planner("queue-worker").plan(timeout=901, visibility_timeout_seconds=6000)
    out = one_line(res.output)
    assert res.returncode != 0
    assert "timeout must be a whole number of seconds from 1 to 900 (15 minutes)." in out
    assert 'module "function"' in out


def test_queue_worker_accepts_visibility_exactly_6x_timeout(planner):
    res = planner("queue-worker").plan(timeout=30, visibility_timeout_seconds=180)
    assert res.returncode == 0, res.output


@pytest.mark.parametrize("batch_size", [0, 10001])
def test_queue_worker_refuses_batch_size_out_of_range(planner, batch_size):
    res = planner("queue-worker").plan(batch_size=batch_size, maximum_batching_window_in_seconds=5)
    out = one_line(res.output)
    assert res.returncode != 0
    assert "batch_size must be a whole number from 1 to 10000" in out


def test_queue_worker_refuses_large_batch_without_window(planner):
    res = planner("queue-worker").plan(batch_size=11, maximum_batching_window_in_seconds=0)
    out = one_line(res.output)
    assert res.returncode != 0
    assert "batch_size 11 is above 10, which needs maximum_batching_window_in_seconds >= 1 (it is 0)" in out


@pytest.mark.parametrize("concurrency", [1, 1001])
def test_queue_worker_refuses_maximum_concurrency_out_of_range(planner, concurrency):
    res = planner("queue-worker").plan(maximum_concurrency=concurrency)
    out = one_line(res.output)
    assert res.returncode != 0
    assert "maximum_concurrency must be a whole number from 2 to 1000" in out


def test_queue_worker_example_plan(planner):
    p = planner("queue-worker")
    res = p.plan(batch_size=100, maximum_batching_window_in_seconds=2, maximum_concurrency=20)
    assert res.returncode == 0, res.output
    plan = p.show()
    esm = plan.one("aws_lambda_event_source_mapping")["change"]["after"]
    assert esm["function_response_types"] == ["ReportBatchItemFailures"]
    assert esm["batch_size"] == 100 and esm["maximum_batching_window_in_seconds"] == 2
    assert esm["scaling_config"] == [{"maximum_concurrency": 20}]
    # The worker runs the ping zip, behind a queue with a DLQ.
    fn = plan.one("aws_lambda_function")["change"]["after"]
    assert fn["handler"] == "ping.handler" and fn["timeout"] == 30
    assert len(plan.changes("aws_sqs_queue")) == 2
