"""Unit tests of the local stack's pieces that need no Terraform: partial batch
responses, the emulator shims, logs. (Gateway steps: tests/test_apigw_*.py.)"""

from __future__ import annotations

import json

import pytest

from storefirst.local import esm


def _msg(i, **attrs):
    return {"MessageId": f"m{i}", "ReceiptHandle": f"r{i}", "Body": f"b{i}", "MD5OfBody": "x",
            "Attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1", "SenderId": "S",
                           "ApproximateFirstReceiveTimestamp": "2", **attrs},
            "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}, "MD5OfMessageAttributes": "y"}


def test_sqs_record_matches_lambda_event_shape():
    rec = esm.sqs_record(_msg(1, MessageGroupId="g"), "arn:aws:sqs:eu-west-1:1:q", "eu-west-1")
    assert set(rec) == {"messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody",
                        "md5OfMessageAttributes", "eventSource", "eventSourceARN", "awsRegion"}
    assert rec["eventSource"] == "aws:sqs" and rec["attributes"]["MessageGroupId"] == "g"
    assert rec["messageAttributes"]["k"] == {"stringValue": "v", "stringListValues": [], "binaryListValues": [],
                                             "dataType": "String"}


def test_partial_batch_response_rules():
    batch = [_msg(i) for i in range(3)]
    ids = lambda ms: [m["MessageId"] for m in ms]  # noqa: E731
    assert ids(esm.succeeded(batch, {"batchItemFailures": [{"itemIdentifier": "m1"}]}, True)) == ["m0", "m2"]
    assert ids(esm.succeeded(batch, {"batchItemFailures": []}, True)) == ["m0", "m1", "m2"]
    assert ids(esm.succeeded(batch, None, True)) == ["m0", "m1", "m2"]
    assert esm.succeeded(batch, {"batchItemFailures": [{"itemIdentifier": "nope"}]}, True) == []
    assert esm.succeeded(batch, {"batchItemFailures": [{"itemIdentifier": ""}]}, True) == []
    assert esm.succeeded(batch, "garbage", True) == []
    # Without ReportBatchItemFailures a successful invocation deletes the whole batch.
    assert ids(esm.succeeded(batch, {"batchItemFailures": [{"itemIdentifier": "m1"}]}, False)) == ["m0", "m1", "m2"]


def test_emulator_shims():
    from storefirst.local.emulator import Emulator

    with Emulator() as emu:
        sfn = emu.client("stepfunctions")
        ok = sfn.validate_state_machine_definition(definition=json.dumps(
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}))
        assert ok["result"] == "OK" and ok["diagnostics"] == []
        assert sfn.validate_state_machine_definition(definition="{")["result"] == "FAIL"
        # moto's synchronous SQS -> Lambda delivery is off: a mapping exists but SendMessage
        # leaves the message in the queue for storefirst.local.esm.
        sqs, lam, iam = emu.client("sqs"), emu.client("lambda"), emu.client("iam")
        q = sqs.create_queue(QueueName="shim")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        role = iam.create_role(RoleName="shim", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
        import io
        import zipfile

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("h.py", "def handler(e, c):\n    raise SystemExit(1)\n")
        lam.create_function(FunctionName="shim", Runtime="python3.12", Role=role, Handler="h.handler",
                            Code={"ZipFile": buf.getvalue()})
        lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="shim")
        assert lam.list_event_source_mappings()["EventSourceMappings"][0]["EventSourceArn"] == arn
        sqs.send_message(QueueUrl=q, MessageBody="stays")
        got = sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=10)["Messages"]
        assert [m["Body"] for m in got] == ["stays"]


