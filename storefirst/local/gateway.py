"""A local API Gateway (HTTP APIs) executing what Terraform deployed into the emulator.

Everything is read back from the emulator with boto3 (apis, routes, integrations, stages,
authorizers), never from the .tf files. Each API gets its own 127.0.0.1 port (as each API has
its own execute-api host); a stage named `$default` is served at `/`, any other stage at
`/<stage>/...` ("Working with stages for HTTP APIs").

A request runs through a chain of small steps, each a function of (api, request context):
    match_route -> throttle -> authorize -> integrate (map request + call) -> map_response
Every step can end the chain with the response AWS would give at that point.

Fidelity notes, with the AWS page each follows (API Gateway developer guide unless named):
- route selection: "Working with routes for HTTP APIs" (most specific match wins, greedy
  `{proxy+}` after exact paths, `ANY` after an explicit method, `$default` last); no match ->
  404 `{"message":"Not Found"}`.
- throttling: "Throttle requests to your HTTP APIs" - token bucket per stage and route, route
  settings override the stage defaults; over the limit -> 429 `{"message":"Too Many Requests"}`.
- parameter mapping for AWS service integrations: "Integration subtype reference" and
  "Transforming API requests and responses for HTTP APIs" ($request.header.x, $request.
  querystring.x, $request.path.x, $request.body, $request.body.<JSONPath>, $context.x,
  $stageVariables.x, static values, and `${...}` inside larger strings).
- Lambda proxy: payload format 2.0 event and response handling from "Create AWS Lambda proxy
  integrations for HTTP APIs"; an error -> 500 `{"message":"Internal Server Error"}`.
- JWT authorizer: "Controlling access to HTTP APIs with JWT authorizers". Offline the issuer's
  JWKS cannot be fetched: the gateway checks the token's structure, `iss` against the
  authorizer's issuer, `aud`/`client_id` against its audience, `exp`/`nbf`, and the route's
  scopes; it verifies the signature only when STOREFIRST_LOCAL_JWKS names a JWKS file
  (RS256). Failures -> 401 `{"message":"Unauthorized"}`, missing scope -> 403 `{"message":"Forbidden"}`.
"""

from __future__ import annotations

import base64
import datetime as dt
import fnmatch
import json
import logging
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

log = logging.getLogger("storefirst.local.gateway")

JSON = "application/json"


# --------------------------------------------------------------------------- model

@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def message(cls, status: int, message: str) -> "Response":
        # HTTP APIs answer gateway-level errors with {"message": "..."} as JSON.
        return cls(status, json.dumps({"message": message}).encode(), {"Content-Type": JSON})


@dataclass
class Route:
    route_id: str
    route_key: str
    target: str | None
    authorization_type: str
    authorizer_id: str | None
    scopes: list[str]
    method: str = ""
    segments: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.route_key != "$default":
            self.method, path = self.route_key.split(" ", 1)
            self.segments = [s for s in path.split("/") if s]

    def match(self, method: str, segs: list[str]) -> dict[str, str] | None:
        if self.route_key == "$default":
            return {}
        if self.method not in ("ANY", method):
            return None
        params: dict[str, str] = {}
        for i, pat in enumerate(self.segments):
            if pat.startswith("{") and pat.endswith("+}"):
                if i >= len(segs):
                    return None
                params[pat[1:-2]] = "/".join(segs[i:])
                return params
            if i >= len(segs):
                return None
            if pat.startswith("{") and pat.endswith("}"):
                params[pat[1:-1]] = segs[i]
            elif pat != segs[i]:
                return None
        return params if len(segs) == len(self.segments) else None

    def specificity(self) -> tuple:
        if self.route_key == "$default":
            return (0,)
        greedy = any(s.endswith("+}") for s in self.segments)
        literal = sum(1 for s in self.segments if not s.startswith("{"))
        return (1, not greedy, len(self.segments), literal, self.method != "ANY")


class TokenBucket:
    """rate tokens per second, capacity burst ("Throttle requests to your HTTP APIs")."""

    def __init__(self, rate: float, burst: int):
        self.rate, self.capacity = float(rate), max(0, int(burst))
        self.tokens = float(self.capacity)
        self.stamp = time.monotonic()
        self.lock = threading.Lock()

    def take(self, now: float | None = None) -> bool:
        with self.lock:
            now = time.monotonic() if now is None else now
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            if self.capacity == 0 and self.rate <= 0:
                return False
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False


