"""Run Terraform offline and reproducibly, for tests, `make plan` and the local stack.

What it does for a caller:
- finds a provider filesystem mirror (a directory whose child is `registry.terraform.io/`),
  writes a CLI config that installs `hashicorp/*` from it, and falls back to the public
  registry when there is none (as users run it). `STOREFIRST_TF_MIRROR` overrides the search
  (`none` forces the registry);
- gives every working directory its own `TF_DATA_DIR` under `.cache/`, and skips `init` when
  nothing that init depends on changed, so the suite stays fast and xdist workers never share
  a `.terraform`;
- plans an env offline without credentials by planning a *copy* of it beside symlinks to the
  rest of the repository, with an override file adding dummy credentials, the provider's
  skip flags and a local backend. The env itself stays unchanged and runs against AWS as is.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("STOREFIRST_CACHE", REPO / ".cache"))

# Where machine images and users usually keep a provider mirror; first hit wins.
MIRROR_CANDIDATES = (
    "/opt/tf-plugins",
    "/usr/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
)


# Injected only into the harness's copy of an env (see offline_copy); never committed.
# Dummy credentials travel as environment variables (OFFLINE_ENV), not in this file,
# so checkov's scan of the plan does not see hard-coded keys.
def offline_override(sfn_url: str | None = None) -> str:
    """Provider skip flags, a local backend and, optionally, the sfn validation stand-in."""
    endpoints = f'\n  endpoints {{\n    sfn = "{sfn_url}"\n  }}\n' if sfn_url else ""
    return f"""\
# Written by storefirst.terraform for an offline plan; not part of the env.
provider "aws" {{
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
{endpoints}}}

