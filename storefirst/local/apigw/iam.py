"""IAM as the services evaluate it when they act with a role: the role's trust policy when
the service assumes it, then the role's identity policies for each call.

Trust: a service assumes a role only if a trust statement allows `sts:AssumeRole` for its
service principal and every condition holds against the request context *the service sends*.
A condition on a key the context lacks does not hold (IAM "Condition operators": a missing
key evaluates to false, except for `...IfExists` operators and `Null`). What each service
sends (docs/aws-behaviours.md has the pages):
- API Gateway assuming an integration credentials role: no aws:SourceArn / aws:SourceAccount
  (not documented as sent; aws-solutions-library-samples/accelerated-intelligent-document-
  processing-on-aws PR 479 found aws:SourceAccount absent on a live stack);
- Step Functions assuming a state machine's role: aws:SourceArn (the state machine) and
  aws:SourceAccount (Step Functions developer guide, cross-service confused deputy prevention);
- Lambda assuming an execution role: aws:SourceAccount only is assumed here (AWS's own sample
  trust policies use it; aws:SourceArn is not documented for execution roles).

Identity: inline and attached policies, Allow/Deny with wildcards on Action and Resource;
a statement's conditions are evaluated against the context of the call (e.g. kms:ViaService
when SQS calls KMS for the caller), so a condition on a key the call lacks does not hold.

KMS key policies (customer managed keys of queues): SQS calls KMS on the producer's behalf
(kms:GenerateDataKey and kms:Decrypt, "Configure SSE for a queue" / key management in the SQS
developer guide). The key policy must allow the producer's role - naming it, or naming the
account root, which delegates to the role's identity policies ("Key policies in AWS KMS",
KMS developer guide); the identity policy must allow it too unless the key policy names the role.
"""

from __future__ import annotations

import fnmatch
import json
import urllib.parse
from collections.abc import Callable
from typing import Any


class AssumeRoleDenied(Exception):
    pass


def _as_list(v: Any) -> list:
    return v if isinstance(v, list) else [] if v is None else [v]


def _doc(d: Any) -> dict:
    if isinstance(d, str):
        d = json.loads(urllib.parse.unquote(d)) if d.strip() else {}
    return d if isinstance(d, dict) else {}


def _match_value(op: str, have: str, want: str) -> bool:
    base = op.replace("IfExists", "")
    if base in ("StringEquals", "ArnEquals"):
        return have == want
    if base == "StringEqualsIgnoreCase":
        return have.lower() == want.lower()
    if base in ("StringLike", "ArnLike"):
        return fnmatch.fnmatchcase(have, want)
    if base in ("StringNotEquals", "ArnNotEquals"):
        return have != want
    if base in ("StringNotLike", "ArnNotLike"):
        return not fnmatch.fnmatchcase(have, want)
    if base == "Bool":
        return have.lower() == str(want).lower()
    raise ValueError(f"condition operator {op} is not evaluated locally")


def condition_holds(op: str, key: str, wanted: Any, context: dict[str, str]) -> bool:
    lookup = {k.lower(): v for k, v in context.items()}
    have = lookup.get(key.lower())
    wants = [str(w) for w in _as_list(wanted)]
    if op == "Null":
        return (have is None) == (str(wanted).lower() == "true")
    if have is None:
        return op.endswith("IfExists")
    negated = "Not" in op
    results = [_match_value(op, str(have), w) for w in wants]
    return all(results) if negated else any(results)


def statement_conditions_hold(stmt: dict, context: dict[str, str]) -> tuple[bool, str]:
    for op, keys in (stmt.get("Condition") or {}).items():
        for key, wanted in keys.items():
            if not condition_holds(op, key, wanted, context):
                return False, f"{op} {key} {wanted!r} (request context: {context.get(key, 'absent')})"
    return True, ""


def trust_allows(trust: Any, service: str, context: dict[str, str]) -> tuple[bool, str]:
    """(allowed, reason) for `service` (e.g. apigateway.amazonaws.com) assuming a role."""
    doc = _doc(trust)
    allowed, reason = False, f"no trust statement allows {service} to sts:AssumeRole"
    for st in _as_list(doc.get("Statement")):
        actions = [a.lower() for a in _as_list(st.get("Action"))]
        if not any(fnmatch.fnmatchcase("sts:assumerole", a) for a in actions):
            continue
        principal = st.get("Principal") or {}
        services = _as_list(principal.get("Service")) if isinstance(principal, dict) else []
        if principal != "*" and service not in services:
            continue
        ok, why = statement_conditions_hold(st, context)
        if st.get("Effect") == "Deny" and ok:
            return False, f"denied by a trust statement {st.get('Sid', '')}".strip()
        if st.get("Effect") == "Allow":
            if ok:
                allowed, reason = True, ""
            elif not allowed:
                reason = f"trust policy condition not satisfied: {why}"
    return allowed, reason


