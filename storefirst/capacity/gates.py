"""`--fail-on 'lost>0'` gates over the report: a CI pipeline keeps a capacity check."""

from __future__ import annotations

import operator
import re
from typing import Any

OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne}
_RE = re.compile(r"^\s*((?:coupled\.|decoupled\.)?[a-z_]+)\s*(>=|<=|==|!=|>|<)\s*(-?[0-9.]+)\s*$")


class GateError(ValueError):
    pass


def parse(expr: str) -> tuple[str, str, float]:
    m = _RE.match(expr)
    if not m:
        raise GateError(f"--fail-on {expr!r}: expected METRIC OP NUMBER, e.g. 'lost>0' or 'coupled.failed>0'")
    return m.group(1), m.group(2), float(m.group(3))


def check(report: dict[str, Any], exprs: list[str]) -> list[str]:
    """Messages for the gates that fail (empty: all pass). Unknown metrics are an error."""
    failed = []
    for expr in exprs:
        key, op, num = parse(expr)
        side, _, name = key.rpartition(".")
        section = report[side or "decoupled"]
        if name not in section:
            known = ", ".join(sorted(k for k, v in section.items() if not isinstance(v, dict)))
            raise GateError(f"--fail-on {expr!r}: no metric {name!r}; known: {known}")
        val = section[name]
        if val is None:
            continue  # e.g. an alarm that never fires
        if OPS[op](float(val), num):
            failed.append(f"{expr}: {key} = {val}")
    return failed
