"""What an HTTP API is, read back from the emulator (apis, routes, integrations, stages,
authorizers; never the .tf files), and the per-request context the steps share."""

from __future__ import annotations

import base64
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..core import TokenBucket, match_path, specificity


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
        return match_path(self.segments, segs)

    def specificity(self) -> tuple:
        return (0,) if self.route_key == "$default" else specificity(self.segments, self.method)


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
    routes = [
        Route(
            r["RouteId"],
            r["RouteKey"],
            r.get("Target"),
            r.get("AuthorizationType", "NONE"),
            r.get("AuthorizerId"),
            list(r.get("AuthorizationScopes") or []),
        )
        for r in v2.get_routes(ApiId=api_id).get("Items", [])
    ]
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
    headers: dict[str, str]  # lower-case names, repeated headers joined with ","
    body: bytes
    source_ip: str
    stage: str = "$default"
    path: str = ""  # path without the stage prefix
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
            "accountId": self.api.account,
            "apiId": self.api.api_id,
            "domainName": f"{self.api.api_id}.execute-api.{self.api.region}.amazonaws.com",
            "domainPrefix": self.api.api_id,
            "httpMethod": self.method,
            "path": self.raw_path,
            "protocol": "HTTP/1.1",
            "requestId": self.request_id,
            "extendedRequestId": self.request_id,
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(self.start)),
            "requestTimeEpoch": epoch_ms,
            "routeKey": self.route.route_key if self.route else "",
            "stage": st,
            "identity.sourceIp": self.source_ip,
            "identity.userAgent": self.headers.get("user-agent", ""),
        }
        for k, v in (self.authorizer.get("claims") or {}).items():
            ctx[f"authorizer.claims.{k}"] = v
        return ctx
