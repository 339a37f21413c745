"""One access log line per request, in the stage's format, to its CloudWatch Logs group
("Customizing HTTP API access logs"; "Set up CloudWatch logging for REST APIs")."""

from __future__ import annotations

from typing import Any


def write(shipper: Any, destination_arn: str | None, fmt: str | None, values: dict[str, Any], stream: str) -> None:
    if shipper is None or not destination_arn or not fmt:
        return
    from ..cwlogs import group_of, render_access_log

    shipper.put(group_of(destination_arn), render_access_log(fmt, values), stream)
