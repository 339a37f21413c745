"""The data API's deployed gateway responses, applied as API Gateway applies them
(substitution, not VTL), on the shared REST executor against DynamoDB Local.

The gateway responses come from an offline plan of modules/data-api (exactly what Terraform
would deploy). Promise pinned (modules/data-api README): a bad envelope gets a JSON 400 that
names the problem, and never reaches DynamoDB.
"""

from __future__ import annotations

import json
import uuid

import pytest

from storefirst import catalog
from storefirst.data_api_local import LocalDataApi
from storefirst.terraform import REPO, Workdir, offline_copy

pytestmark = pytest.mark.terraform

USERS = REPO / "envs" / "catalogs" / "users.yaml"


@pytest.fixture(scope="module")
def gateway_responses(tmp_path_factory):
    copy = offline_copy(REPO / "tests" / "fixtures" / "data_api_plan", tmp_path_factory.mktemp("data-api-gr"))
    plan = Workdir(copy).plan()
    out = {}
    for gr in plan.after("aws_api_gateway_gateway_response"):
        out[gr["response_type"]] = {"statusCode": gr.get("status_code"), "responseTemplates": gr.get("response_templates") or {},
                                    "responseParameters": gr.get("response_parameters") or {}}
    assert "BAD_REQUEST_BODY" in out
    return out


@pytest.fixture()
def api(dynamodb_local, gateway_responses):
    import boto3

    table = "users_" + uuid.uuid4().hex[:8]
    boto3.client("dynamodb", endpoint_url=dynamodb_local.endpoint, region_name="eu-west-1",
                 aws_access_key_id="AKIDLOCAL", aws_secret_access_key="local-secret").create_table(
        TableName=table, BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    import dataclasses

    base = catalog.generate(USERS, "users")
    gen = dataclasses.replace(base, request_template=base.request_template.replace('\\"users\\"', '\\"%s\\"' % table))
    a = LocalDataApi(gen, dynamodb_local.endpoint, gateway_responses=gateway_responses)
    yield a
    a.close()


@pytest.mark.parametrize("envelope, named", [
    ({"operation": "drop-table", "data": {}}, "drop-table"),
    ({"operation": "get-user"}, "data"),
    ({"operation": "store-new-user", "data": {"id": "it's", "first_name": "J", "last_name": "D", "email": "e",
                                              "is_admin": True}}, "is_admin"),
])
def test_bad_envelope_is_a_json_400_naming_the_problem(api, envelope, named):
    """The body is JSON for any validator message (which holds `"`, so it cannot be substituted
    into a JSON string on AWS): it names the error, the contract (the catalog's operations) and
    the request id; the validator's exact message (naming the field) is what the stage access
    log records as validationError for that request id (modules/data-api README)."""
    r = api.handle(envelope)
    assert r.status == 400 and r.integration_status is None
    assert isinstance(r.body, dict), f"not JSON on AWS (gateway responses are not VTL): {r.raw}"
    assert r.body["error"] == "ValidationError" and r.body["request_id"], r.raw
    assert "store-new-user" in r.body["operations"], r.raw
    assert named in (r.validation_error or ""), r.validation_error


def test_throttled_and_other_gateway_errors_are_json(api, gateway_responses):
    from storefirst.local.apigw.core import MissingAuthenticationToken, Throttled
    from storefirst.local.apigw.rest import gateway_responses as gr

    for err in (Throttled(), MissingAuthenticationToken()):
        resp = gr.render(gateway_responses, err, {"requestId": "r-1"}, {}, {})
        body = json.loads(resp.body)
        assert resp.status == err.rest_status and body["request_id"] == "r-1", body
