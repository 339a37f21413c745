"""Warm start: save the emulator's state after a successful apply, restore it next time.

What is saved (under `.local-stack/snapshots/<slug>/`): every moto backend that holds state
(pickled in one graph, so objects shared between services stay shared), the Terraform state
the apply wrote, the emulator's port, and the digest of every input that could change what an
apply produces. `make up` restores when the digest matches and applies otherwise.

Why pickling moto's backends, not its other mechanisms (measured on envs/local):
- the request recorder replays every call the provider made (hundreds, polling included) and
  takes about as long as the apply's API work; ids would only match with the seed *and* the
  same request order, which a parallel Terraform apply does not guarantee;
- `POST /moto-api/seed` alone makes ids deterministic but still needs the apply.
A pickle restores the very objects the apply created: same ids, ARNs, URLs and timestamps,
so `terraform plan` against the restored emulator shows no changes (tests/e2e/test_warm_start.py).

moto's objects hold a few things pickle refuses (locks, a WeakValueDictionary, lambda
factories of defaultdicts, cryptography keys); `_Pickler.reducer_override` stores those as fresh locks, plain
mappings and PEM bytes.
The snapshot is taken right after apply, before any worker or gateway runs, so no message,
receipt handle or ESM poller state is in it.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import shutil
import subprocess
import threading
import time
import weakref
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storefirst.terraform import REPO, TF_INPUT_PATTERNS, find_mirror, terraform_bin

FORMAT = 1
_LOCK_TYPES = (type(threading.Lock()), type(threading.RLock()))


def _new_lock() -> Any:
    return threading.Lock()


def _new_rlock() -> Any:
    return threading.RLock()


def _new_condition() -> Any:
    return threading.Condition()


def _weak_values(items: dict) -> weakref.WeakValueDictionary:
    return weakref.WeakValueDictionary(items)


def _load_private_key(pem: bytes) -> Any:
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    return load_pem_private_key(pem, password=None)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, threading.Condition):
            return _new_condition, ()
        if isinstance(obj, _LOCK_TYPES):
            return (_new_rlock if "RLock" in type(obj).__name__ else _new_lock), ()
        if (
            isinstance(obj, defaultdict)
            and obj.default_factory is not None
            and "<lambda>" in getattr(obj.default_factory, "__qualname__", "")
        ):
            # e.g. defaultdict(lambda: {}): the same factory as a builtin type
            kind = type(obj.default_factory())
            if kind in (dict, list, set, int):
                return defaultdict, (kind,), None, None, iter(obj.items())
        if isinstance(obj, weakref.WeakValueDictionary):
            return _weak_values, (dict(obj.items()),)
        if type(obj).__module__.startswith("cryptography.") and hasattr(obj, "private_bytes"):
            from cryptography.hazmat.primitives import serialization as ser

            pem = obj.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption())
            return _load_private_key, (pem,)
        return NotImplemented


def _key(bd: Any) -> str:
    # Not the service name: "lambda" names two BackendDicts (moto.awslambda and, with
    # use_docker false, moto.awslambda_simple, which the server uses).
    return f"{bd.backend.__module__}:{bd.backend.__qualname__}"


def _backend_dict(key: str) -> Any:
    import importlib

    from moto.core.base_backend import BackendDict

    module, qualname = key.split(":")
    mod = importlib.import_module(module)
    cls = getattr(mod, qualname)
    for value in vars(mod).values():
        if isinstance(value, BackendDict) and value.backend is cls:
            return value
    raise LookupError(f"no BackendDict for {key}")


def dump_backends() -> bytes:
    """Every moto backend in use in this process: {backend class: {account: {region: backend}}}."""
    from moto.core.base_backend import BackendDict

    # moto annotates the class-level registry with its TypeVar; moto's own code ignores it the same way.
    instances = BackendDict._instances  # type: ignore[misc]
    data = {_key(bd): {acct: dict(asb) for acct, asb in bd.items()} for bd in instances}
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(data)
    return buf.getvalue()


def load_backends(blob: bytes) -> None:
    """Replace this process's moto state with a dump (every other backend: reset)."""
    from moto.core.base_backend import BackendDict

    data = pickle.loads(blob)
    BackendDict.reset()
    for key, accounts in data.items():
        bd = _backend_dict(key)
        for acct, regions in accounts.items():
            asb = bd[acct]
            for region, backend in regions.items():
                dict.__setitem__(asb, region, backend)


# ------------------------------------------------------------------ inputs digest

