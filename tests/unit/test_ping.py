"""The ping function (lambda_src/ping): its handler and its deterministic, tiny zip."""

from __future__ import annotations

import importlib.util
import zipfile

from storefirst import build
from storefirst.terraform import REPO


def _load_ping():
    spec = importlib.util.spec_from_file_location("ping_handler_module", REPO / "lambda_src" / "ping" / "ping.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def test_ping_handler_returns_ok():
    assert _load_ping().handler({}, None) == {"ok": True}


def test_ping_zip_is_deterministic_and_tiny(built_zips):
    z = built_zips["ping"]
    first = z.read_bytes()
    again = build.build("ping").read_bytes()
    assert first == again
    with zipfile.ZipFile(z) as zf:
        assert zf.namelist() == ["ping.py"]
    assert len(first) < 50_000
