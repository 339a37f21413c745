"""Run Lambda handlers locally, as configured in the emulator.

Design choice: one **worker subprocess per concurrent execution environment**, per function
(`_worker.py`), not in-process calls. Reasons:
- a function's environment variables are process-global (`os.environ`), and handlers and
  Powertools read them at import time; two functions (or a function and the gateway) in one
  process would see each other's variables;
- each function's zip becomes `sys.path[0]` of its own process, so same-named modules of
  different functions cannot clash in `sys.modules`;
- module-level state (clients, caches) lives as long as the worker, which is exactly a warm
  Lambda execution environment; a timeout kills the worker like Lambda resets one;
- a handler that crashes the interpreter does not take the stack down.
Cost: one cold start per worker (~0.2-0.4 s of imports), then ~1 ms per invocation of IPC.

What a worker gets: the function's `Handler`, `Environment.Variables`, `Timeout`,
`MemorySize` from `GetFunctionConfiguration`; the code is the zip Terraform uploaded, found by
its `CodeSha256` in the build directories (or, failing that, read from the in-process emulator),
extracted to `.local-stack/code/<sha>/`; Lambda's reserved variables; SDK variables pointing at
the emulator. The Python interpreter and its site-packages stand in for the runtime + the
Powertools layer (gap: this venv's Python may differ from the function's runtime version).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import select
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storefirst.terraform import REPO

WORKER = Path(__file__).with_name("_worker.py")
CODE_ROOT = REPO / ".local-stack" / "code"
LOG_ROOT = REPO / ".local-stack" / "logs"


class InvokeError(Exception):
    def __init__(self, payload: dict[str, Any]):
        super().__init__(payload.get("errorMessage", "error"))
        self.payload = payload


@dataclass
class FunctionConfig:
    name: str
    arn: str
    handler: str
    timeout: int
    memory: int
    environment: dict[str, str]
    code_sha256: str
    runtime: str
    reserved_concurrency: int | None = None


def _b64sha(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def find_code(sha: str, search_dirs: list[Path], function_arn: str = "") -> bytes:
    """The zip bytes whose base64 SHA-256 equals `sha` (what Terraform uploaded)."""
    for d in search_dirs:
        for z in sorted(Path(d).glob("*.zip")):
            data = z.read_bytes()
            if _b64sha(data) == sha:
                return data
    # Fallback: the emulator runs in this process, read the code it stored.
    try:
        from moto.awslambda.utils import get_backend  # picks lambda_simple when use_docker is off

        _, _, _, region, account = function_arn.split(":")[:5]
        fn = get_backend(account, region).get_function(function_arn)
        if getattr(fn, "code_bytes", None) and fn.code_sha_256 == sha:
            return fn.code_bytes
    except Exception:  # not in-process, or unknown to it
        pass
    raise FileNotFoundError(f"no zip with CodeSha256 {sha} for {function_arn} in {search_dirs}")


def extract(data: bytes, sha: str) -> Path:
    dest = CODE_ROOT / hashlib.sha256(sha.encode()).hexdigest()[:16]
    if not (dest / ".complete").exists():
        dest.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            zf.extractall(dest)
        (dest / ".complete").write_text(sha)
    return dest


class _Worker:
    def __init__(
        self,
        fn: FunctionConfig,
        task_root: Path,
        env: dict[str, str],
        log: Any,
        sink: Callable[[str], None] | None = None,
    ):
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), str(task_root), fn.handler],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if sink else log,
            env=env,
            cwd=task_root,
        )
        self._buf = b""
        self.ready = False
        if sink is not None:
            # The handler's stdout/stderr (the worker points fd 1 at stderr): each line to the
            # local log file and to the function's CloudWatch Logs group, as Lambda does.
            threading.Thread(target=self._pump, args=(log, sink), daemon=True).start()

    def _pump(self, log: Any, sink: Callable[[str], None]) -> None:
        for raw in iter(self.proc.stderr.readline, b""):  # type: ignore[union-attr]
            try:
                log.write(raw)
                log.flush()
            except ValueError:  # log file closed at shutdown
                pass
            sink(raw.decode("utf-8", "replace").rstrip("\n"))

    def _readline(self, deadline: float) -> bytes | None:
        fd = self.proc.stdout.fileno()  # type: ignore[union-attr]
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise EOFError("worker exited")
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return line

    def call(self, event: Any, meta: dict[str, Any], timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        if not self.ready:  # init phase counts against the first invocation, like a cold start
            if self._readline(time.monotonic() + max(timeout, 10)) is None:
                raise TimeoutError
            self.ready = True
        self.proc.stdin.write((json.dumps({"event": event, **meta}) + "\n").encode())  # type: ignore[union-attr]
        self.proc.stdin.flush()  # type: ignore[union-attr]
        line = self._readline(deadline)
        if line is None:
            raise TimeoutError
        return json.loads(line)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


class LocalFunction:
    """A function's pool of warm workers; `invoke(event)` returns the handler's result."""

    def __init__(
        self,
        fn: FunctionConfig,
        task_root: Path,
        emulator_env: dict[str, str],
        max_workers: int = 2,
        url_map: dict[str, str] | None = None,
        shipper: Any = None,
    ):
        self.fn, self.task_root = fn, task_root
        self.url_map = dict(url_map or {})
        self.shipper = shipper
        LOG_ROOT.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_ROOT / f"{fn.name}.log"
        # Shared by every worker process of the function until close(), so not a with block.
        self._log = open(self.log_path, "ab")  # noqa: SIM115
        limit = fn.reserved_concurrency if fn.reserved_concurrency else max_workers
        self._slots = threading.BoundedSemaphore(max(1, min(limit, max_workers)))
        self._idle: list[_Worker] = []
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._env = self._environment(emulator_env)
        self.invocations = 0

    def _environment(self, emulator_env: dict[str, str]) -> dict[str, str]:
        keep = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "SYSTEMROOT")
        env = {k: os.environ[k] for k in keep if k in os.environ}
        env.update(
            {
                "AWS_LAMBDA_FUNCTION_NAME": self.fn.name,
                "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.fn.memory),
                "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{self.fn.name}",
                "AWS_LAMBDA_LOG_STREAM_NAME": f"local/{uuid.uuid4().hex}",
                "AWS_EXECUTION_ENV": f"AWS_Lambda_{self.fn.runtime}",
                "LAMBDA_TASK_ROOT": str(self.task_root),
                "_HANDLER": self.fn.handler,
                "PYTHONUNBUFFERED": "1",
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        env.update(emulator_env)
        env.update({k: resolve_url(v, self.url_map) for k, v in self.fn.environment.items()})
        return env

    def _sink(self, line: str) -> None:
        self.shipper.put(f"/aws/lambda/{self.fn.name}", line, f"{self.fn.name}")

    def _take(self) -> _Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        w = _Worker(self.fn, self.task_root, self._env, self._log, self._sink if self.shipper else None)
        with self._lock:
            self._all.append(w)
        return w

    def invoke(self, event: Any) -> Any:
        """Run the handler; raises InvokeError with Lambda's error payload on failure."""
        request_id = str(uuid.uuid4())
        if self.fn.reserved_concurrency == 0:  # reserved concurrency 0 throttles every invocation
            raise InvokeError({"errorType": "TooManyRequestsException", "errorMessage": "Rate Exceeded."})
        meta = {
            "request_id": request_id,
            "invoked_function_arn": self.fn.arn,
            "deadline": time.time() + self.fn.timeout,
        }
        with self._slots:
            w = self._take()
            try:
                out = w.call(event, meta, self.fn.timeout)
            except (TimeoutError, EOFError, BrokenPipeError, OSError) as exc:
                w.kill()
                with self._lock:
                    if w in self._all:
                        self._all.remove(w)
                msg = (
                    f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} {request_id} "
                    f"Task timed out after {self.fn.timeout:.2f} seconds"
                    if isinstance(exc, TimeoutError)
                    else f"worker died: {exc!r}"
                )
                raise InvokeError(
                    {
                        "errorType": "Sandbox.Timedout" if isinstance(exc, TimeoutError) else "Runtime.ExitError",
                        "errorMessage": msg,
                    }
                ) from None
            with self._lock:
                self._idle.append(w)
            self.invocations += 1
        if not out.get("ok"):
            raise InvokeError({k: v for k, v in out.items() if k != "ok"})
        return out.get("result")

    def close(self) -> None:
        with self._lock:
            workers, self._all, self._idle = self._all, [], []
        for w in workers:
            try:
                w.proc.stdin.close()  # type: ignore[union-attr]
                w.proc.wait(timeout=2)
            except Exception:
                w.kill()
        self._log.close()


