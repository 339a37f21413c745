"""REST step integrate against the embedded emulator: generic (service, action) AWS
integrations (DynamoDB, Step Functions StartSyncExecution, SQS), the credentials role assumed
as API Gateway assumes it, identity policies checked."""

from __future__ import annotations

import json
import uuid

import pytest

from apigw_fixtures import TRUST_APIGW, rest_api, trust
from storefirst.local.apigw.iam import Policies
from storefirst.local.apigw.rest.executor import RestExecutor
from storefirst.local.apigw.rest.integrate import EmulatorTransport, RestIntegrations, dynamodb_authz
from storefirst.local.emulator import ACCOUNT

TRUST_STATES = trust("states.amazonaws.com", condition={"StringEquals": {"aws:SourceAccount": ACCOUNT},
                                                        "ArnLike": {"aws:SourceArn": f"arn:aws:states:*:{ACCOUNT}:stateMachine:*"}})

# A sync workflow behind a REST API: the response template maps the execution's status.
SYNC_REQUEST = '{"stateMachineArn": "$stageVariables.sm", "input": "$util.escapeJavaScript($input.json(\'$\'))"}'
SYNC_RESPONSE = ('#set($b = $input.path(\'$\'))#if($b.status != "SUCCEEDED")'
                 '#set($context.responseOverride.status = 502){"error": "$b.error", "status": "$b.status"}'
                 '#else$b.output#end')


class Shipper:
    def __init__(self):
        self.lines = []

    def put(self, group, message, stream="x"):
        self.lines.append(message)


@pytest.fixture(scope="module")
def env(emulator):
    iam, sfn = emulator.client("iam"), emulator.client("stepfunctions")
    sfx = uuid.uuid4().hex[:6]
    sm_role = iam.create_role(RoleName=f"rest-sm-{sfx}", AssumeRolePolicyDocument=json.dumps(TRUST_STATES))["Role"]["Arn"]
    ok = sfn.create_state_machine(name=f"rest-ok-{sfx}", roleArn=sm_role, type="EXPRESS", definition=json.dumps(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"done": True}, "End": True}}}))["stateMachineArn"]
    bad = sfn.create_state_machine(name=f"rest-bad-{sfx}", roleArn=sm_role, type="EXPRESS", definition=json.dumps(
        {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Customer.Invalid", "Cause": "no email"}}}))["stateMachineArn"]
    standard = sfn.create_state_machine(name=f"rest-std-{sfx}", roleArn=sm_role, definition=json.dumps(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))["stateMachineArn"]
    allow = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "states:StartSyncExecution", "Resource": [ok, bad, standard]}]})
    roles = {}
    for name, doc in (("ok", TRUST_APIGW), ("source-arn", trust("apigateway.amazonaws.com", condition={
            "ArnLike": {"aws:SourceArn": f"arn:aws:execute-api:eu-west-1:{ACCOUNT}:r1/*"}}))):
        rn = f"rest-int-{name}-{sfx}"
        roles[name] = iam.create_role(RoleName=rn, AssumeRolePolicyDocument=json.dumps(doc))["Role"]["Arn"]
        iam.put_role_policy(RoleName=rn, PolicyName="p", PolicyDocument=allow)
    roles["no-policy"] = iam.create_role(RoleName=f"rest-int-none-{sfx}", AssumeRolePolicyDocument=json.dumps(TRUST_APIGW))["Role"]["Arn"]
    return {"ok": ok, "bad": bad, "standard": standard, "roles": roles}


def _call(emulator, role, sm, body=b'{"email": "a@b"}'):
    integ = {"type": "AWS", "uri": "arn:aws:apigateway:eu-west-1:states:action/StartSyncExecution", "credentials": role,
             "passthroughBehavior": "NEVER", "requestTemplates": {"application/json": SYNC_REQUEST},
             "integrationResponses": {"200": {"statusCode": "200", "responseTemplates": {"application/json": SYNC_RESPONSE}},
                                      "4xx": {"statusCode": "500", "selectionPattern": "4\\d{2}",
                                              "responseTemplates": {"application/json": '{"error": "InternalError"}'}}}}
    api = rest_api(integ, stage_vars={"sm": sm})
    api.stages["v1"]["accessLogSettings"] = {"destinationArn": "arn:aws:logs:eu-west-1:1:log-group:/rest",
                                             "format": '{"status":"$context.status","err":"$context.integrationErrorMessage"}'}
    shipper = Shipper()
    ex = RestExecutor(RestIntegrations(EmulatorTransport(emulator.url, emulator.region), Policies(emulator.client),
                                       emulator.client), shipper)
    r = ex.execute(api, "POST", "/v1", {"content-type": "application/json"}, body)
    return r, json.loads(shipper.lines[-1])


def test_start_sync_execution_succeeded(emulator, env):
    r, _ = _call(emulator, env["roles"]["ok"], env["ok"])
    assert r.request.integration_status == "200"
    assert (r.response.status, json.loads(r.response.body)) == (200, {"done": True})