class Policies:
    """Reads roles from the emulator's IAM (cached) and answers the two questions above."""

    def __init__(self, client: Callable[[str], Any]):
        self.client = client
        self._stmts: dict[str, list[dict[str, Any]]] = {}
        self._trust: dict[str, Any] = {}

    def _role_name(self, role_arn: str) -> str:
        return role_arn.rsplit("/", 1)[-1]

    def trust_policy(self, role_arn: str) -> Any:
        if role_arn not in self._trust:
            role = self.client("iam").get_role(RoleName=self._role_name(role_arn))["Role"]
            self._trust[role_arn] = role.get("AssumeRolePolicyDocument") or {}
        return self._trust[role_arn]

    def assume(self, role_arn: str | None, service: str, context: dict[str, str] | None = None) -> None:
        """Raise AssumeRoleDenied with the reason AWS's execution log would give."""
        if not role_arn:
            raise AssumeRoleDenied("no role")
        try:
            trust = self.trust_policy(role_arn)
        except Exception as exc:  # role does not exist
            raise AssumeRoleDenied(f"{role_arn}: {exc}") from None
        ok, reason = trust_allows(trust, service, context or {})
        if not ok:
            raise AssumeRoleDenied(
                f"{service} does not have permission to assume the provided role {role_arn}: {reason}"
            )

    def role_statements(self, role_arn: str) -> list[dict[str, Any]]:
        if role_arn not in self._stmts:
            iam = self.client("iam")
            name = self._role_name(role_arn)
            docs = [
                iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]
                for p in iam.list_role_policies(RoleName=name).get("PolicyNames", [])
            ]
            for att in iam.list_attached_role_policies(RoleName=name).get("AttachedPolicies", []):
                pol = iam.get_policy(PolicyArn=att["PolicyArn"])["Policy"]
                docs.append(
                    iam.get_policy_version(PolicyArn=att["PolicyArn"], VersionId=pol["DefaultVersionId"])[
                        "PolicyVersion"
                    ]["Document"]
                )
            stmts: list[dict[str, Any]] = []
            for d in docs:
                stmts += _as_list(_doc(d).get("Statement"))
            self._stmts[role_arn] = stmts
        return self._stmts[role_arn]

    def allowed(self, role_arn: str | None, action: str, resource: str, context: dict[str, str] | None = None) -> bool:
        if not role_arn:
            return False
        return _evaluate(self.role_statements(role_arn), action, resource, context or {})

    def key_policy(self, key_arn: str) -> dict:
        if key_arn not in self._trust:
            self._trust[key_arn] = _doc(
                self.client("kms").get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"]
            )
        return self._trust[key_arn]

    def kms_allows(self, role_arn: str, key_arn: str, action: str, context: dict[str, str]) -> tuple[bool, str]:
        """(allowed, reason) for `role_arn` using `key_arn` through a service (context holds
        kms:ViaService / kms:CallerAccount)."""
        account = key_arn.split(":")[4] if key_arn.count(":") >= 5 else ""
        root = f"arn:aws:iam::{account}:root"
        named = delegated = False
        for st in _as_list(self.key_policy(key_arn).get("Statement")):
            principal = st.get("Principal") or {}
            aws = (
                _as_list(principal.get("AWS"))
                if isinstance(principal, dict)
                else ([principal] if principal == "*" else [])
            )
            acts = _as_list(st.get("Action"))
            if not any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in acts):
                continue
            if not statement_conditions_hold(st, context)[0]:
                continue
            who = {"role": role_arn in aws or "*" in aws, "root": root in aws or account in aws}
            if st.get("Effect") == "Deny" and (who["role"] or who["root"]):
                return False, f"the key policy of {key_arn} denies {action}"
            if st.get("Effect") == "Allow":
                named = named or who["role"]
                delegated = delegated or who["root"]
        if named:
            return True, ""
        if delegated and self.allowed(role_arn, action, key_arn, context):
            return True, ""
        if delegated:
            return False, f"{role_arn} has no identity policy allowing {action} on {key_arn}"
        return False, f"the key policy of {key_arn} does not allow {role_arn} to {action}"


def _evaluate(statements: list[dict[str, Any]], action: str, resource: str, context: dict[str, str]) -> bool:
    allow = False
    for st in statements:
        acts, res = _as_list(st.get("Action")), _as_list(st.get("Resource"))
        if not (
            any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in acts)
            and any(fnmatch.fnmatchcase(resource, r) for r in res)
        ):
            continue
        if not statement_conditions_hold(st, context)[0]:
            continue
        if st.get("Effect") == "Deny":
            return False
        allow = True
    return allow


# The request context each service provides when it assumes a role (see the module docstring).
def apigateway_context() -> dict[str, str]:
    return {}


def states_context(state_machine_arn: str, account: str) -> dict[str, str]:
    return {"aws:SourceArn": state_machine_arn, "aws:SourceAccount": account}


def lambda_context(account: str) -> dict[str, str]:
    return {"aws:SourceAccount": account}
