"""Smoke test of storefirst.bench_data_api (small counts; `make bench` runs the real one)."""

from __future__ import annotations

import pytest

from storefirst import bench_data_api, catalog

pytestmark = pytest.mark.terraform


def test_render_and_end_to_end_smoke(dynamodb_local):
    gen = catalog.generate(bench_data_api.USERS, "users")
    render = bench_data_api.bench_render(gen, repeat=3)
    assert set(render) == set(gen.operations)
    e2e = bench_data_api.bench_end_to_end(gen, dynamodb_local.endpoint, calls=20)
    for r in e2e.values():
        assert r["data_api"]["n"] == r["boto3"]["n"] == 20 and r["ratio_p50"] > 0
