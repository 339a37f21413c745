"""REST steps parse, route, throttle, authorize and validate, run by the executor with a fake
integration; errors come back through the gateway responses."""

from __future__ import annotations

import json

from apigw_fixtures import rest_api
from storefirst.local.apigw.rest.executor import RestExecutor

MOCK = {"type": "MOCK", "requestTemplates": {"application/json": '{"statusCode": 200}'},
        "integrationResponses": {"200": {"statusCode": "200", "responseTemplates": {"application/json": '{"ok": true}'}}}}
SCHEMA = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["id"],
          "properties": {"id": {"type": "string"}}}


class NoCall:
    def run(self, req):  # MOCK only: the executor's integrate step without a transport
        from storefirst.local.apigw.rest.integrate import RestIntegrations

        RestIntegrations(None).run(req)


def _ex():
    return RestExecutor(NoCall())


def call(api, method="POST", path="/v1", body=b"{}", headers=None):
    r = _ex().execute(api, method, path, {"content-type": "application/json", **(headers or {})}, body)
    return r.response.status, json.loads(r.response.body)


def test_mock_round_trip():
    assert call(rest_api(MOCK)) == (200, {"ok": True})


def test_unknown_stage_path_or_method_is_403_missing_authentication_token():
    api = rest_api(MOCK)
    for method, path in (("POST", "/v9"), ("POST", "/v1/nothing"), ("GET", "/v1"), ("POST", "/")):
        assert call(api, method, path) == (403, {"message": "Missing Authentication Token"})


def test_aws_iam_without_sigv4_is_403():
    api = rest_api(MOCK, method_extra={"authorizationType": "AWS_IAM"})
    assert call(api) == (403, {"message": "Missing Authentication Token"})
    signed = {"authorization": "AWS4-HMAC-SHA256 Credential=AKIA/20260101/eu-west-1/execute-api/aws4_request, SignedHeaders=host, Signature=x"}
    assert call(api, headers=signed) == (200, {"ok": True})


def test_throttled_is_429():
    api = rest_api(MOCK)
    api.stages["v1"]["methodSettings"] = {"*/*": {"throttlingRateLimit": 0.0001, "throttlingBurstLimit": 1}}
    assert call(api)[0] == 200
    assert call(api) == (429, {"message": "Too Many Requests"})


def test_validation_errors_render_through_gateway_responses():
    tmpl = '{"error":"ValidationError","message":$context.error.messageString,"detail":"$context.error.validationErrorString"}'
    api = rest_api(MOCK, validators={"v": {"validateRequestBody": True, "validateRequestParameters": True}},
                   models={"M": SCHEMA}, gateway_responses={"BAD_REQUEST_BODY": {"statusCode": "400",
                                                                                "responseTemplates": {"application/json": tmpl}}},
                   method_extra={"requestValidatorId": "v", "requestModels": {"application/json": "M"},
                                 "requestParameters": {"method.request.header.X-Key": True}})
    assert call(api) == (400, {"message": "Missing required request parameters: [X-Key]"})
    r = _ex().execute(api, "POST", "/v1", {"content-type": "application/json", "x-key": "k"}, b'{"id": 1}')
    # The validator's message holds quotes and is substituted unescaped: no longer JSON, as on AWS.
    assert r.response.status == 400 and r.response.body.decode() == (
        '{"error":"ValidationError","message":"Invalid request body","detail":"[instance type (integer) does not '
        'match any allowed primitive type (allowed: ["string"])]"}')
    assert call(api, body=b'{"id": "a"}', headers={"x-key": "k"}) == (200, {"ok": True})


def test_passthrough_never_without_template_is_415():
    api = rest_api({**MOCK, "passthroughBehavior": "NEVER"})
    assert call(api, headers={"content-type": "text/plain"}) == (415, {"message": "Unsupported Media Type"})
