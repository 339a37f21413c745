"""S3 event notifications to SQS as S3 delivers them (moto 5.2.5 sends them, but checks nothing).

- PutBucketNotificationConfiguration validates every queue destination: the queue's policy
  must let s3.amazonaws.com sqs:SendMessage with the context S3 sends, else S3 refuses the
  whole configuration with InvalidArgument "Unable to validate the following destination
  configurations" (S3 user guide, "Granting permissions to publish event notification
  messages to a destination" and the "Walkthrough: Configuring a bucket for notifications").
  Then S3 sends each queue an `s3:TestEvent` message ("Event message structure").
- Each event is delivered only while the queue policy still allows it (AWS drops a delivery
  it is not allowed to make; nothing reaches the queue).
The context S3 sends: aws:SourceArn = the bucket ARN, aws:SourceAccount = the bucket owner
(both keys in the S3 page's example queue policy).
Gap: moto's event record lacks userIdentity, requestParameters, responseElements, sequencer;
the worker reads only bucket, key and size.
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from typing import Any

from .resource_policy import queue_allows

S3 = "s3.amazonaws.com"


def _context(bucket_name: str, account: str) -> dict[str, str]:
    return {"aws:SourceArn": f"arn:aws:s3:::{bucket_name}", "aws:SourceAccount": account}


def _queue_parts(arn: str) -> tuple[str, str, str]:
    parts = arn.split(":")
    return parts[3], parts[4], parts[5]  # region, account, name


def patch() -> None:
    from moto.s3 import notifications
    from moto.s3.exceptions import S3ClientError
    from moto.s3.models import S3Backend
    from moto.sqs.models import sqs_backends

    original_send = notifications._send_sqs_message

    def send_sqs_message(account_id: str, event_body: Any, queue_name: str, region_name: str) -> None:
        try:
            bucket = event_body["Records"][0]["s3"]["bucket"]["name"]
        except (KeyError, IndexError, TypeError):
            return
        if queue_allows(account_id, region_name, queue_name, S3, _context(bucket, account_id))[0]:
            original_send(account_id, event_body, queue_name, region_name)

    notifications._send_sqs_message = send_sqs_message

    original_put = S3Backend.put_bucket_notification_configuration

    def put_bucket_notification_configuration(self: Any, bucket_name: str, notification_config: dict[str, Any]) -> None:
        configs = notification_config.get("QueueConfiguration") or []
        queues = [q["Queue"] for q in (configs if isinstance(configs, list) else [configs])]
        refused = {}
        for arn in queues:
            region, account, name = _queue_parts(arn)
            ok, reason = queue_allows(account, region, name, S3, _context(bucket_name, self.account_id))
            if not ok:
                refused[arn] = reason
        if refused:
            raise S3ClientError(
                "InvalidArgument",
                "Unable to validate the following destination configurations: "
                + "; ".join(f"{a}: {r}" for a, r in refused.items()),
            )
        original_put(self, bucket_name, notification_config)
        for arn in queues:
            region, account, name = _queue_parts(arn)
            test_event = {
                "Service": "Amazon S3",
                "Event": "s3:TestEvent",
                "Time": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
                "Bucket": bucket_name,
                "RequestId": uuid.uuid4().hex[:16].upper(),
                "HostId": uuid.uuid4().hex,
            }
            # asynchronous on AWS too: a failed test message does not fail the call
            with contextlib.suppress(Exception):
                sqs_backends[account][region].send_message(queue_name=name, message_body=json.dumps(test_event))

    S3Backend.put_bucket_notification_configuration = put_bucket_notification_configuration  # type: ignore[method-assign]  # the shim patches moto
