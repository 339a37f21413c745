"""Role trust checked when a Lambda function or a state machine is created, as AWS checks it.

- CreateFunction fails with InvalidParameterValueException "The role defined for the function
  cannot be assumed by Lambda." when lambda.amazonaws.com may not assume the role
  ("CreateFunction" errors, Lambda API reference).
- CreateStateMachine fails with AccessDeniedException "Neither the global service principal
  states.amazonaws.com, nor the regional one is authorized to assume the provided role."
  (Step Functions troubleshooting).
The request context is what the service sends when it assumes the role
(storefirst.local.apigw.iam: Step Functions aws:SourceArn/aws:SourceAccount, Lambda
aws:SourceAccount).

Gap: a role ARN that does not exist in the emulator's IAM is left to moto (moto's in-process
`mock_aws` tests share these patched classes and name roles they never create).
"""

from __future__ import annotations

from typing import Any

from .apigw.iam import lambda_context, states_context, trust_allows


def _trust(account: str, role_arn: str) -> Any | None:
    from moto.iam.models import iam_backends

    try:
        role = iam_backends[account]["global"].get_role_by_arn(role_arn)
    except Exception:
        return None
    return role.assume_role_policy_document


def _access_denied(base: Any) -> Any:
    class AccessDeniedException(base):
        TYPE = "AccessDeniedException"
        STATUS = 400

    return AccessDeniedException


def patch() -> None:
    from moto.awslambda.exceptions import InvalidParameterValueException
    from moto.awslambda.models import LambdaBackend
    from moto.core.exceptions import AWSError
    from moto.stepfunctions.models import StepFunctionBackend

    create_function = LambdaBackend.create_function

    def checked_create_function(self: Any, spec: dict[str, Any]) -> Any:
        trust = _trust(self.account_id, spec.get("Role") or "")
        if trust is not None and not trust_allows(trust, "lambda.amazonaws.com", lambda_context(self.account_id))[0]:
            raise InvalidParameterValueException("The role defined for the function cannot be assumed by Lambda.")
        return create_function(self, spec)

    LambdaBackend.create_function = checked_create_function  # type: ignore[method-assign]  # the shim's job

    create_state_machine = StepFunctionBackend.create_state_machine

    def checked_create_state_machine(self: Any, name: str, definition: str, roleArn: str, *a: Any, **kw: Any) -> Any:  # noqa: N803
        trust = _trust(self.account_id, roleArn)
        arn = f"arn:aws:states:{self.region_name}:{self.account_id}:stateMachine:{name}"
        if (
            trust is not None
            and not trust_allows(trust, "states.amazonaws.com", states_context(arn, self.account_id))[0]
        ):
            raise _access_denied(AWSError)(
                "Neither the global service principal states.amazonaws.com, nor the "
                "regional one is authorized to assume the provided role."
            )
        return create_state_machine(self, name, definition, roleArn, *a, **kw)

    StepFunctionBackend.create_state_machine = checked_create_state_machine  # type: ignore[method-assign]  # the shim
