"""Steps parse, size, route, throttle, authorize and validate of the REST chain; each raises a
GatewayError that renders through the API's gateway responses.

- a body over the 10 MB payload quota -> REQUEST_TOO_LARGE 413 (core.RequestTooLarge);
- unknown stage, resource or method -> MISSING_AUTHENTICATION_TOKEN, 403 {"message":"Missing
  Authentication Token"} ("Gateway response types for API Gateway");
- throttle -> THROTTLED 429 (stage method settings, "Throttle requests to your REST APIs");
- AWS_IAM without a SigV4 Authorization header -> MISSING_AUTHENTICATION_TOKEN 403. The
  signature itself is not verified locally (the emulator accepts any key): a gap;
- request validation ("Use request validation in API Gateway"): required parameters ->
  BAD_REQUEST_PARAMETERS 400 "Missing required request parameters: [a, b]"; body against the
  method's model (JSON Schema draft 4) -> BAD_REQUEST_BODY 400 "Invalid request body", the
  validator's messages in $context.error.validationErrorString, worded like the Java
  validator API Gateway uses (validator_message).
"""

from __future__ import annotations

import json
import urllib.parse

from ..core import (
    MAX_PAYLOAD_BYTES,
    BadRequestBody,
    BadRequestParameters,
    MissingAuthenticationToken,
    NotSupportedLocally,
    RequestTooLarge,
    Throttled,
    match_path,
    split_path,
)
from .model import RestApi, RestRequest


def parse(api: RestApi, method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str) -> RestRequest:
    path, _, qs = target.partition("?")
    query = {k: v[-1] for k, v in urllib.parse.parse_qs(qs, keep_blank_values=True).items()}
    req = RestRequest(api, method.upper(), path, query, headers, body, source_ip)
    segs = split_path(path)
    if segs and segs[0] in api.stages:
        req.stage, req.segments = segs[0], segs[1:]
    req.content_type = (headers.get("content-type") or "application/json").split(";")[0].strip().lower()
    return req


def size(req: RestRequest) -> None:
    """Bodies over the payload quota never reach routing or the integration: 413."""
    if len(req.body) > MAX_PAYLOAD_BYTES:
        raise RequestTooLarge(f"request body of {len(req.body)} bytes is over the 10 MB payload quota")


def route(req: RestRequest) -> None:
    if req.stage is None:
        raise MissingAuthenticationToken("no such stage")
    ranked = sorted(req.api.methods, key=lambda m: ("+}" in m.path, -m.path.count("/"), m.http_method == "ANY"))
    for m in ranked:
        if m.http_method in (req.method, "ANY"):
            params = match_path(m.path, req.segments)
            if params is not None:
                req.resource, req.path_params = m, params
                return
    raise MissingAuthenticationToken(f"no method {req.method} on {req.path}")


def throttle(req: RestRequest) -> None:
    m = req.resource
    assert m is not None and req.stage is not None
    bucket = req.api.bucket(req.stage, f"{m.path.lstrip('/')}/{m.http_method}")
    if bucket is not None and not bucket.take():
        raise Throttled(f"over the throttling limit of {m.http_method} {m.path}")


def authorize(req: RestRequest) -> None:
    auth = req.resource.method.get("authorizationType", "NONE") if req.resource else "NONE"
    if auth == "AWS_IAM":
        if not req.headers.get("authorization", "").startswith("AWS4-HMAC-SHA256 "):
            raise MissingAuthenticationToken("AWS_IAM method without a SigV4 Authorization header")
    elif auth not in ("NONE", None):
        raise NotSupportedLocally(f"authorization type {auth}")


def validate(req: RestRequest) -> None:
    meth = req.resource.method if req.resource else {}
    vid = meth.get("requestValidatorId")
    v = req.api.validators.get(vid or "")
    if not v:
        return
    if v.get("validateRequestParameters"):
        missing = []
        for key, required in (meth.get("requestParameters") or {}).items():
            if not required:
                continue
            _, _, where, name = key.split(".", 3)
            src = {"header": req.headers, "querystring": req.query, "path": req.path_params}.get(where, {})
            if (name.lower() if where == "header" else name) not in src:
                missing.append(name)
        if missing:
            raise BadRequestParameters(message=f"Missing required request parameters: [{', '.join(missing)}]")
    if v.get("validateRequestBody"):
        models = meth.get("requestModels") or {}
        name = models.get(req.content_type) or models.get("application/json")
        if name and name in req.api.models and name != "Empty":
            problems = body_problems(req.api.models[name], req.text)
            if problems:
                raise BadRequestBody(
                    "request body does not match the model", validation="[" + ", ".join(problems) + "]"
                )


def _q(v: object) -> str:
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


_TYPES = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
    dict: "object",
    type(None): "null",
}


def validator_message(e: jsonschema.ValidationError) -> str:  # type: ignore[name-defined]  # noqa: F821
    """One error in the wording of the Java JSON Schema validator whose messages API Gateway
    returns in $context.error.validationErrorString (they hold `"` characters, so a template
    that puts the string inside a JSON string breaks on AWS as it does here). Undocumented
    wording; validators the modules' models do not use fall back to jsonschema's message."""
    v, inst = e.validator, e.instance
    if v == "required":
        have = inst if isinstance(inst, dict) else {}
        return f"object has missing required properties ({_q([r for r in e.validator_value if r not in have])})"
    if v == "enum":
        return f"instance value ({_q(inst)}) not found in enum (possible values: {_q(e.validator_value)})"
    if v == "additionalProperties":
        declared = set(e.schema.get("properties") or {})
        extra = sorted(k for k in (inst if isinstance(inst, dict) else {}) if k not in declared)
        return f"object instance has properties which are not allowed by the schema: {_q(extra)}"
    if v == "type":
        allowed = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
        kind = _TYPES.get(type(inst), "unknown")
        return f"instance type ({kind}) does not match any allowed primitive type (allowed: {_q(allowed)})"
    if v == "pattern":
        return f"ECMA 262 regex {_q(e.validator_value)} does not match input string {_q(inst)}"
    if v == "minLength":
        return f"string {_q(inst)} is too short (length: {len(inst)}, required minimum: {e.validator_value})"
    if v == "maxLength":
        return f"string {_q(inst)} is too long (length: {len(inst)}, maximum allowed: {e.validator_value})"
    if v == "oneOf":
        return f"instance failed to match exactly one schema (matched 0 out of {len(e.validator_value)})"
    if v == "anyOf":
        return f"instance failed to match at least one required schema among {len(e.validator_value)}"
    return e.message


def body_problems(schema: dict, text: str) -> list[str]:
    """The validator's messages for a body ([] = valid), most specific first."""
    import jsonschema

    try:
        doc = json.loads(text)
    except ValueError as exc:
        return [f"Invalid JSON: {exc}"]
    errors = sorted(
        jsonschema.Draft4Validator(schema).iter_errors(doc), key=lambda e: (-len(e.absolute_path), e.message)
    )
    return [validator_message(e) for e in errors]