@dataclass
class HttpApi:
    api_id: str
    name: str
    routes: list[Route]
    integrations: dict[str, dict[str, Any]]
    stages: dict[str, dict[str, Any]]
    authorizers: dict[str, dict[str, Any]]
    region: str
    account: str
    buckets: dict[tuple[str, str], TokenBucket | None] = field(default_factory=dict)

    def bucket(self, stage: str, route_key: str) -> TokenBucket | None:
        key = (stage, route_key)
        if key not in self.buckets:
            st = self.stages.get(stage, {})
            rs = (st.get("RouteSettings") or {}).get(route_key) or {}
            ds = st.get("DefaultRouteSettings") or {}
            rate = rs.get("ThrottlingRateLimit", ds.get("ThrottlingRateLimit"))
            burst = rs.get("ThrottlingBurstLimit", ds.get("ThrottlingBurstLimit"))
            self.buckets[key] = TokenBucket(rate, burst) if rate is not None and burst is not None else None
        return self.buckets[key]


def load_http_api(v2: Any, api_id: str, region: str, account: str) -> HttpApi:
    api = v2.get_api(ApiId=api_id)
    routes = [Route(r["RouteId"], r["RouteKey"], r.get("Target"), r.get("AuthorizationType", "NONE"),
                    r.get("AuthorizerId"), list(r.get("AuthorizationScopes") or []))
              for r in v2.get_routes(ApiId=api_id).get("Items", [])]
    integrations = {i["IntegrationId"]: i for i in v2.get_integrations(ApiId=api_id).get("Items", [])}
    stages = {}
    for s in v2.get_stages(ApiId=api_id).get("Items", []):
        # moto returns route settings as a map keyed by route key, like the service.
        stages[s["StageName"]] = s
    # moto 5.2.5 has GetAuthorizer but not GetAuthorizers: read the ones routes reference.
    authorizers = {}
    for aid in {r.authorizer_id for r in routes if r.authorizer_id}:
        authorizers[aid] = v2.get_authorizer(ApiId=api_id, AuthorizerId=aid)
    return HttpApi(api_id, api.get("Name", api_id), routes, integrations, stages, authorizers, region, account)


@dataclass
class RequestCtx:
    api: HttpApi
    method: str
    raw_path: str
    query: str
    headers: dict[str, str]       # lower-case names, repeated headers joined with ","
    body: bytes
    source_ip: str
    stage: str = "$default"
    path: str = ""                 # path without the stage prefix
    route: Route | None = None
    path_params: dict[str, str] = field(default_factory=dict)
    request_id: str = ""
    start: float = field(default_factory=time.time)
    authorizer: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.request_id:
            # HTTP API request ids look like "JKJaXmPLvHcESHA="; apigw-requestid carries it.
            self.request_id = base64.b64encode(uuid.uuid4().bytes[:10]).decode()

    @property
    def query_multi(self) -> dict[str, list[str]]:
        return urllib.parse.parse_qs(self.query, keep_blank_values=True)

    def context_vars(self) -> dict[str, Any]:
        """$context variables for HTTP APIs ("Customizing HTTP API access logs" lists them)."""
        st = self.stage
        epoch_ms = int(self.start * 1000)
        ctx = {
            "accountId": self.api.account, "apiId": self.api.api_id,
            "domainName": f"{self.api.api_id}.execute-api.{self.api.region}.amazonaws.com",
            "domainPrefix": self.api.api_id, "httpMethod": self.method, "path": self.raw_path,
            "protocol": "HTTP/1.1", "requestId": self.request_id, "extendedRequestId": self.request_id,
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(self.start)),
            "requestTimeEpoch": epoch_ms, "routeKey": self.route.route_key if self.route else "",
            "stage": st, "identity.sourceIp": self.source_ip,
            "identity.userAgent": self.headers.get("user-agent", ""),
        }
        for k, v in (self.authorizer.get("claims") or {}).items():
            ctx[f"authorizer.claims.{k}"] = v
        return ctx


Step = Callable[[RequestCtx], "Response | None"]


