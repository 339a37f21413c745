"""REST steps map request / map response: VTL templates, $context.requestOverride shared
with the response template, $context.responseOverride, integration response selection."""

from __future__ import annotations

import json

import pytest

from apigw_fixtures import rest_api
from storefirst.local.apigw.rest.executor import RestExecutor
from storefirst.local.apigw.rest.integrate import RestIntegrations


class FakeTransport:
    def __init__(self, status=200, body="{}"):
        self.status, self.body, self.sent = status, body, {}

    def post(self, service, target, content_type, body, headers):
        self.sent = {"service": service, "target": target, "body": body, "headers": headers}
        return self.status, self.body


INTEG = {
    "type": "AWS", "uri": "arn:aws:apigateway:eu-west-1:dynamodb:action/ExecuteStatement",
    "credentials": "arn:aws:iam::123456789012:role/r", "passthroughBehavior": "NEVER",
    "requestTemplates": {"application/json": '#set($context.requestOverride.header.Op = "get-user"){"Statement": "x"}'},
    "integrationResponses": {
        "200": {"statusCode": "200", "responseTemplates": {"application/json":
            '#set($op = $context.requestOverride.header.Op)#if($op == "get-user")'
            '#set($context.responseOverride.status = 404)#set($context.responseOverride.header.X-Op = $op)#end'
            '{"op": "$op"}'}},
        "400": {"statusCode": "409", "selectionPattern": "4\\d{2}",
                "responseTemplates": {"application/json": '{"rejected": true}'}},
    },
}


def _run(transport, integ=INTEG):
    return RestExecutor(RestIntegrations(transport)).execute(rest_api(integ), "POST", "/v1",
                                                             {"content-type": "application/json"}, b"{}")


def test_request_override_reaches_the_service_and_the_response_template():
    t = FakeTransport()
    r = _run(t)
    assert t.sent["headers"] == {"Op": "get-user"} and t.sent["target"] == "DynamoDB_20120810.ExecuteStatement"
    assert r.response.status == 404 and json.loads(r.response.body) == {"op": "get-user"}
    assert r.response.headers["X-Op"] == "get-user"


def test_integration_response_chosen_by_selection_pattern():
    r = _run(FakeTransport(400, '{"__type": "ConditionalCheckFailedException"}'))
    assert r.response.status == 409 and json.loads(r.response.body) == {"rejected": True}


def test_no_matching_integration_response_is_500():
    integ = {**INTEG, "integrationResponses": {"400": INTEG["integrationResponses"]["400"]}}
    r = _run(FakeTransport(200), integ)
    assert r.response.status == 500 and json.loads(r.response.body) == {"message": "Internal server error"}
    assert r.error is not None and r.error.response_type == "API_CONFIGURATION_ERROR"


@pytest.mark.parametrize("uri", ["arn:aws:apigateway:eu-west-1:s3:path/bucket/key",
                                 "arn:aws:apigateway:eu-west-1:kinesis:action/PutRecord"])
def test_integrations_not_emulated_are_refused(uri):
    r = _run(FakeTransport(), {**INTEG, "uri": uri})
    assert r.response.status == 501
