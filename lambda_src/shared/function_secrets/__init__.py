"""Read the secrets `modules/function` grants through its `secrets` input.

The module passes each secret's *ARN* (never its value) as `SECRET_<NAME>_ARN` and lets the
role read exactly that ARN. `get_secret("api_key")` fetches the value with Powertools
parameters: the SSM provider (SecureString decrypted) or the Secrets Manager provider,
chosen from the ARN, cached in the execution environment for `max_age` seconds so a warm
function does not call SSM / Secrets Manager per request and still sees a rotation within
`max_age`.

Bundle it with `shared.txt` (`function_secrets`). Powertools comes from the layer and is
imported on first use, so functions that configure no secret pay nothing at cold start.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the layer's Powertools is imported on first use only (cold start)
    from aws_lambda_powertools.utilities.parameters.types import TransformOptions

DEFAULT_MAX_AGE = 300  # seconds a fetched value is reused


class SecretNotConfigured(LookupError):
    """No SECRET_<NAME>_ARN in the environment: the function was deployed without that secret."""


def env_name(name: str) -> str:
    return f"SECRET_{name.upper()}_ARN"


def secret_arn(name: str) -> str | None:
    """The ARN the module passed for `name`, or None."""
    return os.environ.get(env_name(name)) or None


def configured(name: str) -> bool:
    return secret_arn(name) is not None


def get_secret(
    name: str, *, max_age: int = DEFAULT_MAX_AGE, transform: TransformOptions = None, force_fetch: bool = False
) -> Any:
    """The secret's value (str; a dict with transform="json"), cached for `max_age` seconds."""
    arn = secret_arn(name)
    if arn is None:
        raise SecretNotConfigured(f"{env_name(name)} is not set: add {name!r} to the function's `secrets` input")
    from aws_lambda_powertools.utilities import parameters  # first use only (import cost)

    service = arn.split(":")[2] if arn.count(":") >= 5 else ""
    if service == "ssm":
        # GetParameter accepts the ARN as Name (required for parameters shared from another account).
        return parameters.get_parameter(
            arn, decrypt=True, max_age=max_age, transform=transform, force_fetch=force_fetch
        )
    if service == "secretsmanager":
        return parameters.get_secret(arn, max_age=max_age, transform=transform, force_fetch=force_fetch)
    raise ValueError(f"{env_name(name)} is neither an SSM parameter ARN nor a Secrets Manager secret ARN")
