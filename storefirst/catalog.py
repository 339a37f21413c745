"""Operations catalogs for the data API: load, validate, and get what Terraform generates.

A catalog (YAML or JSON, e.g. envs/catalogs/users.yaml) is the contract between the data
team and its callers. `modules/data-api` reads the file itself (yamldecode) and generates the
envelope model, the VTL templates and the IAM grants in `modules/data-api/modules/catalog`, so
deploying needs no Python. This module:

- `load(path)` reads and validates a catalog with the same rules as the Terraform module
  (`CatalogError` lists every problem, naming the operation);
- `generate(path, table_name)` runs that Terraform module (no provider, no credentials) and
  returns exactly the templates/model that would be deployed, cached by content;
- `validate_envelope(generated, envelope)` checks an envelope against the generated model
  with a draft-04 validator, as API Gateway's request validator does.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from storefirst.terraform import CACHE, REPO, Workdir, _locked

KINDS = ("create", "get", "query", "update", "delete")
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
OP_NAME = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
LITERAL = re.compile(r"^[A-Za-z0-9 _#:.|/@+=-]*$")
TOKEN = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|[^{}]+")
JSON_TYPE = {"S": "string", "N": "integer", "BOOL": "boolean"}
FIXTURE = REPO / "tests" / "fixtures" / "data_api_catalog"


class CatalogError(ValueError):
    def __init__(self, path: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{path}: the operations catalog is invalid:\n  - " + "\n  - ".join(problems))


def _tokens(tmpl: str) -> list[tuple[str | None, str | None]]:
    """[(field, literal)] of a key template such as "USER#{id}"."""
    out: list[tuple[str | None, str | None]] = []
    for t in TOKEN.findall(tmpl):
        out.append((t[1:-1], None) if t.startswith("{") else (None, t))
    return out


def slots(op: dict[str, Any]) -> list[tuple[str, str]]:
    """(attribute, template) pairs in ExecuteStatement parameter order (as the module)."""
    key = [(a, op["key"][a]) for a in sorted(op.get("key", {}))]
    writes = [(w, f"{{{w}}}") for w in op.get("writes", [])]
    match = [(a, op["match"][a]) for a in sorted(op.get("match", {}))]
    kind = op.get("kind")
    if kind == "create":
        return key + writes
    if kind == "update":
        return writes + key + match
    if kind == "delete":
        return key + match
    return key


def problems(cat: Any) -> list[str]:
    """Every rule modules/data-api/modules/catalog/checks.tf applies, same wording."""
    if not isinstance(cat, dict):
        return ["catalog: must be a mapping"]
    out: list[str] = []
    if cat.get("version") != 1:
        out.append("catalog: version must be 1")
    ops = cat.get("operations") or {}
    if not isinstance(ops, dict) or not ops:
        return out + ["catalog: operations is empty"]
    table = cat.get("table") or {}
    attrs = cat.get("attributes") or {}
    if not IDENT.match(str(table.get("hash_key", ""))):
        out.append("catalog: table.hash_key must be an attribute name")
    for a, t in attrs.items():
        if not (IDENT.match(a) and t in JSON_TYPE):
            out.append(f"catalog: attribute {a} must be an identifier with type S, N or BOOL")
    union: dict[str, Any] = {}
    for name in sorted(ops):
        p = f"operation {name}: "
        props = ((ops[name] or {}).get("data") or {}).get("properties") or {}
        out += [p + msg for msg in _operation_problems(name, ops[name] or {}, table, attrs)]
        for q, s in props.items():
            if q in union and union[q] != s:
                out.append(p + f"data property {q} differs from its definition in another operation")
            union.setdefault(q, s)
    return out


def _operation_problems(name: str, op: dict[str, Any], table: dict[str, Any], attrs: dict[str, Any]) -> list[str]:
    """One operation's problems, in checks.tf's order, without the "operation <name>: " prefix."""
    kind = op.get("kind", "")
    data = op.get("data") or {}
    key = op.get("key") or {}
    writes, returns, match = op.get("writes") or [], op.get("returns") or [], op.get("match") or {}
    table_keys = [k for k in (table.get("hash_key"), table.get("range_key")) if k]
    out: list[str] = []
    if not OP_NAME.match(name):
        out.append(f"name must match {OP_NAME.pattern}")
    if kind not in KINDS:
        out.append(f"kind must be one of {', '.join(KINDS)}")
    if data.get("type") != "object" or data.get("additionalProperties", True) is not False:
        out.append("data must be a JSON Schema with type object and additionalProperties false")
    out += _key_problems(op, kind, key, table_keys, table.get("indexes") or {})
    out += [f"attribute {a} is not declared under attributes" for a in [*writes, *returns, *match] if a not in attrs]
    out += [f"writes may not include the table key {a}" for a in writes if a in table_keys]
    out += [f"returns may not include the table key {a}" for a in returns if a in table_keys]
    if kind in ("create", "update"):
        if not writes:
            out.append(f"{kind} needs writes")
    elif writes:
        out.append(f"{kind} cannot write")
    if kind in ("get", "query") and not returns:
        out.append(f"{kind} needs returns")
    if match and kind not in ("update", "delete"):
        out.append("match is only for update and delete")
    used: list[str] = []
    props = data.get("properties") or {}
    for attr, tmpl in slots({**op, "kind": kind, "key": key, "writes": writes, "match": match}):
        out += _slot_problems(attr, tmpl, attrs.get(attr, "S"), props)
        used += [f for f, _ in _tokens(str(tmpl)) if f is not None]
    for f in dict.fromkeys(used):
        if f not in props or f not in (data.get("required") or []):
            out.append(f"field {f} must be a required property of data")
        if (props.get(f) or {}).get("type") not in ("string", "integer", "boolean"):
            out.append(f"field {f} must have type string, integer or boolean")
    out += [f"data property {q} is not used by the operation" for q in props if q not in used]
    return out


def _key_problems(
    op: dict[str, Any], kind: str, key: dict[str, Any], table_keys: list[str], indexes: dict[str, Any]
) -> list[str]:
    """The key an operation sets: the table's key, or for a query the hash key it queries on."""
    if kind != "query":
        return (
            [] if sorted(key) == sorted(table_keys) else [f"key must set exactly the table key {', '.join(table_keys)}"]
        )
    idx = op.get("index")
    if idx is None:
        if len(table_keys) == 2 and list(key) == [table_keys[0]]:
            return []
        return ["a query without index must set only the table hash key (and the table needs a range key)"]
    if idx not in indexes:
        return [f"index {idx} is not declared under table.indexes"]
    hash_key = indexes[idx].get("hash_key")
    return [] if list(key) == [hash_key] else [f"key must set exactly the hash key of index {idx} ({hash_key})"]