def test_failed_execution_is_200_from_the_service_and_mapped_by_the_template(emulator, env):
    r, _ = _call(emulator, env["roles"]["ok"], env["bad"])
    assert r.request.integration_status == "200"                       # AWS: 200 with status FAILED
    assert json.loads(r.request.integration_body)["status"] == "FAILED"
    assert r.response.status == 502 and json.loads(r.response.body) == {"error": "Customer.Invalid", "status": "FAILED"}


def test_standard_state_machine_is_refused_by_start_sync_execution(emulator, env):
    r, _ = _call(emulator, env["roles"]["ok"], env["standard"])
    assert r.request.integration_status == "400"
    assert json.loads(r.request.integration_body)["__type"] == "StateMachineTypeNotSupported"


def test_role_without_the_action_gets_access_denied_from_the_service(emulator, env):
    r, _ = _call(emulator, env["roles"]["no-policy"], env["ok"])
    assert r.request.integration_status == "400" and "AccessDenied" in r.request.integration_body
    assert r.response.status == 500


def test_trust_condition_api_gateway_cannot_satisfy_is_500_with_the_reason_logged(emulator, env):
    r, line = _call(emulator, env["roles"]["source-arn"], env["ok"])
    assert r.request.integration_status is None                        # the service was never called
    assert (r.response.status, json.loads(r.response.body)) == (500, {"message": "Internal server error"})
    assert "does not have permission to assume the provided role" in line["err"] and line["status"] == "500"


@pytest.mark.parametrize("statement, action, resource", [
    ('INSERT INTO "users" VALUE {\'pk\': ?}', "dynamodb:PartiQLInsert", "table/users"),
    ('SELECT * FROM "users" WHERE pk = ?', "dynamodb:PartiQLSelect", "table/users"),
    ('SELECT * FROM "users"."gsi1" WHERE last_name = ?', "dynamodb:PartiQLSelect", "table/users/index/gsi1"),
    ('SELECT "id", "email" FROM "users" WHERE "pk" = ?', "dynamodb:PartiQLSelect", "table/users"),
    ('UPDATE "users" SET email = ? WHERE pk = ?', "dynamodb:PartiQLUpdate", "table/users"),
    ('DELETE FROM "users" WHERE pk = ?', "dynamodb:PartiQLDelete", "table/users"),
])
def test_execute_statement_is_authorized_as_its_partiql_action(statement, action, resource):
    got = dynamodb_authz("ExecuteStatement", json.dumps({"Statement": statement}), "eu-west-1", "123456789012")
    assert got == (action, f"arn:aws:dynamodb:eu-west-1:123456789012:{resource}")
    assert dynamodb_authz("PutItem", '{"TableName": "t"}', "eu-west-1", "1")[0] == "dynamodb:PutItem"


def test_sqs_send_message_action_through_the_emulator(emulator):
    """`arn:aws:apigateway:<region>:sqs:action/SendMessage` with a JSON body: authorized as
    sqs:SendMessage on the queue named by QueueUrl; SQS's own validation applies."""
    iam, sqs = emulator.client("iam"), emulator.client("sqs")
    sfx = uuid.uuid4().hex[:6]
    url = sqs.create_queue(QueueName=f"rest-sqs-{sfx}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    role = iam.create_role(RoleName=f"rest-sqs-{sfx}", AssumeRolePolicyDocument=json.dumps(TRUST_APIGW))["Role"]["Arn"]
    iam.put_role_policy(RoleName=f"rest-sqs-{sfx}", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": arn}]}))
    template = ('{"QueueUrl": "%s", "MessageBody": "$util.escapeJavaScript($input.body)", "MessageAttributes": '
                '{"sig": {"DataType": "String", "StringValue": "$util.escapeJavaScript($input.params(\'X-Sig\'))"}}}' % url)
    integ = {"type": "AWS", "uri": "arn:aws:apigateway:eu-west-1:sqs:action/SendMessage", "credentials": role,
             "requestTemplates": {"application/json": template},
             "integrationResponses": {"200": {"statusCode": "200", "responseTemplates": {"application/json": '{"queued": true}'}},
                                      "4xx": {"statusCode": "400", "selectionPattern": "4\\d{2}",
                                              "responseTemplates": {"application/json": '{"refused": true}'}}}}
    ex = RestExecutor(RestIntegrations(EmulatorTransport(emulator.url, emulator.region), Policies(emulator.client), emulator.client))
    r = ex.execute(rest_api(integ), "POST", "/v1", {"content-type": "application/json", "x-sig": "s1"}, b'{"a": 1}')
    assert (r.response.status, json.loads(r.response.body)) == (200, {"queued": True}), r.request.integration_body
    got = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"])["Messages"][0]
    assert json.loads(got["Body"]) == {"a": 1} and got["MessageAttributes"]["sig"]["StringValue"] == "s1"
    r = ex.execute(rest_api(integ), "POST", "/v1", {"content-type": "application/json"}, b'{"a": 1}')  # no X-Sig: empty value
    assert r.request.integration_status == "400" and "non-empty" in r.request.integration_body
    assert json.loads(r.response.body) == {"refused": True}
