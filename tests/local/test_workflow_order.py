"""Execute the app's order saga (envs/app/workflows/order.asl.json) in moto.

moto's Step Functions runs JSONPath definitions when `stepfunctions.execute_state_machine`
is on, calling its own DynamoDB and SQS for the optimized integrations, so these tests run
the very definition Terraform deploys (rendered like templatefile()) against real tables.

What moto 5.2.5 does not do, and these tests therefore do not show:
- IAM: the execution role is not evaluated (least privilege is asserted on the plan instead,
  tests/terraform/test_workflow_module.py and the module's terraform tests);
- `$$.Execution.StartTime` fails inside a task's Parameters ("Object of type datetime is not
  JSON serializable"), so the sample stamps `$$.State.EnteredTime` instead;
- StartExecution without `name` gives every execution the id `...:execution:<sm>:None`:
  the tests always name executions (real Step Functions generates a UUID).
- Throttling errors cannot be provoked, so the DynamoDB retriers are not exercised; the
  SQS retrier (with its backoff) is, by pointing the workflow at a missing queue.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from storefirst.terraform import REPO
from workflow_asl import render

ASL = REPO / "envs/app/workflows/order.asl.json"
REGION = "eu-west-1"
ROLE = "arn:aws:iam::123456789012:role/order-sfn-role"


class Saga:
    """One moto account holding the sample's tables, queue and state machine."""

    def __init__(self, *, hold_seconds: int = 0, queue_url: str | None = None, stock: int = 5):
        self.ddb = boto3.client("dynamodb", region_name=REGION)
        self.sqs = boto3.client("sqs", region_name=REGION)
        self.sfn = boto3.client("stepfunctions", region_name=REGION)
        for table, key in (("orders", "order_id"), ("inventory", "sku")):
            self.ddb.create_table(
                TableName=table,
                KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
        self.ddb.put_item(TableName="inventory", Item={"sku": {"S": "sku-1"}, "available": {"N": str(stock)}})
        self.queue_url = self.sqs.create_queue(QueueName="fulfilment")["QueueUrl"]
        definition = render(ASL, {
            "orders_table": "orders",
            "inventory_table": "inventory",
            "fulfilment_queue_url": queue_url or self.queue_url,
            "hold_seconds": hold_seconds,
            "timeout_seconds": hold_seconds + 600,
        })
        self.arn = self.sfn.create_state_machine(
            name="order", definition=json.dumps(definition), roleArn=ROLE, type="STANDARD"
        )["stateMachineArn"]

    def start(self, order_id: str = "o-1", quantity: int = 2) -> str:
        return self.sfn.start_execution(
            stateMachineArn=self.arn,
            name=f"{order_id}-{uuid.uuid4().hex[:8]}",
            input=json.dumps({"order_id": order_id, "customer_id": "c-1", "sku": "sku-1", "quantity": quantity}),
        )["executionArn"]

    def wait(self, execution_arn: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            desc = self.sfn.describe_execution(executionArn=execution_arn)
            if desc["status"] != "RUNNING":
                return desc
            time.sleep(0.05)
        raise AssertionError(f"{execution_arn} still RUNNING after {timeout}s")

    def history(self, execution_arn: str) -> list[dict]:
        return self.sfn.get_execution_history(executionArn=execution_arn)["events"]

    def states_entered(self, execution_arn: str) -> list[str]:
        return [e["stateEnteredEventDetails"]["name"] for e in self.history(execution_arn) if "stateEnteredEventDetails" in e]

    def order(self, order_id: str = "o-1") -> dict | None:
        item = self.ddb.get_item(TableName="orders", Key={"order_id": {"S": order_id}}, ConsistentRead=True).get("Item")
        return {k: next(iter(v.values())) for k, v in item.items()} if item else None

    def available(self) -> int:
        item = self.ddb.get_item(TableName="inventory", Key={"sku": {"S": "sku-1"}}, ConsistentRead=True)["Item"]
        return int(item["available"]["N"])

    def messages(self) -> list[dict]:
        got = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in got]


@pytest.fixture
def aws(plain_moto):
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        yield


def test_happy_path_records_reserves_confirms_and_notifies(aws):
    saga = Saga()
    ex = saga.start()
    desc = saga.wait(ex)

    assert desc["status"] == "SUCCEEDED", desc
    assert json.loads(desc["output"]) == {"order_id": "o-1", "status": "CONFIRMED"}
    order = saga.order()
    assert order["status"] == "CONFIRMED"
    assert order["quantity"] == "2" and order["sku"] == "sku-1" and order["customer_id"] == "c-1"
    assert order["execution_id"] == ex
    assert saga.available() == 3
    assert saga.messages() == [{"order_id": "o-1", "sku": "sku-1", "quantity": 2, "execution_id": ex}]
    assert saga.states_entered(ex) == [
        "RecordOrder", "ReserveStock", "CoolingOff", "ConfirmOrder", "NotifyFulfilment", "OrderConfirmed",
    ]


def test_out_of_stock_cancels_the_order_without_releasing(aws):
    saga = Saga(stock=1)
    ex = saga.start(quantity=2)
    desc = saga.wait(ex)

    assert desc["status"] == "FAILED"
    assert desc["error"] == "OrderCancelled"
    assert desc["cause"] == "DynamoDB.ConditionalCheckFailedException"
    order = saga.order()
    assert order["status"] == "CANCELLED"
    assert order["cancel_reason"] == "DynamoDB.ConditionalCheckFailedException"
    assert saga.available() == 1
    entered = saga.states_entered(ex)
    assert "ReleaseStock" not in entered and entered[-2:] == ["CancelOrder", "OrderCancelled"]
    assert saga.messages() == []


def test_cancel_during_cooling_off_releases_stock_then_cancels(aws):
    saga = Saga(hold_seconds=3)
    ex = saga.start()
    # The customer cancels while the execution sits in the Wait state.
    deadline = time.monotonic() + 10
    while (saga.order() or {}).get("status") != "PENDING" or saga.available() != 3:
        assert time.monotonic() < deadline, "order was never recorded / stock never reserved"
        time.sleep(0.05)
    saga.ddb.update_item(
        TableName="orders", Key={"order_id": {"S": "o-1"}},
        UpdateExpression="SET #s = :r", ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":r": {"S": "CANCEL_REQUESTED"}},
    )
    desc = saga.wait(ex)

    assert desc["status"] == "FAILED" and desc["error"] == "OrderCancelled"
    assert saga.order()["status"] == "CANCELLED"
    assert saga.order()["cancel_reason"] == "DynamoDB.ConditionalCheckFailedException"
    assert saga.available() == 5, "compensation must give the reserved stock back"
    assert saga.states_entered(ex)[-4:] == ["ConfirmOrder", "ReleaseStock", "CancelOrder", "OrderCancelled"]
    assert saga.messages() == []


