"""Call another Lambda function directly (the internal API pattern): `invoke(function, payload)`.

Synchronous `Invoke` (InvocationType RequestResponse) with the caller's IAM role, which needs
the callee's `invoker_policy_json` (modules/function). Pass the callee's `invoke_target_arn`
output as `function` (its alias ARN when it has one, so provisioned concurrency / SnapStart
apply); bundle this package with `shared.txt` (`internal_client`).

What the client does for you:
- JSON in, JSON out; request bodies over 6 MB (the synchronous Invoke limit) are refused
  before sending;
- a function that raised comes back from Lambda as HTTP 200 with header
  `X-Amz-Function-Error`: that becomes `RemoteFunctionError` (type and message of the callee's
  exception), never a silently returned error dict;
- throttling (429 TooManyRequestsException) and 5xx are retried by botocore's "standard"
  retry mode with backoff. Timeouts: `read_timeout` must exceed the callee's timeout, or the SDK
  gives up (and may retry) while the first invocation still runs. Retried invokes run the
  function again: only call idempotent functions with retries on.
"""

from __future__ import annotations

import functools
import json
from typing import Any

MAX_REQUEST_BYTES = 6 * 1024 * 1024  # synchronous invocation payload limit (Lambda quotas)


class InvokeError(Exception):
    """Base class of the errors this client raises."""


class PayloadTooLarge(InvokeError):
    pass


class RemoteFunctionError(InvokeError):
    """The function raised (or timed out / ran out of memory): `error_type`, `error_message`."""

    def __init__(self, function: str, kind: str, payload: Any):
        self.function = function
        self.kind = kind  # "Unhandled" (or "Handled" for custom runtimes)
        payload = payload if isinstance(payload, dict) else {"errorMessage": str(payload)}
        self.error_type = payload.get("errorType", "")
        self.error_message = payload.get("errorMessage", "")
        super().__init__(f"{function}: {kind} {self.error_type}: {self.error_message}")


class InternalClient:
    def __init__(
        self, client: Any = None, *, connect_timeout: float = 2, read_timeout: float = 35, max_attempts: int = 3
    ):
        if client is None:
            import boto3
            from botocore.config import Config

            client = boto3.client(
                "lambda",
                config=Config(
                    connect_timeout=connect_timeout,
                    read_timeout=read_timeout,
                    retries={"mode": "standard", "max_attempts": max_attempts},
                ),
            )
        self.client = client

    def invoke(self, function: str, payload: Any, *, qualifier: str | None = None) -> Any:
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        if len(body) > MAX_REQUEST_BYTES:
            raise PayloadTooLarge(
                f"request of {len(body)} bytes exceeds the {MAX_REQUEST_BYTES}-byte synchronous invoke limit"
            )
        kwargs = {"Qualifier": qualifier} if qualifier else {}
        resp = self.client.invoke(FunctionName=function, InvocationType="RequestResponse", Payload=body, **kwargs)
        raw = resp["Payload"].read()
        data = json.loads(raw) if raw else None
        if resp.get("FunctionError"):
            raise RemoteFunctionError(function, resp["FunctionError"], data)
        return data


@functools.cache
def default_client() -> InternalClient:
    """One client per execution environment (created on first call, reused while warm)."""
    return InternalClient()


def invoke(function: str, payload: Any, **kwargs: Any) -> Any:
    return default_client().invoke(function, payload, **kwargs)
