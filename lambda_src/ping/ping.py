"""Health check: the smallest useful function.

Used by the module examples/tests as a real zip, and later as a health route
(`GET /ping`). Imports nothing at cold start beyond the standard library.
"""

from __future__ import annotations

from typing import Any


def handler(event: dict[str, Any] | None, context: Any) -> dict[str, bool]:
    return {"ok": True}
