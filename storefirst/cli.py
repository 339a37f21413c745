"""`storefirst <command>`: the one command line of the project (also `python -m storefirst`).

Every command owns its argument parser (`storefirst <command> --help`); this module only
names them and dispatches, importing a command's module when it runs, so `storefirst --help`
and the small commands do not pay for the emulator, numpy or Terraform.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

TESTS_NEED_TERRAFORM = (1, 7)


@dataclass(frozen=True)
class Command:
    summary: str  # one line in `storefirst --help`
    run: Callable[[list[str]], int]  # the arguments after the command's name -> exit status


# --- doctor, plan, catalog: small enough to live here ------------------------------------------


def terraform_version(exe: str) -> str | None:
    """ "1.11.4" from `terraform version -json`, or None when it cannot be read."""
    try:
        out = subprocess.run([exe, "version", "-json"], capture_output=True, text=True, timeout=30, check=True).stdout
        return json.loads(out)["terraform_version"]
    except (OSError, ValueError, KeyError, subprocess.SubprocessError):
        return None


def doctor(argv: list[str]) -> int:
    argparse.ArgumentParser(
        prog="storefirst doctor",
        description="Check the tools the project needs: a Terraform new enough for `make test` (>= 1.7, "
        "for mock_provider), where providers come from (offline mirror or registry), and Java for DynamoDB Local.",
    ).parse_args(argv)
    from storefirst.terraform import TerraformMissing, find_mirror, terraform_bin

    try:
        exe = terraform_bin()
    except TerraformMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    mirror = find_mirror()
    version = terraform_version(exe)
    source = f"mirror {mirror}" if mirror else "the public registry"
    print(f"terraform: {exe} ({version or 'version unknown'}); providers from {source}")
    if version and tuple(int(p) for p in version.split(".")[:2]) < TESTS_NEED_TERRAFORM:
        # The modules themselves need >= 1.5 (versions.tf); `terraform test` with
        # mock_provider (every modules/*/tests file) needs 1.7 (Terraform testing docs).
        print(
            f"error: terraform {version} is too old for `make test`: mock_provider needs Terraform >= 1.7",
            file=sys.stderr,
        )
        return 2
    if shutil.which("java") is None:
        print("note: java not found; DynamoDB Local tests will be skipped (apt-get install openjdk-17-jre-headless)")
    return 0


def plan(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(
        prog="storefirst plan",
        description="Offline `terraform plan` of an env with the real provider and no AWS credentials: "
        "what would be created, grouped by module.",
    )
    ap.add_argument("env", nargs="?", default="envs/dev", help="root config to plan (default: envs/dev)")
    args = ap.parse_args(argv)
    from storefirst.terraform import plan_env

    result = plan_env(args.env)
    actions: Counter[str] = Counter()
    by_module: dict[str, list[str]] = {}
    for rc in result.resource_changes:
        if rc.get("mode") == "data":
            continue
        act = "/".join(rc["change"]["actions"])
        actions[act] += 1
        index = f"[{rc['index']!r}]" if "index" in rc else ""
        by_module.setdefault(rc.get("module_address") or "(root)", []).append(
            f"{act:>7}  {rc['type']}.{rc['name']}{index}"
        )
    print(f"Offline plan of {args.env} (no AWS credentials used):\n")
    for mod in sorted(by_module):
        print(mod)
        for line in by_module[mod]:
            print(f"  {line}")
    print("\n" + ", ".join(f"{n} to {a}" for a, n in sorted(actions.items())))
    return 0


def catalog(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(
        prog="storefirst catalog",
        description="Validate a data API operations catalog with the rules modules/data-api applies "
        "(exit 1 listing every problem), and list its operations.",
    )
    ap.add_argument("path", help="catalog file, e.g. envs/catalogs/users.yaml")
    args = ap.parse_args(argv)
    from storefirst import catalog as catalogs

    try:
        cat = catalogs.load(args.path)
    except catalogs.CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.path}: valid, {len(cat['operations'])} operations")
    for name, op in sorted(cat["operations"].items()):
        print(f"  {name:<28} {op['kind']}")
    return 0


# --- the commands other modules own --------------------------------------------------------------


def up(argv: list[str]) -> int:
    from storefirst.local import up as local_up

    return local_up.main(argv)


def build(argv: list[str]) -> int:
    from storefirst import build as builder

    return builder.main(argv)


def docs(argv: list[str]) -> int:
    from storefirst import tfdocs

    return tfdocs.main(argv)


def capacity(argv: list[str]) -> int:
    from storefirst.capacity import cli as capacity_cli

    return capacity_cli.main(argv)


def _bench_functions(argv: list[str]) -> int:
    from storefirst import bench as functions_bench

    return functions_bench.main(argv)


def _bench_data_api(argv: list[str]) -> int:
    from storefirst import bench_data_api

    return bench_data_api.main(argv)


def _bench_local(argv: list[str]) -> int:
    from storefirst import bench_local

    return bench_local.main(argv)


BENCHMARKS: dict[str, Command] = {
    "functions": Command(
        "each Lambda function: cold import time, zip size (budgets checked) and the worker's per-record time",
        _bench_functions,
    ),
    "data-api": Command(
        "the data API: VTL render time per operation, and end to end against DynamoDB Local beside boto3",
        _bench_data_api,
    ),
    "local": Command(
        "the local stack: cold and warm start of `storefirst up`, the apply's critical path, gateway latency",
        _bench_local,
    ),
}


def bench(argv: list[str]) -> int:
    return _dispatch(
        "storefirst bench",
        "Benchmarks (`make bench` runs all three). `storefirst bench <benchmark> --help` for its options.",
        BENCHMARKS,
        argv,
        metavar="benchmark",
    )


COMMANDS: dict[str, Command] = {
    "up": Command("run an env (default envs/local) on the embedded AWS emulator until Ctrl-C", up),
    "plan": Command("offline plan of an env with the real provider, no AWS credentials", plan),
    "build": Command("deterministic Lambda zips in build/", build),
    "bench": Command("benchmarks: functions, data-api, local", bench),
    "capacity": Command("capacity and cost planner: an env's plan under a traffic profile", capacity),
    "docs": Command("regenerate the module READMEs' Inputs/Outputs tables from the HCL (--check: only report)", docs),
    "doctor": Command("check the tools the project needs (Terraform version, provider mirror, Java)", doctor),
    "catalog": Command("validate a data API operations catalog", catalog),
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("storefirst")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _parser(prog: str, description: str, commands: dict[str, Command], metavar: str) -> argparse.ArgumentParser:
    """The parser `--help` and errors come from; each command's own parser reads its arguments."""
    ap = argparse.ArgumentParser(prog=prog, description=description)
    if prog == "storefirst":
        ap.add_argument("--version", action="version", version=f"storefirst {_version()}")
    sub = ap.add_subparsers(dest=metavar, metavar=metavar, required=True, title=f"{metavar}s")
    for name, cmd in commands.items():
        sub.add_parser(name, help=cmd.summary, add_help=False)
    return ap


def _dispatch(prog: str, description: str, commands: dict[str, Command], argv: list[str], metavar: str) -> int:
    # A command's arguments go to its own parser untouched: argparse.REMAINDER in a subparser
    # would refuse a leading "--option".
    if argv and argv[0] in commands:
        return commands[argv[0]].run(argv[1:])
    _parser(prog, description, commands, metavar).parse_args(argv)  # --help, --version or a usage error
    return 2  # not reached: with a known command the branch above ran


def main(argv: list[str] | None = None) -> int:
    return _dispatch(
        "storefirst",
        "storefirst: Terraform modules for storage-first serverless APIs on AWS, and their tooling. "
        "`storefirst <command> --help` for a command's options.",
        COMMANDS,
        sys.argv[1:] if argv is None else argv,
        metavar="command",
    )
