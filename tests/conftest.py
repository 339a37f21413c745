"""Shared fixtures: Terraform working dirs, offline env plans, built zips."""

from __future__ import annotations

from pathlib import Path

import pytest

from storefirst import build
from storefirst.local.testing import applied, emulator  # noqa: F401  (apply-for-real fixtures)
from storefirst.terraform import REPO, Workdir, _locked, plan_env

MODULES = sorted(p for p in (REPO / "modules").glob("*") if p.is_dir() and any(p.glob("*.tf")))
# An env is a root with its own values (terraform.tfvars); other folders of envs/ holding
# .tf files are compositions the envs share (envs/app), validated but not planned alone.
ENVS = sorted(p for p in (REPO / "envs").glob("*") if p.is_dir() and (p / "terraform.tfvars").exists())
COMPOSITIONS = sorted(p for p in (REPO / "envs").glob("*") if p.is_dir() and p not in ENVS and any(p.glob("*.tf")))
# modules/<name>/examples/<example>/: runnable examples, validated like envs.
EXAMPLES = sorted(p for p in (REPO / "modules").glob("*/examples/*") if p.is_dir() and any(p.glob("*.tf")))
TF_DIRS = MODULES + COMPOSITIONS + ENVS + EXAMPLES


def rel(p: Path) -> str:
    return str(p.relative_to(REPO))


@pytest.fixture(scope="session")
def built_zips() -> dict[str, Path]:
    """Every function zip (built once; `make test` has usually built them already)."""
    with _locked("build"):
        out = {}
        for fn in build.functions():
            z = build.BUILD / f"{fn}.zip"
            out[fn] = z if z.exists() else build.build(fn)
        return out


@pytest.fixture(scope="session")
def env_plan(built_zips):
    """env_plan("dev") -> storefirst.terraform.Plan (cached on disk by content)."""

    def _plan(name: str, **variables):
        return plan_env(REPO / "envs" / name, **variables)

    return _plan


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
