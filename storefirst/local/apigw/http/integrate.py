"""Step: integrate (HTTP API). AWS service integrations by subtype, Lambda proxy (2.0) and
HTTP proxy. Before any AWS call the integration's credentials role is assumed the way API
Gateway assumes it (trust policy, no source ARN/account in the context; storefirst.local.apigw.iam)
and the call is checked against the role's identity policies.

- SQS-SendMessage ("Integration subtype reference"): the mapped parameters go to SQS exactly
  as mapped (no attribute dropped, no value repaired); SQS's answer comes back as API Gateway
  returns it: its status and JSON envelope (SendMessageResponse or Error).
- StepFunctions-StartExecution / StartSyncExecution: the service's JSON response, status 200.
  StartSyncExecution answers 200 even when the execution FAILED or TIMED_OUT: the status is in
  the body ("StartSyncExecution" in the Step Functions API reference); an HTTP API cannot map it.
- EventBridge-PutEvents / Kinesis-PutRecord: http.streams (PutEvents answers 200 even for a
  refused entry: FailedEntryCount in the body).
- failures of API Gateway itself (role not assumable, unreadable mapped JSON) -> 500
  {"message":"Internal Server Error"} with the reason in the access log's integration error.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

from ..core import JSON, ConfigurationError, GatewayError, NotSupportedLocally, Response
from ..iam import AssumeRoleDenied, Policies, apigateway_context
from .lambda_payload import lambda_v2_response, payload_v2_event
from .mapping import map_parameters
from .model import RequestCtx

log = logging.getLogger("storefirst.local.apigw")

APIGATEWAY = "apigateway.amazonaws.com"


class BadMappedParameter(GatewayError):
    """A mapped parameter API Gateway cannot turn into the service request (e.g.
    MessageAttributes that is no longer JSON once a header was substituted into it).
    AWS does not document this answer; a 400 is the plausible one, see docs/aws-behaviours.md."""

    response_type, rest_status, rest_message = "DEFAULT_4XX", 400, "Bad Request"
    http_status, http_message = 400, "Bad Request"


def _sqs_error(status: int, code: str, message: str, req_id: str) -> Response:
    body = {"Error": {"Code": code, "Message": message, "Type": "Sender"}, "RequestId": req_id}
    return Response(status, json.dumps(body).encode(), {"Content-Type": JSON})


def _json_error(status: int, code: str, message: str) -> Response:
    return Response(
        status,
        json.dumps({"__type": code, "message": message}).encode(),
        {"Content-Type": "application/x-amz-json-1.0"},
    )


def _client_error(exc: Exception) -> tuple[int, str, str]:
    resp = getattr(exc, "response", None) or {}
    err = resp.get("Error", {})
    return (
        resp.get("ResponseMetadata", {}).get("HTTPStatusCode", 400),
        err.get("Code", type(exc).__name__),
        err.get("Message", str(exc)),
    )


class Integrations:
    """Holds boto3 clients to the emulator, the IAM evaluator and the Lambda runtimes."""

    def __init__(self, clients: Callable[[str], Any], runtimes: Any = None, policies: Policies | None = None):
        self.client = clients
        self.runtimes = runtimes
        self.iam = policies or Policies(clients)

    def allowed(self, role_arn: str | None, action: str, resource: str) -> bool:
        return self.iam.allowed(role_arn, action, resource)

    def assume(self, integ: dict[str, Any]) -> str:
        role = integ.get("CredentialsArn")
        try:
            self.iam.assume(role, APIGATEWAY, apigateway_context())
        except AssumeRoleDenied as exc:
            raise ConfigurationError(f"Execution failed due to configuration error: {exc}") from None
        return role  # type: ignore[return-value]

    def run(self, ctx: RequestCtx) -> Response:
        target = ctx.route.target or ""  # type: ignore[union-attr]
        integ = ctx.api.integrations.get(target.split("/", 1)[-1]) if target.startswith("integrations/") else None
        if integ is None:
            raise ConfigurationError("the route has no integration")
        kind, subtype = integ.get("IntegrationType"), integ.get("IntegrationSubtype")
        if kind == "AWS_PROXY" and subtype:
            handler = {
                "SQS-SendMessage": self.sqs_send_message,
                "StepFunctions-StartExecution": self.sfn_start_execution,
                "StepFunctions-StartSyncExecution": self.sfn_start_sync_execution,
                "EventBridge-PutEvents": self.events_put_events,
                "Kinesis-PutRecord": self.kinesis_put_record,
            }.get(subtype)
            if handler is None:
                raise NotSupportedLocally(f"integration subtype {subtype}")
            params, _missing = map_parameters(integ.get("RequestParameters") or {}, ctx)
            role = self.assume(integ)
            return handler(role, params, ctx)
        if kind == "AWS_PROXY":
            return self.lambda_proxy(integ, ctx)
        if kind == "HTTP_PROXY":
            return self.http_proxy(integ, ctx)
        raise NotSupportedLocally(f"integration type {kind}")

    # -- SQS ---------------------------------------------------------------
    def sqs_send_message(self, role: str, p: dict[str, str], ctx: RequestCtx) -> Response:
        url = p.get("QueueUrl", "")
        name = url.rstrip("/").rsplit("/", 1)[-1]
        account = url.rstrip("/").rsplit("/", 2)[-2] if url.count("/") >= 4 else ctx.api.account
        arn = f"arn:aws:sqs:{p.get('Region') or ctx.api.region}:{account}:{name}"
        req_id = str(uuid.uuid4())
        if not self.allowed(role, "sqs:SendMessage", arn):
            return _sqs_error(
                403,
                "AccessDenied",
                f"User: {role} is not authorized to perform: sqs:sendmessage on resource: {arn}",
                req_id,
            )
        denied = self.queue_key_denied(role, url, p.get("Region") or ctx.api.region)
        if denied:
            return _sqs_error(400, "KMS.AccessDeniedException", denied, req_id)
        kw: dict[str, Any] = {"QueueUrl": url, "MessageBody": p.get("MessageBody", "")}
        for k in ("MessageGroupId", "MessageDeduplicationId", "DelaySeconds"):
            if k in p:
                kw[k] = p[k]
        for k in ("MessageAttributes", "MessageSystemAttributes"):
            if k in p:
                try:
                    kw[k] = json.loads(p[k])
                except ValueError as exc:
                    raise BadMappedParameter(f"{k} is not JSON after mapping: {exc}") from None
        if "DelaySeconds" in kw:
            try:
                kw["DelaySeconds"] = int(kw["DelaySeconds"])
            except ValueError:
                return _sqs_error(
                    400,
                    "InvalidParameterValue",
                    f"Value {kw['DelaySeconds']} for parameter DelaySeconds is invalid.",
                    req_id,
                )
        if not kw["MessageBody"]:
            return _sqs_error(400, "MissingParameter", "The request must contain the parameter MessageBody.", req_id)
        try:
            res = self.client("sqs").send_message(**kw)
        except Exception as exc:  # botocore ClientError / ParamValidationError
            status, code, message = _client_error(exc)
            return _sqs_error(status, code, message, req_id)
        body = {
            "SendMessageResponse": {
                "ResponseMetadata": {"RequestId": res["ResponseMetadata"].get("RequestId", req_id)},
                "SendMessageResult": {
                    "MD5OfMessageAttributes": res.get("MD5OfMessageAttributes"),
                    "MD5OfMessageBody": res.get("MD5OfMessageBody"),
                    "MD5OfMessageSystemAttributes": res.get("MD5OfMessageSystemAttributes"),
                    "MessageId": res.get("MessageId"),
                    "SequenceNumber": res.get("SequenceNumber"),
                },
            }
        }
        return Response(200, json.dumps(body).encode(), {"Content-Type": JSON})

    def queue_key_denied(self, role: str, url: str, region: str) -> str | None:
        """Reason SQS would refuse the send for lack of KMS access to the queue's customer
        managed key (None when allowed or the queue uses SQS-managed / AWS managed keys)."""
        try:
            key = (
                self.client("sqs")
                .get_queue_attributes(QueueUrl=url, AttributeNames=["KmsMasterKeyId"])
                .get("Attributes", {})
                .get("KmsMasterKeyId")
            )
        except Exception:
            return None  # the send itself answers for a missing queue
        if not key or key == "alias/aws/sqs":
            return None
        try:
            key_arn = self.client("kms").describe_key(KeyId=key)["KeyMetadata"]["Arn"]
        except Exception as exc:
            return f"The KMS key {key} of the queue cannot be used: {exc}"
        context = {"kms:ViaService": f"sqs.{region}.amazonaws.com", "kms:CallerAccount": key_arn.split(":")[4]}
        for action in ("kms:GenerateDataKey", "kms:Decrypt"):
            ok, reason = self.iam.kms_allows(role, key_arn, action, context)
            if not ok:
                return f"User: {role} is not authorized to perform: {action} on resource: {key_arn} ({reason})"
        return None

    # -- Step Functions ----------------------------------------------------
    def sfn_start_execution(self, role: str, p: dict[str, str], ctx: RequestCtx) -> Response:
        from ..sfn import start_execution

        status, doc = start_execution(
            self.client, self.iam, role, p.get("StateMachineArn", ""), p.get("Input") or "{}", p.get("Name") or None
        )
        return Response(
            status, json.dumps(doc).encode(), {"Content-Type": JSON if status == 200 else "application/x-amz-json-1.0"}
        )

    def sfn_start_sync_execution(self, role: str, p: dict[str, str], ctx: RequestCtx) -> Response:
        from ..sfn import start_sync_execution

        status, doc = start_sync_execution(
            self.client, self.iam, role, p.get("StateMachineArn", ""), p.get("Input") or "{}", p.get("Name") or None
        )
        return Response(
            status, json.dumps(doc).encode(), {"Content-Type": JSON if status == 200 else "application/x-amz-json-1.0"}
        )

    # -- EventBridge, Kinesis (http.streams) --------------------------------
    def events_put_events(self, role: str, p: dict[str, str], ctx: RequestCtx) -> Response:
        from . import streams

        return streams.put_events(
            self.client, self.allowed, role, p, p.get("Region") or ctx.api.region, ctx.api.account
        )

    def kinesis_put_record(self, role: str, p: dict[str, str], ctx: RequestCtx) -> Response:
        from . import streams

        return streams.put_record(
            self.client,
            self.allowed,
            self.stream_key_denied,
            role,
            p,
            p.get("Region") or ctx.api.region,
            ctx.api.account,
        )

    def stream_key_denied(self, role: str, key: str, region: str) -> str | None:
        try:
            key_arn = self.client("kms").describe_key(KeyId=key)["KeyMetadata"]["Arn"]
        except Exception as exc:
            return f"The KMS key {key} of the stream cannot be used: {exc}"
        context = {"kms:ViaService": f"kinesis.{region}.amazonaws.com", "kms:CallerAccount": key_arn.split(":")[4]}
        ok, reason = self.iam.kms_allows(role, key_arn, "kms:GenerateDataKey", context)
        return (
            None
            if ok
            else f"User: {role} is not authorized to perform: kms:GenerateDataKey on resource: {key_arn} ({reason})"
        )

    # -- Lambda proxy ------------------------------------------------------
    def lambda_proxy(self, integ: dict[str, Any], ctx: RequestCtx) -> Response:
        uri = integ.get("IntegrationUri", "")
        m = re.search(r"(arn:aws:lambda:[^/]+?:function:[^/:]+)", uri)
        if not m or self.runtimes is None:
            raise ConfigurationError(f"no local runtime for {uri}")
        if integ.get("PayloadFormatVersion", "2.0") != "2.0":
            raise NotSupportedLocally("payload format 1.0")
        from ...runtime import InvokeError

        try:
            result = self.runtimes.get(m.group(1)).invoke(payload_v2_event(ctx))
        except (InvokeError, FileNotFoundError) as exc:
            log.warning("lambda proxy %s failed: %s", m.group(1), exc)
            raise GatewayError(f"the function failed: {exc}") from None
        return lambda_v2_response(result)

    # -- HTTP proxy --------------------------------------------------------
    def http_proxy(self, integ: dict[str, Any], ctx: RequestCtx) -> Response:
        """HTTP_PROXY ("Create HTTP proxy integrations for HTTP APIs"): the request goes to the
        integration URI (path variables substituted, `{proxy+}` appended when the URI has it),
        with the client's method, query string, headers and body; the response comes back as is."""
        uri = integ.get("IntegrationUri", "")
        for k, v in ctx.path_params.items():
            uri = uri.replace("{" + k + "+}", v).replace("{" + k + "}", urllib.parse.quote(v))
        hop = {"host", "connection", "content-length", "transfer-encoding", "keep-alive"}
        headers = {k: v for k, v in ctx.headers.items() if k not in hop}
        query = ctx.query
        # Request parameter mapping for HTTP integrations ("Transforming API requests and
        # responses for HTTP APIs"): overwrite:path, {append,overwrite,remove}:header.<name>,
        # {append,overwrite,remove}:querystring.<name>.
        mapped, _missing = map_parameters(integ.get("RequestParameters") or {}, ctx)
        qs = urllib.parse.parse_qs(query, keep_blank_values=True)
        for key, val in mapped.items():
            op, _, where = key.partition(":")
            if where == "path" and op == "overwrite":
                parts = urllib.parse.urlsplit(uri)
                uri = urllib.parse.urlunsplit(
                    (parts.scheme, parts.netloc, val if val.startswith("/") else "/" + val, parts.query, "")
                )
            elif where.startswith("header."):
                name = where[len("header.") :].lower()
                if op == "remove":
                    headers.pop(name, None)
                elif op == "append" and name in headers:
                    headers[name] = f"{headers[name]},{val}"
                else:
                    headers[name] = val
            elif where.startswith("querystring."):
                name = where[len("querystring.") :]
                if op == "remove":
                    qs.pop(name, None)
                elif op == "append":
                    qs.setdefault(name, []).append(val)
                else:
                    qs[name] = [val]
        if any(k.split(":", 1)[-1].startswith("querystring.") for k in mapped):
            query = urllib.parse.urlencode(qs, doseq=True)
        if query:
            uri += ("&" if "?" in uri else "?") + query
        method = integ.get("IntegrationMethod") or ctx.method
        if method == "ANY":
            method = ctx.method
        req = urllib.request.Request(uri, data=ctx.body or None, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=float(integ.get("TimeoutInMillis", 30000)) / 1000) as r:
                return Response(r.status, r.read(), {k: v for k, v in r.headers.items() if k.lower() not in hop})
        except urllib.error.HTTPError as e:
            return Response(e.code, e.read(), {k: v for k, v in e.headers.items() if k.lower() not in hop})
        except Exception:
            return Response.message(503, "Service Unavailable")
