"""The ecosystem's conventions: generated README tables, registry layout, examples, version
and tags, committed lock files, one env shape (dev/prod link envs/shared-root)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from storefirst import tfdocs
from storefirst.terraform import REPO, find_mirror

MODULES = sorted(p for p in (REPO / "modules").glob("*") if p.is_dir() and any(p.glob("*.tf")))
# modules/internal/*: building blocks of the modules above, not published as submodules.
INTERNAL = sorted(p for p in (REPO / "modules" / "internal").glob("*") if p.is_dir() and any(p.glob("*.tf")))
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


# --- README tables generated from the HCL ------------------------------------------------------

def test_every_readme_table_is_current():
    stale = tfdocs.stale(check_only=True)
    assert stale == [], f"run `make docs` (python -m storefirst docs): {stale}"


FIXTURE_TF = '''variable "name" {
  description = "Name | with a pipe."
  type        = string
}

variable "limits" {
  description = <<-EOT
    Two lines
    of heredoc.
  EOT
  type = object({
    rate  = optional(number, 10) # per second
    burst = number
  })
  default = { burst = 5 }
}

output "secret" {
  description = "A token."
  value       = "x"
  sensitive   = true
}
'''


def test_the_generator_renders_types_defaults_and_descriptions_as_written(tmp_path):
    (tmp_path / "main.tf").write_text(FIXTURE_TF)
    table = tfdocs.render(tmp_path)
    assert table.splitlines() == [
        tfdocs.BEGIN, "## Inputs", "",
        "| Name | Description | Type | Default | Required |",
        "|------|-------------|------|---------|:--------:|",
        '| <a name="input_limits"></a> [limits](#input\\_limits) | Two lines of heredoc. '
        "| `object({rate = optional(number, 10), burst = number})` | `{ burst = 5 }` | no |",
        '| <a name="input_name"></a> [name](#input\\_name) | Name \\| with a pipe. | `string` | n/a | yes |',
        "", "## Outputs", "",
        "| Name | Description |", "|------|-------------|",
        '| <a name="output_secret"></a> [secret](#output\\_secret) | A token. (sensitive) |',
        tfdocs.END,
    ]
    assert tfdocs.render(tmp_path) == table  # deterministic


def test_a_changed_variable_makes_its_readme_stale(tmp_path, monkeypatch):
    module = tmp_path / "modules" / "queue"
    shutil.copytree(REPO / "modules" / "queue", module, ignore=shutil.ignore_patterns("tests", "examples"))
    monkeypatch.setattr(tfdocs, "REPO", tmp_path)
    assert tfdocs.stale(check_only=True) == []
    tf = module / "variables.tf"
    tf.write_text(tf.read_text().replace('default     = 5\n', 'default     = 6\n', 1))
    assert tfdocs.stale(check_only=True) == ["modules/queue/README.md"]


# --- registry standard module structure --------------------------------------------------------

def test_root_is_a_registry_module_with_license_examples_and_submodules():
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md", "LICENSE", "CHANGELOG.md"):
        assert (REPO / name).is_file(), f"the registry's standard structure needs {name} at the root"
    assert "Apache License" in (REPO / "LICENSE").read_text() and "Version 2.0" in (REPO / "LICENSE").read_text()
    assert (REPO / "examples").is_dir() and (REPO / "modules").is_dir()


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_submodule_has_the_standard_files_an_example_and_external_sources(module):
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"):
        assert (module / name).is_file(), f"{module.name} lacks {name}"
    examples = [e for e in (module / "examples").glob("*") if (e / "main.tf").exists()]
    assert examples, f"modules/{module.name} has no runnable example"
    for e in examples:
        assert (e / "README.md").is_file(), f"{e.relative_to(REPO)} has no README.md"
        assert f"modules/{e.parent.parent.name}/examples/{e.name}" in (REPO / "examples" / "README.md").read_text()
    readme = (module / "README.md").read_text()
    assert f"git::https://<host>/<org>/storefirst.git//modules/{module.name}?ref=v" in readme
    assert f"<namespace>/storefirst/aws//modules/{module.name}" in readme
    assert not re.search(r'source\s*=\s*"\.\./\.\./modules/', readme), "README snippets show the source a user writes"


def test_internal_modules_are_called_by_relative_path_and_not_offered_as_submodules():
    assert (REPO / "modules" / "internal") not in MODULES
    assert "not a public interface" in (REPO / "modules" / "internal" / "README.md").read_text()
    users = "\n".join(tf.read_text() for m in MODULES for tf in m.glob("*.tf"))
    for module in INTERNAL:
        for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"):
            assert (module / name).is_file(), f"internal/{module.name} lacks {name}"
        readme = (module / "README.md").read_text()
        assert "storefirst.git//modules/internal" not in readme and "storefirst/aws//modules/internal" not in readme
        assert f'source = "../internal/{module.name}"' in users, f"no module calls internal/{module.name}"
    for text in ((REPO / "README.md").read_text(), (REPO / "examples" / "README.md").read_text()):
        assert "//modules/internal" not in text, "internal modules are not offered as registry submodules"


# --- version, changelog, tags -----------------------------------------------------------------

def test_version_changelog_and_tag_rule_agree():
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", (REPO / "CHANGELOG.md").read_text(), re.M)
    assert released and released[0] == VERSION, "the top released CHANGELOG entry is pyproject's version"
    readme = (REPO / "README.md").read_text()
    assert "vX.Y.Z" in readme and f"?ref=v{VERSION}" in readme


# --- lock files of the roots users apply -------------------------------------------------------

@pytest.mark.parametrize("env", ["dev", "prod"])
def test_lock_file_is_committed_and_pins_the_tested_provider(env):
    lock = REPO / "envs" / env / ".terraform.lock.hcl"
    text = lock.read_text()
    version = re.search(r'provider "registry.terraform.io/hashicorp/aws" \{\s*version\s*=\s*"([^"]+)"', text)
    assert version, text
    mirror = find_mirror()
    if mirror is not None:
        tested = sorted(p.name for p in (mirror / "registry.terraform.io" / "hashicorp" / "aws").iterdir())
        assert version.group(1) in tested, (version.group(1), tested)
    assert re.search(r'"h1:[A-Za-z0-9+/=]+"', text)
    ignored = subprocess.run(["git", "check-ignore", "-q", str(lock)], cwd=REPO)
    assert ignored.returncode == 1, f"{lock.relative_to(REPO)} is git-ignored"


# --- one env shape -----------------------------------------------------------------------------

@pytest.mark.parametrize("env", ["dev", "prod"])
def test_env_folders_hold_values_only_and_link_the_shared_root(env):
    folder = REPO / "envs" / env
    for tf in folder.glob("*.tf"):
        assert tf.is_symlink() and tf.resolve().parent == REPO / "envs" / "shared-root", f"{tf} is a copy"
    assert sorted(p.name for p in folder.glob("*.tf")) == sorted(p.name for p in (REPO / "envs" / "shared-root").glob("*.tf"))
    assert re.search(rf'^environment\s*=\s*"{env}"$', (folder / "terraform.tfvars").read_text(), re.M)


def test_ci_example_plans_every_pull_request_without_credentials():
    wf = yaml.safe_load((REPO / "docs" / "ci" / "github-actions-plan.yml").read_text())
    assert "pull_request" in wf[True]  # YAML 1.1 reads the key `on` as true
    steps = " ".join(str(s.get("run", "")) for s in wf["jobs"]["plan"]["steps"])
    assert "terraform plan" in steps and "-backend=false" in steps and "skip_credentials_validation" in steps
    assert "secrets." not in (REPO / "docs" / "ci" / "github-actions-plan.yml").read_text()


# --- One section-banner style in the HCL -------------------------------------------------------

BANNER = re.compile(r"^\s*# --- \S.* -{3,}$")


def test_hcl_section_banners_have_one_style():
    """A banner is `# --- Title ` padded with dashes to column 100 (at least three)."""
    tracked = subprocess.run(["git", "ls-files", "*.tf", "*.hcl"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    odd = []
    for rel in tracked:
        for n, line in enumerate((REPO / rel).read_text().splitlines(), 1):
            if re.match(r"^\s*# ?-{3,}", line) and not (BANNER.match(line) and (len(line) == 100 or line.endswith(" ---"))):
                odd.append(f"{rel}:{n}: {line.strip()}")
    assert odd == [], "banners must read `# --- Title ----...` to column 100:\n" + "\n".join(odd)
