"""REST API stage logging needs the account's CloudWatch Logs role, on the emulator as on AWS
(storefirst.local.stage_logging; docs/aws-behaviours.md)."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from storefirst.local.stage_logging import MESSAGE, enables_logging

# A fresh account of the shared emulator: the session's default account may already carry the
# role (envs/local and the claim-check fixture set it), as a real account may.
FRESH_ACCOUNT = "210987654321"

ACCESS_LOGS = [
    {
        "op": "replace",
        "path": "/accessLogSettings/destinationArn",
        "value": "arn:aws:logs:eu-west-1:210987654321:log-group:access",
    },
    {"op": "replace", "path": "/accessLogSettings/format", "value": '{"requestId":"$context.requestId"}'},
]
EXECUTION_LOGS = [{"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"}]


@pytest.mark.parametrize(
    ("operations", "enabled"),
    [
        (ACCESS_LOGS, True),
        (EXECUTION_LOGS, True),
        ([{"op": "replace", "path": "/~1users/POST/logging/loglevel", "value": "info"}], True),
        ([{"op": "replace", "path": "/*/*/logging/loglevel", "value": "OFF"}], False),
        ([{"op": "remove", "path": "/accessLogSettings"}], False),
        ([{"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "5"}], False),
        ([{"op": "replace", "path": "/accessLogSettings/destinationArn", "value": ""}], False),
        (None, False),
    ],
)
def test_which_stage_updates_turn_logging_on(operations, enabled):
    assert enables_logging(operations) is enabled


def _in_account(client, account: str):
    """The client (a fresh one, not the emulator's cached client) talks to another account."""
    client.meta.events.register(
        "before-send.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account)
    )
    return client


def test_stage_logging_is_refused_until_the_account_names_a_cloudwatch_role(emulator):
    apigw = _in_account(emulator.client("apigateway", read_timeout=30), FRESH_ACCOUNT)
    iam = _in_account(emulator.client("iam", read_timeout=30), FRESH_ACCOUNT)
    api = apigw.create_rest_api(name="logs")["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    deployment = apigw.create_deployment(restApiId=api)["id"]
    apigw.create_stage(restApiId=api, stageName="v1", deploymentId=deployment)

    for operations in (ACCESS_LOGS, EXECUTION_LOGS):
        with pytest.raises(ClientError) as refused:
            apigw.update_stage(restApiId=api, stageName="v1", patchOperations=operations)
        error = refused.value.response["Error"]
        assert (error["Code"], error["Message"]) == ("BadRequestException", MESSAGE)
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # Settings that write no logs are not refused.
    apigw.update_stage(
        restApiId=api,
        stageName="v1",
        patchOperations=[{"op": "replace", "path": "/*/*/logging/loglevel", "value": "OFF"}],
    )

    role = iam.create_role(
        RoleName="apigw-cloudwatch",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "apigateway.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]["Arn"]
    apigw.update_account(patchOperations=[{"op": "replace", "path": "/cloudwatchRoleArn", "value": role}])
    stage = apigw.update_stage(restApiId=api, stageName="v1", patchOperations=ACCESS_LOGS + EXECUTION_LOGS)
    assert stage["accessLogSettings"]["destinationArn"].endswith(":log-group:access")