terraform {{
  backend "local" {{}}
}}
"""


OFFLINE_OVERRIDE_FILE = "storefirst_offline_override.tf"
OFFLINE_ENV = {
    "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",  # AWS's documented example key
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AWS_EC2_METADATA_DISABLED": "true",
}


class TerraformError(RuntimeError):
    """A terraform command failed; the message carries its output."""


class TerraformMissing(TerraformError):
    pass


def terraform_bin() -> str:
    exe = os.environ.get("TERRAFORM") or shutil.which("terraform")
    if not exe:
        raise TerraformMissing(
            "terraform was not found on PATH. Install Terraform >= 1.7"
            " (1.5 runs the modules; make test needs 1.7 for mock_provider) "
            "(https://developer.hashicorp.com/terraform/install, or HashiCorp's apt/yum "
            "repository: `apt-get install terraform`), or set TERRAFORM=/path/to/terraform."
        )
    return exe


def find_mirror() -> Path | None:
    forced = os.environ.get("STOREFIRST_TF_MIRROR")
    if forced is not None:
        if forced.lower() in ("", "none", "registry"):
            return None
        path = Path(forced).expanduser()
        if not (path / "registry.terraform.io").is_dir():
            raise TerraformError(f"STOREFIRST_TF_MIRROR={forced} has no registry.terraform.io/ child directory")
        return path
    for cand in MIRROR_CANDIDATES:
        path = Path(cand).expanduser()
        if (path / "registry.terraform.io" / "hashicorp").is_dir():
            return path
    return None


def cli_config() -> Path:
    """Write (once) and return a Terraform CLI config for this machine."""
    CACHE.mkdir(parents=True, exist_ok=True)
    mirror = find_mirror()
    lines: list[str] = []
    if mirror is None:
        # Registry downloads are worth caching. Terraform's plugin cache is not safe for
        # concurrent inits (hashicorp/terraform#25849, #31964: one init unpacks into the cache
        # while another links to it), so Workdir.run serialises inits while it is in use.
        lines.append(f'plugin_cache_dir = "{plugin_cache_dir()}"')
    else:
        # No plugin cache with a mirror: init links each data dir's provider straight to the
        # unpacked mirror (checked with terraform 1.11: `.terraform/providers/.../linux_amd64` is
        # a symlink into the mirror), and nothing is ever unpacked, so concurrent inits cannot
        # catch a half-written cache (a CI run failed that way: "there is no package for
        # registry.terraform.io/hashicorp/aws 5.100.0 cached in .../providers").
        lines += [
            "provider_installation {",
            "  filesystem_mirror {",
            f'    path    = "{mirror}"',
            '    include = ["registry.terraform.io/hashicorp/*"]',
            "  }",
            "  direct {",
            '    exclude = ["registry.terraform.io/hashicorp/*"]',
            "  }",
            "}",
        ]
    text = "\n".join(lines) + "\n"
    path = CACHE / f"terraformrc-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text)
        tmp.replace(path)
    return path


def plugin_cache_dir() -> Path | None:
    """The shared plugin cache, used only when providers come from the registry."""
    if find_mirror() is not None:
        return None
    path = CACHE / "tf-plugin-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def base_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TF_CLI_CONFIG_FILE=str(cli_config()),
        CHECKPOINT_DISABLE="1",
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
    )
    # Terraform and the aws provider (which inherits this environment) are Go programs that spend
    # much of each run collecting garbage while building the provider's large schema. GOGC=400
    # trades ~100 MB more peak RSS per process for ~20 % less CPU (measured: `terraform test` of
    # modules/claim-check 19.7 -> 15.3 CPU-s, offline plan of envs/dev 19.7 -> 15.1 CPU-s). A GOGC
    # or GOMEMLIMIT the user set wins.
    if "GOGC" not in env and "GOMEMLIMIT" not in env:
        env["GOGC"] = "400"
    # Keep real credentials out of offline runs; callers that apply pass their own.
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        env.pop(key, None)
    if extra:
        env.update(extra)
    return env


@contextmanager
def _locked(name: str) -> Iterator[None]:
    lock_dir = CACHE / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"{name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _slug(path: Path) -> str:
    try:
        rel = str(path.resolve().relative_to(REPO))
    except ValueError:
        rel = str(path.resolve())
    return rel.strip("/").replace("/", "__") or "root"


# Everything a plan can read: Terraform code, values, and files loaded by templatefile/yamldecode.
TF_INPUT_PATTERNS = ("*.tf", "*.tfvars", "*.hcl", "*.yaml", "*.yml", "*.json", "*.tpl", "*.vtl")


def _tree_digest(root: Path, patterns: tuple[str, ...] = TF_INPUT_PATTERNS) -> str:
    """Digest of every Terraform input file under root."""
    h = hashlib.sha256()
    for pattern in patterns:
        for f in sorted(root.rglob(pattern)):
            # init writes .terraform/ and the lock file: outputs of init, not inputs. Counting
            # the lock file made the next caller re-init (and swap the provider link) while
            # another xdist worker was running terraform in the same data dir.
            if ".terraform" in f.parts or f.name == ".terraform.lock.hcl":
                continue
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


@dataclass
class Result:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class Workdir:
    """One Terraform working directory with its own data dir."""

    path: Path
    env: dict[str, str] = field(default_factory=dict)
    data_dir: Path | None = None

    def __post_init__(self) -> None:
        # Relative paths are relative to the repository, wherever the caller runs from.
        self.path = (REPO / self.path).resolve()
        if self.data_dir is None:
            self.data_dir = CACHE / "tf-data" / _slug(self.path)
        if (self.path / OFFLINE_OVERRIDE_FILE).exists():
            # A copy made by offline_copy: it plans with the dummy credentials.
            self.env = {**OFFLINE_ENV, **self.env}

    def run(self, *args: str, check: bool = True, timeout: float = 600) -> Result:
        cmd = [terraform_bin(), *args]
        shares_cache = args[:1] == ("init",) and plugin_cache_dir() is not None
        with _locked("plugin-cache") if shares_cache else nullcontext():
            proc = subprocess.run(
                cmd,
                cwd=self.path,
                env=base_env({"TF_DATA_DIR": str(self.data_dir), **self.env}),
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        res = Result(cmd, proc.returncode, proc.stdout, proc.stderr)
        if check and proc.returncode != 0:
            raise TerraformError(
                f"`terraform {' '.join(args)}` failed in {self.path} (exit {proc.returncode}):\n{res.output}"
            )
        return res

    def stream(self, *args: str, on_line: Any, timeout: float = 1800) -> Result:
        """Run terraform, handing each stdout line to on_line(line) as it arrives (for
        `-json` progress); stderr is collected. Raises TerraformError like run()."""
        import threading

        cmd = [terraform_bin(), *args]
        proc = subprocess.Popen(
            cmd,
            cwd=self.path,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=base_env({"TF_DATA_DIR": str(self.data_dir), **self.env}),
        )
        err: list[str] = []
        reader = threading.Thread(target=lambda: err.extend(proc.stderr), daemon=True)  # type: ignore[arg-type]
        reader.start()
        out: list[str] = []
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            for line in proc.stdout:  # type: ignore[union-attr]
                out.append(line)
                on_line(line)
            proc.wait()
        finally:
            timer.cancel()
            reader.join(5)
        res = Result(cmd, proc.returncode, "".join(out), "".join(err))
        if proc.returncode != 0:
            raise TerraformError(
                f"`terraform {' '.join(args)}` failed in {self.path} (exit {proc.returncode}):\n{res.output}"
            )
        return res

    def init(self, backend: bool = False) -> None:
        """terraform init, skipped when no .tf file below the module tree changed."""
        # Module calls may point at sibling modules: any change under modules/ re-inits.
        stamp_key = _tree_digest(self.path) + _tree_digest(REPO / "modules") + _tree_digest(REPO / "envs")
        with _locked(_slug(self.path)):
            self._init_holding_lock(stamp_key, backend)

    def _init_holding_lock(self, stamp_key: str, backend: bool) -> None:
        assert self.data_dir is not None
        stamp = self.data_dir / "storefirst-init.stamp"
        if stamp.exists() and stamp.read_text() == stamp_key:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = ["init", "-no-color", "-input=false"]
        if not backend:
            args.append("-backend=false")
        self.run(*args)
        stamp.write_text(stamp_key)

    def validate(self) -> dict[str, Any]:
        # init and validate under one lock: another xdist worker re-initialising the same data
        # dir (it swaps the provider link) between the two made validate fail to load the schema.
        stamp_key = _tree_digest(self.path) + _tree_digest(REPO / "modules") + _tree_digest(REPO / "envs")
        with _locked(_slug(self.path)):
            self._init_holding_lock(stamp_key, backend=False)
            res = self.run("validate", "-json", "-no-color", check=False)
        return json.loads(res.stdout)

    def fmt_problems(self) -> list[str]:
        res = self.run("fmt", "-check", "-list=true", "-recursive", "-no-color", check=False)
        if res.returncode not in (0, 3):
            raise TerraformError(res.output)
        return [line for line in res.stdout.splitlines() if line.strip()]

    def plan(self, *, var_files: tuple[str, ...] = (), variables: dict[str, Any] | None = None) -> Plan:
        self.init(backend=True)
        plan_file = self.data_dir / "plan.tfplan"  # type: ignore[operator]
        args = ["plan", "-no-color", "-input=false", "-lock=false", f"-out={plan_file}"]
        args += [f"-var-file={vf}" for vf in var_files]
        for key, value in (variables or {}).items():
            args.append(f"-var={key}={value if isinstance(value, str) else json.dumps(value)}")
        self.run(*args)
        shown = self.run("show", "-json", str(plan_file))
        return Plan(json.loads(shown.stdout))


def offline_copy(tf_dir: Path, dest: Path | None = None) -> Path:
    """A planable copy of tf_dir (an env or an example): same relative layout, override added.

    Only tf_dir itself is copied; at every level of its path the sibling entries are
    symlinked, so `../../modules/x`, `../..` from an example and paths to build/ artefacts
    resolve exactly as in the repository. A Workdir on the copy plans with OFFLINE_ENV.
    """
    tf_dir = (REPO / tf_dir).resolve()
    rel = tf_dir.relative_to(REPO)
    root = Path(dest) if dest else Path(tempfile.mkdtemp(prefix="storefirst-plan-"))
    src, dst = REPO, root
    for part in rel.parts:
        dst.mkdir(parents=True, exist_ok=True)
        for entry in src.iterdir():
            # Hidden entries (.git, .venv, caches, .local-stack where the local stack keeps its
            # copies) are never needed by a root: linking .local-stack into a copy that lives
            # inside it would make a symlink loop that tree walkers recurse into forever.
            if entry.name == part or entry.name.startswith("."):
                continue
            link = dst / entry.name
            if not link.exists() and not link.is_symlink():
                link.symlink_to(entry)
        src, dst = src / part, dst / part
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(tf_dir, dst, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    (dst / OFFLINE_OVERRIDE_FILE).write_text(offline_override())
    return dst


def plan_env(env_dir: Path | str, var_files: tuple[str, ...] | None = None, **variables: Any) -> Plan:
    """Plan an env offline (no credentials), cached on disk by content."""
    env_dir = (REPO / env_dir).resolve() if not Path(env_dir).is_absolute() else Path(env_dir)
    if var_files is None:
        var_files = tuple(sorted(p.name for p in env_dir.glob("*.tfvars")))
    key_src = (
        _tree_digest(REPO / "modules")
        + _tree_digest(REPO / "envs")
        + _tree_digest(env_dir)
        + json.dumps([var_files, variables], sort_keys=True)
    )
    build = REPO / "build"
    if build.is_dir():
        for z in sorted(build.glob("*.zip")):
            key_src += z.name + hashlib.sha256(z.read_bytes()).hexdigest()
    key = hashlib.sha256(key_src.encode()).hexdigest()[:16]
    cached = CACHE / "plans" / f"{_slug(env_dir)}-{key}.json"
    with _locked(f"plan-{_slug(env_dir)}"):
        if cached.exists():
            return Plan(json.loads(cached.read_text()))
        work = CACHE / "plan-roots" / _slug(env_dir)
        if work.exists():
            shutil.rmtree(work)
        copy = offline_copy(env_dir, work)
        wd = Workdir(copy, data_dir=CACHE / "tf-data" / f"plan-{_slug(env_dir)}")
        # Provider 5.x calls states:ValidateStateMachineDefinition while planning a state
        # machine whose definition is known; offline, a statelint-backed stand-in answers.
        from storefirst import sfn_validate

        with sfn_validate.serve() as sfn_url:
            (copy / OFFLINE_OVERRIDE_FILE).write_text(offline_override(sfn_url))
            plan = wd.plan(var_files=var_files, variables=variables)
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(plan.raw))
        return plan


class Plan:
    """Queries over `terraform show -json` of a plan."""

    def __init__(self, raw: dict[str, Any]):
        self.raw = raw

    @property
    def resource_changes(self) -> list[dict[str, Any]]:
        return self.raw.get("resource_changes", [])

    def changes(
        self, rtype: str | None = None, *, module: str | None = None, name: str | None = None
    ) -> list[dict[str, Any]]:
        out = []
        for rc in self.resource_changes:
            if rtype and rc["type"] != rtype:
                continue
            if module is not None and not (rc.get("module_address") or "").startswith(module):
                continue
            if name is not None and rc["name"] != name:
                continue
            if rc.get("mode") == "data":
                continue
            out.append(rc)
        return out

    def after(self, rtype: str, **kw: Any) -> list[dict[str, Any]]:
        """Planned attribute values of every resource of a type (unknowns absent)."""
        return [rc["change"]["after"] for rc in self.changes(rtype, **kw)]

    def one(self, rtype: str, **kw: Any) -> dict[str, Any]:
        found = self.changes(rtype, **kw)
        if len(found) != 1:
            raise AssertionError(f"expected one {rtype} {kw or ''}, found {[r['address'] for r in found]}")
        return found[0]

    def by_address(self, address: str) -> dict[str, Any]:
        for rc in self.resource_changes:
            if rc["address"] == address:
                return rc
        raise KeyError(address)

    def addresses(self, rtype: str | None = None) -> list[str]:
        return [rc["address"] for rc in self.changes(rtype)]

    def config_resource(self, address: str) -> dict[str, Any]:
        """The configuration block (expressions with their references) behind an address."""
        parts = address.split(".")
        mod = self.raw["configuration"]["root_module"]
        i = 0
        while i < len(parts) and parts[i] == "module":
            call = parts[i + 1].split("[")[0]
            mod = mod["module_calls"][call]["module"]
            i += 2
        local = ".".join(parts[i:]).split("[")[0]
        for res in mod.get("resources", []):
            if res["address"] == local:
                return res
        raise KeyError(address)

    def references(self, address: str, attribute: str | None = None) -> list[str]:
        """Every reference in the configuration of one attribute (or of the whole resource),
        nested blocks included: what a value is wired to even while it is unknown."""
        exprs = self.config_resource(address)["expressions"]
        tree = exprs.get(attribute, {}) if attribute else exprs
        found: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                found.extend(node.get("references", []))
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(tree)
        return found
