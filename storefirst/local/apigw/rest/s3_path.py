"""REST AWS integrations to S3 by path override: `arn:aws:apigateway:<region>:s3:path/<bucket>/<key>`
with the integration's HTTP method (PUT -> PutObject, GET -> GetObject), as in "Tutorial:
Create a REST API as an Amazon S3 proxy" (API Gateway developer guide).

Integration request parameters ("Parameter mapping for REST APIs"): `integration.request.path.<p>`
fills `{p}` in the URI; `integration.request.header.<h>` becomes a request header (here:
`x-amz-meta-*` user metadata and Content-Type). Sources: `method.request.header|querystring|path.<n>`,
`context.<name>`, `stageVariables.<name>` and `'literal'`; a source the request lacks maps to
nothing (the header is not sent; a path parameter stays unresolved and S3 gets the literal).

As API Gateway: the credentials role must allow s3:PutObject / s3:GetObject on
`arn:aws:s3:::<bucket>/<key>`, else S3's AccessDenied (403) is the integration response. The
body is the method request's body byte for byte when no mapping template applies.
Gap: SSE-KMS buckets' kms:GenerateDataKey for the role is not checked locally.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from .model import RestRequest

PATH_URI = re.compile(r"arn:aws[a-z-]*:apigateway:([^:]+):s3:path/(.+)$")


def _source(src: str, req: RestRequest) -> str | None:
    if len(src) >= 2 and src.startswith("'") and src.endswith("'"):
        return src[1:-1]
    parts = src.split(".")
    if parts[:2] == ["method", "request"] and len(parts) >= 4:
        where, name = parts[2], ".".join(parts[3:])
        if where == "header":
            return req.headers.get(name.lower())
        if where == "querystring":
            return req.query.get(name)
        if where == "path":
            return req.path_params.get(name)
        return None
    if parts[0] == "context":
        cur: Any = req.context
        for p in parts[1:]:
            cur = cur.get(p) if isinstance(cur, dict) else None
        return None if cur is None else str(cur)
    if parts[0] == "stageVariables" and len(parts) == 2:
        return req.stage_vars.get(parts[1])
    return None


def mapped_parameters(req: RestRequest) -> tuple[dict[str, str], dict[str, str]]:
    """(path parameters, headers) of the integration request."""
    path: dict[str, str] = {}
    headers: dict[str, str] = {}
    for key, src in (req.integration.get("requestParameters") or {}).items():
        value = _source(str(src), req)
        if value is None:
            continue
        if key.startswith("integration.request.path."):
            path[key[len("integration.request.path.") :]] = value
        elif key.startswith("integration.request.header."):
            headers[key[len("integration.request.header.") :]] = value
    return path, headers


def _xml_error(code: str, message: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>'


def run(
    req: RestRequest,
    client: Callable[[str], Any],
    allowed: Callable[[str | None, str, str], bool],
    role: str | None,
    uri_path: str,
    body: bytes,
) -> None:
    path_params, headers = mapped_parameters(req)
    for name, value in path_params.items():
        uri_path = uri_path.replace("{" + name + "}", value)
    bucket, _, key = uri_path.partition("/")
    key = urllib.parse.unquote(key)
    method = (req.integration.get("httpMethod") or "").upper()
    action = {"PUT": "s3:PutObject", "GET": "s3:GetObject"}.get(method)
    if action is None:
        req.integration_status, req.integration_body = (
            "405",
            _xml_error("MethodNotAllowed", f"{method} is not emulated locally"),
        )
        return
    arn = f"arn:aws:s3:::{bucket}/{key}"
    if not allowed(role, action, arn):
        req.integration_status, req.integration_body = "403", _xml_error("AccessDenied", "Access Denied")
        return
    s3 = client("s3")
    lower = {k.lower(): v for k, v in headers.items()}
    try:
        if method == "PUT":
            meta = {k[len("x-amz-meta-") :]: v for k, v in lower.items() if k.startswith("x-amz-meta-")}
            kw: dict[str, Any] = {"Bucket": bucket, "Key": key, "Body": body, "Metadata": meta}
            if "content-type" in lower:
                kw["ContentType"] = lower["content-type"]
            s3.put_object(**kw)
            req.integration_status, req.integration_body = "200", ""
        else:
            obj = s3.get_object(Bucket=bucket, Key=key)
            req.integration_status, req.integration_body = "200", obj["Body"].read().decode("utf-8", "replace")
    except Exception as exc:  # botocore ClientError
        resp = getattr(exc, "response", None) or {}
        err = resp.get("Error", {})
        req.integration_status = str(resp.get("ResponseMetadata", {}).get("HTTPStatusCode", 500))
        req.integration_body = _xml_error(err.get("Code", type(exc).__name__), err.get("Message", str(exc)))
