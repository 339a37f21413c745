"""Fixtures of the Terraform tier: `planner` plans a module's example with -var overrides."""

from __future__ import annotations

import pytest

from example_planner import EXAMPLES, ExamplePlanner


@pytest.fixture(scope="session")
def planner(tmp_path_factory, built_zips):
    cache: dict[str, ExamplePlanner] = {}

    def _get(module: str) -> ExamplePlanner:
        if module not in cache:
            root = tmp_path_factory.mktemp(f"ex-{module}")
            cache[module] = ExamplePlanner(EXAMPLES / module / "examples" / "basic", root / "repo")
        return cache[module]

    return _get