def _slot_problems(attr: str, tmpl: Any, atype: str, props: dict[str, Any]) -> list[str]:
    """One key/match/write attribute and the template that fills it from the data's fields
    (`tmpl` as the catalog has it: a template that is not a string is malformed)."""
    toks = _tokens(str(tmpl))
    out: list[str] = []
    if not IDENT.match(attr):
        out.append(f"attribute name {attr} must match {IDENT.pattern}")
    lits = "".join(lit for _, lit in toks if lit)
    if lits and not LITERAL.match(lits):
        out.append(f"literal text in {tmpl} may only use A-Z a-z 0-9 space _ # : . | / @ + = -")
    if not toks or "".join(TOKEN.findall(str(tmpl))) != tmpl:
        out.append(f"template {tmpl} is malformed")
    if len(toks) > 1 and atype != "S":
        out.append(f"{attr} combines text and fields, so it must be of type S")
    whole = toks[0][0] if len(toks) == 1 else None  # the one field that is the whole value
    if whole is not None:
        if (props.get(whole) or {}).get("type") != JSON_TYPE.get(atype):
            out.append(f"field {whole} must be a JSON {JSON_TYPE.get(atype)} to fill {attr}")
        return out
    for f, _ in toks:
        if f is not None and (props.get(f) or {}).get("type") != "string":
            out.append(f"field {f} is part of text {tmpl}, so it must be a JSON string")
    return out


def load(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        cat = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise CatalogError(str(path), [f"not valid YAML/JSON: {exc}"]) from None
    found = problems(cat)
    if found:
        raise CatalogError(str(path), found)
    return cat


@dataclass
class Generated:
    request_template: str
    response_template: str
    error_template: str
    unavailable_template: str
    model: dict[str, Any]
    grants: list[dict[str, Any]]
    operations: dict[str, str]
    statements: dict[str, str]


def generate(path: str | Path, table_name: str) -> Generated:
    """Run modules/data-api/modules/catalog on a catalog file (cached by content)."""
    path = Path(path).resolve()
    h = hashlib.sha256(path.read_bytes() + table_name.encode())
    for f in sorted((REPO / "modules" / "data-api" / "modules" / "catalog").rglob("*")) + sorted(FIXTURE.glob("*.tf")):
        if f.is_file():
            h.update(f.name.encode() + f.read_bytes())
    key = h.hexdigest()[:16]
    out_file = CACHE / "data-api-catalog" / f"{key}.json"
    with _locked("data-api-catalog"):
        if not out_file.exists():
            work = CACHE / "data-api-catalog" / "work"
            if work.exists():
                shutil.rmtree(work)
            # Same relative layout as the repo, so the fixture's module source resolves.
            (work / "tests" / "fixtures").mkdir(parents=True)
            shutil.copytree(FIXTURE, work / "tests" / "fixtures" / FIXTURE.name)
            (work / "modules").symlink_to(REPO / "modules")
            wd = Workdir(work / "tests" / "fixtures" / FIXTURE.name, data_dir=CACHE / "tf-data" / "data-api-catalog")
            wd.init()
            state = work / "gen.tfstate"
            wd.run(
                "apply",
                "-auto-approve",
                "-no-color",
                "-input=false",
                f"-state={state}",
                f"-var=catalog_path={path}",
                f"-var=table_name={table_name}",
            )
            res = wd.run("output", "-json", f"-state={state}")
            out_file.parent.mkdir(parents=True, exist_ok=True)
            out_file.write_text(json.dumps(json.loads(res.stdout)["generated"]["value"]))
    g = json.loads(out_file.read_text())
    return Generated(
        request_template=g["request_template"],
        response_template=g["response_template"],
        error_template=g["error_template"],
        unavailable_template=g["unavailable_template"],
        model=json.loads(g["model_schema"]),
        grants=g["grants"],
        operations=g["operations"],
        statements=g["statements"],
    )


def validate_envelope(model: dict[str, Any], envelope: Any) -> list[str]:
    """Messages a draft-04 validator gives for an envelope ([] = valid), most specific first."""
    import jsonschema

    validator = jsonschema.Draft4Validator(model)
    errors = sorted(validator.iter_errors(envelope), key=lambda e: (-len(e.absolute_path), e.message))
    out = []
    for e in errors:
        where = "/".join(str(p) for p in e.absolute_path) or "(envelope)"
        out.append(f"{where}: {e.message}")
    return out
