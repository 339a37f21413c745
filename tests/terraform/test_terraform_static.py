"""fmt, init and validate (against the real AWS provider schema) for every module and env."""

from __future__ import annotations

import re

import pytest

from storefirst.terraform import REPO, Workdir
from tf_roots import INTERNAL, MODULES, TF_DIRS, rel

pytestmark = pytest.mark.terraform


def _constraints(text: str) -> tuple[str, str]:
    req = re.search(r'required_version\s*=\s*"([^"]+)"', text)
    aws = re.search(r'aws\s*=\s*\{[^}]*version\s*=\s*"([^"]+)"', text, re.S)
    return (req.group(1) if req else "", aws.group(1) if aws else "")


ROOT_CONSTRAINTS = _constraints((REPO / "versions.tf").read_text())


def test_root_admits_tested_provider():
    assert ROOT_CONSTRAINTS[0].startswith(">= 1.5")
    assert "< 7.0" in ROOT_CONSTRAINTS[1]


def test_provider_floor_covers_the_newest_argument_used():
    # ESM `tags` arrived in aws 5.70 (PR 39535), sfn `encryption_configuration` in 5.61.
    floor = re.search(r">=\s*(\d+)\.(\d+)", ROOT_CONSTRAINTS[1])
    assert floor and (int(floor.group(1)), int(floor.group(2))) >= (5, 70), ROOT_CONSTRAINTS[1]
    uses = "\n".join(p.read_text() for p in (REPO / "modules").glob("*/main.tf"))
    assert re.search(r'resource "aws_lambda_event_source_mapping"[\s\S]{0,1500}?\btags\s*=', uses, re.S)


def test_fmt_whole_repo():
    problems = Workdir(REPO).fmt_problems()
    assert problems == [], f"run `terraform fmt -recursive`: {problems}"


@pytest.mark.parametrize("tfdir", TF_DIRS, ids=rel)
def test_versions_match_root(tfdir):
    vf = tfdir / "versions.tf"
    assert vf.exists(), f"{rel(tfdir)} has no versions.tf"
    assert _constraints(vf.read_text()) == ROOT_CONSTRAINTS


@pytest.mark.parametrize("tfdir", TF_DIRS, ids=rel)
def test_validate(tfdir, built_zips):
    result = Workdir(tfdir).validate()
    msgs = [f"{d['severity']}: {d['summary']}: {d.get('detail', '')}" for d in result["diagnostics"]]
    assert result["valid"], "\n".join(msgs)
    # Deprecations in 5.x would break on 6.x: keep warnings at zero.
    assert result["warning_count"] == 0, "\n".join(msgs)


@pytest.mark.parametrize("module", MODULES + INTERNAL, ids=rel)
def test_module_has_docs_and_examples(module):
    readme = module / "README.md"
    assert readme.exists(), f"{rel(module)} needs a README.md"
    text = readme.read_text()
    for heading in ("## Inputs", "## Outputs", "## Example"):
        assert heading in text, f"{rel(module)}/README.md lacks '{heading}'"
    # Every variable is typed and described.
    for tf in module.glob("*.tf"):
        for block in re.findall(r'variable\s+"[^"]+"\s*\{.*?\n\}', tf.read_text(), re.S):
            name = re.search(r'variable\s+"([^"]+)"', block).group(1)
            assert re.search(r"^\s+type\s*=", block, re.M), f"{rel(module)}: variable {name} has no type"
            assert re.search(r"^\s+description\s*=", block, re.M), f"{rel(module)}: variable {name} has no description"
            assert name in text, f"{rel(module)}/README.md does not document input {name}"
