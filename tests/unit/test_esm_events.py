"""The SQS event source mapping's pieces that need no emulator (storefirst.local.esm): the
record shape a function receives and the partial batch response rules."""

from __future__ import annotations

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
