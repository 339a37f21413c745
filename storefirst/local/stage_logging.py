"""REST API stage logging refused until the account names a CloudWatch Logs role, as on AWS.

API Gateway writes a REST API's access and execution logs with the role in the account's
settings (UpdateAccount `/cloudwatchRoleArn`, `aws_api_gateway_account`), one per account and
Region ("Set up CloudWatch logging for REST APIs in API Gateway", set-up-logging.html,
"Permissions for CloudWatch logging"). Until it is set, turning logging on fails with 400
BadRequestException "CloudWatch Logs role ARN must be set in account settings to enable
logging" (seen by aws-samples/amazon-bedrock-knowledgebase-slackbot issue 6, sst issue 1556,
aws-solutions/virtual-waiting-room-on-aws issue 74). moto 5.2.5 accepts it.

REST CreateStage takes no log settings: the provider (and every client) turns them on with
UpdateStage patch operations, `/accessLogSettings/destinationArn` for access logs and
`/{resource}/{method}/logging/loglevel` for execution logs (aws_api_gateway_method_settings).
Those two are refused here. `logging/dataTrace` alone is left alone: whether AWS refuses it
without a log level is not documented, and the modules only set it with a log level.
HTTP APIs (apigatewayv2) are not affected: their access logs need no account role.
"""

from __future__ import annotations

from typing import Any

MESSAGE = "CloudWatch Logs role ARN must be set in account settings to enable logging"


def enables_logging(patch_operations: list[dict[str, Any]] | None) -> bool:
    """True when one of the UpdateStage operations turns access or execution logging on."""
    for op in patch_operations or []:
        if op.get("op") not in ("replace", "add"):
            continue
        path, value = op.get("path") or "", op.get("value") or ""
        if path == "/accessLogSettings/destinationArn" and value:
            return True
        if path.endswith("/logging/loglevel") and value.upper() != "OFF":
            return True
    return False


def patch() -> None:
    from moto.apigateway.exceptions import BadRequestException
    from moto.apigateway.models import APIGatewayBackend

    update_stage = APIGatewayBackend.update_stage

    def checked_update_stage(self: Any, function_id: str, stage_name: str, patch_operations: Any) -> Any:
        if enables_logging(patch_operations) and not self.get_account().cloudwatch_role_arn:
            raise BadRequestException(MESSAGE)
        return update_stage(self, function_id, stage_name, patch_operations)

    APIGatewayBackend.update_stage = checked_update_stage  # type: ignore[method-assign]  # the shim's job
