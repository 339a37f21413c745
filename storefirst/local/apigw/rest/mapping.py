"""Steps map request and map response (REST), with mapping templates rendered by
storefirst.vtl (Velocity as API Gateway runs it).

Map request ("Method request data mappings ... passthrough behaviors"): the template for the
request's content type renders the integration request body; with no template for it,
WHEN_NO_MATCH passes the body through, WHEN_NO_TEMPLATES passes only if there is no template
at all, NEVER refuses with UNSUPPORTED_MEDIA_TYPE 415. `$context.requestOverride.header.*`
become integration request headers, and the same `$context` is read by the response template
("Use a mapping template to override an API's request and response parameters and status codes").

Map response ("Set up an integration response"): the integration response whose
selectionPattern matches the integration's status code (AWS integrations), else the one
without a pattern; none -> 500. Its template renders the integration's body;
`$context.responseOverride.status` / `.header.*` replace the method response's.
"""

from __future__ import annotations

import re
from typing import Any

from storefirst.vtl import render_full

from ..core import JSON, ConfigurationError, Response, UnsupportedMediaType
from .model import RestRequest


def _render(template: str, req: RestRequest, body: str):
    return render_full(
        template,
        body=body,
        headers=req.headers,
        path_params=req.path_params,
        query=req.query,
        stage_vars=req.stage_vars,
        context=req.context,
    )


def map_request(req: RestRequest) -> None:
    integ = req.integration
    templates = integ.get("requestTemplates") or {}
    tmpl = templates.get(req.content_type)
    if tmpl is None:
        pb = integ.get("passthroughBehavior", "WHEN_NO_MATCH")
        if pb == "NEVER" or (pb == "WHEN_NO_TEMPLATES" and templates):
            raise UnsupportedMediaType(f"no mapping template for {req.content_type} and passthrough {pb}")
        req.mapped = req.text
        return
    rendered = _render(tmpl, req, req.text)
    req.mapped = rendered.body
    req.override_headers = {k: str(v) for k, v in rendered.request_override.get("header", {}).items()}


def choose_integration_response(integ: dict[str, Any], status: str) -> dict[str, Any]:
    responses = integ.get("integrationResponses") or {}
    for ir in responses.values():
        pat = ir.get("selectionPattern")
        if pat and re.fullmatch(pat, status):
            return ir
    for ir in responses.values():
        if not ir.get("selectionPattern"):
            return ir
    raise ConfigurationError(f"no integration response matches status {status} and none is the default")


def map_response(req: RestRequest) -> Response:
    chosen = choose_integration_response(req.integration, req.integration_status or "200")
    tmpl = (chosen.get("responseTemplates") or {}).get("application/json")
    status = int(chosen.get("statusCode", 200))
    extra: dict[str, str] = {}
    body = req.integration_body or ""
    if tmpl:
        res = _render(tmpl, req, body)
        body = res.body
        if res.status:
            status = res.status
        extra = {k: str(v) for k, v in (res.response_override.get("header") or {}).items()}
    resp = Response(status, body.encode(), {"Content-Type": JSON})
    for key, src in (chosen.get("responseParameters") or {}).items():
        if key.startswith("method.response.header.") and src.startswith("'") and src.endswith("'"):
            resp.headers[key[len("method.response.header.") :]] = src[1:-1]
    resp.headers.update(extra)
    return resp
