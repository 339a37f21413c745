"""The stacks of the `local_stack` xdist group, applied side by side.

Each test module of the group serves one stack: a fixture root (or envs/local) applied with
`terraform apply` into the worker's emulator, then served by the local gateway and event source
mappings. Those applies mostly sleep: the aws provider reads an SQS queue's attributes back until
six reads 5 s apart agree (about 25 s per queue, and a queue waits for its DLQ; provider
internal/service/sqs/wait.go, ContinuousTargetOccurence 6, MinTimeout 5 s), and polls an S3
lifecycle configuration for about a minute; it waits as long against an AWS account. One module
after another, the group's worker spent about five minutes asleep in them.

So the group's first test starts the apply of every collected group module at once, and waits
for all of them; then each module serves its own stack in turn (one at a time: the emulator's
Lambda invoke hook is process-wide) and its tests run against a real apply of its own root. No
apply still runs while a module's tests do (the capacity cross-check times the local mapping).
An apply that fails fails only its own module's tests.

A module joins with `stack = join(__name__, factory)`: its `stack` fixture. The factory returns
its `Spec` and runs only if the module's tests are collected (it may build a zip or start a
server). A module whose stack is not an apply into the worker's emulator (the warm start runs
`storefirst up` in subprocesses) starts its slow part beside the applies with
`started = start_beside(__name__, start)`: `start()` runs in the group's pool, serving waits for
it as for the applies, and its result (with a `stop()`) is the module's `started` fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from storefirst.local import tfapply
from storefirst.local.emulator import Emulator
from storefirst.local.stack import Stack


@dataclass(frozen=True)
class Spec:
    root: Path
    name: str
    variables: dict[str, Any] = field(default_factory=dict)
    code_dirs: list[Path] = field(default_factory=list)
    close: Callable[[], None] | None = None  # what the factory started (a server), stopped last


_FACTORIES: dict[str, Callable[[], Spec]] = {}
_STARTERS: dict[str, Callable[[], Any]] = {}


def register(module: str, factory: Callable[[], Spec]) -> None:
    _FACTORIES[module] = factory


def join(module: str, factory: Callable[[], Spec]) -> Any:
    """Register `module`'s stack; returns the module-scoped `stack` fixture that serves it."""
    register(module, factory)

    @pytest.fixture(scope="module", name="stack")
    def _stack(group_stacks: GroupStacks) -> Iterator[Stack]:
        with group_stacks.serve(module) as st:
            yield st

    return _stack


def start_beside(module: str, start: Callable[[], Any]) -> Any:
    """Run `start()` beside the group's applies; returns the module-scoped `started` fixture
    (its result). The result's `stop()` is called when the group closes."""
    _STARTERS[module] = start

    @pytest.fixture(scope="module", name="started")
    def _started(group_stacks: GroupStacks) -> Any:
        return group_stacks.result(module)

    return _started


def registered() -> set[str]:
    return set(_FACTORIES) | set(_STARTERS)


class GroupStacks:
    """The applies of `modules` (registered names), started concurrently on construction."""

    def __init__(self, emulator: Emulator, modules: list[str]):
        self.emulator = emulator
        self.specs: dict[str, Spec] = {}
        self._applies: dict[str, Future] = {}
        self._pool = ThreadPoolExecutor(max_workers=max(1, len(modules)), thread_name_prefix="group-apply")
        for module in modules:
            if module in _STARTERS:
                self._applies[module] = self._pool.submit(_STARTERS[module])
                continue
            try:
                spec = _FACTORIES[module]()
            except Exception as exc:  # the module's own tests report it
                failed: Future = Future()
                failed.set_exception(exc)
                self._applies[module] = failed
                continue
            self.specs[module] = spec
            self._applies[module] = self._pool.submit(
                tfapply.apply, spec.root, emulator.url, name=spec.name, variables=spec.variables
            )

    def result(self, module: str) -> Any:
        """`module`'s apply (or start_beside function) result, once every apply and start is
        done; its error, if it failed."""
        wait(list(self._applies.values()))
        return self._applies[module].result()

    @contextmanager
    def serve(self, module: str) -> Iterator[Stack]:
        if module not in self._applies:
            raise LookupError(f"{module} is not a registered group module (stack_group.register)")
        applied = self.result(module)
        spec = self.specs[module]
        st = Stack(spec.root, spec.variables, spec.code_dirs, name=spec.name, emulator=self.emulator, applied=applied)
        st.up()
        try:
            yield st
        finally:
            st.down()

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        for module, future in self._applies.items():
            if module in _STARTERS and future.exception() is None:
                future.result().stop()
        for spec in self.specs.values():
            if spec.close is not None:
                spec.close()
