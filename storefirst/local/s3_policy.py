"""Bucket policies evaluated with their conditions (moto 5.2.5 ignores a statement's
Condition, so the modules' TLS-only Deny - `aws:SecureTransport = false` - denied every
object request to the emulator).

Every client of the local stack stands in for an AWS client, which reaches S3 over TLS (AWS
SDKs and API Gateway's S3 integration use HTTPS endpoints), so a request is evaluated with
aws:SecureTransport = true, and the Deny applies exactly when AWS would apply it: never for
these clients. Statements match on Action and Resource with wildcards; conditions use the
operators of storefirst.local.apigw.iam. An explicit Deny wins, then an Allow; else neutral
(IAM decides, which moto does not check for S3 here: a gap).
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any

from .apigw.iam import _as_list, statement_conditions_hold

TLS_CONTEXT = {"aws:SecureTransport": "true"}


def permission(policy_text: str, action: str, resource: str) -> str:
    doc = json.loads(policy_text or "{}")
    result = "NEUTRAL"
    for st in _as_list(doc.get("Statement")):
        if not any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in _as_list(st.get("Action"))):
            continue
        if not any(fnmatch.fnmatchcase(resource, r) for r in _as_list(st.get("Resource"))):
            continue
        if not statement_conditions_hold(st, TLS_CONTEXT)[0]:
            continue
        if st.get("Effect") == "Deny":
            return "DENIED"
        if st.get("Effect") == "Allow":
            result = "PERMITTED"
    return result


def patch() -> None:
    from moto.iam.access_control import PermissionResult
    from moto.s3.models import FakeBucket

    def get_permission(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        text = self.policy.decode() if isinstance(self.policy, bytes) else str(self.policy)
        return getattr(PermissionResult, permission(text, action, resource))

    FakeBucket.get_permission = get_permission  # type: ignore[method-assign]  # the shim patches moto