# storefirst code whose change alters what the emulator holds after an apply (the patches),
# or how the state is produced; the gateway/runtime only read the state, so they are left out.
_CODE = (
    "storefirst/local/emulator.py",
    "storefirst/local/snapshot.py",
    "storefirst/local/tfapply.py",
    "storefirst/local/partiql_shim.py",
    "storefirst/local/sqs_strict.py",
    "storefirst/local/trust_shim.py",
    "storefirst/terraform.py",
)


def _input_files(root_dir: Path) -> list[Path]:
    files: set[Path] = set()
    for top in (REPO / "modules", REPO / "envs", root_dir):
        for pattern in TF_INPUT_PATTERNS:
            files.update(
                f
                for f in top.rglob(pattern)
                if ".terraform" not in f.parts
                and f.name != ".terraform.lock.hcl"
                and "tests" not in f.relative_to(top).parts
            )
    build = REPO / "build"
    if build.is_dir():
        files.update(build.glob("*.zip"))
    files.update(REPO / c for c in _CODE)
    return sorted(files)


def _tool_versions() -> dict[str, str]:
    import moto

    out = subprocess.run([terraform_bin(), "version", "-json"], capture_output=True, text=True, timeout=30)
    tf = json.loads(out.stdout or "{}").get("terraform_version", "?")
    mirror = find_mirror()
    aws = (
        sorted(p.name for p in (mirror / "registry.terraform.io" / "hashicorp" / "aws").glob("*"))
        if mirror
        else ["registry"]
    )
    return {"terraform": tf, "aws provider (mirror)": ",".join(aws), "moto": moto.__version__}


def inputs(root_dir: Path, variables: dict[str, Any], region: str) -> dict[str, str]:
    """name -> digest of every input of an apply (files, variables, tool versions)."""
    out: dict[str, str] = {}
    for f in _input_files(root_dir):
        try:
            name = str(f.relative_to(REPO))
        except ValueError:
            name = str(f)
        out[name] = hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else "missing"
    out["variables"] = hashlib.sha256(json.dumps(variables, sort_keys=True, default=str).encode()).hexdigest()
    out["region"] = region
    out.update(_tool_versions())
    return out


def changed(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """What differs, for the message: 'modules/queue/main.tf changed', 'build/x.zip added'."""
    out = [f"{k} changed" for k in sorted(new) if k in old and old[k] != new[k]]
    out += [f"{k} added" for k in sorted(new) if k not in old]
    out += [f"{k} removed" for k in sorted(old) if k not in new]
    return out


# ------------------------------------------------------------------ store


@dataclass
class Snapshot:
    dir: Path

    @property
    def meta_path(self) -> Path:
        return self.dir / "meta.json"

    def meta(self) -> dict[str, Any] | None:
        try:
            meta = json.loads(self.meta_path.read_text())
        except (OSError, ValueError):
            return None
        return meta if meta.get("format") == FORMAT else None

    def decide(self, current: dict[str, str]) -> tuple[bool, str]:
        """(restore?, why) for the printed line."""
        meta = self.meta()
        if meta is None:
            return False, "no snapshot of a previous successful start"
        diff = changed(meta["inputs"], current)
        if diff:
            more = f" (+{len(diff) - 3} more)" if len(diff) > 3 else ""
            return False, ", ".join(diff[:3]) + more
        if not (self.dir / "backends.pickle").exists() or not (self.dir / "terraform.tfstate").exists():
            return False, "snapshot incomplete"
        return True, "inputs unchanged"

    def save(self, *, current: dict[str, str], state_file: Path, port: int, outputs: dict[str, Any]) -> float:
        t = time.monotonic()
        tmp = self.dir.with_name(self.dir.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        (tmp / "backends.pickle").write_bytes(dump_backends())
        shutil.copy2(state_file, tmp / "terraform.tfstate")
        lock = state_file.parent / ".terraform.lock.hcl"  # the provider selection init made
        if lock.exists():
            shutil.copy2(lock, tmp / "terraform.lock.hcl")
        (tmp / "meta.json").write_text(
            json.dumps(
                {"format": FORMAT, "inputs": current, "port": port, "outputs": outputs, "saved": time.time()}, indent=1
            )
        )
        shutil.rmtree(self.dir, ignore_errors=True)
        tmp.replace(self.dir)
        return time.monotonic() - t

    def restore_backends(self) -> None:
        load_backends((self.dir / "backends.pickle").read_bytes())

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def port_free(host: str, port: int) -> bool:
    """moto's ThreadedMotoServer waits forever when its port is taken: check first."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True
