"""Compose the local stack: emulator -> terraform apply -> runtimes -> ESM runners -> gateway."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storefirst.terraform import REPO

from . import tfapply
from .cwlogs import LogShipper
from .emulator import ACCOUNT, Emulator
from .esm import EsmManager
from .gateway import Gateway
from .runtime import Runtimes

log = logging.getLogger("storefirst.local")


@dataclass
class Stack:
    root_dir: Path
    variables: dict[str, Any] = field(default_factory=dict)
    code_dirs: list[Path] = field(default_factory=lambda: [REPO / "build"])
    name: str | None = None
    max_workers: int = 2
    poll_wait_seconds: int = 1
    emulator: Emulator | None = None
    # Given: the root was applied beforehand into `emulator` (the tests apply several stacks
    # side by side, then serve them in turn), and up() only serves it.
    applied: tfapply.Applied | None = None
    runtimes: Runtimes | None = None
    esm: EsmManager | None = None
    gateway: Gateway | None = None
    shipper: LogShipper | None = None
    api_urls: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    # Warm start (storefirst.local.snapshot): restore the last successful apply when its inputs
    # are unchanged, else apply and save a snapshot. Only with an emulator of its own: moto's
    # state is process-wide, so restoring into a shared emulator would replace others' state.
    warm: bool = False
    fresh: bool = False  # with warm: apply anyway (and save a new snapshot)
    progress: Any = None  # progress(line) while applying
    path_taken: str = ""  # "restored: inputs unchanged" / "applying: modules/queue/main.tf changed"

    def up(self) -> Stack:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        t0 = time.monotonic()
        self._own_emulator = self.emulator is None
        pre_applied = self.applied is not None
        if pre_applied and self._own_emulator:
            raise ValueError("a Stack given its apply needs the emulator it was applied into")
        snap, current, restore = None, None, False
        meta: dict[str, Any] | None = None  # the snapshot's meta.json, when there is one
        if self.warm and self._own_emulator:
            from . import snapshot
            from .emulator import REGION

            snap = snapshot.Snapshot(tfapply.STATE_ROOT / "snapshots" / tfapply.slug_for(self.root_dir, self.name))
            current = snapshot.inputs(self.root_dir, self.variables, REGION)
            restore, why = (False, "--fresh") if self.fresh else snap.decide(current)
            meta = snap.meta()
            port = (meta or {}).get("port", 0)
            if restore and not snapshot.port_free("127.0.0.1", port):
                restore, why = False, f"port {port} of the snapshot is in use (queue URLs hold it)"
            self.path_taken = f"{'restored' if restore else 'applying'}: {why}"
            if self.progress:
                self.progress(self.path_taken)
            self.timings["digest"] = time.monotonic() - t0
        elif pre_applied:
            self.path_taken = "applied beforehand"
        elif self.warm:
            self.path_taken = "applying: the emulator is shared (moto's state is process-wide)"
        else:
            self.path_taken = "applying: warm start off"
        if self.emulator is None:
            self.emulator = Emulator(port=meta["port"] if restore and meta else 0).start()
        self.timings["emulator"] = time.monotonic() - t0
        t_apply = time.monotonic()
        if restore:
            assert snap is not None and meta is not None  # decide() restores only a snapshot with a meta.json
            snap.restore_backends()
            self.applied = tfapply.restore(
                self.root_dir, self.emulator.url, snap.dir / "terraform.tfstate", meta["outputs"], name=self.name
            )
            self.timings["restore"] = time.monotonic() - t_apply
            self.timings["apply"] = 0.0
        elif pre_applied:
            self.timings["apply"] = 0.0
        else:
            self.applied = tfapply.apply(
                self.root_dir, self.emulator.url, name=self.name, variables=self.variables, progress=self.progress
            )
            self.timings["apply"] = self.applied.seconds
            if snap is not None and current is not None:  # set together, when warm
                # Taken before any worker or gateway runs: no messages, no in-flight receipts.
                self.timings["snapshot"] = snap.save(
                    current=current,
                    state_file=self.applied.state_file,
                    port=self.emulator.port,
                    outputs=self.applied.outputs,
                )
        t1 = time.monotonic()
        try:
            self._serve()
        except Exception:
            if snap is not None and not restore:
                snap.discard()  # only a start that served counts as successful
            raise
        self.timings["serve"] = time.monotonic() - t1
        self.timings["total"] = time.monotonic() - t0
        return self

    def _serve(self) -> None:
        assert self.emulator is not None and self.applied is not None
        emu = self.emulator
        self.runtimes = Runtimes(emu.client("lambda"), emu.env(), self.code_dirs, self.max_workers)
        from . import emulator as emulator_mod

        emulator_mod.invoke_hook = self.runtimes.invoke_hook
        # Access logs and function output go to the CloudWatch Logs groups Terraform created.
        self.shipper = LogShipper(lambda: emu.client("logs"))
        self.runtimes.shipper = self.shipper
        self.gateway = Gateway(emu.client, self.runtimes, emu.region, ACCOUNT, emulator_url=emu.url)
        self.gateway.shipper = self.shipper
        self.gateway.only = self.applied.ids("aws_apigatewayv2_api") | self.applied.ids("aws_api_gateway_rest_api")
        self.api_urls = self.gateway.start()
        # Functions whose environment holds an emulated API's AWS URL (e.g. DATA_API_URL)
        # reach the local gateway (runtime.resolve_url); set before any function starts.
        self.runtimes.url_map.update(self.gateway.url_map())
        self.esm = EsmManager(
            emu.client("lambda"), emu.client("sqs"), self.runtimes, emu.region, self.poll_wait_seconds
        )
        # Serve exactly what this state created (moto's state is process-wide).
        self.esm.start(only=self.applied.ids("aws_lambda_event_source_mapping", "uuid"))

    @property
    def outputs(self) -> dict[str, Any]:
        return self.applied.outputs if self.applied else {}

    def endpoints(self) -> dict[str, Any]:
        assert self.emulator is not None and self.gateway is not None
        return {
            "emulator": self.emulator.url,
            "region": self.emulator.region,
            "apis": {
                api_id: {
                    "name": api.name,
                    "url": self.api_urls[api_id],
                    "routes": sorted(r.route_key for r in api.routes),
                }
                for api_id, api in self.gateway.apis.items()
            },
            "rest_apis": {
                api_id: {
                    "name": api.name,
                    "url": self.api_urls[api_id],
                    "stages": sorted(api.stages),
                    "methods": sorted(f"{m.http_method} {m.path}" for m in api.methods),
                }
                for api_id, api in self.gateway.rest_apis.items()
            },
            "outputs": self.outputs,
            "logs": str(REPO / ".local-stack" / "logs"),
        }

    def write_endpoints(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.endpoints(), indent=2, default=str) + "\n")
        return path

    def down(self) -> None:
        from . import emulator as emulator_mod

        if self.runtimes is not None and emulator_mod.invoke_hook == self.runtimes.invoke_hook:
            emulator_mod.invoke_hook = None
        for part in (self.gateway, self.esm, self.runtimes, self.shipper):
            if part is not None:
                try:
                    part.stop() if hasattr(part, "stop") else part.close()
                except Exception:
                    log.exception("stopping %s", type(part).__name__)
        if self.emulator is not None and getattr(self, "_own_emulator", True):
            self.emulator.stop()
        self.gateway = self.esm = self.runtimes = self.emulator = self.shipper = None

    def __enter__(self) -> Stack:
        return self.up()

    def __exit__(self, *exc: Any) -> None:
        self.down()
