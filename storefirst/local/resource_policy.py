"""Resource policies as a destination evaluates them when an AWS service delivers to it
(S3 event notifications and EventBridge rule targets sending to an SQS queue).

An Allow must name the service principal (or `*`), the action and the resource, and every
condition must hold against the context the service sends; an explicit Deny that matches
wins; no matching Allow (or no policy at all) refuses. Same-account service principals get no
access from IAM alone: the queue policy must grant it ("Granting permissions to publish event
notification messages to a destination", S3 user guide; "Permissions for Amazon SQS"
targets, EventBridge user guide). Condition operators as in storefirst.local.apigw.iam.
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any

from .apigw.iam import _as_list, statement_conditions_hold


def _principal_matches(principal: Any, service: str) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    return service in _as_list(principal.get("Service")) or "*" in _as_list(principal.get("AWS"))


def allows(
    policy: str | dict | None, service: str, action: str, resource: str, context: dict[str, str]
) -> tuple[bool, str]:
    """(allowed, reason) for `service` performing `action` on `resource`."""
    doc = json.loads(policy) if isinstance(policy, str) and policy.strip() else (policy or {})
    allowed, reason = False, f"no statement of the resource policy allows {service} to {action} on {resource}"
    for st in _as_list(doc.get("Statement") if isinstance(doc, dict) else None):
        acts = [a.lower() for a in _as_list(st.get("Action"))]
        if not any(fnmatch.fnmatchcase(action.lower(), a) for a in acts):
            continue
        if not any(fnmatch.fnmatchcase(resource, r) for r in _as_list(st.get("Resource"))):
            continue
        if not _principal_matches(st.get("Principal"), service):
            continue
        ok, why = statement_conditions_hold(st, context)
        if st.get("Effect") == "Deny" and ok:
            return False, f"denied by statement {st.get('Sid', '')}".strip()
        if st.get("Effect") == "Allow":
            if ok:
                allowed, reason = True, ""
            elif not allowed:
                reason = f"condition not satisfied: {why}"
    return allowed, reason


def queue_allows(account: str, region: str, queue_name: str, service: str, context: dict[str, str]) -> tuple[bool, str]:
    """Whether the queue's policy lets `service` SendMessage (TLS, as services deliver)."""
    from moto.sqs.models import sqs_backends

    try:
        queue = sqs_backends[account][region].get_queue(queue_name)
    except Exception:
        return False, f"queue {queue_name} does not exist"
    arn = f"arn:aws:sqs:{region}:{account}:{queue_name}"
    return allows(
        getattr(queue, "policy", None), service, "sqs:SendMessage", arn, {"aws:SecureTransport": "true", **context}
    )
