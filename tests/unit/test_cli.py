"""The one command line: `storefirst <command>` (pyproject [project.scripts]) and its alias
`python -m storefirst`. Every command and benchmark is listed in `--help` and answers its own
`--help` with exit status 0, without running anything."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import tomllib

import pytest

from storefirst import cli
from storefirst.terraform import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
SUBCOMMANDS = ["up", "plan", "build", "bench", "capacity", "docs", "doctor", "catalog"]
BENCHMARKS = ["functions", "data-api", "local"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storefirst", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )


def _listed(help_text: str) -> list[str]:
    """Names in the subcommand list of an argparse --help (indented name, then its summary)."""
    return re.findall(r"^ {4}(\S+)(?:\s{2,}|\n)", help_text, flags=re.M)


def test_the_console_script_is_the_cli_main():
    target = PYPROJECT["project"]["scripts"]["storefirst"]
    module, _, attr = target.partition(":")
    assert getattr(importlib.import_module(module), attr) is cli.main


def test_help_lists_every_subcommand():
    res = _run("--help")
    assert res.returncode == 0, res.stderr
    assert _listed(res.stdout) == SUBCOMMANDS
    assert sorted(cli.COMMANDS) == sorted(SUBCOMMANDS)


@pytest.mark.parametrize("sub", SUBCOMMANDS)
def test_each_subcommand_has_help(sub):
    res = _run(sub, "--help")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(f"usage: storefirst {sub}"), res.stdout
    # A description, not only a usage line.
    assert len(res.stdout.split("\n\n")) >= 2, res.stdout


def test_bench_lists_its_benchmarks_and_each_has_help():
    res = _run("bench", "--help")
    assert res.returncode == 0, res.stderr
    assert _listed(res.stdout) == BENCHMARKS
    for name in BENCHMARKS:
        sub = _run("bench", name, "--help")
        assert sub.returncode == 0, sub.stderr
        assert sub.stdout.startswith(f"usage: storefirst bench {name}"), sub.stdout


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "the following arguments are required: command"),
        (["deploy"], "invalid choice: 'deploy'"),
        (["bench"], "the following arguments are required: benchmark"),
        (["bench", "everything"], "invalid choice: 'everything'"),
        (["up", "--var", "no-equals-sign"], "expected KEY=VALUE"),
    ],
)
def test_usage_errors_exit_2_with_the_reason(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_a_leading_option_reaches_the_command(capsys):
    # The command's own parser reads everything after its name (argparse.REMAINDER in a
    # subparser would refuse a leading option before the command ever saw it).
    with pytest.raises(SystemExit) as exc:
        cli.main(["docs", "--no-such-option"])
    assert exc.value.code == 2
    assert "usage: storefirst docs" in capsys.readouterr().err


def test_catalog_runs_in_process(capsys):
    assert cli.main(["catalog", str(REPO / "envs" / "catalogs" / "users.yaml")]) == 0
    assert "valid" in capsys.readouterr().out


def test_package_ships_a_py_typed_marker():
    # PEP 561: projects importing storefirst.local.testing's fixtures get its annotations.
    assert (REPO / "storefirst" / "py.typed").is_file()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["storefirst"]
