"""storefirst.vtl: the $input / $util / $context behaviour API Gateway documents."""

from __future__ import annotations

import json

import pytest

from storefirst import vtl


def r(template, body=None, **kw):
    return vtl.render(template, body=body if body is not None else {}, **kw)


@pytest.mark.parametrize("value, expected", [
    ("it's", "it\\'s"),                 # AWS: ' -> \' (not valid JSON)
    ('say "hi"', 'say \\"hi\\"'),
    ("a\\b", "a\\\\b"),
    ("a/b", "a\\/b"),
    ("l1\nl2\tx\r", "l1\\nl2\\tx\\r"),
    ("\x01", "\\u0001"),
    ("é", "\\u00E9"),
    ("😀", "\\uD83D\\uDE00"),           # UTF-16 surrogates, upper-case hex
    ("$x #set", "$x #set"),
])
def test_escape_javascript(value, expected):
    assert r("$util.escapeJavaScript($input.path('$.v'))", {"v": value}) == expected


def test_input_json_is_valid_json_for_any_string():
    nasty = "'\"\\\n\x00😀$#{}"
    out = r('{"v":$input.json(\'$.v\')}', {"v": nasty})
    assert json.loads(out) == {"v": nasty}


def test_input_path_objects_and_missing():
    body = {"a": {"b": [1, {"c": "x"}]}, "n": 3}
    assert r("$input.path('$.a.b[1].c')", body) == "x"
    assert r("$input.path('$.a.b').size()", body) == "2"
    assert r("#if($input.path('$.a').containsKey('b'))yes#end", body) == "yes"
    assert r("[$input.path('$.nope')]", body) == "[]"
    assert r("$input.json('$.a.b')", body) == '[1,{"c":"x"}]'
    assert r("$input.body", body) == json.dumps(body)


def test_params_headers_case_insensitive_and_maps():
    out = r("$input.params('x-correlation-id')|$input.params('id')|$input.params('q')|$input.params().header.size()",
            headers={"X-Correlation-Id": "c1"}, path_params={"id": "7"}, query={"q": "s"})
    assert out == "c1|7|s|1"


def test_util_functions():
    assert r("$util.urlEncode('a b/c?d=é')") == "a+b%2Fc%3Fd%3D%C3%A9"
    assert r("$util.urlDecode('a+b%2Fc')") == "a b/c"
    assert r("$util.base64Encode('hello')") == "aGVsbG8="
    assert r("$util.base64Decode('aGVsbG8=')") == "hello"
    assert r("$util.parseJson('{\"k\":{\"v\":2}}').k.v") == "2"


def test_context_overrides_flow_from_request_to_response():
    ctx = vtl.new_context(requestId="rid-1")
    req = vtl.render_full("#set($context.requestOverride.header.Op = 'get')$context.requestId", body={}, context=ctx)
    assert req.body == "rid-1" and req.request_override["header"] == {"Op": "get"}
    resp = vtl.render_full("#set($context.responseOverride.status = 404)$context.requestOverride.header.Op", body={}, context=ctx)
    assert resp.body == "get" and resp.status == 404


def test_status_override_outside_range_is_ignored():
    out = vtl.render_full("#set($context.responseOverride.status = 42)", body={})
    assert out.status == 0


def test_stage_variables():
    assert r("$stageVariables.table", stage_vars={"table": "users"}) == "users"
