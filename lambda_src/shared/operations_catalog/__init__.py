"""The operations catalog, as bundled into a function's zip: one contract for every path.

`storefirst.build` compiles `envs/catalogs/<name>.yaml` (see `storefirst.contract`) into
`operations_catalog/<name>.json` next to this file for each name in the function's
`catalogs.txt`. Functions read from it what the data API's Terraform reads from the YAML:
each operation's JSON Schema for `data`, its key templates, its writes/returns lists and the
attribute types, so a direct DynamoDB path and the data API store the same items and refuse
the same values.

Run from a source checkout (tests, benchmarks) there is no bundled file; the catalog is then
compiled from the YAML with the same code the build uses.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from operations_catalog.schema import Validator

HERE = Path(__file__).parent
_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class Operation:
    def __init__(self, name: str, spec: dict[str, Any], attributes: dict[str, str]):
        self.name = name
        self.kind: str = spec["kind"]
        self.key: dict[str, str] = spec.get("key", {})
        self.writes: tuple[str, ...] = tuple(spec.get("writes", ()))
        self.returns: tuple[str, ...] = tuple(spec.get("returns", ()))
        self.index: str | None = spec.get("index")
        self.page_size: dict[str, int] = spec.get("page_size", {})
        self.schema: dict[str, Any] = spec["data"]
        self.attributes = attributes
        self._validator = Validator(self.schema)

    def errors(self, data: Any) -> list[str]:
        """Every reason `data` breaks this operation's schema ([] = valid)."""
        return self._validator.errors(data)

    def key_values(self, data: dict[str, Any]) -> dict[str, Any]:
        """The key attributes filled from data: {"pk": "USER#<id>"} for `pk: "USER#{id}"`."""
        return {attr: render(tmpl, data) for attr, tmpl in self.key.items()}

    def item(self, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """DynamoDB item (typed values) of the key and the written attributes."""
        plain = {**self.key_values(data), **{a: data[a] for a in self.writes}}
        return {a: to_dynamodb(v, self.attributes.get(a, "S")) for a, v in plain.items()}


def render(template: str, data: dict[str, Any]) -> Any:
    """A key template filled from data; a template that is one field keeps the field's type."""
    whole = _FIELD.fullmatch(template)
    if whole:
        return data[whole.group(1)]
    return _FIELD.sub(lambda m: str(data[m.group(1)]), template)


def literal_prefix(template: str) -> str:
    """The fixed text before the first field ("USER#" of "USER#{id}")."""
    return template.split("{", 1)[0]


def to_dynamodb(value: Any, attr_type: str) -> dict[str, Any]:
    if attr_type == "N":
        return {"N": str(value)}
    if attr_type == "BOOL":
        return {"BOOL": bool(value)}
    return {"S": value}


def from_dynamodb(typed: dict[str, Any]) -> Any:
    if "N" in typed:
        return int(typed["N"])
    if "BOOL" in typed:
        return typed["BOOL"]
    return typed.get("S")


class Catalog:
    def __init__(self, compiled: dict[str, Any]):
        self.name: str = compiled["name"]
        self.hash_key: str = compiled["table"]["hash_key"]
        self.range_key: str | None = compiled["table"].get("range_key")
        self.indexes: dict[str, dict[str, str]] = compiled["table"].get("indexes", {})
        self.attributes: dict[str, str] = compiled["attributes"]
        self.operations = {n: Operation(n, spec, self.attributes) for n, spec in compiled["operations"].items()}

    def operation(self, name: str) -> Operation:
        return self.operations[name]


@functools.cache
def load(name: str) -> Catalog:
    bundled = HERE / f"{name}.json"
    if bundled.exists():
        return Catalog(json.loads(bundled.read_text()))
    # Source checkout only (the module is not in any zip): the same compilation as the build.
    from storefirst import contract

    return Catalog(contract.compile_catalog(name))