# --------------------------------------------------------------------------- steps

def match_route(ctx: RequestCtx) -> Response | None:
    segs = [urllib.parse.unquote(s) for s in ctx.path.split("/") if s]
    best = None
    for route in sorted(ctx.api.routes, key=lambda r: r.specificity(), reverse=True):
        params = route.match(ctx.method, segs)
        if params is not None:
            best = (route, params)
            break
    if best is None:
        return Response.message(404, "Not Found")
    ctx.route, ctx.path_params = best
    return None


def throttle(ctx: RequestCtx) -> Response | None:
    bucket = ctx.api.bucket(ctx.stage, ctx.route.route_key)  # type: ignore[union-attr]
    if bucket is not None and not bucket.take():
        return Response.message(429, "Too Many Requests")
    return None


def _b64url(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def _verify_rs256(header: dict, signing_input: bytes, sig: bytes) -> bool | None:
    """True/False when a local JWKS is configured, None when there is none to check with."""
    path = os.environ.get("STOREFIRST_LOCAL_JWKS")
    if not path:
        return None
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    keys = json.loads(open(path).read()).get("keys", [])
    for k in keys:
        if k.get("kid") not in (None, header.get("kid")) or k.get("kty") != "RSA":
            continue
        pub = rsa.RSAPublicNumbers(int.from_bytes(_b64url(k["e"]), "big"), int.from_bytes(_b64url(k["n"]), "big")).public_key()
        try:
            pub.verify(sig, signing_input, padding.PKCS1v15(), hashes.SHA256())
            return True
        except Exception:
            continue
    return False


def authorize(ctx: RequestCtx) -> Response | None:
    route = ctx.route
    assert route is not None
    if route.authorization_type in (None, "NONE"):
        return None
    auth = ctx.api.authorizers.get(route.authorizer_id or "")
    if route.authorization_type == "JWT" and auth:
        unauthorized = Response.message(401, "Unauthorized")
        source = (auth.get("IdentitySource") or ["$request.header.Authorization"])[0]
        token = evaluate(source, ctx, {}) or ""
        if token.lower().startswith("bearer "):
            token = token[7:]
        parts = token.split(".")
        if len(parts) != 3:
            return unauthorized
        try:
            header, claims = json.loads(_b64url(parts[0])), json.loads(_b64url(parts[1]))
        except Exception:
            return unauthorized
        cfg = auth.get("JwtConfiguration") or {}
        now = time.time()
        if header.get("alg") != "RS256" and os.environ.get("STOREFIRST_LOCAL_JWKS"):
            return unauthorized
        if cfg.get("Issuer") and claims.get("iss") != cfg["Issuer"]:
            return unauthorized
        audience = set(cfg.get("Audience") or [])
        aud = claims.get("aud", claims.get("client_id"))
        auds = set(aud if isinstance(aud, list) else [aud] if aud else [])
        if audience and not audience & auds:
            return unauthorized
        if "exp" in claims and now >= float(claims["exp"]):
            return unauthorized
        if "nbf" in claims and now < float(claims["nbf"]):
            return unauthorized
        if _verify_rs256(header, f"{parts[0]}.{parts[1]}".encode(), _b64url(parts[2])) is False:
            return unauthorized
        if route.scopes:
            have = set(str(claims.get("scope", claims.get("scp", ""))).split())
            if not have & set(route.scopes):
                return Response.message(403, "Forbidden")
        ctx.authorizer = {"claims": claims, "scopes": route.scopes or None}
        return None
    # AWS_IAM (SigV4) and Lambda authorizers are not executed locally yet: refuse rather
    # than let a protected route through silently.
    return Response.message(501, f"local gateway: authorization type {route.authorization_type} not supported")


_EXPR = re.compile(r"\$\{([^}]+)\}|\$((?:request\.(?:body(?:\.[A-Za-z0-9_.\[\]*]+)?|header\.[A-Za-z0-9_-]+|"
                   r"querystring\.[A-Za-z0-9_.~-]+|path(?:\.[A-Za-z0-9_]+)?))|context\.[A-Za-z0-9_.]+|"
                   r"stageVariables\.[A-Za-z0-9_]+)")


def _json_path(doc: Any, path: str) -> Any:
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            idx = int(part[1:-1])
            doc = doc[idx] if isinstance(doc, list) and idx < len(doc) else None
        else:
            doc = doc.get(part) if isinstance(doc, dict) else None
        if doc is None:
            return None
    return doc


def lookup(expr: str, ctx: RequestCtx) -> str | None:
    """Value of one mapping expression (without the leading `$`); None when absent."""
    if expr == "request.path":
        return ctx.path
    if expr == "request.body":
        return ctx.body.decode("utf-8", "replace")
    if expr.startswith("request.body."):
        try:
            val = _json_path(json.loads(ctx.body or b"null"), expr[len("request.body."):])
        except ValueError:
            return None
        return None if val is None else (val if isinstance(val, str) else json.dumps(val))
    if expr.startswith("request.header."):
        return ctx.headers.get(expr[len("request.header."):].lower())
    if expr.startswith("request.querystring."):
        vals = ctx.query_multi.get(expr[len("request.querystring."):])
        return ",".join(vals) if vals else None
    if expr.startswith("request.path."):
        return ctx.path_params.get(expr[len("request.path."):])
    if expr.startswith("context."):
        val = ctx.context_vars().get(expr[len("context."):])
        return None if val is None else str(val)
    if expr.startswith("stageVariables."):
        return ((ctx.api.stages.get(ctx.stage, {}).get("StageVariables")) or {}).get(expr[len("stageVariables."):])
    return None


def evaluate(template: str, ctx: RequestCtx, missing: dict[str, bool], json_escape: bool = False) -> str:
    """Apply HTTP API parameter mapping to one request parameter value.

    A value that is exactly one expression yields that value; expressions inside a larger
    string are substituted (inside a JSON document they are JSON-escaped so a header cannot
    break out of the string it sits in). Absent values become "" and are recorded in `missing`.
    """
    def sub(m: re.Match) -> str:
        expr = m.group(1) or m.group(2)
        val = lookup(expr, ctx)
        if val is None:
            missing[expr] = True
            val = ""
        return json.dumps(val)[1:-1] if json_escape else val

    return _EXPR.sub(sub, template)


def map_parameters(params: dict[str, str], ctx: RequestCtx) -> tuple[dict[str, str], dict[str, bool]]:
    out, missing = {}, {}
    for key, tmpl in (params or {}).items():
        is_json = tmpl.lstrip().startswith(("{", "["))
        out[key] = evaluate(tmpl, ctx, missing, json_escape=is_json)
    return out, missing


# --------------------------------------------------------------------------- integrations

class Integrations:
    """Executes integrations; holds boto3 clients to the emulator and the Lambda runtimes."""

    def __init__(self, clients: Callable[[str], Any], runtimes: Any = None):
        self.client = clients
        self.runtimes = runtimes
        self._iam_cache: dict[str, list[dict[str, Any]]] = {}

    # IAM: the integration's credentials role must allow the action, as in AWS, where a
    # missing permission makes the service call fail. Identity policies only (inline and
    # attached), Allow/Deny with wildcards; no conditions, no resource policies.
    def role_statements(self, role_arn: str) -> list[dict[str, Any]]:
        if role_arn not in self._iam_cache:
            iam = self.client("iam")
            name = role_arn.rsplit("/", 1)[-1]
            docs = []
            for pname in iam.list_role_policies(RoleName=name).get("PolicyNames", []):
                docs.append(iam.get_role_policy(RoleName=name, PolicyName=pname)["PolicyDocument"])
            for att in iam.list_attached_role_policies(RoleName=name).get("AttachedPolicies", []):
                pol = iam.get_policy(PolicyArn=att["PolicyArn"])["Policy"]
                docs.append(iam.get_policy_version(PolicyArn=att["PolicyArn"], VersionId=pol["DefaultVersionId"])["PolicyVersion"]["Document"])
            stmts = []
            for d in docs:
                d = json.loads(urllib.parse.unquote(d)) if isinstance(d, str) else d
                s = d.get("Statement", [])
                stmts += s if isinstance(s, list) else [s]
            self._iam_cache[role_arn] = stmts
        return self._iam_cache[role_arn]

    def allowed(self, role_arn: str | None, action: str, resource: str) -> bool:
        if not role_arn:
            return False
        allow = False
        for st in self.role_statements(role_arn):
            acts = st.get("Action", [])
            res = st.get("Resource", [])
            acts = acts if isinstance(acts, list) else [acts]
            res = res if isinstance(res, list) else [res]
            if any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in acts) and \
                    any(fnmatch.fnmatchcase(resource, r) for r in res):
                if st.get("Effect") == "Deny":
                    return False
                allow = True
        return allow

    def run(self, ctx: RequestCtx) -> Response:
        target = ctx.route.target or ""  # type: ignore[union-attr]
        integ = ctx.api.integrations.get(target.split("/", 1)[-1]) if target.startswith("integrations/") else None
        if integ is None:
            return Response.message(500, "Internal Server Error")
        kind, subtype = integ.get("IntegrationType"), integ.get("IntegrationSubtype")
        if kind == "AWS_PROXY" and subtype:
            handler = {
                "SQS-SendMessage": self.sqs_send_message,
                "StepFunctions-StartExecution": self.sfn_start_execution,
                "StepFunctions-StartSyncExecution": self.sfn_start_sync_execution,
            }.get(subtype)
            if handler is None:
                return Response.message(501, f"local gateway: integration subtype {subtype} not supported yet")
            params, _missing = map_parameters(integ.get("RequestParameters") or {}, ctx)
            return handler(integ, params, ctx)
        if kind == "AWS_PROXY":
            return self.lambda_proxy(integ, ctx)
        if kind == "HTTP_PROXY":
            return self.http_proxy(integ, ctx)
        return Response.message(501, f"local gateway: integration type {kind} not supported yet")

    # -- SQS ---------------------------------------------------------------
    def sqs_send_message(self, integ: dict[str, Any], p: dict[str, str], ctx: RequestCtx) -> Response:
        """SQS-SendMessage ("Integration subtype reference"). The client gets SQS's own
        response as API Gateway returns it: status 200 and the SendMessageResponse JSON
        envelope; an SQS error comes back with SQS's status and an Error envelope."""
        sqs = self.client("sqs")
        url = p.get("QueueUrl", "")
        name = url.rstrip("/").rsplit("/", 1)[-1]
        account = url.rstrip("/").rsplit("/", 2)[-2] if url.count("/") >= 4 else ctx.api.account
        arn = f"arn:aws:sqs:{p.get('Region') or ctx.api.region}:{account}:{name}"
        req_id = str(uuid.uuid4())
        if not self.allowed(integ.get("CredentialsArn"), "sqs:SendMessage", arn):
            return _sqs_error(403, "AccessDenied", f"User: {integ.get('CredentialsArn')} is not authorized "
                              f"to perform: sqs:sendmessage on resource: {arn}", req_id)
        kw: dict[str, Any] = {"QueueUrl": url, "MessageBody": p.get("MessageBody", "")}
        try:
            if p.get("DelaySeconds"):
                kw["DelaySeconds"] = int(p["DelaySeconds"])
            for k in ("MessageGroupId", "MessageDeduplicationId"):
                if p.get(k):
                    kw[k] = p[k]
            for k in ("MessageAttributes", "MessageSystemAttributes"):
                if p.get(k):
                    kw[k] = _drop_empty_attrs(json.loads(p[k]))
        except (ValueError, TypeError) as exc:
            return _sqs_error(400, "InvalidParameterValue", str(exc), req_id)
        if not kw["MessageBody"]:
            return _sqs_error(400, "MissingParameter", "The request must contain the parameter MessageBody.", req_id)
        try:
            res = sqs.send_message(**kw)
        except Exception as exc:  # botocore ClientError
            err = getattr(exc, "response", {}).get("Error", {})
            status = getattr(exc, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode", 400)
            return _sqs_error(status, err.get("Code", "InternalError"), err.get("Message", str(exc)), req_id)
        body = {"SendMessageResponse": {
            "ResponseMetadata": {"RequestId": res["ResponseMetadata"].get("RequestId", req_id)},
            "SendMessageResult": {
                "MD5OfMessageAttributes": res.get("MD5OfMessageAttributes"),
                "MD5OfMessageBody": res.get("MD5OfMessageBody"),
                "MD5OfMessageSystemAttributes": res.get("MD5OfMessageSystemAttributes"),
                "MessageId": res.get("MessageId"),
                "SequenceNumber": res.get("SequenceNumber"),
            }}}
        return Response(200, json.dumps(body).encode(), {"Content-Type": JSON})

    # -- Step Functions ----------------------------------------------------
    def sfn_start_execution(self, integ: dict[str, Any], p: dict[str, str], ctx: RequestCtx) -> Response:
        sfn = self.client("stepfunctions")
        arn = p.get("StateMachineArn", "")
        if not self.allowed(integ.get("CredentialsArn"), "states:StartExecution", arn):
            return _json_error(403, "AccessDeniedException", f"not authorized to perform states:StartExecution on {arn}")
        # Without Name the service generates a UUID; moto would name every execution "None".
        kw = {"stateMachineArn": arn, "input": p.get("Input") or "{}", "name": p.get("Name") or str(uuid.uuid4())}
        try:
            res = sfn.start_execution(**kw)
        except Exception as exc:
            err = getattr(exc, "response", {}).get("Error", {})
            return _json_error(400, err.get("Code", "InvalidInput"), err.get("Message", str(exc)))
        # StartExecution's JSON response: executionArn and startDate (epoch seconds).
        return Response(200, json.dumps({"executionArn": res["executionArn"],
                                         "startDate": res["startDate"].timestamp()}).encode(), {"Content-Type": JSON})

    def sfn_start_sync_execution(self, integ: dict[str, Any], p: dict[str, str], ctx: RequestCtx) -> Response:
        """moto has no StartSyncExecution: emulated as StartExecution + DescribeExecution until
        the execution ends (moto runs JSONPath definitions when execute_state_machine is on)."""
        sfn = self.client("stepfunctions")
        arn = p.get("StateMachineArn", "")
        if not self.allowed(integ.get("CredentialsArn"), "states:StartSyncExecution", arn):
            return _json_error(403, "AccessDeniedException", f"not authorized to perform states:StartSyncExecution on {arn}")
        start = sfn.start_execution(stateMachineArn=arn, input=p.get("Input") or "{}", name=p.get("Name") or str(uuid.uuid4()))
        deadline = time.time() + 300
        while True:
            d = sfn.describe_execution(executionArn=start["executionArn"])
            if d["status"] != "RUNNING" or time.time() > deadline:
                break
            time.sleep(0.05)
        body = {k: d.get(k) for k in ("executionArn", "stateMachineArn", "name", "status", "input", "output", "error", "cause") if d.get(k) is not None}
        body["startDate"] = d["startDate"].timestamp()
        if d.get("stopDate"):
            body["stopDate"] = d["stopDate"].timestamp()
        return Response(200, json.dumps(body).encode(), {"Content-Type": JSON})

    # -- Lambda proxy ------------------------------------------------------
    def lambda_proxy(self, integ: dict[str, Any], ctx: RequestCtx) -> Response:
        uri = integ.get("IntegrationUri", "")
        m = re.search(r"(arn:aws:lambda:[^/]+?:function:[^/:]+)", uri)
        if not m or self.runtimes is None:
            return Response.message(500, "Internal Server Error")
        version = integ.get("PayloadFormatVersion", "2.0")
        if version != "2.0":
            return Response.message(501, "local gateway: payload format 1.0 not supported yet")
        from .runtime import InvokeError

        try:
            result = self.runtimes.get(m.group(1)).invoke(payload_v2_event(ctx))
        except (InvokeError, FileNotFoundError) as exc:
            log.warning("lambda proxy %s failed: %s", m.group(1), exc)
            return Response.message(500, "Internal Server Error")
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
                uri = urllib.parse.urlunsplit((parts.scheme, parts.netloc, val if val.startswith("/") else "/" + val,
                                               parts.query, ""))
            elif where.startswith("header."):
                name = where[len("header."):].lower()
                if op == "remove":
                    headers.pop(name, None)
                elif op == "append" and name in headers:
                    headers[name] = f"{headers[name]},{val}"
                else:
                    headers[name] = val
            elif where.startswith("querystring."):
                name = where[len("querystring."):]
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


def _drop_empty_attrs(attrs: Any) -> Any:
    # An absent header mapped into a message attribute leaves an empty StringValue, which SQS
    # rejects; drop such attributes so an optional header stays optional.
    if isinstance(attrs, dict):
        return {k: v for k, v in attrs.items() if not (isinstance(v, dict) and v.get("StringValue", None) == "")}
    return attrs


def _sqs_error(status: int, code: str, message: str, req_id: str) -> Response:
    body = {"Error": {"Code": code, "Message": message, "Type": "Sender"}, "RequestId": req_id}
    return Response(status, json.dumps(body).encode(), {"Content-Type": JSON})


def _json_error(status: int, code: str, message: str) -> Response:
    return Response(status, json.dumps({"__type": code, "message": message}).encode(), {"Content-Type": "application/x-amz-json-1.0"})


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
            "accountId": ctx.api.account, "apiId": ctx.api.api_id,
            "domainName": f"{ctx.api.api_id}.execute-api.{ctx.api.region}.amazonaws.com",
            "domainPrefix": ctx.api.api_id,
            "http": {"method": ctx.method, "path": ctx.raw_path, "protocol": "HTTP/1.1",
                     "sourceIp": ctx.source_ip, "userAgent": ctx.headers.get("user-agent", "")},
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
    if ctx.authorizer:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": ctx.authorizer.get("claims", {}),
                                                         "scopes": ctx.authorizer.get("scopes")}}
    if body:
        event["body"] = text
    return event


