"""Trust policies evaluated as the services assume roles (storefirst.local.apigw.iam), and the
emulator refusing to create a function / state machine whose role the service cannot assume."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

import pytest
from botocore.exceptions import ClientError

from apigw_fixtures import trust
from storefirst.local.apigw.iam import apigateway_context, lambda_context, states_context, trust_allows

ACCOUNT = "123456789012"
SM = f"arn:aws:states:eu-west-1:{ACCOUNT}:stateMachine:orders"


@pytest.mark.parametrize("service, context, condition, allowed", [
    ("apigateway.amazonaws.com", apigateway_context(), None, True),
    ("apigateway.amazonaws.com", apigateway_context(), {"ArnLike": {"aws:SourceArn": "arn:aws:execute-api:*"}}, False),
    ("apigateway.amazonaws.com", apigateway_context(), {"StringEquals": {"aws:SourceAccount": ACCOUNT}}, False),
    ("apigateway.amazonaws.com", apigateway_context(), {"ArnLikeIfExists": {"aws:SourceArn": "arn:aws:execute-api:*"}}, True),
    ("states.amazonaws.com", states_context(SM, ACCOUNT), {"ArnLike": {"aws:SourceArn": f"arn:aws:states:*:{ACCOUNT}:stateMachine:*"}}, True),
    ("states.amazonaws.com", states_context(SM, ACCOUNT), {"StringEquals": {"aws:SourceAccount": "999999999999"}}, False),
    ("lambda.amazonaws.com", lambda_context(ACCOUNT), {"StringEquals": {"aws:SourceAccount": ACCOUNT}}, True),
    ("lambda.amazonaws.com", lambda_context(ACCOUNT), {"ArnLike": {"aws:SourceArn": "arn:aws:lambda:*"}}, False),
    ("lambda.amazonaws.com", lambda_context(ACCOUNT), {"Null": {"aws:SourceArn": "true"}}, True),
])
def test_trust_conditions_against_the_context_each_service_sends(service, context, condition, allowed):
    assert trust_allows(trust(service, condition=condition), service, context)[0] is allowed


def test_other_principal_or_deny_does_not_allow():
    assert trust_allows(trust("lambda.amazonaws.com"), "apigateway.amazonaws.com", {})[0] is False
    doc = trust("apigateway.amazonaws.com")
    doc["Statement"].append({"Effect": "Deny", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"})
    assert trust_allows(doc, "apigateway.amazonaws.com", {})[0] is False


def _zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("h.py", "def handler(e, c):\n    return e\n")
    return buf.getvalue()


def test_emulator_refuses_a_function_lambda_cannot_assume(emulator):
    iam, lam = emulator.client("iam"), emulator.client("lambda")
    sfx = uuid.uuid4().hex[:6]
    wrong = iam.create_role(RoleName=f"tr-l-{sfx}", AssumeRolePolicyDocument=json.dumps(trust("states.amazonaws.com")))["Role"]["Arn"]
    with pytest.raises(ClientError) as err:
        lam.create_function(FunctionName=f"tr-{sfx}", Runtime="python3.12", Role=wrong, Handler="h.handler", Code={"ZipFile": _zip()})
    assert err.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert "cannot be assumed by Lambda" in err.value.response["Error"]["Message"]
    right = iam.create_role(RoleName=f"tr-l2-{sfx}", AssumeRolePolicyDocument=json.dumps(trust("lambda.amazonaws.com")))["Role"]["Arn"]
    lam.create_function(FunctionName=f"tr-{sfx}", Runtime="python3.12", Role=right, Handler="h.handler", Code={"ZipFile": _zip()})


def test_emulator_refuses_a_state_machine_step_functions_cannot_assume(emulator):
    iam, sfn = emulator.client("iam"), emulator.client("stepfunctions")
    sfx = uuid.uuid4().hex[:6]
    cond = {"StringEquals": {"aws:SourceAccount": "999999999999"}}
    wrong = iam.create_role(RoleName=f"tr-s-{sfx}", AssumeRolePolicyDocument=json.dumps(trust("states.amazonaws.com", condition=cond)))["Role"]["Arn"]
    definition = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    with pytest.raises(ClientError) as err:
        sfn.create_state_machine(name=f"tr-{sfx}", roleArn=wrong, definition=definition)
    assert err.value.response["Error"]["Code"] == "AccessDeniedException"
    ok = {"ArnLike": {"aws:SourceArn": f"arn:aws:states:*:{ACCOUNT}:stateMachine:tr-*"}}
    right = iam.create_role(RoleName=f"tr-s2-{sfx}", AssumeRolePolicyDocument=json.dumps(trust("states.amazonaws.com", condition=ok)))["Role"]["Arn"]
    sfn.create_state_machine(name=f"tr-{sfx}", roleArn=right, definition=definition)


class _FakeIam:
    """Policies' view of IAM and KMS without an emulator."""

    def __init__(self, role_policy, key_policy):
        self.role_policy, self.key_policy = role_policy, key_policy

    def __call__(self, service):
        return self

    def list_role_policies(self, RoleName):  # noqa: N803
        return {"PolicyNames": ["p"]}

    def get_role_policy(self, RoleName, PolicyName):  # noqa: N803
        return {"PolicyDocument": self.role_policy}

    def list_attached_role_policies(self, RoleName):  # noqa: N803
        return {"AttachedPolicies": []}

    def get_key_policy(self, KeyId, PolicyName):  # noqa: N803
        return {"Policy": json.dumps(self.key_policy)}


KEY = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/k1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/producer"
VIA_SQS = {"kms:ViaService": "sqs.eu-west-1.amazonaws.com", "kms:CallerAccount": ACCOUNT}


@pytest.mark.parametrize("key_principal, identity_allows, allowed", [
    (ROLE, False, True),                               # the key policy names the role
    (f"arn:aws:iam::{ACCOUNT}:root", True, True),      # delegated to IAM, and IAM allows
    (f"arn:aws:iam::{ACCOUNT}:root", False, False),    # delegated to IAM, IAM does not allow
    ("arn:aws:iam::999999999999:root", True, False),   # another account only
])
def test_key_policy_must_allow_the_producer(key_principal, identity_allows, allowed):
    from storefirst.local.apigw.iam import Policies

    stmts = [{"Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": KEY}] if identity_allows else []
    key_policy = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": key_principal}, "Action": "kms:*", "Resource": "*"}]}
    p = Policies(_FakeIam({"Statement": stmts}, key_policy))
    assert p.kms_allows(ROLE, KEY, "kms:GenerateDataKey", VIA_SQS)[0] is allowed
