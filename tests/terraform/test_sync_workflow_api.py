"""modules/sync-workflow-api: the templates Terraform renders, rendered the REST way.

StartSyncExecution answers 200 whatever the execution did (Step Functions API reference); the
client must still get a 4xx/5xx when it failed. The example is planned offline and its
rendered templates are run through storefirst.vtl (AWS's $input/$util/$context, incl.
$context.responseOverride.status) with the bodies StartSyncExecution returns.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from storefirst import vtl
from storefirst.terraform import REPO, Plan, Workdir, offline_copy

pytestmark = pytest.mark.terraform

EXAMPLE = REPO / "modules" / "sync-workflow-api" / "examples" / "basic"
ARN = "arn:aws:states:eu-west-1:123456789012:stateMachine:customer-signup"


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("sync-workflow-api")
    wd = Workdir(offline_copy(EXAMPLE, root), data_dir=Path(tempfile.mkdtemp(prefix="swa-tfdata-", dir=root)))
    wd.init(backend=True)
    plan_file = wd.data_dir / "plan.tfplan"  # type: ignore[operator]
    wd.run("plan", "-no-color", "-input=false", "-lock=false", f"-out={plan_file}")
    outputs = Plan(json.loads(wd.run("show", "-json", str(plan_file)).stdout)).raw["planned_values"]["outputs"]
    return {"response": outputs["response_templates"]["value"]["customers"],
            "request": outputs["request_templates"]["value"]["customers"]}


def _answer(templates, body: dict) -> tuple[int, dict]:
    out = vtl.render_full(templates["response"], body=body, context=vtl.new_context(requestId="req-1"))
    return (out.response_override.get("status") or 200), json.loads(out.body)


def test_succeeded_execution_is_200_with_its_output(templates):
    status, body = _answer(templates, {"status": "SUCCEEDED", "output": json.dumps({"customer_id": "c1"})})
    assert (status, body) == (200, {"customer_id": "c1"})


@pytest.mark.parametrize("error, expected", [("ValidationError", 400), ("AlreadyExists", 409)])
def test_declared_client_errors_are_4xx_with_the_cause(templates, error, expected):
    cause = 'A customer with id "c1" isn\'t new \\ really'
    status, body = _answer(templates, {"status": "FAILED", "error": error, "cause": cause})
    assert (status, body) == (expected, {"error": error, "message": cause, "request_id": "req-1"})


def test_any_other_failure_is_a_500_without_internals(templates):
    status, body = _answer(templates, {"status": "FAILED", "error": "States.TaskFailed", "cause": "Traceback: secret"})
    assert status == 500 and body == {"error": "WorkflowFailed", "message": "The workflow failed.", "request_id": "req-1"}


def test_timed_out_execution_is_504(templates):
    status, body = _answer(templates, {"status": "TIMED_OUT"})
    assert status == 504 and body["error"] == "Timeout"


def test_request_template_passes_the_body_as_the_execution_input(templates):
    client = {"customer_id": "c1", "email": "o'brien@example.com", "note": "quote \" and \\"}
    out = vtl.render_full(templates["request"], body=client)
    sent = json.loads(out.body)
    assert sent["stateMachineArn"] == ARN and json.loads(sent["input"]) == client
