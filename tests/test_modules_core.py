"""Core modules (queue, function, queue-worker, table) and the ping function.

The negative cases plan a module's runnable example offline (no credentials) with a bad
`-var` and assert that *the module's own* error message comes back, not a provider error
at apply time. The native `terraform test` files cover attribute wiring with mocks; these
tests cover what a user sees on the command line.
"""

from __future__ import annotations

import importlib.util
import json
import zipfile
from pathlib import Path

import pytest

from storefirst import build
from storefirst.terraform import OFFLINE_ENV, REPO, Plan, Result, Workdir, offline_copy

pytestmark = pytest.mark.terraform

EXAMPLES = REPO / "modules"


class ExamplePlanner:
    """One offline copy + init per example (per xdist worker); many plans with -var overrides."""

    def __init__(self, example: Path, root: Path):
        self.wd = Workdir(offline_copy(example, root), env=dict(OFFLINE_ENV), data_dir=root.parent / f"{root.name}-tfdata")
        self.wd.init(backend=True)

    def plan(self, **variables) -> Result:
        args = ["plan", "-no-color", "-input=false", "-lock=false", "-out=tfplan"]
        args += [f"-var={k}={v}" for k, v in variables.items()]
        return self.wd.run(*args, check=False)

    def show(self) -> Plan:
        return Plan(json.loads(self.wd.run("show", "-json", "tfplan").stdout))


@pytest.fixture(scope="session")
def planner(tmp_path_factory, built_zips):
    cache: dict[str, ExamplePlanner] = {}

    def _get(module: str) -> ExamplePlanner:
        if module not in cache:
            root = tmp_path_factory.mktemp(f"ex-{module}")
            cache[module] = ExamplePlanner(EXAMPLES / module / "examples" / "basic", root / "repo")
        return cache[module]

    return _get


def _one_line(text: str) -> str:
    # Terraform wraps long messages and frames them with "│": undo both before matching.
    return " ".join(line.strip(" │╷╵") for line in text.splitlines()).replace("  ", " ")


# ---------------------------------------------------------------- queue-worker: refusals


def test_queue_worker_refuses_visibility_shorter_than_6x_timeout(planner):
    res = planner("queue-worker").plan(timeout=31)  # 6 x 31 = 186 > 180
    out = _one_line(res.output)
    assert res.returncode != 0
    assert "Resource precondition failed" in out
    assert "visibility timeout of 180s, shorter than 6x the function timeout (6 x 31s = 186s)" in out
    assert "at least 186" in out


def test_queue_worker_function_values_get_modules_function_validation(planner):
    # `function` attributes are checked by modules/function itself, with its own message.
    res = planner("queue-worker").plan(timeout=901, visibility_timeout_seconds=6000)
    out = _one_line(res.output)
    assert res.returncode != 0
    assert "timeout must be a whole number of seconds from 1 to 900 (15 minutes)." in out
    assert 'module "function"' in out


def test_queue_worker_accepts_visibility_exactly_6x_timeout(planner):
    res = planner("queue-worker").plan(timeout=30, visibility_timeout_seconds=180)
    assert res.returncode == 0, res.output


@pytest.mark.parametrize("batch_size", [0, 10001])
def test_queue_worker_refuses_batch_size_out_of_range(planner, batch_size):
    res = planner("queue-worker").plan(batch_size=batch_size, maximum_batching_window_in_seconds=5)
    out = _one_line(res.output)
    assert res.returncode != 0
    assert "batch_size must be a whole number from 1 to 10000" in out


def test_queue_worker_refuses_large_batch_without_window(planner):
    res = planner("queue-worker").plan(batch_size=11, maximum_batching_window_in_seconds=0)
    out = _one_line(res.output)
    assert res.returncode != 0
    assert "batch_size 11 is above 10, which needs maximum_batching_window_in_seconds >= 1 (it is 0)" in out


@pytest.mark.parametrize("concurrency", [1, 1001])
def test_queue_worker_refuses_maximum_concurrency_out_of_range(planner, concurrency):
    res = planner("queue-worker").plan(maximum_concurrency=concurrency)
    out = _one_line(res.output)
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


# ---------------------------------------------------------------- queue / function / table plans


