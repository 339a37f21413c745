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


class _Sqs:
    def __init__(self):
        self.deleted = []

    def get_queue_url(self, **_):
        return {"QueueUrl": "http://q"}

    def delete_message_batch(self, QueueUrl, Entries):  # noqa: N803  (boto3's names)
        self.deleted += [e["ReceiptHandle"] for e in Entries]


class _Fn:
    def __init__(self, fail=False):
        self.fail = fail
        self.fn = type("F", (), {"name": "f"})()

    def invoke(self, event):
        if self.fail:
            raise esm.InvokeError({"errorType": "Boom", "errorMessage": "boom"})
        return {"batchItemFailures": []}


def test_each_batch_leaves_what_its_slot_spent_on_it_failed_or_not():
    mapping = {"UUID": "u", "EventSourceArn": "arn:aws:sqs:eu-west-1:123456789012:q", "FunctionArn": "f", "BatchSize": 5}
    fn = _Fn()
    runner = esm.SqsMappingRunner(mapping, _Sqs(), type("R", (), {"get": lambda self, _arn: fn})(), "eu-west-1")
    runner._slots = esm.threading.Semaphore(1)
    runner._slots.acquire()
    runner._run([_msg(i) for i in range(3)], 10.0, 10.5)
    (t,) = runner.stats.timings
    assert (t.asked, t.received, t.records) == (10.0, 10.5, 3) and t.done > t.received
    assert runner.stats.deleted == 3
    fn.fail = True
    runner._slots.acquire()  # released by the first _run: the slot is handed back either way
    runner._run([_msg(9)], 20.0, 20.1)
    # A failed invocation kept its slot busy too (its messages come back after the visibility timeout).
    assert [t.records for t in runner.stats.timings] == [3, 1] and runner.stats.failed_invocations == 1
    assert runner.stats.deleted == 3
