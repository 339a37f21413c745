"""The REST API request path, as explicit steps (the one REST executor: the local stack's
gateway and storefirst.data_api_local both run it):

    parse -> size -> route -> throttle -> authorize -> validate -> map request -> integrate
          -> map response -> respond

A step ends the request by raising a GatewayError, rendered through the API's deployed
gateway responses (substitution only, rest.gateway_responses).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from .. import accesslog
from ..core import GatewayError, RequestTooLarge, Response
from . import gateway_responses
from .integrate import RestIntegrations
from .mapping import map_request, map_response
from .model import RestApi, RestRequest
from .steps import authorize, parse, route, size, throttle, validate

log = logging.getLogger("storefirst.local.apigw")

BEFORE_INTEGRATION = (size, route, throttle, authorize, validate, map_request)


@dataclass
class RestResult:
    response: Response
    request: RestRequest
    error: GatewayError | None = None


def base_context(req: RestRequest) -> dict[str, Any]:
    """$context for templates and gateway responses ("Mapping template and access logging
    variable reference for REST APIs")."""
    m = req.resource
    return {
        "requestId": req.request_id,
        "extendedRequestId": req.request_id,
        "stage": req.stage or "",
        "resourcePath": m.path if m else "",
        "resourceId": m.resource_id if m else "",
        "httpMethod": req.method,
        "apiId": req.api.api_id,
        "accountId": req.api.account,
        "path": req.path,
        "domainName": f"{req.api.api_id}.execute-api.{req.api.region}.amazonaws.com",
        "protocol": "HTTP/1.1",
        "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(req.start)),
        "requestTimeEpoch": int(req.start * 1000),
        "identity": {
            "sourceIp": req.source_ip,
            "userAgent": req.headers.get("user-agent", ""),
            "caller": "",
            "user": "",
            "userArn": "",
        },
        "error": {"message": "", "messageString": '""', "responseType": "", "validationErrorString": ""},
        "requestOverride": {"header": {}, "querystring": {}, "path": {}},
        "responseOverride": {"header": {}, "status": 0},
    }


class RestExecutor:
    def __init__(self, integrations: RestIntegrations, shipper: Any = None):
        self.integrations = integrations
        self.shipper = shipper

    def execute(
        self,
        api: RestApi,
        method: str,
        target: str,
        headers: dict[str, str],
        body: bytes,
        source_ip: str = "127.0.0.1",
        request_id: str | None = None,
    ) -> RestResult:
        req = parse(api, method, target, headers, body, source_ip)
        if request_id:
            req.request_id = request_id
        error: GatewayError | None = None
        try:
            for step in BEFORE_INTEGRATION:
                if step is map_request:
                    req.context = base_context(req)
                step(req)
            t0 = time.perf_counter()
            self.integrations.run(req)
            t1 = time.perf_counter()
            resp = map_response(req)
            req.timings.update(integration=t1 - t0, response_template=time.perf_counter() - t1)
        except GatewayError as exc:
            error = exc
        except Exception as exc:
            log.exception("REST request failed")
            error = GatewayError(f"local gateway error: {exc}")
        if error is not None:
            if not req.context:
                req.context = base_context(req)
            request = {"header": req.headers, "querystring": req.query, "path": req.path_params}
            # REQUEST_TOO_LARGE's default response cannot be customized (gateway response types page).
            configured = {} if isinstance(error, RequestTooLarge) else api.gateway_responses
            resp = gateway_responses.render(
                configured, error, req.context, req.stage_vars, request, req.headers.get("accept")
            )
        resp.headers["x-amzn-RequestId"] = req.request_id
        self.access_log(req, resp, error)
        return RestResult(resp, req, error)

    def handle(
        self, api: RestApi, method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str = "127.0.0.1"
    ) -> Response:
        return self.execute(api, method, target, headers, body, source_ip).response

    def access_log(self, req: RestRequest, resp: Response, error: GatewayError | None) -> None:
        settings = (req.api.stages.get(req.stage, {}) if req.stage else {}).get("accessLogSettings") or {}
        if self.shipper is None or not settings.get("destinationArn"):
            return
        values: dict[str, Any] = {
            "requestId": req.request_id,
            "extendedRequestId": req.request_id,
            "stage": req.stage,
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(req.start)),
            "httpMethod": req.method,
            "resourcePath": req.resource.path if req.resource else None,
            "status": resp.status,
            "responseLatency": int((time.time() - req.start) * 1000),
            "integration.status": req.integration_status,
            "integrationStatus": req.integration_status,
            "identity.sourceIp": req.source_ip,
            "identity.userAgent": req.headers.get("user-agent", ""),
            "apiId": req.api.api_id,
        }
        if error is not None:
            values["error.message"] = error.rest_message
            values["error.responseType"] = error.response_type
            # $context.error.validationErrorString is an access logging variable ("Variables for
            # access logging for API Gateway"): the validator's detail, logged as sent.
            values["error.validationErrorString"] = getattr(error, "validation", None) or None
            values["integrationErrorMessage"] = error.reason or None
            values["integration.error"] = error.reason or None
        accesslog.write(
            self.shipper,
            settings.get("destinationArn"),
            settings.get("format"),
            values,
            f"{req.api.api_id}-{req.stage}",
        )
