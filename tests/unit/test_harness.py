"""The Terraform harness itself: what counts as an init input, and offline copies."""

from __future__ import annotations

from pathlib import Path

from storefirst.terraform import OFFLINE_OVERRIDE_FILE, _tree_digest, offline_copy


def test_init_outputs_do_not_change_the_digest(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    before = _tree_digest(tmp_path)
    (tmp_path / ".terraform.lock.hcl").write_text("# written by terraform init\n")
    (tmp_path / ".terraform").mkdir()
    (tmp_path / ".terraform" / "x.json").write_text("{}")
    assert _tree_digest(tmp_path) == before
    (tmp_path / "main.tf").write_text('resource "aws_sqs_queue" "r" {}\n')
    assert _tree_digest(tmp_path) != before


def test_offline_copy_of_an_example_keeps_relative_paths(tmp_path):
    copy = offline_copy("modules/queue/examples/basic", tmp_path / "root")
    assert (copy / OFFLINE_OVERRIDE_FILE).exists()
    assert not (copy / OFFLINE_OVERRIDE_FILE).is_symlink()
    # ../.. is the module, reachable through links; the example itself is a real copy
    assert (copy / "../../main.tf").resolve().exists()
    assert not copy.is_symlink()
    assert "access_key" not in (copy / OFFLINE_OVERRIDE_FILE).read_text()  # keys via env only


def test_copies_under_the_repo_hold_no_link_back_to_an_ancestor(tmp_path):
    """The local stack copies envs into .local-stack/roots/ inside the repo: no link in a copy
    may point at a folder that contains the copy (a loop for every tool that walks the tree)."""
    import os
    import shutil

    from storefirst.terraform import REPO, offline_copy

    dest = REPO / ".local-stack" / "roots" / f"loop-check-{os.getpid()}"
    try:
        copy = offline_copy(REPO / "envs" / "local", dest)
        for dirpath, dirnames, filenames in os.walk(dest):
            for name in dirnames + filenames:
                p = Path(dirpath) / name
                if p.is_symlink():
                    target = p.resolve()
                    assert not (copy.resolve() == target or target in copy.resolve().parents), f"{p} -> {target}"
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def test_terraform_runs_with_a_lazier_go_gc_unless_the_user_chose_one(monkeypatch):
    """GOGC=400 cut terraform's CPU by ~20 % (storefirst/terraform.py base_env); a user's
    own GOGC or GOMEMLIMIT is left as it is."""
    from storefirst.terraform import base_env

    monkeypatch.delenv("GOGC", raising=False)
    monkeypatch.delenv("GOMEMLIMIT", raising=False)
    assert base_env()["GOGC"] == "400"
    monkeypatch.setenv("GOGC", "100")
    assert base_env()["GOGC"] == "100"
    monkeypatch.delenv("GOGC")
    monkeypatch.setenv("GOMEMLIMIT", "512MiB")
    assert "GOGC" not in base_env()


def test_a_provider_mirror_is_used_without_the_plugin_cache(tmp_path, monkeypatch):
    """Terraform's plugin cache is not safe for concurrent inits (hashicorp/terraform#25849):
    with a mirror the CLI config must not name one, so init links data dirs to the mirror."""
    from storefirst import terraform

    monkeypatch.setattr(terraform, "CACHE", tmp_path / "cache")
    mirror = tmp_path / "mirror"
    (mirror / "registry.terraform.io" / "hashicorp").mkdir(parents=True)
    monkeypatch.setenv("STOREFIRST_TF_MIRROR", str(mirror))
    text = terraform.cli_config().read_text()
    assert "plugin_cache_dir" not in text
    assert f'path    = "{mirror}"' in text
    assert terraform.plugin_cache_dir() is None

    monkeypatch.setenv("STOREFIRST_TF_MIRROR", "none")
    text = terraform.cli_config().read_text()
    assert f'plugin_cache_dir = "{tmp_path / "cache" / "tf-plugin-cache"}"' in text
    assert "filesystem_mirror" not in text


def test_init_links_the_provider_to_the_mirror(tmp_path):
    """What makes concurrent inits safe here: the data dir's provider is a link into the
    read-only mirror, not into a cache another init may be unpacking."""
    import pytest

    from storefirst.terraform import Workdir, find_mirror

    mirror = find_mirror()
    if mirror is None:
        pytest.skip("no provider mirror on this machine: inits share the plugin cache under a lock")
    (tmp_path / "main.tf").write_text(
        'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n'
    )
    wd = Workdir(tmp_path, data_dir=tmp_path / "data")
    wd.init()
    installed = list((tmp_path / "data" / "providers" / "registry.terraform.io" / "hashicorp" / "aws").glob("*/*"))
    assert installed, "init installed no aws provider"
    for platform_dir in installed:
        assert platform_dir.is_symlink()
        assert platform_dir.resolve().is_relative_to(mirror.resolve())
