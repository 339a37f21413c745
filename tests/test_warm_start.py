"""Warm start of `make up` (issue 10): the cold path applies envs/local and saves a snapshot;
the next start with unchanged inputs restores it. The restored emulator must be
indistinguishable to Terraform (a plan of the env against it has no changes) and to the
gateway and workers (the seed request goes POST /webhook -> SQS -> worker -> data API ->
DynamoDB). Both starts run `python -m storefirst.local up` in subprocesses: moto's state is
process-wide, and a restore replaces all of it.

The cold start is forced (`--fresh`), so this also tests the cold path on a fresh clone (CI
has no snapshot).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from storefirst.local.testing import call_json, wait_for
from storefirst.terraform import REPO, Workdir

pytestmark = [pytest.mark.terraform, pytest.mark.slow]

NAME = "test-warm-start"


def _up(*extra: str, endpoints) -> list[str]:
    return [sys.executable, "-m", "storefirst.local", "up", "envs/local", "--no-build", "--name", NAME,
            "--endpoints-file", str(endpoints), *extra]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}


def test_restored_emulator_plans_no_changes_and_serves_the_seed(tmp_path, built_zips):
    from storefirst.local import tfapply
    from storefirst.local.emulator import client

    cold_eps = tmp_path / "cold.json"
    cold = subprocess.run(_up("--fresh", "--once", endpoints=cold_eps), cwd=REPO, env=_env(),
                          capture_output=True, text=True, timeout=900)
    assert cold.returncode == 0, cold.stdout + cold.stderr
    assert "applying: --fresh" in cold.stdout
    assert "apply critical path" in cold.stdout and "resources done" in cold.stdout
    cold_ids = json.loads(cold_eps.read_text())

    warm_eps = tmp_path / "warm.json"
    t0 = time.monotonic()
    warm = subprocess.Popen(_up(endpoints=warm_eps), cwd=REPO, env=_env(), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert wait_for(warm_eps.exists, 120, 0.2), "warm start never became ready"
        ready = time.monotonic() - t0
        eps = json.loads(warm_eps.read_text())
        # Same emulator port, same API ids as the apply made: URLs and ARNs in the state hold.
        assert eps["emulator"] == cold_ids["emulator"]
        assert set(eps["apis"]) == set(cold_ids["apis"]) and set(eps["rest_apis"]) == set(cold_ids["rest_apis"])
        assert eps["rest_apis"], "the REST data API is listed"

        # Terraform sees exactly what it applied: plan -detailed-exitcode returns 0 (no changes).
        slug = tfapply.slug_for(REPO / "envs" / "local", NAME)
        wd = Workdir(tfapply.STATE_ROOT / "roots" / slug / "envs" / "local",
                     data_dir=tfapply.STATE_ROOT / "tf-data" / slug)
        plan = wd.run("plan", "-detailed-exitcode", "-input=false", "-lock=false", "-no-color", "-refresh=true",
                      check=False, timeout=600)
        assert plan.returncode == 0, plan.output

        # The seed request end to end through the restored stack.
        app = eps["outputs"]["app"]
        api = eps["apis"][app["api_id"]]["url"]
        seed = {"operation": "store-new-user",
                "data": {"id": "WARM1", "first_name": "John", "last_name": "Doe", "email": "john@example.com"}}
        status, body = call_json(api + "/webhook", "POST", seed, {"X-Idempotency-Key": "warm-1"})
        assert 200 <= status < 300, body
        ddb = client(eps["emulator"], "dynamodb", region=eps["region"])
        got = wait_for(lambda: ddb.get_item(TableName=app["users_table_name"], Key={"id": {"S": "WARM1"}}).get("Item"), 60)
        assert got and got["email"]["S"] == "john@example.com", got
    finally:
        warm.send_signal(signal.SIGTERM)
        try:
            out, _ = warm.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            warm.kill()
            out, _ = warm.communicate()
    assert "restored: inputs unchanged" in out, out
    print(f"warm start ready in {ready:.1f} s")
