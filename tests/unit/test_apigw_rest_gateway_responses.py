"""REST step respond: gateway responses are variable substitution, not VTL
("A GatewayResponse mapping template isn't processed by the VTL engine")."""

from __future__ import annotations

import json

from storefirst.local.apigw.core import BadRequestBody, ConfigurationError, MissingAuthenticationToken, Throttled
from storefirst.local.apigw.rest import gateway_responses as gr

CTX = {"requestId": "r-1", "stage": "v1", "identity": {"sourceIp": "10.0.0.1"}}


def _render(responses, err, stage_vars=None, request=None):
    return gr.render(responses, err, CTX, stage_vars or {}, request or {})


def test_aws_default_body_without_configured_responses():
    resp = _render({}, MissingAuthenticationToken())
    assert resp.status == 403 and json.loads(resp.body) == {"message": "Missing Authentication Token"}
    resp = _render({}, Throttled())
    assert resp.status == 429 and json.loads(resp.body) == {"message": "Too Many Requests"}
    resp = _render({}, ConfigurationError("cannot assume"))
    assert resp.status == 500 and json.loads(resp.body) == {"message": "Internal server error"}


def test_variables_are_substituted():
    tmpl = ('{"message":$context.error.messageString,"type":"$context.error.responseType",'
            '"detail":"$context.error.validationErrorString","id":"$context.requestId","ip":"$context.identity.sourceIp",'
            '"env":"$stageVariables.env","h":"$method.request.header.X-Trace"}')
    resp = _render({"BAD_REQUEST_BODY": {"statusCode": "400", "responseTemplates": {"application/json": tmpl}}},
                   BadRequestBody(validation="[data: 'id' is a required property]"), {"env": "dev"},
                   {"header": {"x-trace": "t-1"}})
    assert json.loads(resp.body) == {"message": "Invalid request body", "type": "BAD_REQUEST_BODY",
                                     "detail": "[data: 'id' is a required property]", "id": "r-1", "ip": "10.0.0.1",
                                     "env": "dev", "h": "t-1"}


def test_vtl_in_a_gateway_response_comes_out_as_literal_text():
    tmpl = '#set($x = "y"){"detail":"$util.escapeJavaScript($context.error.validationErrorString)","x":"$x"}'
    resp = _render({"BAD_REQUEST_BODY": {"responseTemplates": {"application/json": tmpl}}},
                   BadRequestBody(validation="[bad]"))
    assert resp.body.decode() == '#set($x = "y"){"detail":"$util.escapeJavaScript([bad])","x":"$x"}'


def test_substituted_values_are_not_escaped():
    tmpl = '{"detail":"$context.error.validationErrorString"}'
    resp = _render({"BAD_REQUEST_BODY": {"responseTemplates": {"application/json": tmpl}}},
                   BadRequestBody(validation='[instance value ("it\'s") not found]'))
    assert resp.body.decode() == '{"detail":"[instance value ("it\'s") not found]"}'  # not JSON any more


def test_default_4xx_and_5xx_are_the_fallbacks_and_set_the_status():
    responses = {"DEFAULT_4XX": {"statusCode": "418", "responseTemplates": {"application/json": '{"e":"4xx"}'}},
                 "DEFAULT_5XX": {"responseTemplates": {"application/json": '{"e":"5xx"}'}},
                 "THROTTLED": {"statusCode": "429", "responseTemplates": {"application/json": '{"e":"slow"}'},
                               "responseParameters": {"gatewayresponse.header.Retry-After": "'1'",
                                                      "gatewayresponse.header.X-Req": "context.requestId"}}}
    resp = _render(responses, MissingAuthenticationToken())
    assert (resp.status, json.loads(resp.body)) == (418, {"e": "4xx"})
    resp = _render(responses, ConfigurationError())
    assert (resp.status, json.loads(resp.body)) == (500, {"e": "5xx"})
    resp = _render(responses, Throttled())
    assert (resp.status, json.loads(resp.body)) == (429, {"e": "slow"})
    assert resp.headers["Retry-After"] == "1" and resp.headers["X-Req"] == "r-1"
