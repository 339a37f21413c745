"""The app's Express workflow for synchronous HTTP routes (envs/app/workflows/create_customer.asl.json).

moto 5.2.5 has no StartSyncExecution: the tests run the definition with StartExecution and
wait for the result, which exercises the same states. The 30 s bound of an HTTP API
integration is checked on the definition itself.
"""

from __future__ import annotations

import json
import time
import uuid

import boto3
import pytest
from moto import mock_aws

from storefirst.terraform import REPO
from workflow_asl import render, worst_case_seconds

ASL = REPO / "envs/app/workflows/create_customer.asl.json"
REGION = "eu-west-1"
HTTP_API_TIMEOUT = 30  # seconds, not raisable ("HTTP API quotas")


def test_fits_the_http_api_timeout():
    definition = render(ASL, {"customers_table": "customers"})
    assert definition["TimeoutSeconds"] < HTTP_API_TIMEOUT
    assert worst_case_seconds(definition) < HTTP_API_TIMEOUT
    assert not any(s["Type"] == "Wait" for s in definition["States"].values())


@pytest.fixture
def machine(plain_moto):
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        ddb = boto3.client("dynamodb", region_name=REGION)
        ddb.create_table(
            TableName="customers", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "customer_id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "customer_id", "AttributeType": "S"}],
        )
        sfn = boto3.client("stepfunctions", region_name=REGION)
        arn = sfn.create_state_machine(
            name="create-customer", type="EXPRESS", roleArn="arn:aws:iam::123456789012:role/x",
            definition=json.dumps(render(ASL, {"customers_table": "customers"})),
        )["stateMachineArn"]

        def run(payload: dict) -> dict:
            ex = sfn.start_execution(stateMachineArn=arn, name=uuid.uuid4().hex, input=json.dumps(payload))["executionArn"]
            deadline = time.monotonic() + 20
            while (desc := sfn.describe_execution(executionArn=ex))["status"] == "RUNNING":
                assert time.monotonic() < deadline
                time.sleep(0.05)
            return desc

        run.ddb = ddb
        yield run


def test_creates_and_answers(machine):
    desc = machine({"customer_id": "c-1", "email": "a@example.com"})
    assert desc["status"] == "SUCCEEDED", desc
    assert json.loads(desc["output"]) == {"customer_id": "c-1", "status": "CREATED"}
    item = machine.ddb.get_item(TableName="customers", Key={"customer_id": {"S": "c-1"}})["Item"]
    assert item["email"] == {"S": "a@example.com"}


@pytest.mark.parametrize("payload", [{"customer_id": "c-1"}, {"customer_id": "c-1", "email": "nope"}, {"email": "a@b"}])
def test_rejects_invalid_input_without_writing(machine, payload):
    desc = machine(payload)
    assert desc["status"] == "FAILED" and desc["error"] == "ValidationError"
    assert machine.ddb.scan(TableName="customers")["Count"] == 0


def test_duplicate_is_refused(machine):
    assert machine({"customer_id": "c-1", "email": "a@example.com"})["status"] == "SUCCEEDED"
    desc = machine({"customer_id": "c-1", "email": "b@example.com"})
    assert desc["status"] == "FAILED" and desc["error"] == "AlreadyExists"
    item = machine.ddb.get_item(TableName="customers", Key={"customer_id": {"S": "c-1"}})["Item"]
    assert item["email"] == {"S": "a@example.com"}
