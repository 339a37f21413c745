"""modules/function: the example's plan (Powertools layer, own log group, alarms) and the timeout refusal.

The refusals plan the module's runnable example offline (no credentials) with a bad `-var`
and assert that *the module's own* error message comes back, not a provider error at apply
time. The native `terraform test` files cover attribute wiring with mocks; these tests cover
what a user sees on the command line.
"""

from __future__ import annotations

import pytest

from example_planner import one_line

pytestmark = pytest.mark.terraform


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
    assert "timeout must be a whole number of seconds from 1 to 900" in one_line(res.output)
