"""Budgets from issue 2 §7, checked on the built zips (not timing-flaky: fresh processes;
the own-code share is timed directly after the libraries are loaded, in CPU time, best of 7)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from storefirst import bench, build
from storefirst.terraform import REPO

FUNCTIONS = build.functions()


@pytest.mark.parametrize("function", FUNCTIONS)
def test_zip_without_third_party_packages_is_under_50_kb(built_zips, function):
    if bench.has_third_party(function):
        pytest.skip(f"{function} bundles third-party packages (requirements.txt)")
    size = built_zips[function].stat().st_size
    assert size < bench.ZIP_BUDGET_BYTES, f"{function}.zip is {size} bytes"


@pytest.mark.slow
@pytest.mark.parametrize("function", FUNCTIONS)
def test_own_code_adds_at_most_20_ms_to_cold_import(built_zips, function):
    r = bench.import_times(function, runs=7, zip_path=built_zips[function])
    assert r["libraries"] > 0 and r["cold_ms"] > r["own_ms"] > 0, r  # a real measurement
    # CPU time of the import, best of 7: the import is CPU-bound; unlike wall time it barely
    # swells when the machine is shared, and what sharing adds only ever adds (see bench.py).
    assert r["own_cpu_best_ms"] <= r["own_cpu_ms"] and r["own_cpu_best_ms"] <= bench.OWN_IMPORT_BUDGET_MS, r


@pytest.mark.slow
def test_worker_warm_benchmark_runs(built_zips):
    """Smoke test in a fresh process (the benchmark imports the worker with its own env)."""
    code = "import json; from storefirst import bench; print(json.dumps(bench.worker_per_record_us(records=5, batches=1)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    r = json.loads(out.stdout.strip().splitlines()[-1])
    assert r["records"] == 5 and 0 < r["stubbed_us"] and 0 < r["moto_us"]
