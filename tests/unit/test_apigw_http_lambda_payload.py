"""HTTP API Lambda proxy: payload format 2.0 event and response rules."""

from __future__ import annotations

import json

from apigw_fixtures import http_ctx as _ctx
from storefirst.local.apigw.http.lambda_payload import lambda_v2_response, payload_v2_event


def test_payload_v2_event_shape():
    ctx = _ctx(headers={"cookie": "a=1; b=2", "content-type": "application/json"})
    ev = payload_v2_event(ctx)
    assert ev["version"] == "2.0" and ev["routeKey"] == "POST /items/{id}"
    assert ev["cookies"] == ["a=1", "b=2"] and "cookie" not in ev["headers"]
    assert ev["queryStringParameters"] == {"q": "1,2", "r": "z"}
    assert ev["pathParameters"] == {"id": "42"}
    assert ev["requestContext"]["http"]["method"] == "POST"
    assert ev["isBase64Encoded"] is False and ev["body"] == ctx.body.decode()
    assert "stageVariables" not in ev


def test_lambda_v2_response_rules():
    r = lambda_v2_response({"statusCode": 201, "headers": {"x": "1"}, "body": "ok"})
    assert (r.status, r.body, r.headers["x"]) == (201, b"ok", "1")
    r = lambda_v2_response({"hello": "world"})  # no statusCode: 200 JSON of the result
    assert r.status == 200 and json.loads(r.body) == {"hello": "world"}


