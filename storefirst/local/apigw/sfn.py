"""Step Functions calls made by an API Gateway integration (HTTP API subtypes and REST
`arn:aws:apigateway:<region>:states:action/<Action>`), as the service answers them.

- StartExecution: 200 {"executionArn", "startDate"}.
- StartSyncExecution (Express only): 200 with the execution's `status` (SUCCEEDED, FAILED,
  TIMED_OUT) and, when failed, `error`/`cause`: a failed execution is still HTTP 200 ("StartSyncExecution",
  Step Functions API reference). A Standard state machine is refused with
  StateMachineTypeNotSupported. moto has no StartSyncExecution, so it runs as StartExecution +
  DescribeExecution until the execution ends (moto runs JSONPath definitions).
- the caller's role must allow the action on the state machine (identity policies).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, Protocol


class Authorizer(Protocol):
    """What the calls ask of IAM (iam.Policies; a setup with no IAM passes one that allows all)."""

    def allowed(self, role_arn: str | None, action: str, resource: str) -> bool: ...


def _denied(role: str | None, action: str, arn: str) -> tuple[int, dict[str, Any]]:
    return 400, {
        "__type": "AccessDeniedException",
        "message": f"User: {role} is not authorized to perform: {action} on resource: {arn}",
    }


def _error(exc: Exception) -> tuple[int, dict[str, Any]]:
    resp = getattr(exc, "response", None) or {}
    err = resp.get("Error", {})
    return resp.get("ResponseMetadata", {}).get("HTTPStatusCode", 400), {
        "__type": err.get("Code", "InvalidInput"),
        "message": err.get("Message", str(exc)),
    }


def start_execution(
    client: Callable[[str], Any], iam: Authorizer, role: str | None, arn: str, input_: str, name: str | None
) -> tuple[int, dict[str, Any]]:
    if not iam.allowed(role, "states:StartExecution", arn):
        return _denied(role, "states:StartExecution", arn)
    try:
        # Without a name the service generates a UUID (moto would name every execution "None").
        res = client("stepfunctions").start_execution(stateMachineArn=arn, input=input_, name=name or str(uuid.uuid4()))
    except Exception as exc:
        return _error(exc)
    return 200, {"executionArn": res["executionArn"], "startDate": res["startDate"].timestamp()}


def start_sync_execution(
    client: Callable[[str], Any],
    iam: Authorizer,
    role: str | None,
    arn: str,
    input_: str,
    name: str | None,
    timeout: float = 300,
) -> tuple[int, dict[str, Any]]:
    if not iam.allowed(role, "states:StartSyncExecution", arn):
        return _denied(role, "states:StartSyncExecution", arn)
    sfn = client("stepfunctions")
    try:
        sm = sfn.describe_state_machine(stateMachineArn=arn)
        if sm.get("type", "STANDARD") != "EXPRESS":
            return 400, {
                "__type": "StateMachineTypeNotSupported",
                "message": "This operation is not supported by this type of state machine",
            }
        start = sfn.start_execution(stateMachineArn=arn, input=input_, name=name or str(uuid.uuid4()))
    except Exception as exc:
        return _error(exc)
    deadline = time.time() + timeout
    while True:
        d = sfn.describe_execution(executionArn=start["executionArn"])
        if d["status"] != "RUNNING" or time.time() > deadline:
            break
        time.sleep(0.05)
    body = {
        k: d.get(k)
        for k in ("executionArn", "stateMachineArn", "name", "status", "input", "output", "error", "cause")
        if d.get(k) is not None
    }
    if body.get("status") == "ABORTED":  # Express sync executions end SUCCEEDED, FAILED or TIMED_OUT
        body["status"] = "FAILED"
    body["startDate"] = d["startDate"].timestamp()
    if d.get("stopDate"):
        body["stopDate"] = d["stopDate"].timestamp()
    return 200, body
