"""`storefirst doctor` refuses a Terraform too old for `make test` (mock_provider needs 1.7)."""

from __future__ import annotations

import stat

import pytest

from storefirst import cli


def _fake_terraform(tmp_path, version: str) -> str:
    exe = tmp_path / "terraform"
    exe.write_text(f"#!/bin/sh\necho '{{\"terraform_version\": \"{version}\"}}'\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return str(exe)


@pytest.mark.parametrize("version, rc", [("1.6.6", 2), ("1.7.0", 0), ("1.11.4", 0)])
def test_doctor_checks_the_terraform_version(tmp_path, monkeypatch, capsys, version, rc):
    monkeypatch.setenv("TERRAFORM", _fake_terraform(tmp_path, version))
    monkeypatch.setenv("STOREFIRST_TF_MIRROR", "none")
    assert cli.main(["doctor"]) == rc
    if rc:
        assert "mock_provider needs Terraform >= 1.7" in capsys.readouterr().err
