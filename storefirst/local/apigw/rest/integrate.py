"""Step: integrate (REST). MOCK and AWS service integrations, generic over (service, action)
for the JSON-protocol services the modules use: `arn:aws:apigateway:<region>:<service>:action/<Action>`
with the rendered template as the body of the service's JSON API call (X-Amz-Target
`<prefix>.<Action>`). The integration's status code and body are what the integration
response is selected and rendered from ("Set up an integration response").

As API Gateway does before the call: the credentials role is assumed (its trust policy must
let apigateway.amazonaws.com assume it with the context API Gateway sends: no source ARN or
account; otherwise API_CONFIGURATION_ERROR, 500 "Internal server error", the reason in the
access log like the execution log's "API Gateway does not have permission to assume the
provided role"), then the role's identity policies must allow the action on the resource
(else the service's AccessDenied answer comes back as the integration response).

S3 by path override (`...:s3:path/<bucket>/<key>`, PUT/GET) runs in rest.s3_path.

Step Functions StartSyncExecution/StartExecution run through storefirst.local.apigw.sfn
(moto has no StartSyncExecution): a failed execution is status 200 with "status": "FAILED",
so a response template can map it, e.g. with $context.responseOverride.status.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any, Protocol

from ..core import ConfigurationError, GatewayError, IntegrationFailure, NotSupportedLocally
from ..iam import AssumeRoleDenied, Policies, apigateway_context
from . import s3_path
from .model import RestRequest

APIGATEWAY = "apigateway.amazonaws.com"

# service -> (X-Amz-Target prefix, content type, SigV4 service name)
JSON_SERVICES = {
    "dynamodb": ("DynamoDB_20120810", "application/x-amz-json-1.0", "dynamodb"),
    "states": ("AWSStepFunctions", "application/x-amz-json-1.0", "states"),
    "sqs": ("AmazonSQS", "application/x-amz-json-1.0", "sqs"),
}

_URI = re.compile(r"arn:aws:apigateway:([^:]+):([^:]+):action/(\w+)")
_PARTIQL = re.compile(
    r'^\s*(SELECT|INSERT|UPDATE|DELETE)\b(?:.*?\bFROM|\s+INTO|)\s*"([^"]+)"(?:\."([^"]+)")?', re.IGNORECASE | re.DOTALL
)


def _payload(text: str) -> dict[str, Any]:
    try:
        doc = json.loads(text or "{}")
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def dynamodb_authz(action: str, payload: str, region: str, account: str) -> tuple[str, str]:
    """(IAM action, resource ARN) that authorize one DynamoDB call. ExecuteStatement is not an
    IAM action of its own: it needs dynamodb:PartiQL<Verb> on the table (or index) the statement
    names ("IAM policies with PartiQL for DynamoDB" in the DynamoDB developer guide)."""
    doc = _payload(payload)
    table, index = doc.get("TableName", "*"), doc.get("IndexName")
    iam_action = f"dynamodb:{action}"
    if action == "ExecuteStatement":
        m = _PARTIQL.match(str(doc.get("Statement") or ""))
        if m:
            verb, table, index = m.group(1).capitalize(), m.group(2), m.group(3)
            iam_action = f"dynamodb:PartiQL{verb}"
    arn = f"arn:aws:dynamodb:{region}:{account}:table/{table}" + (f"/index/{index}" if index else "")
    return iam_action, arn


def sqs_authz(action: str, payload: str, region: str, account: str) -> tuple[str, str]:
    url = str(_payload(payload).get("QueueUrl") or "").rstrip("/")
    parts = url.rsplit("/", 2)
    acct, name = (parts[-2], parts[-1]) if len(parts) == 3 else (account, "*")
    return f"sqs:{action}", f"arn:aws:sqs:{region}:{acct}:{name}"


def states_authz(action: str, payload: str, region: str, account: str) -> tuple[str, str]:
    doc = _payload(payload)
    return f"states:{action}", str(doc.get("stateMachineArn") or doc.get("executionArn") or "*")


AUTHZ = {"dynamodb": dynamodb_authz, "sqs": sqs_authz, "states": states_authz}


class Transport(Protocol):
    def post(
        self, service: str, target: str, content_type: str, body: str, headers: dict[str, str]
    ) -> tuple[int, str]: ...


class EmulatorTransport:
    """Calls the in-process emulator; moto routes by the credential scope's service name."""

    def __init__(self, url: str, region: str):
        self.url, self.region = url, region

    def post(self, service: str, target: str, content_type: str, body: str, headers: dict[str, str]) -> tuple[int, str]:
        scope = JSON_SERVICES[service][2]
        req = urllib.request.Request(
            self.url + "/",
            data=(body or "{}").encode(),
            method="POST",
            headers={
                **headers,
                "X-Amz-Target": target,
                "Content-Type": content_type,
                "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/"
                f"{self.region}/{scope}/aws4_request, SignedHeaders=host, Signature=0",
            },
        )
        try:
            with urllib.request.urlopen(req, timeout=29) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()


