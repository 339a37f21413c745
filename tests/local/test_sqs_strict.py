"""The emulator's SQS refuses what SQS refuses, for every client (here boto3): empty
attribute values, bad attribute names, characters SQS does not accept, messages over the
queue's MaximumMessageSize (counted in bytes, attributes included)."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import ClientError


@pytest.fixture(scope="module")
def queue(emulator):
    sqs = emulator.client("sqs")
    return sqs, sqs.create_queue(QueueName=f"strict-{uuid.uuid4().hex[:6]}", Attributes={"MaximumMessageSize": "1024"})["QueueUrl"]


def _refused(sqs, url, **kw):
    with pytest.raises(ClientError) as err:
        sqs.send_message(QueueUrl=url, **{"MessageBody": "b", **kw})
    return err.value.response["Error"]


def test_empty_string_attribute_is_refused(queue):
    sqs, url = queue
    err = _refused(sqs, url, MessageAttributes={"signature": {"DataType": "String", "StringValue": ""}})
    assert err["Code"] == "InvalidParameterValue" and "must contain a non-empty value of type 'String'" in err["Message"]


@pytest.mark.parametrize("name", ["AWS.trace", "amazon.x", ".lead", "trail.", "a..b", "sp ace", "x" * 257])
def test_invalid_attribute_names_are_refused(queue, name):
    sqs, url = queue
    err = _refused(sqs, url, MessageAttributes={name: {"DataType": "String", "StringValue": "v"}})
    assert err["Code"] == "InvalidParameterValue"


def test_number_attribute_must_be_a_number(queue):
    sqs, url = queue
    assert _refused(sqs, url, MessageAttributes={"n": {"DataType": "Number", "StringValue": "abc"}})["Code"] == "InvalidParameterValue"
    sqs.send_message(QueueUrl=url, MessageBody="b", MessageAttributes={"n": {"DataType": "Number", "StringValue": "-1.5e3"}})


def test_more_than_ten_attributes_are_refused(queue):
    sqs, url = queue
    attrs = {f"a{i}": {"DataType": "String", "StringValue": "v"} for i in range(11)}
    assert _refused(sqs, url, MessageAttributes=attrs)["Code"] == "InvalidParameterValue"


@pytest.mark.parametrize("body", ["\x00", "a\x08b", "\ufffe"])
def test_characters_sqs_refuses_in_a_body(queue, body):
    sqs, url = queue
    assert _refused(sqs, url, MessageBody=body)["Code"] == "InvalidMessageContents"


def test_size_counts_bytes_and_attributes_against_the_queue_limit(queue):
    sqs, url = queue
    sqs.send_message(QueueUrl=url, MessageBody="x" * 1024)
    err = _refused(sqs, url, MessageBody="é" * 600)  # 600 characters, 1,200 bytes
    assert err["Code"] == "InvalidParameterValue" and "shorter than 1024 bytes" in err["Message"]
    err = _refused(sqs, url, MessageBody="x" * 1000, MessageAttributes={"k": {"DataType": "String", "StringValue": "v" * 30}})
    assert "shorter than 1024 bytes" in err["Message"]


def test_valid_message_passes_with_its_attributes(queue):
    sqs, url = queue
    sqs.send_message(QueueUrl=url, MessageBody="ok \t\n\r 😀", MessageAttributes={
        "trace.id-1_x": {"DataType": "String", "StringValue": "v"}, "b": {"DataType": "Binary", "BinaryValue": b"\x01"}})
