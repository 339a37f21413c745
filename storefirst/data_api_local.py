"""Execute the data API locally the way API Gateway does, against a real DynamoDB engine.

    envelope -> request validator (draft-04 model) -> request template (VTL)
             -> signed ExecuteStatement to DynamoDB (Local or moto)
             -> integration response by status (200 / 400 / 5xx) -> response template
             -> status (incl. $context.responseOverride.status) + JSON body

Used by the fidelity tests, the benchmark and (through `LocalDataApi.handle`) the local stack.
"""

from __future__ import annotations

import http.client
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from storefirst import vtl
from storefirst.catalog import Generated, validate_envelope

TARGET = "DynamoDB_20120810.ExecuteStatement"


@dataclass
class Response:
    status: int
    body: Any
    raw: str
    integration_status: int | None = None
    integration_request: str | None = None
    integration_response: str | None = None
    timings: dict[str, float] = field(default_factory=dict)


class LocalDataApi:
    def __init__(self, generated: Generated, endpoint: str, region: str = "eu-west-1",
                 credentials: Credentials | None = None):
        self.g = generated
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials or Credentials("AKIDLOCAL", "local-secret")
        parts = urlsplit(endpoint)
        self._host, self._port = parts.hostname, parts.port or 80
        self._conn: http.client.HTTPConnection | None = None

    # -- DynamoDB over HTTP, signed like API Gateway's AWS integration
    def _post(self, body: str, extra_headers: dict[str, str]) -> tuple[int, str]:
        headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": TARGET, **extra_headers}
        req = AWSRequest(method="POST", url=self.endpoint + "/", data=body.encode("utf-8"), headers=headers)
        SigV4Auth(self.credentials, "dynamodb", self.region).add_auth(req)
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = http.client.HTTPConnection(self._host, self._port, timeout=30)
            try:
                self._conn.request("POST", "/", body=req.body, headers=dict(req.headers.items()))
                resp = self._conn.getresponse()
                return resp.status, resp.read().decode("utf-8")
            except (http.client.HTTPException, OSError):
                self._conn.close()
                self._conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def handle(self, body: str | dict, headers: dict[str, str] | None = None,
               context: dict[str, Any] | None = None) -> Response:
        t0 = time.perf_counter()
        text = body if isinstance(body, str) else json.dumps(body)
        ctx = context if context is not None else vtl.new_context(requestId=str(uuid.uuid4()))
        try:
            envelope = json.loads(text)
        except ValueError:
            envelope = None
        problems = ["(envelope): not JSON"] if envelope is None else validate_envelope(self.g.model, envelope)
        if problems:
            # The BAD_REQUEST_BODY gateway response of modules/data-api.
            out = {"error": "ValidationError", "message": "Invalid request body", "detail": "; ".join(problems),
                   "request_id": ctx["requestId"]}
            return Response(400, out, json.dumps(out))
        req = vtl.render_full(self.g.request_template, body=text, headers=headers, context=ctx)
        t1 = time.perf_counter()
        json.loads(req.body)  # a template that emits invalid JSON is a bug: fail loudly
        try:
            req.body.encode("utf-8")
        except UnicodeEncodeError:
            # A lone UTF-16 surrogate (e.g. "\ud800" in the JSON) has no UTF-8 form, so no
            # DynamoDB string can hold it. Emulated as a 400 (not verifiable offline on AWS).
            out = {"error": "ValidationError", "message": "A value is not valid Unicode text.",
                   "request_id": ctx["requestId"]}
            return Response(400, out, json.dumps(out))
        override_headers = {k: str(v) for k, v in req.request_override.get("header", {}).items()}
        status, raw = self._post(req.body, override_headers)
        t2 = time.perf_counter()
        if status == 200:
            template, mapped = self.g.response_template, 200
        elif 400 <= status < 500:
            template, mapped = self.g.error_template, 400
        else:
            template, mapped = self.g.unavailable_template, 503
        res = vtl.render_full(template, body=raw, headers=headers, context=ctx)
        t3 = time.perf_counter()
        final = res.status or mapped
        parsed = json.loads(res.body)
        return Response(final, parsed, res.body, status, req.body, raw,
                        {"request_template": t1 - t0, "dynamodb": t2 - t1, "response_template": t3 - t2})

    def call(self, operation: str, data: dict[str, Any], **extra: Any) -> Response:
        return self.handle({"operation": operation, "data": data, **extra})

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