class RestIntegrations:
    """`iam` None means the setup has no IAM to consult (storefirst.data_api_local against
    DynamoDB Local, which has none either); the local stack always passes one."""

    def __init__(self, transport: Transport, iam: Policies | None = None, client: Callable[[str], Any] | None = None):
        self.transport, self.iam, self.client = transport, iam, client

    def run(self, req: RestRequest) -> None:
        integ = req.integration
        kind = integ.get("type")
        if kind == "MOCK":
            try:
                req.integration_status = str(json.loads(req.mapped or "{}").get("statusCode", 200))
            except (ValueError, AttributeError):
                raise ConfigurationError("the MOCK request template did not render JSON with statusCode") from None
            req.integration_body = ""
            return
        if kind != "AWS":
            raise NotSupportedLocally(f"REST integration type {kind}")
        s3 = s3_path.PATH_URI.match(integ.get("uri", ""))
        if s3 and self.client is not None:
            self._s3(req, s3.group(2))
            return
        m = _URI.match(integ.get("uri", ""))
        if not m or m.group(2) not in JSON_SERVICES:
            raise NotSupportedLocally(f"AWS integration {integ.get('uri')}")
        _region, service, action = m.groups()
        role = integ.get("credentials")
        if self.iam is not None:
            try:
                self.iam.assume(role, APIGATEWAY, apigateway_context())
            except AssumeRoleDenied as exc:
                raise ConfigurationError(f"Execution failed due to configuration error: {exc}") from None
            iam_action, arn = AUTHZ[service](action, req.mapped, req.api.region, req.api.account)
            if not self.iam.allowed(role, iam_action, arn):
                req.integration_status = "400"
                req.integration_body = json.dumps(
                    {
                        "__type": "com.amazon.coral.service#AccessDeniedException",
                        "Message": f"User: {role} is not authorized to perform: {iam_action} on resource: {arn}",
                    }
                )
                return
        if service == "states" and action in ("StartSyncExecution", "StartExecution") and self.client is not None:
            self._states(req, self.client, role, action)
            return
        prefix, ctype, _ = JSON_SERVICES[service]
        try:
            req.mapped.encode("utf-8")
        except UnicodeEncodeError:
            raise UnencodableRequest("the rendered integration request holds a lone UTF-16 surrogate") from None
        try:
            status, body = self.transport.post(service, f"{prefix}.{action}", ctype, req.mapped, req.override_headers)
        except OSError as exc:
            raise IntegrationFailure(f"the {service} call failed: {exc}") from None
        req.integration_status, req.integration_body = str(status), body

    def _s3(self, req: RestRequest, uri_path: str) -> None:
        role = req.integration.get("credentials")
        if self.iam is not None:
            try:
                self.iam.assume(role, APIGATEWAY, apigateway_context())
            except AssumeRoleDenied as exc:
                raise ConfigurationError(f"Execution failed due to configuration error: {exc}") from None
        allowed = self.iam.allowed if self.iam is not None else _AllowAll().allowed
        templated = req.content_type in (req.integration.get("requestTemplates") or {})
        body = req.mapped.encode("utf-8") if templated else req.body
        s3_path.run(req, self.client, allowed, role, uri_path, body)  # type: ignore[arg-type]

    def _states(self, req: RestRequest, client: Callable[[str], Any], role: str | None, action: str) -> None:
        from .. import sfn

        doc = _payload(req.mapped)
        allow_all = _AllowAll() if self.iam is None else self.iam
        fn = sfn.start_sync_execution if action == "StartSyncExecution" else sfn.start_execution
        status, out = fn(
            client,
            allow_all,
            role,
            str(doc.get("stateMachineArn") or ""),
            str(doc.get("input") or "{}"),
            doc.get("name"),
        )
        req.integration_status, req.integration_body = str(status), json.dumps(out)


class UnencodableRequest(GatewayError):
    """A lone UTF-16 surrogate (e.g. "\\ud800" in the JSON body) has no UTF-8 form, so no
    service string can hold it. What AWS answers is not verifiable offline: emulated as a 400
    before the call (docs/aws-behaviours.md)."""

    response_type, rest_status, rest_message = "DEFAULT_4XX", 400, "A value is not valid Unicode text."
    http_status, http_message = 400, "Bad Request"


class _AllowAll:
    def allowed(self, *_: Any) -> bool:
        return True
