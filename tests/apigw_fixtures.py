"""Small builders the gateway step tests share (HTTP API and REST API models, no emulator)."""

from __future__ import annotations

from storefirst.local.apigw.http.model import HttpApi, RequestCtx, Route
from storefirst.local.apigw.rest.model import RestApi, RestMethod

TRUST_APIGW = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def trust(*services: str, condition: dict | None = None) -> dict:
    st = {"Effect": "Allow", "Principal": {"Service": list(services)}, "Action": "sts:AssumeRole"}
    if condition:
        st["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [st]}


def http_api(routes=(), stages=None) -> HttpApi:
    return HttpApi("abc123", "t", [Route(str(i), k, None, "NONE", None, []) for i, k in enumerate(routes)],
                   {}, stages or {"$default": {}}, {}, "eu-west-1", "123456789012")


def http_ctx(body=b'{"a": {"b": [1, 2]}, "s": "x"}', headers=None, query="q=1&q=2&r=z", path_params=None) -> RequestCtx:
    ctx = RequestCtx(http_api(["POST /items/{id}"]), "POST", "/items/42", query,
                     headers if headers is not None else {"idempotency-key": "k-1", "user-agent": "curl/8"},
                     body, "127.0.0.1")
    ctx.route = ctx.api.routes[0]
    ctx.path_params = path_params or {"id": "42"}
    return ctx


def rest_api(integration: dict, stage_vars=None, gateway_responses=None, method_extra=None,
             validators=None, models=None, path="/", http_method="POST") -> RestApi:
    method = {"authorizationType": "NONE", "methodIntegration": integration, **(method_extra or {})}
    return RestApi("r1", "t", "eu-west-1", "123456789012", [RestMethod("root", path, http_method, method)],
                   models or {}, validators or {}, {"v1": {"stageName": "v1", "variables": stage_vars or {}}},
                   gateway_responses or {})