def test_fulfilment_failure_retries_with_backoff_then_compensates(aws):
    missing = f"https://sqs.{REGION}.amazonaws.com/123456789012/no-such-queue"
    saga = Saga(queue_url=missing)
    started = time.monotonic()
    ex = saga.start()
    desc = saga.wait(ex)
    elapsed = time.monotonic() - started

    assert desc["status"] == "FAILED" and desc["error"] == "OrderCancelled"
    events = saga.history(ex)
    sends = [e for e in events if e["type"] == "TaskScheduled" and e["taskScheduledEventDetails"]["resource"] == "sendMessage"]
    assert len(sends) == 3, "1 attempt + MaxAttempts 2 retries"
    # IntervalSeconds 1, BackoffRate 2: waits of 1 s then 2 s before the catch.
    assert elapsed >= 3.0, elapsed
    order = saga.order()
    assert order["status"] == "CANCELLED"
    assert order["cancel_reason"] in ("SQS.SdkClientException", "SQS.AmazonSQSException")
    assert saga.available() == 5
    assert saga.states_entered(ex)[-3:] == ["ReleaseStock", "CancelOrder", "OrderCancelled"]


def test_second_execution_for_same_order_fails_without_touching_it(aws):
    saga = Saga()
    first = saga.start()
    assert saga.wait(first)["status"] == "SUCCEEDED"

    second = saga.start()  # same order_id, another execution
    desc = saga.wait(second)

    assert desc["status"] == "FAILED" and desc["error"] == "OrderAlreadyExists"
    assert saga.order()["status"] == "CONFIRMED"
    assert saga.order()["execution_id"] == first
    assert saga.available() == 3, "the duplicate reserved nothing"
