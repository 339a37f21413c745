"""The data API's generated templates, executed: render -> DynamoDB (Local and moto) -> render.

The templates come from modules/data-api/modules/catalog via Terraform (exactly what would be
deployed), the requests run against DynamoDB Local (AWS's own engine) and against moto, and
the assertions are on what a caller of the API would receive.
"""

from __future__ import annotations

import json
import string
import textwrap
import uuid

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storefirst import catalog, vtl
from storefirst.data_api_local import LocalDataApi
from storefirst.terraform import REPO

pytestmark = pytest.mark.terraform

USERS = REPO / "envs" / "catalogs" / "users.yaml"


def _client(endpoint):
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name="eu-west-1",
                        aws_access_key_id="AKIDLOCAL", aws_secret_access_key="local-secret")


def _create_users_table(endpoint, name):
    c = _client(endpoint)
    c.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "last_name", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[{"IndexName": "gsi1", "KeySchema": [{"AttributeName": "last_name", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
    )
    return c


@pytest.fixture(scope="module")
def users_generated():
    return catalog.generate(USERS, "users")


@pytest.fixture(scope="module")
def moto_server():
    from moto.server import ThreadedMotoServer

    from storefirst.dynamodb_local import free_port

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(params=["dynamodb_local", "moto"])
def backend(request):
    if request.param == "dynamodb_local":
        return request.getfixturevalue("dynamodb_local").endpoint
    return request.getfixturevalue("moto_server")


def _api(generated_for, endpoint):
    table = "users_" + uuid.uuid4().hex[:8]
    client = _create_users_table(endpoint, table)
    gen = generated_for(table)
    return LocalDataApi(gen, endpoint), client, table


@pytest.fixture(scope="module")
def generated_for():
    cache = {}

    def _gen(table):
        # Table names differ per test; the templates only differ in the quoted name.
        if "base" not in cache:
            cache["base"] = catalog.generate(USERS, "users")
        base = cache["base"]
        import dataclasses

        fix = lambda s: s.replace('\\"users\\"', '\\"%s\\"' % table)  # noqa: E731
        return dataclasses.replace(base, request_template=fix(base.request_template))

    return _gen


# Where moto 5.2.5 differs from DynamoDB; strict so a moto fix is noticed.
MOTO_GAPS = {
    "projection": "moto 5.2.5 drops double-quoted attribute names in a SELECT projection (items come back empty)",
    "insert": "moto 5.2.5 (py-partiql-parser) cannot bind ? parameters inside INSERT ... VALUE {...}: HTTP 500",
}


def _moto_patched() -> bool:
    """An Emulator started earlier in this process patches moto's DynamoDB handler with the
    PartiQL shim (process-wide), so moto's own gap can no longer be observed here."""
    from moto.dynamodb.responses import DynamoHandler

    return getattr(DynamoHandler.execute_statement, "storefirst_shim", False)


def _moto_xfail(backend_name, gap, api):
    if backend_name == "moto":
        if _moto_patched():
            pytest.skip("moto is patched by the emulator's PartiQL shim in this process; its gap is checked in a fresh process (test_moto_gaps_are_checked_in_a_process_without_the_emulator)")
        # Prove the gap is still there before giving up on this path.
        r = api.call("store-new-user", {**USER, "id": "probe"})
        assert r.integration_status is not None and r.integration_status >= 500, r.raw
        pytest.xfail(MOTO_GAPS[gap])


USER = {"id": "ABC123", "first_name": "John", "last_name": "Doe", "email": "john@example.com"}


# ------------------------------------------------------------------ catalog + generation

def test_users_catalog_is_valid():
    cat = catalog.load(USERS)
    assert set(cat["operations"]) >= {"store-new-user", "get-user", "list-users-by-last-name", "update-user-email", "delete-user"}


def test_generated_statements_and_grants(users_generated):
    g = users_generated
    assert g.operations["list-users-by-last-name"] == "query"
    assert g.statements["store-new-user"].startswith('INSERT INTO "users" VALUE')
    assert g.statements["list-users-by-last-name"].endswith('FROM "users"."gsi1" WHERE "last_name" = ?')
    assert {(x["action"], x["index"]) for x in g.grants} == {
        ("dynamodb:PartiQLInsert", None), ("dynamodb:PartiQLSelect", None), ("dynamodb:PartiQLSelect", "gsi1"),
        ("dynamodb:PartiQLUpdate", None), ("dynamodb:PartiQLDelete", None)}
    assert g.model["$schema"] == "http://json-schema.org/draft-04/schema#"
    import jsonschema

    jsonschema.Draft4Validator.check_schema(g.model)  # API Gateway refuses invalid models
    # Everything a model may not do in API Gateway: no remote references.
    assert "$ref" not in json.dumps(g.model)


@pytest.mark.parametrize("patch, expected", [
    ({"operations": {"get-user": {"kind": "fetch"}}}, "operation get-user: kind must be one of create, get, query, update, delete"),
    ({"operations": {"get-user": {"key": {"pk": "USER#{nope}"}}}}, "operation get-user: field nope must be a required property of data"),
    ({"operations": {"update-user-email": {"writes": ["pk"]}}}, "operation update-user-email: writes may not include the table key pk"),
    ({"operations": {"list-users-by-last-name": {"index": "gsi9"}}}, "operation list-users-by-last-name: index gsi9 is not declared under table.indexes"),
    ({"operations": {"get-user": {"key": {"pk": "USER'{id}"}}}}, "operation get-user: literal text in USER'{id} may only use"),
])
def test_bad_catalogs_rejected_by_python_and_terraform(tmp_path, patch, expected):
    import yaml

    cat = yaml.safe_load(USERS.read_text())
    for op, changes in patch["operations"].items():
        cat["operations"][op].update(changes)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(cat))
    with pytest.raises(catalog.CatalogError) as exc:
        catalog.load(bad)
    assert expected in str(exc.value)
    with pytest.raises(Exception) as tf_exc:
        catalog.generate(bad, "users")
    assert expected in " ".join(str(tf_exc.value).split())


def test_envelope_validation_names_the_problem(users_generated):
    m = users_generated.model
    assert catalog.validate_envelope(m, {"operation": "store-new-user", "data": USER}) == []
    errs = catalog.validate_envelope(m, {"operation": "drop-table", "data": {}})
    assert any("operation" in e and "drop-table" in e for e in errs)
    errs = catalog.validate_envelope(m, {"operation": "get-user", "data": {"id": "x", "admin": True}})
    assert any("admin" in e for e in errs)
    errs = catalog.validate_envelope(m, {"operation": "get-user", "data": {"id": 5}})
    assert any(e.startswith("data/id") for e in errs)
    assert catalog.validate_envelope(m, {"operation": "get-user", "data": {"id": "x"}, "page_size": 5})


# ------------------------------------------------------------------ executed against engines

def test_lifecycle(backend, request, generated_for):
    name = request.node.callspec.params["backend"]
    api, client, table = _api(generated_for, backend)
    _moto_xfail(name, "insert", api)
    r = api.call("store-new-user", USER)
    assert (r.status, r.body) == (201, {"data": {}})
    r = api.call("store-new-user", USER)
    assert r.status == 409 and r.body["error"] == "Conflict"
    r = api.call("get-user", {"id": "ABC123"})
    assert (r.status, r.body) == (200, {"data": USER})
    r = api.call("get-user", {"id": "nobody"})
    assert r.status == 404 and r.body["error"] == "NotFound"
    r = api.call("update-user-email", {"id": "ABC123", "email": "j@d.example"})
    assert (r.status, r.body) == (200, {"data": {**USER, "email": "j@d.example"}})
    r = api.call("update-user-email", {"id": "nobody", "email": "x@y"})
    assert r.status == 404, r.raw
    r = api.call("delete-user", {"id": "ABC123"})
    assert (r.status, r.body) == (200, {"data": {**USER, "email": "j@d.example"}})
    r = api.call("delete-user", {"id": "ABC123"})
    assert r.status == 404
    assert client.scan(TableName=table)["Items"] == []
    # Plain JSON only: no DynamoDB type descriptors leak to callers.
    assert '"S":' not in r.raw


def test_query_pagination(backend, request, generated_for):
    name = request.node.callspec.params["backend"]
    api, client, table = _api(generated_for, backend)
    _moto_xfail(name, "insert", api)
    for i in range(7):
        assert api.call("store-new-user", {**USER, "id": f"u{i}"}).status == 201
    assert api.call("store-new-user", {**USER, "id": "other", "last_name": "Roe"}).status == 201
    seen, token, pages = [], None, 0
    while True:
        extra = {"page_size": 3, **({"next_token": token} if token else {})}
        r = api.call("list-users-by-last-name", {"last_name": "Doe"}, **extra)
        assert r.status == 200, r.raw
        assert len(r.body["data"]) <= 3
        seen += [u["id"] for u in r.body["data"]]
        pages += 1
        token = r.body["next_token"]
        if token is None:
            break
    assert sorted(seen) == [f"u{i}" for i in range(7)] and pages >= 3
    r = api.call("list-users-by-last-name", {"last_name": "Nobody"})
    assert (r.status, r.body) == (200, {"data": [], "next_token": None})
    # A forged token is DynamoDB's ValidationException -> 400, not a 500.
    r = api.call("list-users-by-last-name", {"last_name": "Doe"}, next_token="garbage")
    assert r.status == 400 and r.body["error"] == "ValidationError"


def test_reads_on_items_written_directly(backend, request, generated_for):
    # The worker may write users with boto3 when no data API is wired: reads must see them.
    api, client, table = _api(generated_for, backend)
    client.put_item(TableName=table, Item={"pk": {"S": "USER#w1"}, "id": {"S": "w1"}, "first_name": {"S": "Ann"},
                                           "last_name": {"S": "Lee"}, "email": {"S": "a@l"}})
    client.put_item(TableName=table, Item={"pk": {"S": "USER#w2"}, "id": {"S": "w2"}, "last_name": {"S": "Lee"}})
    r = api.call("get-user", {"id": "w1"})
    if request.node.callspec.params["backend"] == "moto":
        if _moto_patched():
            pytest.skip("moto is patched by the emulator's PartiQL shim in this process; its gap is checked in a fresh process (test_moto_gaps_are_checked_in_a_process_without_the_emulator)")
        assert r.status == 200 and r.body["data"]["id"] is None, r.raw  # the gap is still there
        pytest.xfail(MOTO_GAPS["projection"])
    assert (r.status, r.body) == (200, {"data": {"id": "w1", "first_name": "Ann", "last_name": "Lee", "email": "a@l"}})
    r = api.call("get-user", {"id": "w2"})  # attributes the writer left out come back as null
    assert r.body == {"data": {"id": "w2", "first_name": None, "last_name": "Lee", "email": None}}
    assert api.call("get-user", {"id": "w3"}).status == 404
    r = api.call("list-users-by-last-name", {"last_name": "Lee"})
    assert r.status == 200 and sorted(u["id"] for u in r.body["data"]) == ["w1", "w2"]


def test_bad_envelopes_never_reach_dynamodb(dynamodb_local, generated_for):
    api, client, table = _api(generated_for, dynamodb_local.endpoint)
    for env in ({"operation": "drop-table", "data": {}},
                {"operation": "store-new-user", "data": {**USER, "is_admin": True}},
                {"operation": "store-new-user", "data": {**USER, "id": ""}},
                {"operation": "get-user", "data": {"id": "x"}, "page_size": 2},
                {"operation": "get-user"}):
        r = api.handle(env)
        # No gateway responses configured here: AWS's default BAD_REQUEST_BODY body. The
        # module's own 400 (naming the problem) is pinned in test_data_api_gateway_responses.py.
        assert (r.status, r.integration_status, r.body) == (400, None, {"message": "Invalid request body"}), env
    assert client.scan(TableName=table)["Items"] == []


MATCH_CATALOG = """
version: 1
name: accounts
table: {hash_key: pk}
attributes: {email: "S", visits: "N", active: "BOOL"}
operations:
  open-account:
    kind: create
    key: {pk: "ACCT#{id}"}
    writes: [email, visits, active]
    data:
      type: object
      additionalProperties: false
      required: [id, email, visits, active]
      properties:
        id: {type: string, minLength: 1}
        email: {type: string}
        visits: {type: integer}
        active: {type: boolean}
  change-email-if:
    kind: update
    key: {pk: "ACCT#{id}"}
    writes: [email]
    match: {email: "{current_email}"}
    returns: [email, visits, active]
    data:
      type: object
      additionalProperties: false
      required: [id, email, current_email]
      properties:
        id: {type: string, minLength: 1}
        email: {type: string}
        current_email: {type: string}
  get-account:
    kind: get
    key: {pk: "ACCT#{id}"}
    returns: [email, visits, active]
    data:
      type: object
      additionalProperties: false
      required: [id]
      properties:
        id: {type: string, minLength: 1}
"""


def test_conditions_numbers_booleans(dynamodb_local, tmp_path):
    path = tmp_path / "accounts.yaml"
    path.write_text(textwrap.dedent(MATCH_CATALOG))
    catalog.load(path)
    table = "accounts_" + uuid.uuid4().hex[:8]
    _client(dynamodb_local.endpoint).create_table(
        TableName=table, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    api = LocalDataApi(catalog.generate(path, table), dynamodb_local.endpoint)
    assert api.call("open-account", {"id": "1", "email": "a@x", "visits": 12345678901234, "active": False}).status == 201
    r = api.call("get-account", {"id": "1"})
    assert r.body == {"data": {"email": "a@x", "visits": 12345678901234, "active": False}}
    r = api.call("change-email-if", {"id": "1", "email": "b@x", "current_email": "wrong@x"})
    assert r.status == 409 and r.body["error"] == "Conflict"
    r = api.call("change-email-if", {"id": "missing", "email": "b@x", "current_email": "a@x"})
    assert r.status == 404
    r = api.call("change-email-if", {"id": "1", "email": "b@x", "current_email": "a@x"})
    assert (r.status, r.body["data"]["email"]) == (200, "b@x")


@pytest.mark.parametrize("dynamo_error, status, error", [
    ('{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}', 429, "Throttled"),
    ('{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow down"}', 429, "Throttled"),
    ('{"__type":"com.amazonaws.dynamodb.v20120810#RequestLimitExceeded","message":"account limit"}', 429, "Throttled"),
    ('{"__type":"com.amazonaws.dynamodb.v20120810#TransactionConflictException","message":"busy"}', 409, "Conflict"),
    ('{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"no table"}', 500, "InternalError"),
    ('{"__type":"com.amazon.coral.service#AccessDeniedException","Message":"denied"}', 500, "InternalError"),
])
def test_error_mapping_of_errors_engines_cannot_produce(users_generated, dynamo_error, status, error):
    ctx = vtl.new_context()
    ctx["requestOverride"]["header"]["StorefirstOperation"] = "get-user"
    out = vtl.render_full(users_generated.error_template, body=dynamo_error, context=ctx)
    assert out.status == status and json.loads(out.body)["error"] == error


def test_unavailable_is_503_json(users_generated):
    out = vtl.render_full(users_generated.unavailable_template, body="<html>oops</html>")
    assert json.loads(out.body)["error"] == "ServiceUnavailable"


# ------------------------------------------------------------------ injection property

SPICY = ["'", '"', "\\", "\n", "\r\n", "\t", "\x00", "\x1f", "\u2028", "😀", "𝄞", "$", "#", "${x}", "$!x",
         "#set($x = 1)", "#end", "#if(true)", "$input.json('$')", "$util.escapeJavaScript('x')", "\\\"", "\\u0022",
         '"}],"Statement":"DELETE FROM \\"users\\""', "USER#victim", "', 'pk': 'USER#victim", "?", "{id}", "##", "#*", "*#"]

text = st.lists(st.one_of(st.sampled_from(SPICY), st.text(st.characters(exclude_categories=("Cs",)), max_size=8)),
                min_size=1, max_size=6).map("".join)
no_at_ws = text.map(lambda s: "".join(ch for ch in s if ch != "@" and not ch.isspace()) or "x")


@pytest.fixture(scope="module")
def injection_api(dynamodb_local, generated_for):
    api, client, table = _api(generated_for, dynamodb_local.endpoint)
    victim = {"pk": {"S": "USER#victim"}, "id": {"S": "victim"}, "first_name": {"S": "V"},
              "last_name": {"S": "Victim"}, "email": {"S": "v@x"}}
    client.put_item(TableName=table, Item=victim)
    return api, client, table, victim


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(uid=text.filter(lambda s: 0 < len(s) <= 128 and s != "victim"), first=text, last=text, local=no_at_ws, domain=no_at_ws)
def test_values_round_trip_and_cannot_inject(injection_api, uid, first, last, local, domain):
    api, client, table, victim = injection_api
    user = {"id": uid, "first_name": first[:256], "last_name": last[:256], "email": f"{local}@{domain}"[:320]}
    if catalog.validate_envelope(api.g.model, {"operation": "store-new-user", "data": user}):
        r = api.call("store-new-user", user)
        assert r.status == 400 and r.integration_status is None
        return
    r = api.call("store-new-user", user)
    assert r.status == 201, r.raw
    try:
        got = api.call("get-user", {"id": uid})
        assert got.status == 200 and got.body == {"data": user}, got.raw  # byte for byte
        item = client.get_item(TableName=table, Key={"pk": {"S": "USER#" + uid}}, ConsistentRead=True)["Item"]
        # Exactly the declared attributes, the key built from the template, nothing else.
        assert set(item) == {"pk", "id", "first_name", "last_name", "email"}
        assert item["pk"] == {"S": "USER#" + uid}
        assert {k: v["S"] for k, v in item.items() if k != "pk"} == user
        page = api.call("list-users-by-last-name", {"last_name": user["last_name"]}, page_size=100)
        assert page.status == 200 and user in page.body["data"], page.raw
        r = api.call("update-user-email", {"id": uid, "email": user["email"] + "x"})
        assert r.status == 200 and r.body["data"]["email"] == user["email"] + "x"
        assert set(client.get_item(TableName=table, Key={"pk": {"S": "USER#" + uid}})["Item"]) == set(item)
    finally:
        assert api.call("delete-user", {"id": uid}).status == 200
    # The other item is untouched and nothing else was written.
    assert client.get_item(TableName=table, Key={"pk": {"S": "USER#victim"}}, ConsistentRead=True)["Item"] == victim
    assert client.scan(TableName=table, Select="COUNT")["Count"] == 1


def test_escape_javascript_matches_aws_warning():
    # AWS: escapeJavaScript turns ' into \' which is not valid JSON; the generated templates
    # therefore never build JSON from it (they use $input.json).
    out = vtl.render("\"$util.escapeJavaScript($input.path('$.v'))\"", body={"v": "it's \"x\" / 😀"})
    assert out == '"it\\\'s \\"x\\" \\/ \\uD83D\\uDE00"'
    with pytest.raises(ValueError):
        json.loads(out)
    assert vtl.render("$util.urlEncode('a b&c')", body={}) == "a+b%26c"
    assert vtl.render("$util.base64Decode($util.base64Encode('é'))", body={}) == "é"
    assert vtl.render("$util.parseJson('{\"a\":[1]}').a.size()", body={}) == "1"
    assert vtl.render("[$input.path('$.missing')]", body={"a": 1}) == "[]"
    assert set(string.ascii_letters) <= set(vtl.escape_javascript(string.ascii_letters))


def _gateway_response_substitute(template: str, context: dict) -> str:
    """A gateway response the AWS way (substitution only), by the local REST gateway's own code."""
    from storefirst.local.apigw.rest.gateway_responses import substitute

    return substitute(template, {"context": context})


HOSTILE_VALIDATION_ERRORS = [
    '[object has missing required properties (["operation"])]',
    '[instance value ("it\'s\\"bad") not found in enum (possible values: ["get-user"])]',
    '[instance value ("\\u0000 \u00e9 \U0001f600 \n") not found in enum]',
    "",
]


@pytest.mark.parametrize("validation_error", HOSTILE_VALIDATION_ERRORS)
def test_bad_request_body_gateway_response_is_json_with_substitution_only(validation_error):
    template = (REPO / "modules" / "data-api" / "templates" / "bad_request_body.json.tftpl").read_text().strip()
    ops = sorted(catalog.load(USERS)["operations"])
    rendered_tf = template.replace("${operations}", json.dumps(ops))
    assert not any(tok in rendered_tf for tok in ("#set", "#if", "#foreach", "$util", "$input")), "no VTL in a gateway response"
    context = {"requestId": "r-9", "error": {
        "message": "Invalid request body", "messageString": '"Invalid request body"',
        "responseType": "BAD_REQUEST_BODY", "validationErrorString": validation_error}}
    out = json.loads(_gateway_response_substitute(rendered_tf, context))
    assert out["error"] == "ValidationError" and out["message"] == "Invalid request body"
    assert out["operations"] == ops and "get-user" in ops and out["request_id"] == "r-9"
    assert "validationError" in out["detail"]


def test_lone_surrogate_is_400_not_a_corrupted_item(dynamodb_local, generated_for):
    api, client, table = _api(generated_for, dynamodb_local.endpoint)
    body = '{"operation":"store-new-user","data":{"id":"s1","first_name":"\\ud800","last_name":"Doe","email":"a@b"}}'
    r = api.handle(body)
    assert r.status == 400 and r.integration_status is None
    assert client.scan(TableName=table)["Items"] == []


def test_catalog_cli(tmp_path):
    from storefirst.cli import main

    assert main(["catalog", str(USERS)]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 2\noperations: {}\n")
    assert main(["catalog", str(bad)]) == 1


def test_moto_gaps_are_checked_in_a_process_without_the_emulator():
    """The [moto] cases above skip where an Emulator already patched moto in this process; here
    they run in a fresh one, so a moto fix (an xfail turning into a pass) is still noticed."""
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider",
                          __file__, "-k", "moto and not fresh_process and not without_the_emulator"],
                         capture_output=True, text=True, cwd=REPO, timeout=600)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    assert "xfailed" in res.stdout and "skipped" not in res.stdout, res.stdout[-2000:]
