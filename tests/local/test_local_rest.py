"""REST API (data API shape) in the local gateway, on resources created with boto3: VTL
request/response templates to DynamoDB, request validation against a model, integration
response selection, AWS_IAM gate, 403 for unknown paths."""

from __future__ import annotations

import json

import urllib.error

import pytest

from apigw_fixtures import TRUST_APIGW
from storefirst.local.emulator import ACCOUNT
from storefirst.local.gateway import Gateway
from storefirst.local.testing import call_json as call

PUT_TEMPLATE = """#set($d = $input.path('$.data'))
{"TableName": "resttest-users",
 "Item": {"pk": {"S": "$util.escapeJavaScript($d.id)"},
          "first_name": {"S": "$util.escapeJavaScript($d.first_name)"}},
 "ConditionExpression": "attribute_not_exists(pk)"}"""
GET_TEMPLATE = """{"TableName": "resttest-users", "Key": {"pk": {"S": "$util.escapeJavaScript($input.params('id'))"}}}"""
GET_RESPONSE = """#set($i = $input.path('$.Item'))
{"id": "$util.escapeJavaScript($i.pk.S)", "first_name": "$util.escapeJavaScript($i.first_name.S)"}"""


@pytest.fixture(scope="module")
def rest(emulator):
    e = emulator
    ddb, iam, v1 = e.client("dynamodb"), e.client("iam"), e.client("apigateway")
    ddb.create_table(TableName="resttest-users", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    role = iam.create_role(RoleName="resttest", AssumeRolePolicyDocument=json.dumps(TRUST_APIGW))["Role"]["Arn"]
    iam.put_role_policy(RoleName="resttest", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["dynamodb:PutItem", "dynamodb:GetItem"],
         "Resource": f"arn:aws:dynamodb:{e.region}:{ACCOUNT}:table/resttest-users"}]}))
    api = v1.create_rest_api(name="resttest")["id"]
    root = next(r["id"] for r in v1.get_resources(restApiId=api)["items"] if r["path"] == "/")
    users = v1.create_resource(restApiId=api, parentId=root, pathPart="users")["id"]
    one = v1.create_resource(restApiId=api, parentId=users, pathPart="{id}")["id"]
    v1.create_model(restApiId=api, name="Envelope", contentType="application/json", schema=json.dumps({
        "$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["operation", "data"],
        "properties": {"operation": {"enum": ["store-new-user"]},
                       "data": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}}))
    val = v1.create_request_validator(restApiId=api, name="all", validateRequestBody=True,
                                      validateRequestParameters=True)["id"]
    uri = f"arn:aws:apigateway:{e.region}:dynamodb:action/"
    v1.put_method(restApiId=api, resourceId=users, httpMethod="POST", authorizationType="NONE",
                  requestValidatorId=val, requestModels={"application/json": "Envelope"})
    v1.put_integration(restApiId=api, resourceId=users, httpMethod="POST", type="AWS", integrationHttpMethod="POST",
                       uri=uri + "PutItem", credentials=role, passthroughBehavior="NEVER",
                       requestTemplates={"application/json": PUT_TEMPLATE})
    v1.put_method(restApiId=api, resourceId=one, httpMethod="GET", authorizationType="AWS_IAM")
    v1.put_integration(restApiId=api, resourceId=one, httpMethod="GET", type="AWS", integrationHttpMethod="POST",
                       uri=uri + "GetItem", credentials=role, requestTemplates={"application/json": GET_TEMPLATE})
    for res, meth, tmpl in ((users, "POST", '{"stored": true}'), (one, "GET", GET_RESPONSE)):
        v1.put_method_response(restApiId=api, resourceId=res, httpMethod=meth, statusCode="200")
        v1.put_integration_response(restApiId=api, resourceId=res, httpMethod=meth, statusCode="200",
                                    responseTemplates={"application/json": tmpl})
        v1.put_method_response(restApiId=api, resourceId=res, httpMethod=meth, statusCode="409")
        v1.put_integration_response(restApiId=api, resourceId=res, httpMethod=meth, statusCode="409", selectionPattern="4\\d{2}",
                                    responseTemplates={"application/json": '{"message": "rejected"}'})
    # A deployed gateway response: substitution only, so the #if stays literal text.
    v1.put_gateway_response(restApiId=api, responseType="BAD_REQUEST_BODY", statusCode="422", responseTemplates={
        "application/json": '{"error":"ValidationError","detail":"$context.error.validationErrorString"}#if(1)x#end'})
    dep = v1.create_deployment(restApiId=api)["id"]
    v1.create_stage(restApiId=api, stageName="v1", deploymentId=dep)
    g = Gateway(e.client, None, e.region, ACCOUNT, emulator_url=e.url)
    urls = g.start()
    yield urls[api] + "/v1"
    g.stop()




SIGNED = {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIA/20260101/eu-west-1/execute-api/aws4_request, SignedHeaders=host, Signature=x"}


def test_store_then_read_back_through_vtl(rest):
    env = {"operation": "store-new-user", "data": {"id": "ABC123", "first_name": "Jo\"hn"}}
    assert call(rest + "/users", "POST", env) == (200, {"stored": True})
    assert call(rest + "/users/ABC123", headers=SIGNED) == (200, {"id": "ABC123", "first_name": "Jo\"hn"})
    # Second store of the same id: the condition fails (DynamoDB 400) -> the 4xx integration response.
    assert call(rest + "/users", "POST", env) == (409, {"message": "rejected"})


def test_request_validation_against_model_through_the_deployed_gateway_response(rest):
    import urllib.request

    req = urllib.request.Request(rest + "/users", data=json.dumps({"operation": "store-new-user"}).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req, timeout=10)
        raise AssertionError("expected 422")
    except urllib.error.HTTPError as e:
        assert e.code == 422
        assert e.read().decode() == '{"error":"ValidationError","detail":"[object has missing required properties ([\"data\"])]"}#if(1)x#end'


def test_iam_route_needs_sigv4_and_unknown_paths_are_403(rest):
    assert call(rest + "/users/ABC123") == (403, {"message": "Missing Authentication Token"})
    assert call(rest + "/nothing/here") == (403, {"message": "Missing Authentication Token"})
    assert call(rest.rsplit("/", 1)[0] + "/v9/users", "POST", {}) == (403, {"message": "Missing Authentication Token"})
