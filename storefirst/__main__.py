"""`python -m storefirst <command>`: the entry points the Makefile calls."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections import Counter

TESTS_NEED_TERRAFORM = (1, 7)


def terraform_version(exe: str) -> str | None:
    """ "1.11.4" from `terraform version -json`, or None when it cannot be read."""
    import json
    import subprocess

    try:
        out = subprocess.run([exe, "version", "-json"], capture_output=True, text=True, timeout=30, check=True).stdout
        return json.loads(out)["terraform_version"]
    except (OSError, ValueError, KeyError, subprocess.SubprocessError):
        return None


def cmd_doctor(_: argparse.Namespace) -> int:
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


def cmd_plan(args: argparse.Namespace) -> int:
    from storefirst.terraform import plan_env

    plan = plan_env(args.env)
    actions: Counter[str] = Counter()
    by_module: dict[str, list[str]] = {}
    for rc in plan.resource_changes:
        if rc.get("mode") == "data":
            continue
        act = "/".join(rc["change"]["actions"])
        actions[act] += 1
        by_module.setdefault(rc.get("module_address") or "(root)", []).append(
            f"{act:>7}  {rc['type']}.{rc['name']}{'[' + repr(rc['index']) + ']' if 'index' in rc else ''}"
        )
    print(f"Offline plan of {args.env} (no AWS credentials used):\n")
    for mod in sorted(by_module):
        print(mod)
        for line in by_module[mod]:
            print(f"  {line}")
    print("\n" + ", ".join(f"{n} to {a}" for a, n in sorted(actions.items())))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from storefirst import build

    return build.main(args.rest)


def cmd_bench(args: argparse.Namespace) -> int:
    from storefirst import bench

    return bench.main(args.rest)


def cmd_catalog(args: argparse.Namespace) -> int:
    """Validate an operations catalog (the Terraform module applies the same rules)."""
    from storefirst import catalog

    try:
        cat = catalog.load(args.path)
    except catalog.CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.path}: valid, {len(cat['operations'])} operations")
    for name, op in sorted(cat["operations"].items()):
        print(f"  {name:<28} {op['kind']}")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from storefirst import tfdocs

    return tfdocs.main(args.rest)


def cmd_up(args: argparse.Namespace) -> int:
    from storefirst.local.__main__ import main as local_main

    return local_main(["up", *args.rest])


def cmd_capacity(args: argparse.Namespace) -> int:
    from storefirst.capacity.cli import main as capacity_main

    return capacity_main(args.rest)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # build/bench/docs/capacity parse their own options; argparse.REMAINDER would drop a leading "--opt".
    passthrough = {"build": cmd_build, "bench": cmd_bench, "docs": cmd_docs, "capacity": cmd_capacity}
    if argv and argv[0] in passthrough:
        return passthrough[argv[0]](argparse.Namespace(rest=argv[1:]))
    ap = argparse.ArgumentParser(prog="storefirst")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("doctor", help="check the tools the project needs").set_defaults(fn=cmd_doctor)
    p = sub.add_parser("plan", help="offline plan of an env")
    p.add_argument("env", nargs="?", default="envs/dev")
    p.set_defaults(fn=cmd_plan)
    p = sub.add_parser("catalog", help="validate a data API operations catalog")
    p.add_argument("path")
    p.set_defaults(fn=cmd_catalog)
    helps = {
        "build": "deterministic Lambda zips",
        "bench": "import time and per-record overhead",
        "docs": "regenerate the README Inputs/Outputs tables (--check: only report)",
        "up": "the local stack",
        "capacity": "capacity and cost planner for an env under a traffic profile",
    }
    for name, fn in (
        ("build", cmd_build),
        ("bench", cmd_bench),
        ("docs", cmd_docs),
        ("up", cmd_up),
        ("capacity", cmd_capacity),
    ):
        p = sub.add_parser(name, help=helps[name])
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(fn=fn)
    args = ap.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
