"""Step: respond with a gateway response (REST), as API Gateway applies one.

"A GatewayResponse mapping template isn't processed by the VTL engine"
(x-amazon-apigateway-gateway-responses.responseTemplates, API Gateway developer guide):
only variables are substituted - `$context.*`, `$stageVariables.*` and
`$method.request.{header,querystring,path}.*` - and everything else (`#if`, `#set`,
`$util...`, `$input...`) comes out as literal text. A variable without a value becomes ""
(undocumented; plausible, see docs/aws-behaviours.md).

Selection ("Gateway response types for API Gateway"): the response of the error's type when
the API configures it, else the API's DEFAULT_4XX / DEFAULT_5XX, else AWS's default
`{"message":$context.error.messageString}`. Status: the chosen response's statusCode, else
the DEFAULT_xXX's statusCode when it sets one, else the type's default status.
Response parameters: `gatewayresponse.header.X` from a 'static' value or one of the variables.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..core import JSON, GatewayError, Response

DEFAULT_TEMPLATE = '{"message":$context.error.messageString}'

_VAR = re.compile(
    r"\$\{(context|stageVariables|method\.request\.(?:header|querystring|path))\.([A-Za-z0-9_.-]+?)\}"
    r"|\$(context|stageVariables|method\.request\.(?:header|querystring|path))\.([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)"
)


def _context_value(context: dict[str, Any], dotted: str) -> Any:
    cur: Any = context
    for part in dotted.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def substitute(template: str, variables: dict[str, Any]) -> str:
    """Replace each known variable by its value; nothing else is interpreted."""

    def value(kind: str, name: str) -> str:
        if kind == "context":
            v = _context_value(variables.get("context") or {}, name)
        elif kind == "stageVariables":
            v = (variables.get("stageVariables") or {}).get(name)
        else:
            where = kind.rsplit(".", 1)[-1]
            src = (variables.get("method.request") or {}).get(where) or {}
            v = src.get(name.lower()) if where == "header" else src.get(name)
        if v is None or isinstance(v, dict):
            return ""
        return str(v).lower() if isinstance(v, bool) else str(v)

    def sub(m: re.Match) -> str:
        if m.group(1):
            return value(m.group(1), m.group(2))
        return value(m.group(3), m.group(4))

    return _VAR.sub(sub, template)


def error_context(context: dict[str, Any], err: GatewayError) -> dict[str, Any]:
    """$context.error.* for one error ("Access logging variables" / gateway response docs)."""
    ctx = dict(context)
    ctx["error"] = {
        "message": err.rest_message,
        "messageString": json.dumps(err.rest_message),
        "responseType": err.response_type,
        "validationErrorString": err.validation or "",
    }
    return ctx


def choose(responses: dict[str, dict[str, Any]], err: GatewayError) -> tuple[dict[str, Any] | None, int]:
    family = "DEFAULT_4XX" if err.rest_status < 500 else "DEFAULT_5XX"
    default = responses.get(family)
    chosen = responses.get(err.response_type) or default
    status = (chosen or {}).get("statusCode") or (default or {}).get("statusCode") or err.rest_status
    return chosen, int(status)


def render(
    responses: dict[str, dict[str, Any]],
    err: GatewayError,
    context: dict[str, Any],
    stage_vars: dict[str, str],
    request: dict[str, dict[str, str]],
    accept: str | None = None,
) -> Response:
    chosen, status = choose(responses, err)
    variables = {"context": error_context(context, err), "stageVariables": stage_vars, "method.request": request}
    templates = (chosen or {}).get("responseTemplates") or {}
    ctype = (
        accept
        if accept in templates
        else ("application/json" if "application/json" in templates else next(iter(templates), "application/json"))
    )
    template = templates.get(ctype, DEFAULT_TEMPLATE)
    resp = Response(status, substitute(template, variables).encode(), {"Content-Type": ctype or JSON})
    for key, src in ((chosen or {}).get("responseParameters") or {}).items():
        if not key.startswith("gatewayresponse.header."):
            continue
        name = key[len("gatewayresponse.header.") :]
        if src.startswith("'") and src.endswith("'"):
            resp.headers[name] = src[1:-1]
        else:
            resp.headers[name] = substitute("$" + src, variables)
    return resp
