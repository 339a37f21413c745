"""Lambda proxy payload format 2.0 and its response rules ("Create AWS Lambda proxy
integrations for HTTP APIs in API Gateway")."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from ..core import JSON, Response
from .model import RequestCtx


def payload_v2_event(ctx: RequestCtx) -> dict[str, Any]:
    """Payload format 2.0 ("Create AWS Lambda proxy integrations for HTTP APIs")."""
    headers = {k: v for k, v in ctx.headers.items() if k != "cookie"}
    cookies = [c.strip() for c in ctx.headers.get("cookie", "").split(";") if c.strip()]
    body = ctx.body
    try:
        text, b64 = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, b64 = base64.b64encode(body).decode(), True
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": ctx.route.route_key if ctx.route else "$default",
        "rawPath": ctx.raw_path,
        "rawQueryString": ctx.query,
        "headers": headers,
        "requestContext": {
            "accountId": ctx.api.account,
            "apiId": ctx.api.api_id,
            "domainName": f"{ctx.api.api_id}.execute-api.{ctx.api.region}.amazonaws.com",
            "domainPrefix": ctx.api.api_id,
            "http": {
                "method": ctx.method,
                "path": ctx.raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": ctx.source_ip,
                "userAgent": ctx.headers.get("user-agent", ""),
            },
            "requestId": ctx.request_id,
            "routeKey": ctx.route.route_key if ctx.route else "$default",
            "stage": ctx.stage,
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(ctx.start)),
            "timeEpoch": int(ctx.start * 1000),
        },
        "isBase64Encoded": b64,
    }
    if cookies:
        event["cookies"] = cookies
    q = ctx.query_multi
    if q:
        event["queryStringParameters"] = {k: ",".join(v) for k, v in q.items()}
    if ctx.path_params:
        event["pathParameters"] = dict(ctx.path_params)
    sv = ctx.api.stages.get(ctx.stage, {}).get("StageVariables")
    if sv:
        event["stageVariables"] = dict(sv)
    if "lambda" in ctx.authorizer:  # a Lambda authorizer's context
        event["requestContext"]["authorizer"] = {"lambda": ctx.authorizer["lambda"]}
    elif ctx.authorizer:
        event["requestContext"]["authorizer"] = {
            "jwt": {"claims": ctx.authorizer.get("claims", {}), "scopes": ctx.authorizer.get("scopes")}
        }
    if body:
        event["body"] = text
    return event


def lambda_v2_response(result: Any) -> Response:
    """Format 2.0 response: a dict with statusCode is used as is; anything else is taken as
    the body of a 200 application/json response."""
    if isinstance(result, dict) and "statusCode" in result:
        headers = {str(k): str(v) for k, v in (result.get("headers") or {}).items()}
        body = result.get("body") or ""
        raw = (
            base64.b64decode(body)
            if result.get("isBase64Encoded")
            else (body if isinstance(body, str) else json.dumps(body)).encode()
        )
        resp = Response(int(result["statusCode"]), raw, headers)
        for i, c in enumerate(result.get("cookies") or []):
            resp.headers[f"Set-Cookie{'' if i == 0 else ' ' * i}"] = c  # distinct keys, same header
        return resp
    body = result if isinstance(result, str) else json.dumps(result)
    return Response(200, body.encode(), {"Content-Type": JSON})
