"""SQS message validation moto 5.2.5 does not do, applied in the emulator's SendMessage(Batch)
so every client (the local gateway, boto3, a function) is checked as SQS checks it.

What moto already refuses (not repeated here): a DataType outside String/Number/Binary, a
value that is null, a body longer than the queue's MaximumMessageSize *in characters*.
What it lets through and SQS refuses ("SendMessage" in the SQS API reference and "Amazon SQS
message attributes" in the SQS developer guide):
- an attribute value that is empty: "Message (user) attribute 'x' must contain a non-empty
  value of type 'String'" (InvalidParameterValue; softwaremill/elasticmq issue 373 quotes SQS);
- attribute names: up to 256 characters of A-Z a-z 0-9 _ - . , not starting with `AWS.` or
  `Amazon.` (any case), not starting or ending with `.`, no `..`; at most 10 attributes;
- a Number value that is not a number;
- body (and String values) characters outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD |
  #x10000-#x10FFFF -> InvalidMessageContents;
- the message size, which counts UTF-8 bytes of the body plus each attribute's name, data type
  and value, against the queue's MaximumMessageSize.
"""

from __future__ import annotations

import base64
import re
from typing import Any

_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,256}$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_BAD_CHAR = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _exc(code: str, message: str) -> Exception:
    from moto.sqs.exceptions import SQSException

    class _Err(SQSException):
        pass

    err = _Err(code, message)
    return err


def attribute_problem(name: str, value: dict[str, Any]) -> str | None:
    if (
        not _NAME.match(name or "")
        or name.startswith(".")
        or name.endswith(".")
        or ".." in name
        or name.lower().startswith(("aws.", "amazon."))
    ):
        return f"Message (user) attribute name '{name}' is invalid."
    dtype = str(value.get("DataType") or "")
    base = dtype.split(".", 1)[0]
    if base in ("String", "Number"):
        text = value.get("StringValue")
        if text is None or text == "":
            return f"Message (user) attribute '{name}' must contain a non-empty value of type '{base}'."
        if base == "Number" and not _NUMBER.match(str(text)):
            return f"Can't cast the value of message (user) attribute '{name}' to a number."
        if _BAD_CHAR.search(str(text)):
            return f"Message (user) attribute '{name}' contains invalid characters."
    elif base == "Binary" and not value.get("BinaryValue"):
        return f"Message (user) attribute '{name}' must contain a non-empty value of type 'Binary'."
    return None


def message_size(body: str, attrs: dict[str, Any] | None) -> int:
    size = len((body or "").encode("utf-8", "surrogatepass"))
    for name, v in (attrs or {}).items():
        size += len(name.encode()) + len(str(v.get("DataType") or "").encode())
        if v.get("StringValue") is not None:
            size += len(str(v["StringValue"]).encode("utf-8", "surrogatepass"))
        elif v.get("BinaryValue") is not None:
            raw = v["BinaryValue"]
            try:
                size += len(base64.b64decode(raw)) if isinstance(raw, str) else len(raw)
            except ValueError:
                size += len(raw)
    return size


def check(queue: Any, body: str, attrs: dict[str, Any] | None) -> None:
    """Raise the SQS error SendMessage would answer, or return."""
    if _BAD_CHAR.search(body or ""):
        raise _exc(
            "InvalidMessageContents",
            "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD "
            "| #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
        )
    attrs = attrs or {}
    if len(attrs) > 10:
        raise _exc(
            "InvalidParameterValue", f"Number of message attributes [{len(attrs)}] exceeds the allowed maximum [10]."
        )
    for name, value in attrs.items():
        problem = attribute_problem(name, value if isinstance(value, dict) else {})
        if problem:
            raise _exc("InvalidParameterValue", problem)
    limit = int(getattr(queue, "maximum_message_size", 262144) or 262144)
    if message_size(body, attrs) > limit:
        raise _exc(
            "InvalidParameterValue",
            f"One or more parameters are invalid. Reason: Message must be shorter than {limit} bytes.",
        )


def patch(backend_cls: Any) -> None:
    orig = backend_cls.send_message

    def send_message(self, queue_name, message_body, message_attributes=None, *a, **kw):
        check(self.get_queue(queue_name), message_body, message_attributes)
        return orig(self, queue_name, message_body, message_attributes, *a, **kw)

    backend_cls.send_message = send_message
