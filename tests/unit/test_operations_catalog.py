"""One contract: the bundled catalog and its draft-04 validator agree with the catalog file and
with the `jsonschema` package (the oracle), and the zips carry the catalog they read."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import jsonschema
import pytest
import yaml

from storefirst import build, catalog, contract
from storefirst.terraform import REPO

sys.path.insert(0, str(REPO / "lambda_src" / "shared"))
import operations_catalog  # noqa: E402
from operations_catalog.schema import Validator  # noqa: E402

USERS = yaml.safe_load((REPO / "envs" / "catalogs" / "users.yaml").read_text())
HOSTILE_STRINGS = ["", "a", "x" * 128, "x" * 129, "x" * 256, "x" * 257, "a@b", "a@b.c", "@b", "a@", "a b@c",
                   "a@b\n", "a@@b", "é@ü", "a\u00a0@b", "null", "0", "USER#1", "a#b", "\x00", "ðŸ˜€" * 200]
HOSTILE_VALUES = [None, 0, 1, 1.0, -1, True, False, [], ["a"], {}, {"a": 1}]


def _values(schema: dict) -> list:
    """Objects close to the schema's edge: each property set to each hostile value, one missing,
    one extra, plus non-objects."""
    props = schema.get("properties", {})
    base = {name: "ok@example.com" if name == "email" else "ok" for name in props}
    out: list = [base, {**base, "extra": "x"}, *HOSTILE_VALUES, "text"]
    for name in props:
        out.append({k: v for k, v in base.items() if k != name})
        out += [{**base, name: v} for v in HOSTILE_STRINGS + HOSTILE_VALUES]
    return out


CASES = [(op, schema := USERS["operations"][op]["data"], v) for op in USERS["operations"]
         for v in _values(USERS["operations"][op]["data"])]


@pytest.mark.parametrize("op, schema, value", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_validator_agrees_with_jsonschema_on_the_catalog(op, schema, value):
    expected = jsonschema.Draft4Validator(schema).is_valid(value)
    got = Validator(schema).errors(value)
    assert (got == []) == expected, (value, got)


OTHER_SCHEMAS = [
    {"type": "integer", "minimum": 1, "maximum": 10},
    {"type": "integer", "minimum": 1, "exclusiveMinimum": True, "maximum": 10, "exclusiveMaximum": True},
    {"type": "number", "maximum": 2.5},
    {"type": "boolean"},
    {"type": ["string", "null"], "enum": ["a", None]},
    {"type": "array", "items": {"type": "string", "maxLength": 2}, "minItems": 1, "maxItems": 2},
    {"type": "object", "additionalProperties": {"type": "integer"}, "minProperties": 1, "maxProperties": 2},
    {"type": "string", "pattern": "b"},  # draft 4 patterns are searches, not anchored
]
OTHER_VALUES = [None, True, False, 0, 1, 2, 2.5, 3.0, 10, 11, -5, "", "a", "abc", "cbd", [], ["a"], ["abc"],
                ["a", "b", "c"], [1], {}, {"a": 1}, {"a": "x"}, {"a": 1, "b": 2, "c": 3}, {"a": True}]


@pytest.mark.parametrize("schema", OTHER_SCHEMAS, ids=[json.dumps(s) for s in OTHER_SCHEMAS])
def test_validator_agrees_with_jsonschema_on_every_supported_keyword(schema):
    for value in OTHER_VALUES:
        assert (Validator(schema).errors(value) == []) == jsonschema.Draft4Validator(schema).is_valid(value), value


def test_a_keyword_the_validator_does_not_implement_is_refused_at_build(tmp_path):
    bad = json.loads(json.dumps(USERS))
    for op in bad["operations"].values():  # every operation: the catalog wants one id definition
        if "id" in op["data"]["properties"]:
            op["data"]["properties"]["id"]["format"] = "uuid"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad))
    with pytest.raises(catalog.CatalogError, match="keyword 'format' is not supported"):
        contract.compile_catalog(path)


def test_keys_and_attributes_come_from_the_catalog():
    cat = operations_catalog.Catalog(contract.compile_catalog("users"))
    create = cat.operation("store-new-user")
    user = {"id": "7", "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
    assert create.item(user) == {"pk": {"S": "USER#7"}, **{k: {"S": v} for k, v in user.items()}}
    assert cat.hash_key == USERS["table"]["hash_key"]
    assert cat.operation("list-users-by-last-name").index == "gsi1"
    assert cat.operation("get-user").returns == tuple(USERS["operations"]["get-user"]["returns"])


@pytest.mark.parametrize("function", ["webhook_worker", "users_api"])
def test_the_zip_bundles_the_compiled_catalog_and_reads_it_without_the_repo(function, tmp_path):
    z = build.build(function)
    with zipfile.ZipFile(z) as zf:
        assert zf.read("operations_catalog/users.json") == contract.compiled_bytes("users")
        zf.extractall(tmp_path)
    # -I: no PYTHONPATH, no site dir of this checkout: only the unpacked zip (Lambda's /var/task).
    code = ("import operations_catalog as c; cat = c.load('users'); "
            "assert c.HERE.joinpath('users.json').exists(); print(sorted(cat.operations))")
    out = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, '.'); {code}"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.replace("'", '"')) == sorted(USERS["operations"])
