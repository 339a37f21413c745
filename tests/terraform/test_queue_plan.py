"""modules/queue: the example's plan (DLQ, SSE, alarms) and the FIFO-only refusal.

The refusals plan the module's runnable example offline (no credentials) with a bad `-var`
and assert that *the module's own* error message comes back, not a provider error at apply
time. The native `terraform test` files cover attribute wiring with mocks; these tests cover
what a user sees on the command line.
"""

from __future__ import annotations

import pytest

from example_planner import one_line
from storefirst.terraform import REPO, Workdir

pytestmark = pytest.mark.terraform


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
    assert "content_based_deduplication applies to FIFO queues only" in one_line(res.output)
