"""The HTTP API request path, as explicit steps:

    parse -> route -> throttle -> authorize -> map request + integrate -> respond

A step ends the request by raising a GatewayError; `respond` renders it as the fixed JSON
body an HTTP API answers with (HTTP APIs have no customizable gateway responses): 404
{"message":"Not Found"}, 429 {"message":"Too Many Requests"}, 401 {"message":"Unauthorized"},
403 {"message":"Forbidden"}, 500 {"message":"Internal Server Error"}.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from typing import Any

from .. import accesslog
from ..core import GatewayError, Response
from .authorize import AuthorizerCache, authorize
from .integrate import Integrations
from .model import HttpApi, RequestCtx
from .steps import parse, route, throttle

log = logging.getLogger("storefirst.local.apigw")

STEPS = (route, throttle)  # then authorize, which needs the gateway's Lambda runtimes and cache


def error_response(err: GatewayError) -> Response:
    return Response.message(err.http_status, err.http_message)


class HttpChain:
    def __init__(self, integrations: Integrations, shipper: Any = None):
        self.integrations = integrations
        self.shipper = shipper
        self.authorizer_cache: AuthorizerCache = {}

    def handle(
        self, api: HttpApi, method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str
    ) -> tuple[Response, RequestCtx]:
        ctx = parse(api, method, target, headers, body, source_ip)
        error: GatewayError | None = None
        try:
            for step in STEPS:
                step(ctx)
            authorize(ctx, lambdas=self.integrations.runtimes, cache=self.authorizer_cache)
            resp = self.integrations.run(ctx)
        except GatewayError as exc:
            error, resp = exc, error_response(exc)
        except Exception as exc:
            log.exception("integration failed")
            error = GatewayError(f"local gateway error: {exc}")
            resp = error_response(error)
        resp.headers["apigw-requestid"] = ctx.request_id
        self.access_log(ctx, resp, error)
        return resp, ctx

    def access_log(self, ctx: RequestCtx, resp: Response, error: GatewayError | None) -> None:
        settings = ctx.api.stages.get(ctx.stage, {}).get("AccessLogSettings") or {}
        values = dict(ctx.context_vars())
        latency = int((time.time() - ctx.start) * 1000)
        integrated = ctx.route is not None and (error is None or error.response_type == "API_CONFIGURATION_ERROR")
        values.update(
            {
                "status": resp.status,
                "responseLength": len(resp.body),
                "responseLatency": latency,
                "integrationLatency": latency if integrated else None,
                "integrationStatus": resp.status if integrated and error is None else None,
            }
        )
        if error is not None:
            values["error.message"] = error.http_message
            values["integrationErrorMessage"] = error.reason or None
            values["integration.error"] = error.reason or None
        elif resp.status >= 400:
            with contextlib.suppress(ValueError, AttributeError):  # a body that is not a JSON object
                values["error.message"] = json.loads(resp.body).get("message")
        accesslog.write(
            self.shipper,
            settings.get("DestinationArn"),
            settings.get("Format"),
            values,
            f"{ctx.api.api_id}-{ctx.stage}",
        )