def test_queue_example_plan_has_dlq_sse_and_alarms(planner):
    p = planner("queue")
    res = p.plan()
    assert res.returncode == 0, res.output
    plan = p.show()
    queues = {q["name"]: q for q in plan.after("aws_sqs_queue")}
    assert set(queues) == {"storefirst-example-webhooks", "storefirst-example-webhooks-dlq"}
    assert all(q["sqs_managed_sse_enabled"] is True for q in queues.values())
    assert queues["storefirst-example-webhooks-dlq"]["message_retention_seconds"] == 1209600
    alarms = {a["metric_name"] + ":" + a["dimensions"]["QueueName"]: a for a in plan.after("aws_cloudwatch_metric_alarm")}
    assert set(alarms) == {
        "ApproximateAgeOfOldestMessage:storefirst-example-webhooks",
        "ApproximateNumberOfMessagesVisible:storefirst-example-webhooks",
        "ApproximateNumberOfMessagesVisible:storefirst-example-webhooks-dlq",
    }
    assert all(a["treat_missing_data"] == "notBreaching" for a in alarms.values())


def test_queue_refuses_fifo_dedup_on_standard_queue(tmp_path):
    # A throwaway root calling the module directly (the example does not expose fifo).
    root = tmp_path / "repo"
    fixture = root / "fixture"
    fixture.mkdir(parents=True)
    (root / "modules").symlink_to(REPO / "modules")
    (fixture / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-1"\n}\n'
        'module "q" {\n  source = "../modules/queue"\n  name = "x"\n  content_based_deduplication = true\n}\n'
    )
    (fixture / "override.tf").write_text(
        'provider "aws" {\n  access_key = "AKIAIOSFODNN7EXAMPLE"\n  secret_key = "x"\n'
        "  skip_credentials_validation = true\n  skip_requesting_account_id = true\n"
        "  skip_metadata_api_check = true\n  skip_region_validation = true\n}\n"
    )
    wd = Workdir(fixture, data_dir=tmp_path / "tfdata")
    wd.init()
    res = wd.run("plan", "-no-color", "-input=false", "-lock=false", check=False)
    assert res.returncode != 0
    assert "content_based_deduplication applies to FIFO queues only" in _one_line(res.output)


def test_function_example_plan_uses_powertools_layer_and_own_log_group(planner):
    p = planner("function")
    res = p.plan()
    assert res.returncode == 0, res.output
    plan = p.show()
    fn = plan.one("aws_lambda_function")["change"]["after"]
    assert fn["layers"] == [
        "arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-arm64:38"
    ]
    assert fn["runtime"] == "python3.12" and fn["architectures"] == ["arm64"]
    assert fn["logging_config"][0]["log_group"] == "/aws/lambda/storefirst-example-ping"
    lg = plan.one("aws_cloudwatch_log_group")["change"]["after"]
    assert lg["name"] == "/aws/lambda/storefirst-example-ping" and lg["retention_in_days"] == 30
    duration = [a for a in plan.after("aws_cloudwatch_metric_alarm") if a["metric_name"] == "Duration"]
    assert duration and duration[0]["extended_statistic"] == "p99" and duration[0]["threshold"] == 8000


def test_function_refuses_timeout_out_of_range(planner):
    res = planner("function").plan(timeout=901)
    assert res.returncode != 0
    assert "timeout must be a whole number of seconds from 1 to 900" in _one_line(res.output)


def test_table_example_plan(planner):
    p = planner("table")
    res = p.plan()
    assert res.returncode == 0, res.output
    plan = p.show()
    t = plan.one("aws_dynamodb_table")["change"]["after"]
    assert t["billing_mode"] == "PAY_PER_REQUEST"
    assert t["point_in_time_recovery"] == [{"enabled": True}]
    assert t["deletion_protection_enabled"] is False
    assert t["stream_enabled"] is True and t["stream_view_type"] == "NEW_AND_OLD_IMAGES"
    assert t["ttl"] == [{"attribute_name": "expires_at", "enabled": True}]
    assert [g["name"] for g in t["global_secondary_index"]] == ["by-email"]
    metrics = sorted(
        q["metric"][0]["metric_name"]
        for a in plan.after("aws_cloudwatch_metric_alarm")
        for q in a["metric_query"]
        if q["metric"]
    )
    assert metrics.count("SystemErrors") == 10
    assert "ReadThrottleEvents" in metrics and "WriteThrottleEvents" in metrics


# ---------------------------------------------------------------- ping function


def _load_ping():
    spec = importlib.util.spec_from_file_location("ping_handler_module", REPO / "lambda_src" / "ping" / "ping.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def test_ping_handler_returns_ok():
    assert _load_ping().handler({}, None) == {"ok": True}


def test_ping_zip_is_deterministic_and_tiny(built_zips):
    z = built_zips["ping"]
    first = z.read_bytes()
    again = build.build("ping").read_bytes()
    assert first == again
    with zipfile.ZipFile(z) as zf:
        assert zf.namelist() == ["ping.py"]
    assert len(first) < 50_000
