"""Deterministic Lambda zips: `storefirst build [function ...]`.

Layout (one folder per function): `lambda_src/<function>/` holds the handler module(s),
an optional `requirements.txt` (third-party packages, installed for the Lambda platform)
an optional `shared.txt` naming packages from `lambda_src/shared/` to bundle and an optional
`catalogs.txt` naming operations catalogs (`envs/catalogs/<name>.yaml`): each is compiled to
`operations_catalog/<name>.json` (storefirst/contract.py) and bundled with the
`operations_catalog` package that reads it, so the function checks the same contract as the
data API.
The zip is `build/<function>.zip`. Same sources give the same bytes: entries sorted,
timestamps fixed, permissions normalised, compression level fixed.

Packages the Lambda Python runtime (boto3, botocore and their dependencies) or the
Powertools v3 layer already provide are left out, so a function without third-party
packages stays a few KB.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from storefirst import contract
from storefirst.terraform import REPO

LAMBDA_SRC = REPO / "lambda_src"
SHARED = LAMBDA_SRC / "shared"
BUILD = REPO / "build"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)

# Distributions the runtime or the Powertools layer ships; names as pip normalises them.
PROVIDED = {
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "urllib3",
    "python-dateutil",
    "six",
    "aws-lambda-powertools",
    "aws-xray-sdk",
    "wrapt",
    "typing-extensions",
    "pydantic",
    "pydantic-core",
    "annotated-types",
    "typing-inspection",
    "fastjsonschema",
}
SKIP_DIRS = {"__pycache__", "tests", ".pytest_cache"}
SKIP_SUFFIXES = {".pyc", ".pyo", ".md"}  # docs stay in the repo, not in the zip


def functions() -> list[str]:
    """Every folder under lambda_src/ that is a function (not shared/, not hidden)."""
    return sorted(
        p.name
        for p in LAMBDA_SRC.iterdir()
        if p.is_dir() and p.name != "shared" and not p.name.startswith((".", "_")) and any(p.glob("*.py"))
    )


def _norm(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _files(root: Path, prefix: str = "") -> list[tuple[str, Path]]:
    out = []
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root)
        if any(part in SKIP_DIRS for part in rel.parts) or f.suffix in SKIP_SUFFIXES or f.is_dir():
            continue
        if rel.name in ("requirements.txt", "shared.txt", "catalogs.txt") and len(rel.parts) == 1 and not prefix:
            continue
        out.append((f"{prefix}{rel.as_posix()}", f))
    return out


def _install_requirements(req: Path, target: Path, arch: str, python: str) -> None:
    platform = {"arm64": "manylinux2014_aarch64", "x86_64": "manylinux2014_x86_64"}[arch]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(req),
            "--target",
            str(target),
            "--platform",
            platform,
            "--implementation",
            "cp",
            "--python-version",
            python,
            "--only-binary=:all:",
        ],
        check=True,
    )
    # Drop what the runtime / layer provides, with its metadata.
    for dist in list(target.glob("*.dist-info")):
        # "<name>-<version>.dist-info": the suffix goes first, it has a hyphen of its own.
        name = _norm(dist.name.removesuffix(".dist-info").rsplit("-", 1)[0])
        if name in PROVIDED:
            record = dist / "RECORD"
            tops = set()
            if record.exists():
                for line in record.read_text().splitlines():
                    tops.add(line.split(",")[0].split("/")[0])
            for top in tops:
                p = target / top
                if p.is_dir():
                    shutil.rmtree(p, ignore_errors=True)
                elif p.exists():
                    p.unlink()
    shutil.rmtree(target / "bin", ignore_errors=True)


def _names(listing: Path) -> list[str]:
    return listing.read_text().split() if listing.exists() else []


def catalog_entries(function: str, tmp: Path) -> list[tuple[str, Path]]:
    """(arcname, file) of the compiled catalogs named in lambda_src/<function>/catalogs.txt."""
    out = []
    for name in _names(LAMBDA_SRC / function / "catalogs.txt"):
        compiled = tmp / "catalogs" / f"{name}.json"
        compiled.parent.mkdir(parents=True, exist_ok=True)
        compiled.write_bytes(contract.compiled_bytes(name))
        out.append((f"operations_catalog/{name}.json", compiled))
    return out


def build(function: str, arch: str = "arm64", python: str = "3.12") -> Path:
    src = LAMBDA_SRC / function
    if not src.is_dir():
        raise SystemExit(f"no function folder lambda_src/{function}")
    entries = _files(src)
    shared = _names(src / "shared.txt")
    if _names(src / "catalogs.txt") and "operations_catalog" not in shared:
        shared.append("operations_catalog")  # the reader of the bundled catalogs
    if shared:
        for name in shared:
            pkg = SHARED / name
            if not pkg.is_dir():
                raise SystemExit(f"lambda_src/{function}/shared.txt names {name}, not found in lambda_src/shared/")
            entries += _files(pkg, prefix=f"{name}/")
    with tempfile.TemporaryDirectory() as tmp:
        entries += catalog_entries(function, Path(tmp))
        req = src / "requirements.txt"
        if req.exists() and any(line.strip() and not line.startswith("#") for line in req.read_text().splitlines()):
            deps = Path(tmp) / "deps"
            _install_requirements(req, deps, arch, python)
            entries += _files(deps)
        BUILD.mkdir(exist_ok=True)
        out = BUILD / f"{function}.zip"
        tmp_zip = Path(tmp) / "out.zip"
        seen = set()
        with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for arcname, path in sorted(entries):
                if arcname in seen:
                    raise SystemExit(f"{function}: two sources for {arcname}")
                seen.add(arcname)
                info = zipfile.ZipInfo(arcname, FIXED_TIME)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes(), compresslevel=9)
        if not out.exists() or out.read_bytes() != tmp_zip.read_bytes():
            shutil.copyfile(tmp_zip, out)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="storefirst build",
        description="Deterministic Lambda zips: build/<function>.zip for each function under lambda_src/, "
        "with its shared packages and compiled catalogs; the same sources give the same bytes.",
    )
    ap.add_argument("functions", nargs="*", help="default: every function under lambda_src/")
    ap.add_argument(
        "--arch", default="arm64", choices=["arm64", "x86_64"], help="platform of third-party wheels (default arm64)"
    )
    args = ap.parse_args(argv)
    for fn in args.functions or functions():
        out = build(fn, args.arch)
        digest = hashlib.sha256(out.read_bytes()).hexdigest()[:12]
        print(f"{out.relative_to(REPO)}  {out.stat().st_size:>8} bytes  sha256:{digest}")
    return 0
