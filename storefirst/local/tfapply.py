"""Real `terraform apply` of an env (or any root config) against the embedded emulator.

`local_copy()` makes an apply-able copy of a root config exactly as `storefirst.terraform.
offline_copy` does (same relative layout, everything else symlinked, so `../../modules` and
`build/` resolve) and adds an override file that points every AWS service the modules use at
the emulator, with dummy credentials, the provider's skip flags, path-style S3 and a local
backend whose state lives in the copy (under `.local-stack/`). The env itself is untouched.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storefirst.terraform import REPO, TerraformError, Workdir, offline_copy

from .applylog import ApplyLog
from .emulator import ACCESS_KEY, REGION, SECRET_KEY

STATE_ROOT = REPO / ".local-stack"

# Provider 5.x `endpoints` keys of every service a storefirst module or env may touch.
SERVICES = (
    "apigateway",
    "apigatewayv2",
    "cloudwatch",
    "dynamodb",
    "events",
    "iam",
    "kinesis",
    "kms",
    "lambda",
    "logs",
    "s3",
    "scheduler",
    "secretsmanager",
    "sfn",
    "sns",
    "sqs",
    "ssm",
    "sts",
    "xray",
)


def override_text(endpoint: str, region: str = REGION) -> str:
    eps = "\n".join(f'    {svc:<14} = "{endpoint}"' for svc in SERVICES)
    return f"""\
# Written by storefirst.local for an apply against the embedded emulator; not part of the env.
provider "aws" {{
  region                      = "{region}"
  access_key                  = "{ACCESS_KEY}"
  secret_key                  = "{SECRET_KEY}"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true

  endpoints {{
{eps}
  }}
}}

terraform {{
  backend "local" {{
    path = "terraform.tfstate"
  }}
}}
"""


def local_copy(root_dir: Path, endpoint: str, dest: Path, region: str = REGION) -> Path:
    target = offline_copy(Path(root_dir), dest)
    (target / "storefirst_offline_override.tf").unlink(missing_ok=True)
    (target / "storefirst_local_override.tf").write_text(override_text(endpoint, region))
    return target


@dataclass
class Applied:
    workdir: Workdir
    outputs: dict[str, Any]
    seconds: float
    log: ApplyLog | None = None  # None when the state was restored, not applied
    _resources: list[dict[str, Any]] | None = None

    @property
    def state_file(self) -> Path:
        return self.workdir.path / "terraform.tfstate"

    def resources(self) -> list[dict[str, Any]]:
        """Every managed resource instance in the state, modules included, shaped like
        `terraform show -json` values ({address, type, values, depends_on}). Read from the
        local state file (format 4) directly: no terraform process on the warm path."""
        if self._resources is not None:
            return self._resources
        raw = json.loads(self.state_file.read_text())
        out: list[dict[str, Any]] = []
        for res in raw.get("resources", []):
            if res.get("mode") != "managed":
                continue
            base = ".".join(p for p in (res.get("module"), res["type"], res["name"]) if p)
            for inst in res.get("instances", []):
                key = inst.get("index_key")
                address = base if key is None else f"{base}[{json.dumps(key)}]"
                out.append(
                    {
                        "address": address,
                        "type": res["type"],
                        "values": inst.get("attributes") or {},
                        "depends_on": inst.get("dependencies") or [],
                    }
                )
        self._resources = out
        return out

    def critical_path(self) -> list[dict[str, Any]]:
        if self.log is None:
            return []
        return self.log.critical_path({r["address"]: r["depends_on"] for r in self.resources()})

    def ids(self, rtype: str, attr: str = "id") -> set[str]:
        return {r["values"][attr] for r in self.resources() if r["type"] == rtype and r["values"].get(attr)}

    def destroy(self, variables: dict[str, Any] | None = None) -> float:
        t = time.monotonic()
        self.workdir.run("destroy", "-auto-approve", "-input=false", "-no-color", "-lock=false", *_var_args(variables))
        return time.monotonic() - t


def _var_args(variables: dict[str, Any] | None) -> list[str]:
    return [f"-var={k}={v if isinstance(v, str) else json.dumps(v)}" for k, v in (variables or {}).items()]


def apply(
    root_dir: Path | str,
    endpoint: str,
    *,
    name: str | None = None,
    variables: dict[str, Any] | None = None,
    region: str = REGION,
    state_root: Path = STATE_ROOT,
    progress: Any = None,
) -> Applied:
    """Copy `root_dir`, point it at `endpoint`, init + apply; returns outputs and timing.

    A fresh copy each time (the emulator is fresh each time too, so stale state would lie).
    `progress(line)`, if given, gets a line at least every 5 s while the apply runs.
    """
    wd = _workdir(Path(root_dir), endpoint, name, region, state_root)
    t = time.monotonic()
    wd.init(backend=True)
    log = ApplyLog(report=progress)
    stop = log.start_ticker() if progress else None
    try:
        wd.stream(
            "apply", "-json", "-auto-approve", "-input=false", "-lock=false", *_var_args(variables), on_line=log.feed
        )
    except TerraformError as exc:
        if log.errors:
            raise TerraformError(f"terraform apply failed in {wd.path}:\n" + "\n".join(log.errors)) from exc
        raise
    finally:
        if stop:
            stop.set()
    seconds = time.monotonic() - t
    raw = json.loads(wd.run("output", "-json", "-no-color").stdout or "{}")
    return Applied(wd, {k: v.get("value") for k, v in raw.items()}, seconds, log)


def slug_for(root_dir: Path, name: str | None = None) -> str:
    slug = name or str(Path(root_dir).resolve().relative_to(REPO)).replace("/", "__")
    # pytest-xdist workers are separate processes with separate emulators: separate copies.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        slug += f"-{os.environ['PYTEST_XDIST_WORKER']}"
    return slug


def _workdir(root_dir: Path, endpoint: str, name: str | None, region: str, state_root: Path) -> Workdir:
    root_dir = root_dir.resolve()
    slug = slug_for(root_dir, name)
    dest = Path(state_root) / "roots" / slug
    if dest.exists():
        import shutil

        shutil.rmtree(dest)
    target = local_copy(root_dir, endpoint, dest, region)
    return Workdir(target, data_dir=Path(state_root) / "tf-data" / slug)


def restore(
    root_dir: Path | str,
    endpoint: str,
    state_file: Path,
    outputs: dict[str, Any],
    *,
    name: str | None = None,
    region: str = REGION,
    state_root: Path = STATE_ROOT,
) -> Applied:
    """The working copy of a previous apply, its state put back (the emulator was restored to
    the same moment): `terraform plan` in it sees what that apply left."""
    import shutil

    wd = _workdir(Path(root_dir), endpoint, name, region, state_root)
    shutil.copy2(state_file, wd.path / "terraform.tfstate")
    lock = state_file.parent / "terraform.lock.hcl"
    if lock.exists():
        shutil.copy2(lock, wd.path / ".terraform.lock.hcl")
    return Applied(wd, outputs, 0.0, None)
