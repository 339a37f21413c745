"""checkov over every module and every env plan: zero failed checks.

A skip is only accepted inline, beside the resource, with its reason
(`#checkov:skip=CKV_AWS_X: why`), so it is reviewed where it applies.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from storefirst.terraform import CACHE, REPO
from tf_roots import ENVS, INTERNAL, MODULES, rel

pytestmark = pytest.mark.terraform


def _checkov(*args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "checkov.main", "--quiet", "--compact", "--skip-download",
         "--output", "json", *args],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    data = json.loads(proc.stdout) if proc.stdout.strip() else {}
    return data[0] if isinstance(data, list) else data


def _failures(report: dict) -> list[str]:
    # An empty or unparsed report must not pass silently.
    # (checkov prints only a summary when no check applies to any resource)
    summary = report.get("summary", report)
    assert "checkov_version" in summary, f"no checkov report: {report}"
    assert summary.get("parsing_errors", 0) == 0, f"checkov could not parse: {report}"
    failed = report.get("results", {}).get("failed_checks", [])
    return [f"{c['check_id']} {c['check_name']} at {c['resource']} ({c['file_path']}:{c['file_line_range']})" for c in failed]


@pytest.mark.parametrize("module", MODULES + INTERNAL, ids=rel)
def test_checkov_module(module):
    report = _checkov("-d", str(module), "--framework", "terraform")
    assert _failures(report) == []


@pytest.mark.parametrize("env", ENVS, ids=lambda p: p.name)
def test_checkov_env_plan(env, env_plan, checkov_enrichment_root):
    plan = env_plan(env.name)
    out = CACHE / "checkov" / f"{env.name}-plan.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(plan.raw))
    report = _checkov("-f", str(out), "--framework", "terraform_plan", "--repo-root-for-plan-enrichment", str(checkov_enrichment_root))
    assert _failures(report) == []
