"""pytest fixtures for tests that apply Terraform for real against the embedded emulator.

Use from a conftest: `from storefirst.local.testing import emulator, applied  # noqa: F401`.

    def test_queue_redrive(applied):
        out = applied("modules/queue/examples/basic")          # apply, outputs as a dict
        sqs = applied.client("sqs")
        attrs = sqs.get_queue_attributes(QueueUrl=out["queue_url"], AttributeNames=["All"])
        ...                                                      # destroyed after the test

Why not pytest-terraform (PyPI): its `terraform` fixtures run `terraform apply` in the fixture
directory against whatever the provider block says, with a record/replay mode built for real
AWS accounts. It has no hook to inject provider endpoints, credentials or an override file
into a copy of the config, nor to start an emulator; each module example would need an
emulator-specific provider block committed beside it (which then no longer validates as a
plain example). This fixture reuses storefirst.local.tfapply: copy + override + apply,
outputs back, destroy at teardown, one emulator per test session (names must not collide:
pass `name_suffix`/variables when two tests apply the same example).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from storefirst.terraform import REPO

from . import tfapply
from .emulator import Emulator


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    emu = Emulator().start()
    try:
        yield emu
    finally:
        emu.stop()


class _Applier:
    def __init__(self, emu: Emulator, request: Any):
        self.emulator = emu
        self._request = request
        self._applied: list[tuple[tfapply.Applied, dict[str, Any]]] = []

    def __call__(self, root_dir: str | Path, **variables: Any) -> dict[str, Any]:
        root = Path(root_dir)
        root = root if root.is_absolute() else REPO / root
        name = f"{self._request.node.name}-{len(self._applied)}".replace("/", "_").replace("[", "_").replace("]", "")
        ap = tfapply.apply(root, self.emulator.url, name=f"test-{name}", variables=variables)
        self._applied.append((ap, variables))
        return ap.outputs

    def client(self, service: str) -> Any:
        return self.emulator.client(service)

    def destroy_all(self) -> None:
        errors = []
        for ap, variables in reversed(self._applied):
            try:
                ap.destroy(variables)
            except Exception as exc:  # report, keep destroying the rest
                errors.append(exc)
        if errors:
            raise errors[0]


@pytest.fixture
def applied(emulator: Emulator, request: Any) -> Iterator[_Applier]:
    """applied(dir, **vars) -> outputs; everything applied is destroyed after the test."""
    app = _Applier(emulator, request)
    try:
        yield app
    finally:
        app.destroy_all()
