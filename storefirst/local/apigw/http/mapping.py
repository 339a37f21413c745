"""Step: map request (HTTP API parameter mapping, "Transform API requests and responses for
HTTP APIs in API Gateway" and the "Integration subtype reference").

Sources: $request.header.x, $request.querystring.x, $request.path[.x], $request.body[.JSONPath],
$context.x, $stageVariables.x, static values, and `${...}` inside a larger string.

What AWS documents is substitution; it does not document escaping the substituted value, so
none is applied here: a value inside a JSON-string parameter (e.g. SQS-SendMessage's
MessageAttributes) is inserted as is, and a header holding `"` changes or breaks that JSON as
it would on AWS. A source the request lacks (a header the client did not send) becomes the
empty string (undocumented; the most plausible reading, and either way the downstream call
fails: SQS refuses an empty attribute value). docs/aws-behaviours.md records both choices.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .model import RequestCtx

_EXPR = re.compile(
    r"\$\{([^}]+)\}|\$((?:request\.(?:body(?:\.[A-Za-z0-9_.\[\]*]+)?|header\.[A-Za-z0-9_-]+|"
    r"querystring\.[A-Za-z0-9_.~-]+|path(?:\.[A-Za-z0-9_]+)?))|context\.[A-Za-z0-9_.]+|"
    r"stageVariables\.[A-Za-z0-9_]+)"
)


def _json_path(doc: Any, path: str) -> Any:
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            idx = int(part[1:-1])
            doc = doc[idx] if isinstance(doc, list) and idx < len(doc) else None
        else:
            doc = doc.get(part) if isinstance(doc, dict) else None
        if doc is None:
            return None
    return doc


def lookup(expr: str, ctx: RequestCtx) -> str | None:
    """Value of one mapping expression (without the leading `$`); None when absent."""
    if expr == "request.path":
        return ctx.path
    if expr == "request.body":
        return ctx.body.decode("utf-8", "replace")
    if expr.startswith("request.body."):
        try:
            val = _json_path(json.loads(ctx.body or b"null"), expr[len("request.body.") :])
        except ValueError:
            return None
        return None if val is None else (val if isinstance(val, str) else json.dumps(val))
    if expr.startswith("request.header."):
        return ctx.headers.get(expr[len("request.header.") :].lower())
    if expr.startswith("request.querystring."):
        vals = ctx.query_multi.get(expr[len("request.querystring.") :])
        return ",".join(vals) if vals else None
    if expr.startswith("request.path."):
        return ctx.path_params.get(expr[len("request.path.") :])
    if expr.startswith("context."):
        val = ctx.context_vars().get(expr[len("context.") :])
        return None if val is None else str(val)
    if expr.startswith("stageVariables."):
        return ((ctx.api.stages.get(ctx.stage, {}).get("StageVariables")) or {}).get(expr[len("stageVariables.") :])
    return None


def evaluate(template: str, ctx: RequestCtx, missing: dict[str, bool]) -> str:
    """One request parameter value with every expression substituted, verbatim."""

    def sub(m: re.Match) -> str:
        expr = m.group(1) or m.group(2)
        val = lookup(expr, ctx)
        if val is None:
            missing[expr] = True
            val = ""
        return val

    return _EXPR.sub(sub, template)


def map_parameters(params: dict[str, str], ctx: RequestCtx) -> tuple[dict[str, str], dict[str, bool]]:
    missing: dict[str, bool] = {}
    return {key: evaluate(tmpl, ctx, missing) for key, tmpl in (params or {}).items()}, missing
