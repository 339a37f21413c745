"""Execute the data API locally the way API Gateway does, against a real DynamoDB engine.

The REST API that modules/data-api deploys (one POST method on `/`, the catalog's draft-04
model behind a body validator, an AWS integration to DynamoDB ExecuteStatement with
passthrough NEVER, integration responses 200 / 4\\d{2} / 5\\d{2}, gateway responses) is built
here from the catalog module's generated templates and run by the local gateway's one REST
executor (storefirst.local.apigw.rest.executor), so the fidelity tests, the benchmark and the
local stack execute the same code. DynamoDB is called over HTTP, SigV4-signed like API
Gateway's AWS integration, on a kept-alive connection.

IAM: DynamoDB Local has none, so no role is assumed here (the local stack's gateway does
assume and check it: tests/local/test_apigw_rest_integrate.py).
"""

from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from storefirst.catalog import Generated
from storefirst.local.apigw.rest.executor import RestExecutor
from storefirst.local.apigw.rest.integrate import JSON_SERVICES, RestIntegrations
from storefirst.local.apigw.rest.model import RestApi, RestMethod

STAGE = "local"


@dataclass
class Response:
    status: int
    body: Any
    raw: str
    integration_status: int | None = None
    integration_request: str | None = None
    integration_response: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    # $context.error.validationErrorString: what the stage access log records (validationError)
    validation_error: str | None = None


class SignedTransport:
    """POST a JSON-protocol call to one endpoint, signed with SigV4 (kept-alive connection)."""

    def __init__(self, endpoint: str, region: str, credentials: Credentials):
        self.endpoint, self.region, self.credentials = endpoint, region, credentials
        parts = urlsplit(endpoint)
        if not parts.hostname:
            raise ValueError(f"endpoint {endpoint!r} has no host (expected http://host:port)")
        self._host, self._port = parts.hostname, parts.port or 80
        self._conn: http.client.HTTPConnection | None = None

    def post(self, service: str, target: str, content_type: str, body: str, headers: dict[str, str]) -> tuple[int, str]:
        hdrs = {**headers, "Content-Type": content_type, "X-Amz-Target": target}
        req = AWSRequest(method="POST", url=self.endpoint + "/", data=body.encode("utf-8"), headers=hdrs)
        SigV4Auth(self.credentials, JSON_SERVICES[service][2], self.region).add_auth(req)
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = http.client.HTTPConnection(self._host, self._port, timeout=30)
            try:
                self._conn.request("POST", "/", body=req.body, headers=dict(req.headers.items()))
                resp = self._conn.getresponse()
                return resp.status, resp.read().decode("utf-8")
            except (http.client.HTTPException, OSError):
                self._conn.close()
                self._conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def data_api_rest_api(
    g: Generated, region: str, gateway_responses: dict[str, dict[str, Any]] | None = None, account: str = "123456789012"
) -> RestApi:
    """The REST API modules/data-api deploys, as the gateway reads one back."""

    def ir(status: str, template: str, pattern: str | None = None) -> dict[str, Any]:
        out = {"statusCode": status, "responseTemplates": {"application/json": template}}
        if pattern:
            out["selectionPattern"] = pattern
        return out

    integration = {
        "type": "AWS",
        "httpMethod": "POST",
        "passthroughBehavior": "NEVER",
        "uri": f"arn:aws:apigateway:{region}:dynamodb:action/ExecuteStatement",
        "credentials": f"arn:aws:iam::{account}:role/data-api-local",
        "requestTemplates": {"application/json": g.request_template},
        "integrationResponses": {
            "200": ir("200", g.response_template),
            "400": ir("400", g.error_template, "4\\d{2}"),
            "503": ir("503", g.unavailable_template, "5\\d{2}"),
        },
    }
    method = {
        "authorizationType": "NONE",
        "requestValidatorId": "body",
        "requestModels": {"application/json": "Envelope"},
        "methodIntegration": integration,
    }
    return RestApi(
        "dataapi",
        "data-api-local",
        region,
        account,
        [RestMethod("root", "/", "POST", method)],
        {"Envelope": g.model},
        {"body": {"id": "body", "validateRequestBody": True}},
        {STAGE: {"stageName": STAGE}},
        dict(gateway_responses or {}),
    )


class LocalDataApi:
    """`gateway_responses` are the API's (responseType -> {statusCode, responseTemplates}); by
    default none, i.e. AWS's default `{"message":$context.error.messageString}` bodies."""

    def __init__(
        self,
        generated: Generated,
        endpoint: str,
        region: str = "eu-west-1",
        credentials: Credentials | None = None,
        gateway_responses: dict[str, dict[str, Any]] | None = None,
    ):
        self.g = generated
        self.endpoint = endpoint
        self.region = region
        self.api = data_api_rest_api(generated, region, gateway_responses)
        self.transport = SignedTransport(endpoint, region, credentials or Credentials("AKIDLOCAL", "local-secret"))
        self.executor = RestExecutor(RestIntegrations(self.transport))

    def handle(
        self, body: str | dict, headers: dict[str, str] | None = None, context: dict[str, Any] | None = None
    ) -> Response:
        t0 = time.perf_counter()
        text = body if isinstance(body, str) else json.dumps(body)
        hdrs = {"content-type": "application/json", **{k.lower(): v for k, v in (headers or {}).items()}}
        request_id = (context or {}).get("requestId")
        result = self.executor.execute(
            self.api, "POST", f"/{STAGE}/", hdrs, text.encode("utf-8", "surrogatepass"), request_id=request_id
        )
        req, resp = result.request, result.response
        raw = resp.body.decode("utf-8")
        try:
            parsed: Any = json.loads(raw)
        except ValueError:
            parsed = raw  # e.g. a gateway response whose template is not JSON once substituted
        status = int(req.integration_status) if req.integration_status is not None else None
        timings = {**req.timings, "total": time.perf_counter() - t0}
        validation = getattr(result.error, "validation", None) or None
        return Response(
            resp.status,
            parsed,
            raw,
            status,
            req.mapped if status is not None else None,
            req.integration_body,
            timings,
            validation,
        )

    def call(self, operation: str, data: dict[str, Any], **extra: Any) -> Response:
        return self.handle({"operation": operation, "data": data, **extra})

    def close(self) -> None:
        self.transport.close()
