"""REST APIs (API Gateway v1) in the local gateway: what the data API deploys.

Read back from the emulator (rest apis, resources, methods, integrations, integration
responses, models, request validators, stages). A request runs as:
    stage -> match resource+method -> throttle -> authorize -> validate -> map request (VTL)
    -> integrate (AWS service call / MOCK) -> select integration response -> map response (VTL)

Fidelity notes (API Gateway developer guide pages):
- unknown stage, resource or method -> 403 `{"message":"Missing Authentication Token"}`
  ("Gateway responses": MISSING_AUTHENTICATION_TOKEN);
- AWS_IAM authorization: a request without a SigV4 `Authorization` header gets the same 403;
  the signature itself is not verified locally (the emulator accepts any key), a gap;
- request validation ("Use request validation in API Gateway"): required parameters ->
  400 `{"message": "Missing required request parameters: [a, b]"}`, body against the method's
  model (JSON Schema draft 4) -> 400 `{"message": "Invalid request body"}`;
- passthroughBehavior ("Method request data mappings ... passthrough behaviors"): no template
  for the content type -> WHEN_NO_MATCH passes the body through, NEVER -> 415
  `{"message":"Unsupported Media Type"}`, WHEN_NO_TEMPLATES passes only if no template at all;
- AWS integrations: the rendered template is the body of the service's JSON API call
  (`arn:aws:apigateway:<region>:dynamodb:action/PutItem` -> X-Amz-Target
  DynamoDB_20120810.PutItem); the integration response is chosen by matching each
  selectionPattern against the service's HTTP status code, the default being the one without a
  pattern ("Set up an integration response"); its template renders the service response;
- templates are rendered by storefirst.vtl.render (Velocity as API Gateway runs it).
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from .gateway import JSON, Response, TokenBucket

# JSON-protocol services an AWS integration may call, with their X-Amz-Target prefix and
# JSON content type.
JSON_SERVICES = {
    "dynamodb": ("DynamoDB_20120810", "application/x-amz-json-1.0"),
    "states": ("AWSStepFunctions", "application/x-amz-json-1.0"),
    "sqs": ("AmazonSQS", "application/x-amz-json-1.0"),
    "events": ("AWSEvents", "application/x-amz-json-1.1"),
}


def render(template: str, **kw: Any) -> Any:
    """storefirst.vtl.render_full: the output plus $context.requestOverride/responseOverride.
    The request and response templates of one request share one `context` dict, so a value a
    request template sets in `$context.requestOverride.header.X` is read back by the response
    template ("Use a mapping template to override an API's request and response parameters
    and status codes")."""
    from storefirst.vtl import render_full

    return render_full(template, **kw)


@dataclass
class RestMethod:
    resource_id: str
    path: str
    http_method: str
    method: dict[str, Any]


@dataclass
class RestApi:
    api_id: str
    name: str
    region: str
    account: str
    methods: list[RestMethod]
    models: dict[str, dict[str, Any]]
    validators: dict[str, dict[str, Any]]
    stages: dict[str, dict[str, Any]]
    buckets: dict[tuple[str, str], TokenBucket | None] = field(default_factory=dict)

    def bucket(self, stage: str, key: str) -> TokenBucket | None:
        if (stage, key) not in self.buckets:
            ms = self.stages.get(stage, {}).get("methodSettings") or {}
            s = ms.get(key) or ms.get("*/*") or {}
            rate, burst = s.get("throttlingRateLimit"), s.get("throttlingBurstLimit")
            self.buckets[(stage, key)] = TokenBucket(rate, burst) if rate is not None and rate >= 0 and burst is not None else None
        return self.buckets[(stage, key)]


def load_rest_api(v1: Any, api_id: str, region: str, account: str) -> RestApi:
    api = v1.get_rest_api(restApiId=api_id)
    methods = []
    for res in v1.get_resources(restApiId=api_id, limit=500).get("items", []):
        for http_method in (res.get("resourceMethods") or {}):
            m = v1.get_method(restApiId=api_id, resourceId=res["id"], httpMethod=http_method)
            methods.append(RestMethod(res["id"], res["path"], http_method, m))
    models = {}
    for m in v1.get_models(restApiId=api_id).get("items", []):
        try:
            models[m["name"]] = json.loads(m.get("schema") or "{}")
        except ValueError:
            models[m["name"]] = {}
    validators = {v["id"]: v for v in v1.get_request_validators(restApiId=api_id).get("items", [])}
    stages = {s["stageName"]: s for s in v1.get_stages(restApiId=api_id).get("item", [])}
    return RestApi(api_id, api.get("name", api_id), region, account, methods, models, validators, stages)


def _match(pattern: str, segs: list[str]) -> dict[str, str] | None:
    pat = [s for s in pattern.split("/") if s]
    params: dict[str, str] = {}
    for i, p in enumerate(pat):
        if p.startswith("{") and p.endswith("+}"):
            if i >= len(segs):
                return None
            params[p[1:-2]] = "/".join(segs[i:])
            return params
        if i >= len(segs):
            return None
        if p.startswith("{"):
            params[p[1:-1]] = segs[i]
        elif p != segs[i]:
            return None
    return params if len(pat) == len(segs) else None


_PARTIQL = re.compile(r'^\s*(SELECT|INSERT|UPDATE|DELETE)\b(?:.*?\bFROM|\s+INTO|)\s*"([^"]+)"(?:\."([^"]+)")?',
                      re.IGNORECASE | re.DOTALL)


def dynamodb_authz(action: str, payload: str, region: str, account: str) -> tuple[str, str]:
    """(IAM action, resource ARN) that authorize one DynamoDB call. ExecuteStatement is not an
    IAM action of its own: it needs dynamodb:PartiQL<Verb> on the table (or index) the statement
    names ("IAM policies with PartiQL for DynamoDB" in the DynamoDB developer guide)."""
    try:
        doc = json.loads(payload or "{}")
    except ValueError:
        doc = {}
    doc = doc if isinstance(doc, dict) else {}
    table, index = doc.get("TableName", "*"), doc.get("IndexName")
    iam_action = f"dynamodb:{action}"
    if action == "ExecuteStatement":
        m = _PARTIQL.match(str(doc.get("Statement") or ""))
        if m:
            verb, table, index = m.group(1).capitalize(), m.group(2), m.group(3)
            iam_action = f"dynamodb:PartiQL{verb}"
    arn = f"arn:aws:dynamodb:{region}:{account}:table/{table}" + (f"/index/{index}" if index else "")
    return iam_action, arn


class RestGateway:
    def __init__(self, client: Callable[[str], Any], emulator_url: str, integrations: Any):
        self.client = client
        self.emulator_url = emulator_url
        self.iam = integrations  # gateway.Integrations: IAM role checks

    gateway: Any = None  # the owning gateway.Gateway (its log shipper)

    def handle(self, api: RestApi, method: str, target: str, headers: dict[str, str], body: bytes,
               source_ip: str) -> Response:
        start = time.time()
        ctx: dict[str, Any] = {"requestId": str(uuid.uuid4())}
        resp = self._handle(api, method, target, headers, body, source_ip, ctx)
        self.access_log(api, ctx, resp, start, method, headers, source_ip)
        return resp

    def access_log(self, api: RestApi, ctx: dict[str, Any], resp: Response, start: float, method: str,
                   headers: dict[str, str], source_ip: str) -> None:
        """One line in the stage's access log format ("Set up CloudWatch logging for REST APIs
        in API Gateway"), written to its destination group."""
        shipper = getattr(self.gateway, "shipper", None)
        stage = ctx.get("stage")
        settings = (api.stages.get(stage, {}) if stage else {}).get("accessLogSettings") or {}
        if shipper is None or not settings.get("destinationArn") or not settings.get("format"):
            return
        from .cwlogs import group_of, render_access_log

        values: dict[str, Any] = {
            "requestId": ctx["requestId"], "extendedRequestId": ctx["requestId"], "stage": stage,
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(start)),
            "httpMethod": method, "resourcePath": ctx.get("resourcePath"), "status": resp.status,
            "responseLatency": int((time.time() - start) * 1000),
            "integration.status": ctx.get("integrationStatus"), "identity.sourceIp": source_ip,
            "identity.userAgent": headers.get("user-agent", ""), "apiId": api.api_id,
        }
        if resp.status >= 400 and ctx.get("integrationStatus") is None:
            try:
                values["error.message"] = json.loads(resp.body).get("message")
            except (ValueError, AttributeError):
                pass
        shipper.put(group_of(settings["destinationArn"]), render_access_log(settings["format"], values),
                    f"{api.api_id}-{stage}")

    def _handle(self, api: RestApi, method: str, target: str, headers: dict[str, str], body: bytes,
                source_ip: str, log_ctx: dict[str, Any]) -> Response:
        request_id = log_ctx["requestId"]
        path, _, qs = target.partition("?")
        import urllib.parse

        query = {k: v[-1] for k, v in urllib.parse.parse_qs(qs, keep_blank_values=True).items()}
        segs = [urllib.parse.unquote(s) for s in path.split("/") if s]
        forbidden = Response.message(403, "Missing Authentication Token")
        if not segs or segs[0] not in api.stages:
            return forbidden
        stage, segs = segs[0], segs[1:]
        log_ctx["stage"] = stage
        found = None
        candidates = sorted(api.methods, key=lambda m: ("+}" in m.path, -m.path.count("/"), m.http_method == "ANY"))
        for m in candidates:
            if m.http_method in (method, "ANY"):
                params = _match(m.path, segs)
                if params is not None:
                    found = (m, params)
                    break
        if found is None:
            return forbidden
        m, path_params = found
        log_ctx["resourcePath"] = m.path
        meth = m.method
        bucket = api.bucket(stage, f"{m.path.lstrip('/')}/{m.http_method}")
        if bucket is not None and not bucket.take():
            return Response.message(429, "Too Many Requests")
        auth = meth.get("authorizationType", "NONE")
        if auth == "AWS_IAM":
            if not headers.get("authorization", "").startswith("AWS4-HMAC-SHA256 "):
                return forbidden
        elif auth not in ("NONE", None):
            return Response.message(501, f"local gateway: authorization type {auth} not supported")
        text = body.decode("utf-8", "replace")
        ctype = (headers.get("content-type") or "application/json").split(";")[0].strip().lower()
        bad = self.validate(api, meth, text, ctype, headers, query, path_params)
        if bad is not None:
            return bad
        integ = meth.get("methodIntegration") or {}
        context = {"requestId": request_id, "extendedRequestId": request_id, "stage": stage,
                   "resourcePath": m.path, "resourceId": m.resource_id, "httpMethod": method,
                   "apiId": api.api_id, "accountId": api.account, "path": path,
                   "requestTimeEpoch": int(time.time() * 1000),
                   "identity": {"sourceIp": source_ip, "userAgent": headers.get("user-agent", "")}}
        stage_vars = api.stages[stage].get("variables") or {}
        templates = integ.get("requestTemplates") or {}
        tmpl = templates.get(ctype)
        if tmpl is None:
            pb = integ.get("passthroughBehavior", "WHEN_NO_MATCH")
            if pb == "NEVER" or (pb == "WHEN_NO_TEMPLATES" and templates):
                return Response.message(415, "Unsupported Media Type")
            mapped = text
        else:
            rendered = render(tmpl, body=text, headers=headers, path_params=path_params, query=query,
                              stage_vars=stage_vars, context=context)
            mapped = rendered.body
        override_headers = {k: str(v) for k, v in (context.get("requestOverride") or {}).get("header", {}).items()}
        kind = integ.get("type")
        if kind == "MOCK":
            try:
                status = str(json.loads(mapped or "{}").get("statusCode", 200))
            except ValueError:
                return Response.message(500, "Internal server error")
            svc_body = ""
        elif kind == "AWS":
            status, svc_body = self.call_service(integ, mapped, api, override_headers)
            if status is None:
                return Response.message(500, "Internal server error")
            log_ctx["integrationStatus"] = status
        else:
            return Response.message(501, f"local gateway: REST integration type {kind} not supported yet")
        return self.integration_response(integ, status, svc_body, headers, path_params, query, stage_vars, context)

    def validate(self, api: RestApi, meth: dict, text: str, ctype: str, headers: dict, query: dict,
                 path_params: dict) -> Response | None:
        vid = meth.get("requestValidatorId")
        if not vid or vid not in api.validators:
            return None
        v = api.validators[vid]
        if v.get("validateRequestParameters"):
            missing = []
            for key, required in (meth.get("requestParameters") or {}).items():
                if not required:
                    continue
                _, _, where, name = key.split(".", 3)
                src = {"header": headers, "querystring": query, "path": path_params}.get(where, {})
                if (name.lower() if where == "header" else name) not in src:
                    missing.append(name)
            if missing:
                return Response.message(400, f"Missing required request parameters: [{', '.join(missing)}]")
        if v.get("validateRequestBody"):
            models = meth.get("requestModels") or {}
            name = models.get(ctype) or models.get("application/json")
            if name and name in api.models and name != "Empty":
                import jsonschema

                try:
                    doc = json.loads(text)
                    jsonschema.Draft4Validator(api.models[name]).validate(doc)
                except (ValueError, jsonschema.ValidationError):
                    return Response.message(400, "Invalid request body")
        return None

    def call_service(self, integ: dict, payload: str, api: RestApi,
                     override_headers: dict[str, str] | None = None) -> tuple[str | None, str]:
        uri = integ.get("uri", "")
        m = re.match(r"arn:aws:apigateway:([^:]+):([^:]+):action/(\w+)", uri)
        if not m or m.group(2) not in JSON_SERVICES:
            return None, ""
        region, service, action = m.groups()
        if service == "dynamodb":
            iam_action, arn = dynamodb_authz(action, payload, api.region, api.account)
            if not self.iam.allowed(integ.get("credentials"), iam_action, arn):
                return "400", json.dumps({"__type": "com.amazon.coral.service#AccessDeniedException",
                                          "Message": f"User: {integ.get('credentials')} is not authorized to perform: {iam_action} on resource: {arn}"})
        prefix, ctype = JSON_SERVICES[service]
        # moto routes by the credential scope's service name in the Authorization header.
        scope = {"states": "states"}.get(service, service)
        # $context.requestOverride.header.* become integration request headers (sent first so the
        # service call's own headers win).
        req = urllib.request.Request(self.emulator_url + "/", data=(payload or "{}").encode(), method="POST", headers={
            **(override_headers or {}),
            "X-Amz-Target": f"{prefix}.{action}", "Content-Type": ctype,
            "Authorization": f"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/{api.region}/{scope}/aws4_request, "
                             "SignedHeaders=host, Signature=0"})
        try:
            with urllib.request.urlopen(req, timeout=29) as r:
                return str(r.status), r.read().decode()
        except urllib.error.HTTPError as e:
            return str(e.code), e.read().decode()

    def integration_response(self, integ: dict, status: str, svc_body: str, headers: dict, path_params: dict,
                             query: dict, stage_vars: dict, context: dict) -> Response:
        responses = integ.get("integrationResponses") or {}
        chosen = None
        for ir in responses.values():
            pat = ir.get("selectionPattern")
            if pat and re.fullmatch(pat, status):
                chosen = ir
                break
        if chosen is None:
            chosen = next((ir for ir in responses.values() if not ir.get("selectionPattern")), None)
        if chosen is None:  # no integration response configured: API Gateway fails the call
            return Response.message(500, "Internal server error")
        tmpl = (chosen.get("responseTemplates") or {}).get("application/json")
        status_code = int(chosen.get("statusCode", 200))
        extra_headers: dict[str, str] = {}
        if tmpl:
            res = render(tmpl, body=svc_body, headers=headers, path_params=path_params, query=query,
                         stage_vars=stage_vars, context=context)
            out = res.body
            # $context.responseOverride.status / .header.* replace the method response's.
            if res.response_override.get("status"):
                status_code = int(res.response_override["status"])
            extra_headers = {k: str(v) for k, v in (res.response_override.get("header") or {}).items()}
        else:
            out = svc_body
        resp = Response(status_code, out.encode(), {"Content-Type": JSON})
        for key, src in (chosen.get("responseParameters") or {}).items():
            if key.startswith("method.response.header.") and src.startswith("'") and src.endswith("'"):
                resp.headers[key[len("method.response.header."):]] = src[1:-1]
        resp.headers.update(extra_headers)
        resp.headers["x-amzn-RequestId"] = context["requestId"]
        return resp
