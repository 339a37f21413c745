"""Shared fixtures of every tier: Terraform working dirs, offline env plans, built zips, DynamoDB
Local, the embedded emulator. (The Terraform roots the checks walk: tests/terraform/tf_roots.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from storefirst import build
from storefirst.local.testing import applied, emulator  # noqa: F401  (apply-for-real fixtures)
from storefirst.terraform import REPO, Workdir, _locked, plan_env

@pytest.fixture(scope="session")
def built_zips() -> dict[str, Path]:
    """Every function zip (built once; `make test` has usually built them already)."""
    with _locked("build"):
        out = {}
        for fn in build.functions():
            z = build.BUILD / f"{fn}.zip"
            out[fn] = z if z.exists() else build.build(fn)
        return out


@pytest.fixture
def plain_moto(monkeypatch):
    """For fixtures that run moto's own `mock_aws()`: without the AWS managed policies the
    embedded emulator asks moto for (storefirst/local/emulator.py sets
    MOTO_IAM_LOAD_MANAGED_POLICIES for the whole process). mock_aws() resets every backend when
    it starts and stops, and with that variable set each reset rebuilds ~1,600 policies in every
    IAM partition backend before discarding them: about 3 s a test
    (tests/unit/test_webhook_worker.py alone: 44 s without it, 207 s with it). The emulator's
    own backends come back lazily afterwards, with the variable restored. None of these tests
    attaches a managed policy."""
    monkeypatch.delenv("MOTO_IAM_LOAD_MANAGED_POLICIES", raising=False)


@pytest.fixture(scope="session")
def env_plan(built_zips):
    """env_plan("dev") -> storefirst.terraform.Plan (cached on disk by content)."""

    def _plan(name: str, **variables):
        return plan_env(REPO / "envs" / name, **variables)

    return _plan


@pytest.fixture(scope="session")
def group_stacks(request, emulator, built_zips):
    """The `local_stack` group's stacks, applied side by side into this worker's emulator
    (tests/stack_group.py); `group_stacks.serve(__name__)` serves a module's own."""
    import stack_group

    collected = {item.module.__name__ for item in request.session.items}
    stacks = stack_group.GroupStacks(emulator, sorted(collected & stack_group.registered()))
    try:
        yield stacks
    finally:
        stacks.close()


@pytest.fixture
def workdir():
    def _wd(path: Path | str) -> Workdir:
        return Workdir(REPO / path)

    return _wd


@pytest.fixture(scope="session")
def dynamodb_local():
    """A DynamoDB Local (AWS's engine) on a free 127.0.0.1 port for the session."""
    from storefirst import dynamodb_local as ddbl

    try:
        server = ddbl.start()
    except ddbl.Unavailable as exc:
        import shutil as _sh

        if _sh.which("java") is None:
            pytest.skip(f"DynamoDB Local needs Java: {exc}")
        raise
    yield server
    server.stop()


class _Script:
    def __init__(self):
        self.replies: list[tuple[int, object]] = []
        self.seen: list[dict] = []


@pytest.fixture
def scripted_server():
    """An HTTP server on 127.0.0.1 answering POSTs from a script: (url, script) where
    script.replies is a list of (status, JSON payload) and script.seen the requests."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    script = _Script()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            script.seen.append({"headers": dict(self.headers), "body": json.loads(body)})
            status, payload = script.replies.pop(0) if script.replies else (500, {"error": "NoScript"})
            raw = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/v1/", script
    httpd.shutdown()


@pytest.fixture(scope="session")
def checkov_enrichment_root(tmp_path_factory) -> Path:
    """A copy of modules/ and envs/ only, for checkov's plan enrichment (which maps planned
    resources back to code, and with it the inline skips). Pointed at the whole repo it can
    match a module's resource to a same-named one in tests/fixtures; it does not follow
    symlinks, hence a copy."""
    import shutil

    root = tmp_path_factory.mktemp("checkov-root")
    for top in ("modules", "envs"):
        shutil.copytree(REPO / top, root / top, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    return root
