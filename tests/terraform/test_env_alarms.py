"""Issue 6: every queue, DLQ, API, function, table and workflow of each env has its alarms,
on the metric names and dimensions AWS publishes, wired to the env's alarm topic."""

from __future__ import annotations

import pytest

from tf_roots import ENVS

pytestmark = pytest.mark.terraform

ENV_NAMES = [e.name for e in ENVS if e.name != "local"]


def metrics_of(alarm: dict) -> list[tuple[str, str, dict]]:
    """(namespace, metric, dimensions) of an alarm, whether plain or metric-math."""
    out = []
    if alarm.get("metric_name"):
        out.append((alarm["namespace"], alarm["metric_name"], alarm.get("dimensions") or {}))
    for q in alarm.get("metric_query") or []:
        for m in q.get("metric") or []:
            out.append((m["namespace"], m["metric_name"], m.get("dimensions") or {}))
    return out


@pytest.fixture(params=ENV_NAMES)
def plan(request, env_plan):
    return env_plan(request.param)


@pytest.fixture
def alarms(plan):
    found = plan.changes("aws_cloudwatch_metric_alarm")
    assert found, "no alarms planned"
    return found


def _has(alarms, namespace, metric, **dims) -> list[dict]:
    hits = []
    for rc in alarms:
        for ns, name, d in metrics_of(rc["change"]["after"]):
            if ns == namespace and name == metric and all(d.get(k) == v for k, v in dims.items() if v is not None) and set(dims) <= set(d):
                hits.append(rc)
    return hits


def test_every_alarm_notifies_the_topic_and_handles_missing_data(alarms):
    for rc in alarms:
        after, unknown = rc["change"]["after"], rc["change"]["after_unknown"]
        assert after.get("alarm_actions") or unknown.get("alarm_actions"), f"{rc['address']} notifies nobody"
        assert after["treat_missing_data"] in ("notBreaching", "missing", "ignore", "breaching"), rc["address"]


def test_queues_have_age_and_depth_alarms_and_dlqs_alarm_on_any_message(plan, alarms):
    from test_envs import work_queues_and_dlqs

    work_rcs, dlq_rcs = work_queues_and_dlqs(plan)
    work = [rc["change"]["after"]["name"] for rc in work_rcs]
    dlqs = [rc["change"]["after"]["name"] for rc in dlq_rcs]
    assert work and dlqs
    for q in work:
        age = _has(alarms, "AWS/SQS", "ApproximateAgeOfOldestMessage", QueueName=q)
        assert age, f"queue {q}: no oldest-message-age alarm"
        assert all(a["change"]["after"]["treat_missing_data"] == "notBreaching" for a in age), "an idle queue is not an alarm"
        assert _has(alarms, "AWS/SQS", "ApproximateNumberOfMessagesVisible", QueueName=q), f"queue {q}: no depth alarm"
    for q in dlqs:
        hits = _has(alarms, "AWS/SQS", "ApproximateNumberOfMessagesVisible", QueueName=q)
        assert hits, f"DLQ {q}: no alarm"
        a = hits[0]["change"]["after"]
        # "any visible message": >= 1 or > 0
        assert (a["comparison_operator"], a["threshold"]) in (("GreaterThanOrEqualToThreshold", 1), ("GreaterThanThreshold", 0)), a


def test_functions_have_errors_throttles_and_duration_alarms(plan, alarms):
    names = [f["function_name"] for f in plan.after("aws_lambda_function")]
    assert names
    for fn in names:
        for metric in ("Errors", "Throttles", "Duration"):
            assert _has(alarms, "AWS/Lambda", metric, FunctionName=fn), f"{fn}: no {metric} alarm"
    for rc in _has(alarms, "AWS/Lambda", "Duration"):
        a = rc["change"]["after"]
        assert a.get("extended_statistic") == "p99" or any(
            (m.get("stat") == "p99") for q in a.get("metric_query") or [] for m in q.get("metric") or []), "Duration alarm must be on p99"


def test_http_api_has_5xx_and_p99_latency_alarms(plan, alarms):
    apis = plan.changes("aws_apigatewayv2_api")
    assert apis
    for api in apis:
        # The API id is unknown until apply: check the metric names and that the dimensions
        # are wired to this API. HTTP APIs publish `5xx`; REST's `5XXError` would stay empty.
        # The module's alarms are in its internal metric-alarms module (module.alarms).
        mine = [a for a in alarms if a.get("module_address") in (api.get("module_address"), f"{api.get('module_address')}.module.alarms")]
        by_metric = {name: a for a in mine for _, name, _ in metrics_of(a["change"]["after"])}
        for metric in ("5xx", "Latency"):
            assert metric in by_metric, f"{api['address']}: no {metric} alarm"
            for _, name, dims in metrics_of(by_metric[metric]["change"]["after"]):
                # dimensions {ApiId, Stage}: unknown until the API exists, never without ApiId
                assert not dims or "ApiId" in dims, f"{metric} alarm dimensions {dims} lack ApiId"
        assert by_metric["Latency"]["change"]["after"].get("extended_statistic") == "p99"


def test_rest_api_has_5xxerror_and_p99_latency_alarms(plan, alarms):
    apis = plan.after("aws_api_gateway_rest_api")
    assert apis
    for api in apis:
        assert _has(alarms, "AWS/ApiGateway", "5XXError", ApiName=api["name"]), f"{api['name']}: no 5XXError alarm"
        lat = _has(alarms, "AWS/ApiGateway", "Latency", ApiName=api["name"])
        assert lat and lat[0]["change"]["after"].get("extended_statistic") == "p99"


def test_tables_have_throttle_alarms(plan, alarms):
    for t in plan.after("aws_dynamodb_table"):
        assert _has(alarms, "AWS/DynamoDB", "WriteThrottleEvents", TableName=t["name"]) or \
            _has(alarms, "AWS/DynamoDB", "ThrottledRequests", TableName=t["name"]), f"{t['name']}: no throttle alarm"


def test_workflows_have_execution_alarms(plan, alarms):
    machines = plan.changes("aws_sfn_state_machine")
    if not machines:
        pytest.skip("this env deploys no state machine")
    for metric in ("ExecutionsFailed", "ExecutionsTimedOut", "ExecutionThrottled"):
        assert len(_has(alarms, "AWS/States", metric)) >= len(machines), f"missing {metric} alarms"


def test_dashboard_is_planned(plan):
    assert plan.changes("aws_cloudwatch_dashboard"), "each env has a dashboard"