def lambda_v2_response(result: Any) -> Response:
    """Format 2.0 response: a dict with statusCode is used as is; anything else is taken as
    the body of a 200 application/json response."""
    if isinstance(result, dict) and "statusCode" in result:
        headers = {str(k): str(v) for k, v in (result.get("headers") or {}).items()}
        body = result.get("body") or ""
        raw = base64.b64decode(body) if result.get("isBase64Encoded") else (body if isinstance(body, str) else json.dumps(body)).encode()
        resp = Response(int(result["statusCode"]), raw, headers)
        for i, c in enumerate(result.get("cookies") or []):
            resp.headers[f"Set-Cookie{'' if i == 0 else ' ' * i}"] = c  # distinct keys, same header
        return resp
    body = result if isinstance(result, str) else json.dumps(result)
    return Response(200, body.encode(), {"Content-Type": JSON})


# --------------------------------------------------------------------------- server

class Gateway:
    """Serves every HTTP API found in the emulator, one 127.0.0.1 port each."""

    def __init__(self, clients: Callable[[str], Any], runtimes: Any = None, region: str = "eu-west-1",
                 account: str = "123456789012", host: str = "127.0.0.1", emulator_url: str | None = None):
        self.client, self.region, self.account, self.host = clients, region, account, host
        self.integrations = Integrations(clients, runtimes)
        self.apis: dict[str, HttpApi] = {}
        self.rest_apis: dict[str, Any] = {}
        self.emulator_url = emulator_url
        # When set, only these API ids are served (what one Terraform state created; moto's
        # state is process-wide, so other emulators in this process see the same APIs).
        self.only: set[str] | None = None
        self.servers: dict[str, ThreadingHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        self.steps: list[Step] = [match_route, throttle, authorize]
        # Access logs go to the stage's CloudWatch Logs destination when a shipper is set
        # (storefirst.local.cwlogs; the Stack sets one).
        self.shipper: Any = None

    def load(self) -> None:
        v2 = self.client("apigatewayv2")
        for api in v2.get_apis().get("Items", []):
            if api.get("ProtocolType") == "HTTP" and (self.only is None or api["ApiId"] in self.only):
                self.apis[api["ApiId"]] = load_http_api(v2, api["ApiId"], self.region, self.account)
        if self.emulator_url:
            from .gateway_rest import load_rest_api

            v1 = self.client("apigateway")
            for api in v1.get_rest_apis(limit=500).get("items", []):
                if self.only is not None and api["id"] not in self.only:
                    continue
                self.rest_apis[api["id"]] = load_rest_api(v1, api["id"], self.region, self.account)

    def handle(self, api: HttpApi, method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str) -> tuple[Response, RequestCtx]:
        path, _, query = target.partition("?")
        ctx = RequestCtx(api, method.upper(), path, query, headers, body, source_ip)
        segs = [s for s in path.split("/") if s]
        if segs and segs[0] != "$default" and segs[0] in api.stages:
            stage, rest = segs[0], "/" + "/".join(segs[1:])
        elif "$default" in api.stages:
            stage, rest = "$default", path
        else:
            return Response.message(404, "Not Found"), ctx
        ctx.stage, ctx.path = stage, rest
        resp = None
        for step in self.steps:
            resp = step(ctx)
            if resp is not None:
                break
        if resp is None:
            try:
                resp = self.integrations.run(ctx)
            except Exception:
                log.exception("integration failed")
                resp = Response.message(500, "Internal Server Error")
        resp.headers["apigw-requestid"] = ctx.request_id
        self.access_log(api.stages.get(stage, {}).get("AccessLogSettings") or {}, ctx, resp)
        return resp, ctx

    def access_log(self, settings: dict[str, Any], ctx: RequestCtx, resp: Response) -> None:
        """One access log line in the stage's format ("Customizing HTTP API access logs")."""
        if self.shipper is None or not settings.get("DestinationArn") or not settings.get("Format"):
            return
        from .cwlogs import group_of, render_access_log

        values = dict(ctx.context_vars())
        latency = int((time.time() - ctx.start) * 1000)
        values.update({"status": resp.status, "responseLength": len(resp.body), "responseLatency": latency,
                       "integrationLatency": latency if ctx.route else None,
                       "integrationStatus": resp.status if ctx.route else None})
        if resp.status >= 400:
            try:
                values["error.message"] = json.loads(resp.body).get("message")
            except (ValueError, AttributeError):
                pass
        self.shipper.put(group_of(settings["DestinationArn"]), render_access_log(settings["Format"], values),
                         f"{ctx.api.api_id}-{ctx.stage}")

    def serve_api(self, api: HttpApi, port: int = 0) -> int:
        return self._serve(api.api_id, lambda *a: self.handle(api, *a)[0], port)

    def serve_rest_api(self, api: Any, port: int = 0) -> int:
        from .gateway_rest import RestGateway

        rest = RestGateway(self.client, self.emulator_url or "", self.integrations)
        rest.gateway = self

        def run(*a: Any) -> Response:
            try:
                return rest.handle(api, *a)
            except Exception:
                log.exception("REST request failed")
                return Response.message(500, "Internal server error")

        return self._serve(api.api_id, run, port)

    def _serve(self, api_id: str, handle: Callable[..., Response], port: int = 0) -> int:

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt: str, *args: Any) -> None:  # access log at debug level
                log.debug("%s " + fmt, api_id, *args)

            def _any(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                hdrs: dict[str, str] = {}
                for k, v in self.headers.items():
                    k = k.lower()
                    hdrs[k] = f"{hdrs[k]},{v}" if k in hdrs else v
                resp = handle(self.command, self.path, hdrs, body, self.client_address[0])
                self.send_response(resp.status)
                for k, v in resp.headers.items():
                    self.send_header(k.strip(), v)
                self.send_header("Content-Length", str(len(resp.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(resp.body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _any

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 256

        srv = Server((self.host, port), Handler)
        self.servers[api_id] = srv
        t = threading.Thread(target=srv.serve_forever, name=f"gw-{api_id}", daemon=True)
        t.start()
        self._threads.append(t)
        return srv.server_address[1]

    def start(self) -> dict[str, str]:
        """Load and serve every HTTP API; returns {api_id: base_url}."""
        self.load()
        urls = {api_id: f"http://{self.host}:{self.serve_api(api)}" for api_id, api in self.apis.items()}
        for api_id, api in self.rest_apis.items():
            urls[api_id] = f"http://{self.host}:{self.serve_rest_api(api)}"
        return urls

    def url_map(self) -> dict[str, str]:
        """Each served API's AWS origin (`https://<id>.execute-api.<region>.amazonaws.com`) ->
        its local origin, so functions whose environment names an API's AWS URL reach the local
        gateway instead (runtime.resolve_url)."""
        return {f"https://{api_id}.execute-api.{self.region}.amazonaws.com":
                f"http://{self.host}:{srv.server_address[1]}" for api_id, srv in self.servers.items()}

    def stop(self) -> None:
        for srv in self.servers.values():
            srv.shutdown()
            srv.server_close()
        self.servers.clear()
