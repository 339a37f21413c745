"""HTTP API steps parse, route and throttle."""

from __future__ import annotations

import json

import pytest

from storefirst.local.apigw.core import RouteNotFound, Throttled
from storefirst.local.apigw.http import steps
from storefirst.local.apigw.http.chain import error_response
from storefirst.local.apigw.http.model import RequestCtx
from apigw_fixtures import http_api as _api


def test_parse_strips_a_named_stage_and_defaults_to_dollar_default():
    api = _api(["GET /a"], {"$default": {}, "dev": {}})
    assert (steps.parse(api, "get", "/dev/a?x=1", {}, b"", "ip").stage, steps.parse(api, "GET", "/dev/a", {}, b"", "ip").path) == ("dev", "/a")
    ctx = steps.parse(api, "GET", "/a?x=1", {}, b"", "ip")
    assert (ctx.stage, ctx.path, ctx.query) == ("$default", "/a", "x=1")


def test_no_stage_is_404():
    ctx = steps.parse(_api(["GET /a"], {"dev": {}}), "GET", "/a", {}, b"", "ip")
    with pytest.raises(RouteNotFound):
        steps.route(ctx)


@pytest.mark.parametrize("method,path,expected", [
    ("GET", "/items/1", "GET /items/{id}"),
    ("GET", "/items/special", "GET /items/special"),
    ("POST", "/items/1", "ANY /items/{id}"),
    ("GET", "/files/a/b/c", "GET /files/{proxy+}"),
    ("DELETE", "/nothing", "$default"),
])
def test_route_selection_most_specific_wins(method, path, expected):
    api = _api(["GET /items/{id}", "GET /items/special", "ANY /items/{id}", "GET /files/{proxy+}", "$default"])
    ctx = RequestCtx(api, method, path, "", {}, b"", "127.0.0.1", path=path)
    steps.route(ctx)
    assert ctx.route.route_key == expected


def test_no_route_is_404_with_aws_body():
    ctx = RequestCtx(_api(["GET /a"]), "GET", "/b", "", {}, b"", "127.0.0.1", path="/b")
    with pytest.raises(RouteNotFound) as err:
        steps.route(ctx)
    resp = error_response(err.value)
    assert resp.status == 404 and json.loads(resp.body) == {"message": "Not Found"}


def test_throttle_uses_route_settings_over_stage_default():
    api = _api(["POST /a", "POST /b"], {"$default": {
        "DefaultRouteSettings": {"ThrottlingRateLimit": 1000, "ThrottlingBurstLimit": 1000},
        "RouteSettings": {"POST /b": {"ThrottlingRateLimit": 0.0001, "ThrottlingBurstLimit": 1}}}})
    ctx = RequestCtx(api, "POST", "/b", "", {}, b"", "127.0.0.1", path="/b")
    ctx.route = api.routes[1]
    steps.throttle(ctx)
    with pytest.raises(Throttled) as err:
        steps.throttle(ctx)
    resp = error_response(err.value)
    assert resp.status == 429 and json.loads(resp.body) == {"message": "Too Many Requests"}
    ctx.route = api.routes[0]
    steps.throttle(ctx)