def test_emulator_returns_redrive_allow_policy():
    """aws_sqs_queue_redrive_allow_policy polls the attribute until it reads back."""
    import json as _json

    from storefirst.local.emulator import Emulator

    with Emulator() as emu:
        sqs = emu.client("sqs")
        url = sqs.create_queue(QueueName="dlq-allow")["QueueUrl"]
        policy = _json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": ["arn:aws:sqs:eu-west-1:123456789012:src"]})
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedriveAllowPolicy": policy})
        got = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedriveAllowPolicy"])["Attributes"]
        assert _json.loads(got["RedriveAllowPolicy"]) == _json.loads(policy)
        # setting one attribute keeps the others (moto used to drop the queue policy)
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": _json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "*",
                           "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})})
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedriveAllowPolicy": policy})
        got = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert "Policy" in got and "RedriveAllowPolicy" in got
        plain = sqs.create_queue(QueueName="plain")["QueueUrl"]
        assert "RedriveAllowPolicy" not in sqs.get_queue_attributes(QueueUrl=plain, AttributeNames=["All"])["Attributes"]


def test_resolve_url_maps_execute_api_origins_to_the_local_gateway():
    from storefirst.local.runtime import resolve_url

    m = {"https://abc123.execute-api.eu-west-1.amazonaws.com": "http://127.0.0.1:4000"}
    assert resolve_url("https://abc123.execute-api.eu-west-1.amazonaws.com/v1", m) == "http://127.0.0.1:4000/v1"
    assert resolve_url("https://abc123.execute-api.eu-west-1.amazonaws.com", m) == "http://127.0.0.1:4000"
    # Another API, a look-alike host and plain values pass unchanged.
    assert resolve_url("https://zzz.execute-api.eu-west-1.amazonaws.com/v1", m).startswith("https://zzz")
    assert resolve_url("https://abc123.execute-api.eu-west-1.amazonaws.com.evil/v1", m).startswith("https://")
    assert resolve_url("users-table", m) == "users-table"


def test_access_log_rendering_and_destination_group():
    from storefirst.local.cwlogs import group_of, render_access_log

    fmt = json.dumps({"requestId": "$context.requestId", "ua": "$context.identity.userAgent",
                      "err": "$context.error.message", "status": "$context.status"})
    line = json.loads(render_access_log(fmt, {"requestId": "r-1", "identity.userAgent": 'x "q" cid/r-1', "status": 200}))
    assert line == {"requestId": "r-1", "ua": 'x "q" cid/r-1', "err": "-", "status": "200"}
    assert render_access_log("$context.requestId $context.status", {"requestId": "r"}) == "r -"
    assert group_of("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigw/x:*") == "/aws/apigw/x"
    assert group_of("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigw/x") == "/aws/apigw/x"


def test_log_shipper_writes_to_the_group(emulator):
    from storefirst.local.cwlogs import LogShipper

    logs = emulator.client("logs")
    logs.create_log_group(logGroupName="/test/shipper")
    sh = LogShipper(lambda: emulator.client("logs"), flush_seconds=0.05)
    try:
        sh.put("/test/shipper", "hello cid/abc")
        sh.put("/test/missing-group", "dropped with a warning, not raised")
        assert sh.drain(5)
        msgs = [e["message"] for e in logs.filter_log_events(logGroupName="/test/shipper")["events"]]
        assert msgs == ["hello cid/abc"]
    finally:
        sh.stop()


