"""EventBridge -> SQS targets as EventBridge delivers them (moto 5.2.5 sends to every SQS
target and checks nothing).

A rule's SQS target receives the event only when the queue's policy lets
events.amazonaws.com sqs:SendMessage with the context EventBridge sends: aws:SourceArn = the
rule's ARN ("Permissions for Amazon SQS" in "Using resource-based policies for Amazon
EventBridge", EventBridge user guide: the example queue policy conditions on the rule ARN).
A refused delivery is dropped, as on AWS, where it only shows in the rule's
FailedInvocations metric (or the target's DLQ, which is not emulated).
"""

from __future__ import annotations

from typing import Any

from .resource_policy import queue_allows

EVENTS = "events.amazonaws.com"


def patch() -> None:
    from moto.events.models import Rule

    original = Rule._send_to_sqs_queue

    def send_to_sqs_queue(self: Any, resource_id: str, event: dict[str, Any], group_id: str | None = None) -> None:
        ok, _reason = queue_allows(
            self.account_id,
            self.region_name,
            resource_id,
            EVENTS,
            {"aws:SourceArn": self.arn, "aws:SourceAccount": self.account_id},
        )
        if ok:
            original(self, resource_id, event, group_id)

    Rule._send_to_sqs_queue = send_to_sqs_queue  # type: ignore[method-assign]  # the shim patches moto
