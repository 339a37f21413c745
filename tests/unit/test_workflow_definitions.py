"""Every Step Functions definition (*.asl.json) in the repository passes statelint.

Definitions are templatefile() templates: their `${name}` placeholders are rendered with
dummy values (ARN-, URL- or name-shaped by the placeholder's name; numbers when unquoted)
before linting. They must also stay JSONPath, the query language moto can execute.
"""

from __future__ import annotations

import json

import pytest
from statelint.linter import Linter

from storefirst.terraform import REPO
from workflow_asl import placeholders, render

SKIP_DIRS = {".git", ".venv", ".cache", "build", "node_modules", ".terraform"}
DEFINITIONS = sorted(
    p for p in REPO.rglob("*.asl.json") if not SKIP_DIRS.intersection(p.relative_to(REPO).parts)
)


def _rel(p):
    return str(p.relative_to(REPO))


def _states(node: dict):
    """Every state, including those nested in Parallel branches and Map iterators."""
    for name, state in node.get("States", {}).items():
        yield name, state
        for branch in state.get("Branches", []):
            yield from _states(branch)
        for key in ("ItemProcessor", "Iterator"):
            if key in state:
                yield from _states(state[key])


def test_definitions_found():
    found = {_rel(p) for p in DEFINITIONS}
    assert {"envs/app/workflows/order.asl.json", "envs/app/workflows/create_customer.asl.json",
            "modules/workflow/examples/order/order.asl.json"} <= found, found


@pytest.mark.parametrize("path", DEFINITIONS, ids=_rel)
def test_statelint(path):
    definition = render(path, dummies=True)
    problems = Linter.validate(definition)
    assert problems == [], f"{_rel(path)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", DEFINITIONS, ids=_rel)
def test_jsonpath_only(path):
    definition = render(path, dummies=True)
    assert definition.get("QueryLanguage", "JSONPath") == "JSONPath", "moto executes JSONPath definitions only"
    for name, state in _states(definition):
        assert state.get("QueryLanguage", "JSONPath") == "JSONPath", f"state {name} uses {state['QueryLanguage']}"


def test_statelint_catches_a_broken_definition():
    """The linter is live: a dangling Next and a machine without a terminal state are reported."""
    broken = {"StartAt": "A", "States": {"A": {"Type": "Task", "Next": "Nowhere"}}}
    problems = Linter.validate(broken)
    assert any("Nowhere" in p for p in problems), problems
    assert any("terminal" in p for p in problems), problems


def test_placeholders_know_quoted_from_bare():
    text = '{"TableName": "${orders_table}", "Seconds": ${hold_seconds}, "Url": "x/${queue_url}"}'
    assert placeholders(text) == {"orders_table": True, "hold_seconds": False, "queue_url": True}
    rendered = render(text, dummies=True)
    assert rendered["Seconds"] == 60 and rendered["TableName"] == "dummy-orders-table"
    with pytest.raises(ValueError, match="unsupported"):
        render('{"a": "%{ if x }y%{ endif }"}', dummies=True)
    with pytest.raises(KeyError):
        render('{"a": "${b}"}')


def test_offline_validate_endpoint_answers_like_step_functions():
    """storefirst.sfn_validate speaks the real API (what the provider calls during plan)."""
    import boto3

    from storefirst import sfn_validate

    with sfn_validate.serve() as url:
        sfn = boto3.client("stepfunctions", region_name="eu-west-1", endpoint_url=url,
                           aws_access_key_id="x", aws_secret_access_key="y")
        good = render(DEFINITIONS[0], dummies=True)
        ok = sfn.validate_state_machine_definition(definition=json.dumps(good), type="STANDARD")
        assert ok["result"] == "OK" and ok["diagnostics"] == []
        bad = sfn.validate_state_machine_definition(definition='{"StartAt": "A", "States": {}}')
        assert bad["result"] == "FAIL"
        assert any("A" in d["message"] for d in bad["diagnostics"]), bad["diagnostics"]


def test_retry_budget_arithmetic():
    from workflow_asl import retry_wait_seconds, worst_case_seconds

    assert retry_wait_seconds({"IntervalSeconds": 1, "BackoffRate": 2.0, "MaxAttempts": 2}) == 3
    assert retry_wait_seconds({"IntervalSeconds": 2, "BackoffRate": 2.0, "MaxAttempts": 6, "MaxDelaySeconds": 10}) == 2 + 4 + 8 + 10 + 10 + 10
    machine = {"States": {"W": {"Type": "Wait", "Seconds": 5},
                          "T": {"Type": "Task", "TimeoutSeconds": 3, "Retry": [{"IntervalSeconds": 1, "MaxAttempts": 1}]}}}
    assert worst_case_seconds(machine) == 5 + 3 * 2 + 1
    assert worst_case_seconds({"States": {"T": {"Type": "Task"}}}) == float("inf")