def test_emulator_partiql_insert_with_parameters(emulator):
    """modules/data-api's INSERT with `?` parameters: stored once, a second INSERT of the same
    key is refused with DuplicateItemException (moto alone raises TypeError / overwrites)."""
    import botocore.exceptions

    from storefirst.local.partiql_shim import parse_insert

    assert parse_insert("INSERT INTO \"t\" VALUE {'pk': ?, 'n': 3, 's': 'it''s', 'b': true}", [{"S": "k"}]) == \
        ("t", {"pk": {"S": "k"}, "n": {"N": "3"}, "s": {"S": "it's"}, "b": {"BOOL": True}})
    assert parse_insert("INSERT INTO \"t\" VALUE {'pk': ?}", []) is None  # missing parameter
    assert parse_insert('SELECT * FROM "t"', []) is None
    ddb = emulator.client("dynamodb")
    ddb.create_table(TableName="units-partiql", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    stmt = "INSERT INTO \"units-partiql\" VALUE {'pk': ?, 'email': ?}"
    ddb.execute_statement(Statement=stmt, Parameters=[{"S": "u1"}, {"S": "a@example.com"}])
    assert ddb.get_item(TableName="units-partiql", Key={"pk": {"S": "u1"}})["Item"] == \
        {"pk": {"S": "u1"}, "email": {"S": "a@example.com"}}
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        ddb.execute_statement(Statement=stmt, Parameters=[{"S": "u1"}, {"S": "b@example.com"}])
    assert exc.value.response["Error"]["Code"] == "DuplicateItemException"
    assert ddb.get_item(TableName="units-partiql", Key={"pk": {"S": "u1"}})["Item"]["email"] == {"S": "a@example.com"}
    ddb.delete_table(TableName="units-partiql")


def test_emulator_partiql_select_update_delete_as_data_api_sends_them(emulator):
    import botocore.exceptions

    ddb = emulator.client("dynamodb")
    ddb.create_table(TableName="units-partiql2", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "ln", "AttributeType": "S"}],
                     GlobalSecondaryIndexes=[{"IndexName": "gsi1", "KeySchema": [{"AttributeName": "ln", "KeyType": "HASH"}],
                                              "Projection": {"ProjectionType": "ALL"}}])
    t = '"units-partiql2"'
    for i in range(3):
        ddb.put_item(TableName="units-partiql2", Item={"pk": {"S": f"U#{i}"}, "id": {"S": str(i)}, "ln": {"S": "Doe"}, "e": {"S": "x"}})
    got = ddb.execute_statement(Statement=f'SELECT "id", "e" FROM {t} WHERE "pk" = ?', Parameters=[{"S": "U#1"}])
    assert got["Items"] == [{"id": {"S": "1"}, "e": {"S": "x"}}]
    assert ddb.execute_statement(Statement=f'SELECT "id" FROM {t} WHERE "pk" = ?', Parameters=[{"S": "nope"}])["Items"] == []
    page = ddb.execute_statement(Statement=f'SELECT "id" FROM {t}."gsi1" WHERE "ln" = ?', Parameters=[{"S": "Doe"}], Limit=2)
    rest = ddb.execute_statement(Statement=f'SELECT "id" FROM {t}."gsi1" WHERE "ln" = ?', Parameters=[{"S": "Doe"}],
                                 Limit=2, NextToken=page["NextToken"])
    assert sorted(i["id"]["S"] for i in page["Items"] + rest["Items"]) == ["0", "1", "2"] and "NextToken" not in rest
    new = ddb.execute_statement(Statement=f'UPDATE {t} SET "e" = ? WHERE "pk" = ? RETURNING ALL NEW *',
                                Parameters=[{"S": "y"}, {"S": "U#1"}])["Items"]
    assert new[0]["e"] == {"S": "y"} and new[0]["id"] == {"S": "1"}
    with pytest.raises(botocore.exceptions.ClientError) as exc:  # missing item: no Item back
        ddb.execute_statement(Statement=f'UPDATE {t} SET "e" = ? WHERE "pk" = ? RETURNING ALL NEW *',
                              Parameters=[{"S": "y"}, {"S": "U#9"}], ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert exc.value.response["Error"]["Code"] == "ConditionalCheckFailedException" and "Item" not in exc.value.response
    with pytest.raises(botocore.exceptions.ClientError) as exc:  # mismatch: the old item back
        ddb.execute_statement(Statement=f'DELETE FROM {t} WHERE "pk" = ? AND "e" = ? RETURNING ALL OLD *',
                              Parameters=[{"S": "U#1"}, {"S": "zzz"}], ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert exc.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert exc.value.response["Item"]["e"] == {"S": "y"}
    old = ddb.execute_statement(Statement=f'DELETE FROM {t} WHERE "pk" = ? RETURNING ALL OLD *', Parameters=[{"S": "U#1"}])
    assert old["Items"][0]["id"] == {"S": "1"}
    assert "Item" not in ddb.get_item(TableName="units-partiql2", Key={"pk": {"S": "U#1"}})
    ddb.delete_table(TableName="units-partiql2")


