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
