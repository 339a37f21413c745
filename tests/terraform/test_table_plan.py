"""modules/table: the example's plan (on-demand, PITR, stream, TTL, GSI, alarms).

The example is planned offline (no credentials) with the real provider; the native
`terraform test` files cover attribute wiring with mocks.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.terraform


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
