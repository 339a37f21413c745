"""One Lambda execution environment: `python _worker.py <task_root> <module.function>`.

Standalone on purpose (imports nothing from storefirst): the parent sets the function's
environment, this process imports the handler once (the "init" phase) and then serves one
invocation at a time, like a warm Lambda execution environment. Requests arrive as JSON lines
on stdin; replies go to a private copy of the original stdout, while fd 1 is pointed at
stderr so `print()` in a handler ends up in the function's log file, as in CloudWatch Logs.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback


class Context:
    """The attributes of the Lambda context object ("Using the Lambda context object to
    retrieve Python function information" in the Lambda developer guide)."""

    def __init__(self, meta: dict) -> None:
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = meta.get("invoked_function_arn", "")
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        self.aws_request_id = meta.get("request_id", "")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None
        self._deadline = float(meta.get("deadline", time.time() + 3))

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.time()) * 1000))


def main() -> None:
    task_root, handler_spec = sys.argv[1], sys.argv[2]
    reply = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = os.fdopen(1, "w", buffering=1)
    sys.path.insert(0, task_root)
    os.chdir(task_root)
    init_error = None
    try:
        module_name, func_name = handler_spec.rsplit(".", 1)
        handler = getattr(importlib.import_module(module_name.replace("/", ".")), func_name)
    except Exception as exc:  # reported on every invocation, like Runtime.ImportModuleError
        init_error = {
            "errorType": "Runtime.ImportModuleError",
            "errorMessage": f"Unable to import module '{handler_spec}': {exc}",
            "stackTrace": traceback.format_exc().splitlines(),
        }
        traceback.print_exc()
    reply.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        req = json.loads(line)
        if init_error:
            out = {"ok": False, **init_error}
        else:
            try:
                result = handler(req["event"], Context(req))
                out = {"ok": True, "result": result}
            except Exception as exc:
                traceback.print_exc()
                out = {
                    "ok": False,
                    "errorType": type(exc).__name__,
                    "errorMessage": str(exc),
                    "stackTrace": traceback.format_exc().splitlines(),
                }
        try:
            text = json.dumps(out, default=str)
        except (TypeError, ValueError) as exc:
            text = json.dumps({"ok": False, "errorType": "Runtime.MarshalError", "errorMessage": str(exc)})
        reply.write(text + "\n")
        reply.flush()


if __name__ == "__main__":
    main()
