"""The embedded emulator's shims over moto, checked against the emulator itself: state machine
validation, no synchronous SQS -> Lambda delivery, RedriveAllowPolicy, LoggingConfig and
RedrivePolicy read back as written, PartiQL as data-api sends it."""

from __future__ import annotations

import json

import pytest


def _lambda_role_and_zip(iam, role_name: str, body: str) -> tuple[str, bytes]:
    """A role Lambda may assume and a zip whose h.handler runs `body`."""
    import io
    import zipfile

    role = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("h.py", f"def handler(e, c):\n    {body}\n")
    return role, buf.getvalue()


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
        role, code = _lambda_role_and_zip(iam, "shim", "raise SystemExit(1)")
        lam.create_function(FunctionName="shim", Runtime="python3.12", Role=role, Handler="h.handler",
                            Code={"ZipFile": code})
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


def test_emulator_reads_back_what_terraform_wrote_for_logging_and_redrive():
    """A Lambda function's LoggingConfig and a queue's RedrivePolicy read back as AWS returns
    them (emulator.py items 13-14); moto 5.2.5 dropped the first and spaced out the second, so
    every plan of envs/local showed updates."""
    from storefirst.local.emulator import Emulator

    with Emulator() as emu:
        sqs, lam, iam = emu.client("sqs"), emu.client("lambda"), emu.client("iam")
        dlq = sqs.create_queue(QueueName="rp-dlq")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sent = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5}, separators=(",", ":"))
        q = sqs.create_queue(QueueName="rp-main", Attributes={"RedrivePolicy": sent})["QueueUrl"]
        assert sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"] == sent

        role, code = _lambda_role_and_zip(iam, "logcfg", "return 1")
        lam.create_function(FunctionName="plain-logs", Runtime="python3.12", Role=role, Handler="h.handler",
                            Code={"ZipFile": code})
        assert lam.get_function_configuration(FunctionName="plain-logs")["LoggingConfig"] == {
            "LogFormat": "Text", "LogGroup": "/aws/lambda/plain-logs"}
        json_logs = {"LogFormat": "JSON", "ApplicationLogLevel": "INFO", "SystemLogLevel": "WARN", "LogGroup": "/aws/lambda/j"}
        lam.create_function(FunctionName="json-logs", Runtime="python3.12", Role=role, Handler="h.handler",
                            Code={"ZipFile": code}, LoggingConfig=json_logs)
        assert lam.get_function(FunctionName="json-logs")["Configuration"]["LoggingConfig"] == json_logs
        debug = {**json_logs, "ApplicationLogLevel": "DEBUG"}  # the provider sends the whole block
        lam.update_function_configuration(FunctionName="json-logs", LoggingConfig=debug)
        assert lam.get_function_configuration(FunctionName="json-logs")["LoggingConfig"] == debug


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
