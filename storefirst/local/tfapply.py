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

from storefirst.terraform import REPO, Workdir, offline_copy

from .emulator import ACCESS_KEY, REGION, SECRET_KEY

STATE_ROOT = REPO / ".local-stack"

# Provider 5.x `endpoints` keys of every service a storefirst module or env may touch.
SERVICES = (
    "apigateway", "apigatewayv2", "cloudwatch", "dynamodb", "events", "iam", "kinesis", "kms", "lambda",
    "logs", "s3", "scheduler", "secretsmanager", "sfn", "sns", "sqs", "ssm", "sts", "xray",
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
    _resources: list[dict[str, Any]] | None = None

    def resources(self) -> list[dict[str, Any]]:
        """Every managed resource in the state (`terraform show -json`), modules included."""
        if self._resources is not None:
            return self._resources
        raw = json.loads(self.workdir.run("show", "-json", "-no-color").stdout or "{}")
        out: list[dict[str, Any]] = []

        def walk(mod: dict[str, Any]) -> None:
            out.extend(r for r in mod.get("resources", []) if r.get("mode") == "managed")
            for child in mod.get("child_modules", []):
                walk(child)

        walk((raw.get("values") or {}).get("root_module") or {})
        self._resources = out
        return out

    def ids(self, rtype: str, attr: str = "id") -> set[str]:
        return {r["values"][attr] for r in self.resources() if r["type"] == rtype and r["values"].get(attr)}

    def destroy(self, variables: dict[str, Any] | None = None) -> float:
        t = time.monotonic()
        self.workdir.run("destroy", "-auto-approve", "-input=false", "-no-color", "-lock=false",
                         *_var_args(variables))
        return time.monotonic() - t


def _var_args(variables: dict[str, Any] | None) -> list[str]:
    return [f"-var={k}={v if isinstance(v, str) else json.dumps(v)}" for k, v in (variables or {}).items()]


def apply(root_dir: Path | str, endpoint: str, *, name: str | None = None,
          variables: dict[str, Any] | None = None, region: str = REGION,
          state_root: Path = STATE_ROOT) -> Applied:
    """Copy `root_dir`, point it at `endpoint`, init + apply; returns outputs and timing.

    A fresh copy each time (the emulator is fresh each time too, so stale state would lie).
    """
    root_dir = Path(root_dir).resolve()
    slug = name or str(root_dir.relative_to(REPO)).replace("/", "__")
    # pytest-xdist workers are separate processes with separate emulators: separate copies.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        slug += f"-{os.environ['PYTEST_XDIST_WORKER']}"
    dest = Path(state_root) / "roots" / slug
    if dest.exists():
        import shutil

        shutil.rmtree(dest)
    target = local_copy(root_dir, endpoint, dest, region)
    wd = Workdir(target, data_dir=Path(state_root) / "tf-data" / slug)
    t = time.monotonic()
    wd.init(backend=True)
    wd.run("apply", "-auto-approve", "-input=false", "-no-color", "-lock=false", *_var_args(variables))
    seconds = time.monotonic() - t
    raw = json.loads(wd.run("output", "-json", "-no-color").stdout or "{}")
    return Applied(wd, {k: v.get("value") for k, v in raw.items()}, seconds)
