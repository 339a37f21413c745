"""Operation registry and the error taxonomy of the webhook worker.

An operation is a function `(data, ctx) -> dict` registered under its envelope name with
`@operation("store-new-user", validator=...)`. The validator runs before the idempotency
check, so invalid data never reserves an idempotency key. The returned dict must be JSON
serialisable: it is stored as the idempotent result and returned for duplicates.

Errors: a `PermanentError` means "retrying this message cannot succeed" (bad envelope,
unknown operation, invalid data, conflict); the worker dead-letters it at once. Any other
exception is treated as transient and the record is retried by SQS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

Validator = Callable[[Any], dict]
Handler = Callable[[dict, "OperationContext"], dict]


class PermanentError(Exception):
    """Retrying cannot help: the message goes to the DLQ with this reason."""

    kind = "Permanent"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class MalformedMessage(PermanentError):
    """The body is not the envelope {"operation": str, "data": object}."""

    kind = "MalformedMessage"


class UnknownOperation(PermanentError):
    kind = "UnknownOperation"


class InvalidData(PermanentError):
    kind = "InvalidData"


class Conflict(PermanentError):
    """The operation contradicts stored state (e.g. the user id exists with other data)."""

    kind = "Conflict"


class OperationContext(NamedTuple):  # cheaper to create at cold import than a frozen dataclass
    """What an operation may know about the message that carried it."""

    request_id: str  # API request id (the correlation id), else the SQS message id
    message_id: str


class Operation(NamedTuple):  # cheaper to create at cold import than a frozen dataclass
    name: str
    handler: Handler
    validator: Validator


REGISTRY: dict[str, Operation] = {}


def operation(name: str, *, validator: Validator) -> Callable[[Handler], Handler]:
    """Register `fn` as the handler of envelope operation `name`."""

    def register(fn: Handler) -> Handler:
        if name in REGISTRY:
            raise ValueError(f"operation {name!r} registered twice")
        REGISTRY[name] = Operation(name, fn, validator)
        return fn

    return register


def lookup(name: str) -> Operation:
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY)) or "none"
        raise UnknownOperation(f"unknown operation {name!r} (known: {known})") from None
