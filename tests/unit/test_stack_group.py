"""tests/stack_group.py: the group's applies start together, every one has finished before a
module is served, and a module whose apply (or spec) fails is the only one that fails."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import stack_group


class _Emu:
    url = "http://127.0.0.1:1"


@pytest.fixture
def fake(monkeypatch):
    seen = {"applying": 0, "most": 0, "done": [], "served": []}
    lock = threading.Lock()

    def apply(root, endpoint, *, name, variables):
        with lock:
            seen["applying"] += 1
            seen["most"] = max(seen["most"], seen["applying"])
        time.sleep(0.3 if name == "slow" else 0.1)
        with lock:
            seen["applying"] -= 1
            seen["done"].append(name)
        if name == "broken":
            raise RuntimeError("apply failed")
        return f"applied:{name}"

    class FakeStack:
        def __init__(self, root, variables, code_dirs, *, name, emulator, applied):
            self.name, self.applied = name, applied

        def up(self):
            seen["served"].append((self.name, sorted(seen["done"])))
            return self

        def down(self):
            pass

    monkeypatch.setattr(stack_group.tfapply, "apply", apply)
    monkeypatch.setattr(stack_group, "Stack", FakeStack)
    monkeypatch.setattr(stack_group, "_FACTORIES", {})
    return seen


def _register(name: str) -> None:
    stack_group.register(name, lambda: stack_group.Spec(Path("/nowhere"), name))


def test_applies_run_together_and_all_finish_before_the_first_module_is_served(fake):
    for name in ("fast", "slow", "other"):
        _register(name)
    group = stack_group.GroupStacks(_Emu(), ["fast", "slow", "other"])
    with group.serve("fast") as st:
        assert st.applied == "applied:fast"
    group.close()
    assert fake["most"] == 3
    assert fake["served"] == [("fast", ["fast", "other", "slow"])]


def test_a_failed_apply_or_spec_fails_only_its_own_module(fake):
    _register("ok")
    _register("broken")
    stack_group.register("no-spec", lambda: (_ for _ in ()).throw(FileNotFoundError("zip")))
    group = stack_group.GroupStacks(_Emu(), ["broken", "no-spec", "ok"])
    with pytest.raises(RuntimeError, match="apply failed"):
        with group.serve("broken"):
            pass
    with pytest.raises(FileNotFoundError):
        with group.serve("no-spec"):
            pass
    with group.serve("ok") as st:
        assert st.applied == "applied:ok"
    with pytest.raises(LookupError):
        with group.serve("never-registered"):
            pass
    group.close()
