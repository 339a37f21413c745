"""Compile an operations catalog (envs/catalogs/<name>.yaml) into the JSON functions bundle.

`storefirst.build` writes the result as `operations_catalog/<name>.json` into the zip of each
function whose folder has a `catalogs.txt` naming the catalog (and bundles the
`lambda_src/shared/operations_catalog` package that reads it). The JSON keeps what a function
needs to honour the contract the data API enforces: the table's keys and indexes, the
attribute types, and per operation its kind, key templates, writes, returns, index, page size
and the JSON Schema of `data`. Descriptions are dropped; keys are sorted so the same catalog
gives the same bytes (deterministic zips).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from storefirst import catalog
from storefirst.terraform import REPO

CATALOGS = REPO / "envs" / "catalogs"
SCHEMA_MODULE = REPO / "lambda_src" / "shared" / "operations_catalog" / "schema.py"


def _keywords() -> frozenset[str]:
    """The keywords the bundled validator implements (read from its own module)."""
    spec = importlib.util.spec_from_file_location("_operations_catalog_schema", SCHEMA_MODULE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.KEYWORDS


KEYWORDS = _keywords()

OPERATION_FIELDS = ("kind", "key", "writes", "returns", "index", "page_size", "data")


def _unsupported(schema: Any, where: str) -> list[str]:
    """Keywords the bundled validator does not implement: refused rather than ignored."""
    if not isinstance(schema, dict):
        return []
    out = [
        f"{where}: JSON Schema keyword {k!r} is not supported by operations_catalog.schema"
        for k in sorted(set(schema) - KEYWORDS)
    ]
    for name, sub in (schema.get("properties") or {}).items():
        out += _unsupported(sub, f"{where}.{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            out += _unsupported(schema[key], f"{where}.{key}")
    return out


def compile_catalog(name_or_path: str | Path) -> dict[str, Any]:
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml", ".json"):
        path = CATALOGS / f"{name_or_path}.yaml"
    cat = catalog.load(path)  # the data API module's rules (CatalogError lists problems)
    problems: list[str] = []
    ops = {}
    for op_name in sorted(cat["operations"]):
        spec = cat["operations"][op_name]
        problems += _unsupported(spec["data"], f"operation {op_name}: data")
        ops[op_name] = {k: spec[k] for k in OPERATION_FIELDS if k in spec}
    if problems:
        raise catalog.CatalogError(str(path), problems)
    return {
        "name": cat.get("name", path.stem),
        "table": cat["table"],
        "attributes": cat["attributes"],
        "operations": ops,
    }


def compiled_bytes(name: str) -> bytes:
    return (json.dumps(compile_catalog(name), sort_keys=True, separators=(",", ":")) + "\n").encode()
