"""Plans a module's runnable example (modules/<name>/examples/basic) offline, many times with
different `-var` overrides: one copy + init per example. Used through the `planner` fixture
(tests/terraform/conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

from storefirst.terraform import OFFLINE_ENV, REPO, Plan, Result, Workdir, offline_copy

EXAMPLES = REPO / "modules"


class ExamplePlanner:
    """One offline copy + init per example (per xdist worker); many plans with -var overrides."""

    def __init__(self, example: Path, root: Path):
        self.wd = Workdir(offline_copy(example, root), env=dict(OFFLINE_ENV), data_dir=root.parent / f"{root.name}-tfdata")
        self.wd.init(backend=True)

    def plan(self, **variables) -> Result:
        args = ["plan", "-no-color", "-input=false", "-lock=false", "-out=tfplan"]
        args += [f"-var={k}={v}" for k, v in variables.items()]
        return self.wd.run(*args, check=False)

    def show(self) -> Plan:
        return Plan(json.loads(self.wd.run("show", "-json", "tfplan").stdout))


def one_line(text: str) -> str:
    # Terraform wraps long messages and frames them with "│": undo both before matching.
    return " ".join(line.strip(" │╷╵") for line in text.splitlines()).replace("  ", " ")