def resolve_url(value: str, url_map: dict[str, str]) -> str:
    """An environment value naming an emulated API's AWS URL, rewritten to where the local
    gateway serves that API: `https://<id>.execute-api.<region>.amazonaws.com/v1` ->
    `http://127.0.0.1:<port>/v1` (the stage path is kept; the local gateway serves REST stages
    at `/<stage>/`, as the execute-api host does). `url_map` maps an API's AWS origin to its
    local origin (Gateway.url_map()). Other values pass unchanged."""
    for origin, local in url_map.items():
        if value == origin or value.startswith(origin + "/"):
            return local + value[len(origin) :]
    return value


def _quiet(fn: Any, *args: Any) -> None:
    with contextlib.suppress(Exception):
        fn(*args)


class Runtimes:
    """Lazily creates a LocalFunction per function name/ARN, reading config from the emulator."""

    def __init__(
        self,
        lambda_client: Any,
        emulator_env: dict[str, str],
        code_dirs: list[Path] | None = None,
        max_workers: int = 2,
    ):
        self.lam = lambda_client
        self.emulator_env = emulator_env
        self.code_dirs = list(code_dirs) if code_dirs is not None else [REPO / "build"]
        self.max_workers = max_workers
        # AWS origin -> local origin of each served API (set by the Stack once the gateway
        # listens) and the CloudWatch Logs shipper; both apply to functions started after.
        self.url_map: dict[str, str] = {}
        self.shipper: Any = None
        self._fns: dict[str, LocalFunction] = {}
        self._lock = threading.Lock()

    def config(self, name_or_arn: str) -> FunctionConfig:
        c = self.lam.get_function_configuration(FunctionName=name_or_arn)
        reserved = None
        with contextlib.suppress(Exception):  # no reserved concurrency configured
            reserved = self.lam.get_function_concurrency(FunctionName=c["FunctionName"]).get(
                "ReservedConcurrentExecutions"
            )
        return FunctionConfig(
            name=c["FunctionName"],
            arn=c["FunctionArn"],
            handler=c["Handler"],
            timeout=int(c.get("Timeout", 3)),
            memory=int(c.get("MemorySize", 128)),
            environment=dict((c.get("Environment") or {}).get("Variables") or {}),
            code_sha256=c["CodeSha256"],
            runtime=c.get("Runtime", "python3.12"),
            reserved_concurrency=reserved,
        )

    def get(self, name_or_arn: str) -> LocalFunction:
        key = name_or_arn.split(":function:")[-1].split(":")[0]
        with self._lock:
            if key not in self._fns:
                cfg = self.config(key)
                data = find_code(cfg.code_sha256, self.code_dirs, cfg.arn)
                self._fns[key] = LocalFunction(
                    cfg, extract(data, cfg.code_sha256), self.emulator_env, self.max_workers, self.url_map, self.shipper
                )
            return self._fns[key]

    def invoke_hook(self, function_name: str, body: Any, invocation_type: str, response_headers: dict) -> bytes:
        """Answer the emulator's lambda:Invoke ("Invoke" in the Lambda API reference): the
        handler's JSON result; on error the error payload with X-Amz-Function-Error: Unhandled;
        Event invocations run in the background."""
        raw = body.decode() if isinstance(body, bytes) else (body or "")
        event = json.loads(raw) if raw.strip() else {}
        fn = self.get(function_name)
        if invocation_type == "Event":
            threading.Thread(target=lambda: _quiet(fn.invoke, event), daemon=True).start()
            return b""
        try:
            return json.dumps(fn.invoke(event)).encode()
        except InvokeError as exc:
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps(exc.payload).encode()

    def close(self) -> None:
        for f in self._fns.values():
            f.close()
        self._fns.clear()
