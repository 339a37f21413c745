"""The Terraform roots of the repository, as the static checks, checkov and `terraform test`
walk them: modules, the envs' shared compositions, envs, and the modules' runnable examples."""

from __future__ import annotations

from pathlib import Path

from storefirst.terraform import REPO

MODULES = sorted(p for p in (REPO / "modules").glob("*") if p.is_dir() and any(p.glob("*.tf")))
# modules/internal/<name>/: building blocks the public modules call, not a public interface:
# checked like modules (fmt, versions, validate, checkov, terraform test), without the
# registry's README and example rules.
INTERNAL = sorted(p for p in (REPO / "modules" / "internal").glob("*") if p.is_dir() and any(p.glob("*.tf")))
# An env is a root with its own values (terraform.tfvars); other folders of envs/ holding
# .tf files are compositions the envs share (envs/app), validated but not planned alone.
ENVS = sorted(p for p in (REPO / "envs").glob("*") if p.is_dir() and (p / "terraform.tfvars").exists())
COMPOSITIONS = sorted(p for p in (REPO / "envs").glob("*") if p.is_dir() and p not in ENVS and any(p.glob("*.tf")))
# modules/<name>/examples/<example>/: runnable examples, validated like envs.
EXAMPLES = sorted(p for p in (REPO / "modules").glob("*/examples/*") if p.is_dir() and any(p.glob("*.tf")))
TF_DIRS = MODULES + INTERNAL + COMPOSITIONS + ENVS + EXAMPLES


def rel(p: Path) -> str:
    return str(p.relative_to(REPO))
