"""An offline stand-in for Step Functions' ValidateStateMachineDefinition, backed by statelint.

Why: the AWS provider (5.x) calls ValidateStateMachineDefinition while *planning* an
`aws_sfn_state_machine` whose definition is known at plan time. Offline, that call fails
("dial tcp: lookup states.<region>.amazonaws.com ... no such host"), and moto 5.2.5 does not
implement it (an apply against moto retries forever). Point the provider's `sfn` endpoint
here and the plan gets a real answer: statelint's problems become FAIL diagnostics, so a
broken definition still fails the plan.

    with serve() as url:
        # provider "aws" { endpoints { sfn = url } ... }

Every other Step Functions operation answers 400 (this is not an emulator).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from statelint.linter import Linter

TARGET = "AWSStepFunctions.ValidateStateMachineDefinition"


def validate(definition: str) -> dict:
    """The ValidateStateMachineDefinition response for a definition string."""
    problems = Linter.validate(definition) if definition.strip() else ["definition is empty"]
    return {
        "result": "FAIL" if problems else "OK",
        "diagnostics": [
            {"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": p, "location": ""} for p in problems
        ],
        "truncated": False,
    }


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server API)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("X-Amz-Target") != TARGET:
            return self._send(
                400, {"__type": "UnknownOperationException", "message": f"offline stub answers {TARGET} only"}
            )
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return self._send(400, {"__type": "ValidationException", "message": "request is not JSON"})
        self._send(200, validate(request.get("definition", "")))

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:  # keep test output clean
        pass


@contextmanager
def serve(host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Run the stub on a free loopback port; yields its URL for `endpoints { sfn = ... }`."""
    server = ThreadingHTTPServer((host, port), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
