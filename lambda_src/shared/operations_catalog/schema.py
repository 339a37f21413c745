"""A JSON Schema draft-04 validator for the keywords an operations catalog uses.

API Gateway validates the data API's envelope against the catalog's schema: REST API models
are JSON Schema draft 4 (API Gateway Developer Guide, "Data models for REST APIs"). Functions
that receive the same `data` another way (the webhook worker, from SQS) check it here against
the same schema, without a third-party package: Powertools' validation utility needs its
`validation` extra (fastjsonschema; Powertools docs, "Installation: Extra dependencies"),
which the functions do not bundle. `storefirst.contract` refuses, at build time, a schema with
a keyword outside `KEYWORDS`, so nothing is silently left unchecked. Tested against the
`jsonschema` package as the oracle (tests/unit/test_operations_catalog.py).
"""

from __future__ import annotations

import re
from typing import Any

KEYWORDS = frozenset(
    {
        "type",
        "enum",
        "required",
        "properties",
        "additionalProperties",
        "minProperties",
        "maxProperties",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "items",
        "minItems",
        "maxItems",
        "description",
        "title",
    }
)
_TYPES = {
    "string": lambda v: isinstance(v, str),
    # JSON has no separate bool/int; Python's bool is an int subclass, so exclude it.
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}
_NAMES = {str: "string", bool: "boolean", int: "integer", float: "number", dict: "object", list: "array"}


def _kind(value: Any) -> str:
    return "null" if value is None else _NAMES.get(type(value), type(value).__name__)


class Validator:
    """`errors(value)` -> messages ("" path = the value itself); compiled patterns are cached."""

    def __init__(self, schema: dict[str, Any]):
        self.schema = schema
        self._patterns: dict[str, re.Pattern[str]] = {}

    def _pattern(self, p: str) -> re.Pattern[str]:
        if p not in self._patterns:
            self._patterns[p] = re.compile(p)
        return self._patterns[p]

    def errors(self, value: Any, schema: dict[str, Any] | None = None, path: str = "data") -> list[str]:
        s = self.schema if schema is None else schema
        out: list[str] = []
        if "type" in s:
            allowed = s["type"] if isinstance(s["type"], list) else [s["type"]]
            if not any(_TYPES[t](value) for t in allowed):
                return [f"{path}: must be of type {' or '.join(allowed)}, not {_kind(value)}"]
        if "enum" in s and value not in s["enum"]:
            out.append(f"{path}: must be one of {s['enum']}")
        if isinstance(value, str):
            out += self._string_errors(value, s, path)
        if _TYPES["number"](value):
            out += self._number_errors(value, s, path)
        if isinstance(value, list):
            out += self._array_errors(value, s, path)
        if isinstance(value, dict):
            out += self._object_errors(value, s, path)
        return out

    def _string_errors(self, value: str, s: dict[str, Any], path: str) -> list[str]:
        out = []
        if "minLength" in s and len(value) < s["minLength"]:
            out.append(f"{path}: must be at least {s['minLength']} characters long")
        if "maxLength" in s and len(value) > s["maxLength"]:
            out.append(f"{path}: must be at most {s['maxLength']} characters long")
        # Draft 4: the pattern is not anchored (a search, not a full match).
        if "pattern" in s and not self._pattern(s["pattern"]).search(value):
            out.append(f"{path}: does not match the pattern {s['pattern']}")
        return out

    @staticmethod
    def _number_errors(value: float, s: dict[str, Any], path: str) -> list[str]:
        out = []
        if "minimum" in s and (value < s["minimum"] or (s.get("exclusiveMinimum") and value == s["minimum"])):
            out.append(f"{path}: must be {'>' if s.get('exclusiveMinimum') else '>='} {s['minimum']}")
        if "maximum" in s and (value > s["maximum"] or (s.get("exclusiveMaximum") and value == s["maximum"])):
            out.append(f"{path}: must be {'<' if s.get('exclusiveMaximum') else '<='} {s['maximum']}")
        return out

    def _array_errors(self, value: list, s: dict[str, Any], path: str) -> list[str]:
        out = []
        if "minItems" in s and len(value) < s["minItems"]:
            out.append(f"{path}: must have at least {s['minItems']} items")
        if "maxItems" in s and len(value) > s["maxItems"]:
            out.append(f"{path}: must have at most {s['maxItems']} items")
        if isinstance(s.get("items"), dict):
            for i, item in enumerate(value):
                out += self.errors(item, s["items"], f"{path}[{i}]")
        return out

    def _object_errors(self, value: dict, s: dict[str, Any], path: str) -> list[str]:
        out = [f"{path}: missing required property {name}" for name in s.get("required", []) if name not in value]
        if "minProperties" in s and len(value) < s["minProperties"]:
            out.append(f"{path}: must have at least {s['minProperties']} properties")
        if "maxProperties" in s and len(value) > s["maxProperties"]:
            out.append(f"{path}: must have at most {s['maxProperties']} properties")
        props = s.get("properties", {})
        extra = sorted(k for k in value if k not in props)
        additional = s.get("additionalProperties", True)
        if extra and additional is False:
            out.append(f"{path}: unexpected properties {', '.join(extra)} (additionalProperties is false)")
        for name in sorted(value):
            if name in props:
                out += self.errors(value[name], props[name], f"{path}.{name}")
            elif isinstance(additional, dict):
                out += self.errors(value[name], additional, f"{path}.{name}")
        return out
