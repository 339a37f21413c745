"""Warm start of `make up` (issue 10): the cold path applies envs/local and saves a snapshot;
the next start with unchanged inputs restores it. The restored emulator must be
indistinguishable to Terraform and to the gateway and workers:
- `terraform plan` against the restored emulator shows no changes, as it does against the
  freshly applied one (both are checked: a cold "no changes" shows the emulator reads back
  what the apply wrote, a warm one that the restore lost or changed nothing). That needed the
  emulator to return what AWS returns where moto 5.2.5 did not (a Lambda function's
  LoggingConfig, a compact RedrivePolicy: storefirst/local/emulator.py items 13-14) and the
  REST modules to hash their deployments without unset attributes read back as {};
- the seed request goes POST /webhook -> SQS -> worker -> data API -> DynamoDB.
Both starts run `python -m storefirst up` in subprocesses: moto's state is
process-wide, and a restore replaces all of it. The cold start is forced (`--fresh`), so this
also tests the cold path of `make up` on a fresh clone (CI has no snapshot).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import stack_group

from storefirst.local.testing import call_json, wait_for
from storefirst.terraform import REPO, Workdir

# In the local_stack group, its cold start beside the group's applies (tests/stack_group.py): both
# mostly sleep in provider waits, so one worker holds all the waiting, at once, while the other
# stays on CPU-bound plans (on separate workers, each idled about half a core for ~160 s).
pytestmark = [pytest.mark.terraform, pytest.mark.slow, pytest.mark.xdist_group("local_stack")]

NAME = "test-warm-start"


class Up:
    """`python -m storefirst up envs/local` running in a subprocess until stopped."""

    def __init__(self, endpoints, *extra: str):
        self.endpoints = endpoints
        cmd = [sys.executable, "-m", "storefirst", "up", "envs/local", "--no-build", "--name", NAME,
               "--endpoints-file", str(endpoints), *extra]
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, cwd=REPO, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"})
        self.lines: list[str] = []
        self.eps: dict = {}  # the endpoints file, once ready
        threading.Thread(target=lambda: self.lines.extend(self.proc.stdout), daemon=True).start()  # type: ignore[arg-type]

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def ready(self, timeout: float) -> dict:
        ok = wait_for(lambda: self.endpoints.exists() or self.proc.poll() is not None, timeout, 0.2)
        assert ok and self.endpoints.exists(), "never became ready:\n" + self.output
        self.seconds = time.monotonic() - self.t0
        return json.loads(self.endpoints.read_text())

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def planned(tmp_path, tag: str) -> tuple[int, list]:
    """(plan -detailed-exitcode, [(address, actions, after, after_unknown)]) of envs/local's
    working copy against the emulator it is pointed at."""
    from storefirst.local import tfapply

    slug = tfapply.slug_for(REPO / "envs" / "local", NAME)
    wd = Workdir(tfapply.STATE_ROOT / "roots" / slug / "envs" / "local", data_dir=tfapply.STATE_ROOT / "tf-data" / slug)
    out = tmp_path / f"{tag}.tfplan"
    res = wd.run("plan", "-detailed-exitcode", "-input=false", "-lock=false", "-no-color", f"-out={out}",
                 check=False, timeout=600)
    assert res.returncode in (0, 2), res.output
    shown = json.loads(wd.run("show", "-json", str(out)).stdout)
    changes = sorted((rc["address"], rc["change"]["actions"], json.dumps(rc["change"]["after"], sort_keys=True),
                      json.dumps(rc["change"].get("after_unknown"), sort_keys=True))
                     for rc in shown.get("resource_changes", []) if rc["change"]["actions"] != ["no-op"])
    return res.returncode, changes


def _cold_start() -> Up:
    """The cold `make up` (forced: CI has no snapshot), ready; started beside the group's applies."""
    cold = Up(Path(tempfile.mkdtemp(prefix="warm-start-")) / "cold.json", "--fresh")
    try:
        cold.eps = cold.ready(900)
    except BaseException:
        cold.stop()
        raise
    return cold


started = stack_group.start_beside(__name__, _cold_start)


def test_restored_emulator_plans_like_the_applied_one_and_serves_the_seed(started, tmp_path, built_zips):
    from storefirst.local.emulator import client

    cold = started
    try:
        cold_eps = cold.eps
        assert "applying: --fresh" in cold.output
        assert "apply critical path" in cold.output and "resources done" in cold.output, cold.output
        assert planned(tmp_path, "cold") == (0, []), "the applied env plans changes against the emulator"
    finally:
        cold.stop()

    warm = Up(tmp_path / "warm.json")
    try:
        eps = warm.ready(120)
        assert "restored: inputs unchanged" in warm.output, warm.output
        # Same emulator port, same API ids as the apply made: URLs and ARNs in the state hold.
        assert eps["emulator"] == cold_eps["emulator"]
        assert set(eps["apis"]) == set(cold_eps["apis"]) and set(eps["rest_apis"]) == set(cold_eps["rest_apis"])
        assert eps["rest_apis"], "the REST data API is listed"
        assert "REST API" in warm.output

        # Terraform sees exactly what the apply left: no changes.
        assert planned(tmp_path, "warm") == (0, [])

        # The seed request end to end through the restored stack.
        app = eps["outputs"]["app"]
        api = eps["apis"][app["api_id"]]["url"]
        seed = {"operation": "store-new-user",
                "data": {"id": "WARM1", "first_name": "John", "last_name": "Doe", "email": "john@example.com"}}
        status, body = call_json(api + "/webhook", "POST", seed, {"X-Idempotency-Key": "warm-1"})
        assert 200 <= status < 300, body
        ddb = client(eps["emulator"], "dynamodb", region=eps["region"])


        def stored():
            items = ddb.scan(TableName=app["users_table_name"])["Items"]
            return [it for it in items if (it.get("id") or {}).get("S") == "WARM1"]

        got = wait_for(stored, 60)
        assert got and got[0]["email"]["S"] == "john@example.com", got
    finally:
        warm.stop()
    print(f"cold start ready in {cold.seconds:.1f} s, warm start in {warm.seconds:.1f} s (subprocess wall time)")
