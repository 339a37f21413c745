"""PartiQL ExecuteStatement for the statement shapes modules/data-api generates, in the emulator.

moto 5.2.5's PartiQL cannot run them: `?` in an INSERT raises TypeError (HTTP 500), quoted
projections (`SELECT "id", ...`) come back as `{}`, `FROM "t"."index"` is "not found", and
`UPDATE/DELETE ... RETURNING` fail with HTTP 500; its INSERT also overwrites an existing item.
This shim executes exactly the catalog's grammar (see modules/data-api/modules/catalog/main.tf)
with DynamoDB's semantics ("PartiQL - a SQL-compatible query language for Amazon DynamoDB",
its insert/select/update/delete pages):
    INSERT INTO "t" VALUE {'a': ?, 'b': 'lit', ...}         -> DuplicateItemException if the key exists
    SELECT "a", "b" | * FROM "t"[."index"] WHERE "k" = ? [AND "x" = ?]   (Limit, NextToken)
    UPDATE "t" SET "a" = ? [SET "b" = ?] WHERE "k" = ? [AND "m" = ?] [RETURNING ALL NEW *]
    DELETE FROM "t" WHERE "k" = ? [AND "m" = ?] [RETURNING ALL OLD *]
UPDATE/DELETE on a missing item or a failed match -> ConditionalCheckFailedException, with
the item when ReturnValuesOnConditionCheckFailure is ALL_OLD and the item exists.
Anything else goes to moto unchanged.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from typing import Any

_I = re.IGNORECASE | re.DOTALL
_INSERT = re.compile(r'^\s*INSERT\s+INTO\s+"([^"]+)"\s+VALUE\s*\{(.*)\}\s*;?\s*$', _I)
_INSERT_PAIR = re.compile(
    r"""\s*'((?:[^']|'')*)'\s*:\s*(\?|'(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false|null)\s*(,|$)""", _I
)
_SELECT = re.compile(r'^\s*SELECT\s+(.+?)\s+FROM\s+"([^"]+)"(?:\."([^"]+)")?\s+WHERE\s+(.+?)\s*$', _I)
_UPDATE = re.compile(
    r'^\s*UPDATE\s+"([^"]+)"\s+((?:SET\s+"[^"]+"\s*=\s*\?\s*)+)WHERE\s+(.+?)(\s+RETURNING\s+ALL\s+NEW\s+\*)?\s*$', _I
)
_DELETE = re.compile(r'^\s*DELETE\s+FROM\s+"([^"]+)"\s+WHERE\s+(.+?)(\s+RETURNING\s+ALL\s+OLD\s+\*)?\s*$', _I)
_COND = re.compile(r'^\s*"([^"]+)"\s*=\s*\?\s*$')
_SET = re.compile(r'SET\s+"([^"]+)"\s*=\s*\?', _I)
_lock = threading.RLock()


class Unsupported(Exception):
    """Not one of the shapes above: let moto try."""


def parse_insert(statement: str, parameters: list[dict[str, Any]]) -> tuple[str, dict[str, Any]] | None:
    """(table, item in DynamoDB JSON) of a flat INSERT; None for anything else."""
    m = _INSERT.match(statement or "")
    if not m:
        return None
    body, pos, item, params = m.group(2).strip(), 0, {}, list(parameters or [])
    while pos < len(body):
        pm = _INSERT_PAIR.match(body, pos)
        if not pm:
            return None
        key, raw = pm.group(1).replace("''", "'"), pm.group(2)
        if raw == "?":
            if not params:
                return None
            item[key] = params.pop(0)
        elif raw.startswith("'"):
            item[key] = {"S": raw[1:-1].replace("''", "'")}
        elif raw.lower() in ("true", "false"):
            item[key] = {"BOOL": raw.lower() == "true"}
        elif raw.lower() == "null":
            item[key] = {"NULL": True}
        else:
            item[key] = {"N": raw}
        pos = pm.end()
    return (m.group(1), item) if not params else None


def _where(text: str, params: list[dict[str, Any]]) -> dict[str, Any]:
    conds = {}
    for part in re.split(r"\s+AND\s+", text.strip(), flags=re.IGNORECASE):
        m = _COND.match(part)
        if not m or not params:
            raise Unsupported(text)
        conds[m.group(1)] = params.pop(0)
    return conds


def _table(backend: Any, name: str) -> Any:
    from moto.dynamodb.exceptions import ResourceNotFoundException

    table = backend.tables.get(name)
    if table is None:
        raise ResourceNotFoundException()
    return table


def _rows(table: Any) -> list[dict[str, Any]]:
    return [it.to_json()["Attributes"] for it in table.all_items()]


def _key_item(table: Any, conds: dict[str, Any]) -> dict[str, Any] | None:
    keys = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
    if any(k not in conds for k in keys):
        raise Unsupported("UPDATE/DELETE must name the whole key")
    for row in _rows(table):
        if all(row.get(k) == conds[k] for k in keys):
            return row
    return None


def _check(row: dict[str, Any] | None, conds: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """The row, when it exists and meets every condition; else ConditionalCheckFailed."""
    if row is not None and all(row.get(k) == v for k, v in conds.items()):
        return row
    from moto.dynamodb.exceptions import ConditionalCheckFailed

    old = row if row is not None and body.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" else None
    raise ConditionalCheckFailed(item=old)


def execute(backend: Any, body: dict[str, Any]) -> dict[str, Any]:
    """ExecuteStatement's result for the data API's grammar; raises Unsupported otherwise."""
    stmt, params = body.get("Statement", ""), list(body.get("Parameters") or [])
    with _lock:
        ins = parse_insert(stmt, params) if _INSERT.match(stmt) else None
        if ins is not None:
            from moto.dynamodb.exceptions import DynamodbException

            table = _table(backend, ins[0])
            if _key_item(table, ins[1]) is not None:
                raise DynamodbException(
                    "com.amazonaws.dynamodb.v20120810#DuplicateItemException", "Duplicate primary key exists in table"
                )
            table.put_item(ins[1])
            return {"Items": []}
        m = _SELECT.match(stmt)
        if m:
            proj, name, index, where = m.groups()
            conds = _where(where, params)
            table = _table(backend, name)
            fields = None if proj.strip() == "*" else [f.strip().strip('"') for f in proj.split(",")]
            if fields is not None and any(not f or '"' in f or " " in f for f in fields):
                raise Unsupported(proj)
            rows = [r for r in _rows(table) if all(r.get(k) == v for k, v in conds.items())]
            if index:
                idx = next((i for i in table.all_indexes() if i.name == index), None)
                if idx is None:
                    from moto.dynamodb.exceptions import ResourceNotFoundException

                    raise ResourceNotFoundException()
                rows = [r for r in rows if all(a["AttributeName"] in r for a in idx.schema)]
            rows.sort(key=lambda r: json.dumps(r, sort_keys=True))
            start = int(json.loads(base64.b64decode(body["NextToken"]))["o"]) if body.get("NextToken") else 0
            limit = int(body["Limit"]) if body.get("Limit") else None
            page = rows[start : start + limit] if limit else rows[start:]
            out: dict[str, Any] = {
                "Items": [r if fields is None else {f: r[f] for f in fields if f in r} for r in page]
            }
            if limit and start + limit < len(rows):
                out["NextToken"] = base64.b64encode(json.dumps({"o": start + limit}).encode()).decode()
            return out
        m = _UPDATE.match(stmt)
        if m:
            name, sets, where, returning = m.groups()
            names = _SET.findall(sets)
            if len(params) < len(names):
                raise Unsupported(stmt)
            values = [params.pop(0) for _ in names]
            conds = _where(where, params)
            table = _table(backend, name)
            row = _check(_key_item(table, conds), conds, body)
            new = {**row, **dict(zip(names, values, strict=True))}
            table.put_item(new)
            return {"Items": [new] if returning else []}
        m = _DELETE.match(stmt)
        if m:
            name, where, returning = m.groups()
            conds = _where(where, params)
            table = _table(backend, name)
            row = _check(_key_item(table, conds), conds, body)
            from moto.dynamodb.models.dynamo_type import DynamoType

            rk = DynamoType(row[table.range_key_attr]) if table.range_key_attr else None
            table.delete_item(DynamoType(row[table.hash_key_attr]), rk)
            return {"Items": [row] if returning else []}
    raise Unsupported(stmt)


def patch(handler_cls: Any) -> None:
    orig = handler_cls.execute_statement

    def execute_statement(self: Any) -> Any:
        from moto.dynamodb.responses import DynamoResult

        try:
            return DynamoResult(execute(self.dynamodb_backend, self.body))
        except Unsupported:
            return orig(self)

    execute_statement.storefirst_shim = True  # type: ignore[attr-defined]  # tests tell a patched moto apart
    handler_cls.execute_statement = execute_statement
