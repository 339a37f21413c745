"""A local API Gateway executing what Terraform deployed into the emulator.

Two request chains of small steps, one module per step:
- HTTP APIs (apigw.http): parse -> route -> throttle -> authorize -> map request ->
  integrate -> respond (fixed AWS error bodies);
- REST APIs (apigw.rest): parse -> route -> throttle -> authorize -> validate -> map request
  -> integrate -> map response -> respond (errors through the API's gateway responses).
Shared once (apigw.core, apigw.accesslog, apigw.iam, apigw.sfn): responses and typed gateway
errors, token buckets, path matching, access log lines, IAM trust/identity evaluation, Step
Functions calls. docs/aws-behaviours.md lists each AWS behaviour emulated and its test.
"""

from .core import GatewayError, Response, TokenBucket
from .server import Gateway

__all__ = ["Gateway", "GatewayError", "Response", "TokenBucket"]
