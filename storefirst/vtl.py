"""Render API Gateway (REST API) mapping templates locally, with airspeed-ext.

The objects below behave as the AWS page "Mapping template and access logging variable
reference for REST APIs in API Gateway" documents them, including the warts a template
must survive:

- `$util.escapeJavaScript` escapes like Java's commons-lang `escapeJavaScript`, so a single
  quote becomes `\\'` (invalid JSON, as AWS warns), `/` becomes `\\/` and every character
  above 0x7e becomes a `\\uXXXX` escape (UTF-16 code units, upper-case hex);
- `$input.path` returns live objects (maps, lists, strings, numbers) and an empty string for
  a path that does not exist; `$input.json` returns the JSON text of the match;
- `$context.requestOverride.*` set by a request template stays readable by the response
  template of the same request (pass the same `context` dict to both renders), and
  `$context.responseOverride.status/header` set by a response template is returned.

Stable entry point for other tools (the local stack imports it):

    render(template, *, body, headers=None, path_params=None, query=None,
           stage_vars=None, context=None) -> str

`context` is mutated in place: after rendering, read `context["requestOverride"]` and
`context["responseOverride"]` (or use `render_full`, which returns them).
"""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import airspeed

__all__ = ["render", "render_full", "Rendered", "Util", "Input", "new_context", "escape_javascript", "jsonpath"]


# ---------------------------------------------------------------- JSONPath (the subset AWS docs use)

_TOKEN = re.compile(r"""\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]|\.\*|\[\*\]""")


class _Missing:
    pass


MISSING = _Missing()


def jsonpath(doc: Any, path: str) -> Any:
    """Evaluate a simple JSONPath (`$`, `.name`, `['name']`, `[n]`); MISSING when absent."""
    path = (path or "$").strip()
    if not path.startswith("$"):
        path = "$." + path
    pos, cur = 1, doc
    while pos < len(path):
        m = _TOKEN.match(path, pos)
        if not m:
            raise ValueError(f"unsupported JSONPath {path!r} at {pos}")
        pos = m.end()
        name = m.group(1) or m.group(3) or m.group(4)
        if m.group(2) is not None:
            idx = int(m.group(2))
            if not isinstance(cur, list) or idx >= len(cur):
                return MISSING
            cur = cur[idx]
        elif name is not None:
            if not isinstance(cur, dict) or name not in cur:
                return MISSING
            cur = cur[name]
        else:
            raise ValueError(f"wildcards are not supported here: {path!r}")
    return cur


class JavaMap(dict):
    """A dict that also answers the java.util.Map methods templates call."""

    def containsKey(self, key: str) -> bool:  # noqa: N802 (Java name)
        return key in self

    def keySet(self):  # noqa: N802
        return list(self.keys())

    def size(self) -> int:
        return len(self)

    def isEmpty(self) -> bool:  # noqa: N802
        return len(self) == 0

    def __str__(self) -> str:  # Java's AbstractMap.toString
        return "{" + ", ".join(f"{k}={_java_str(v)}" for k, v in self.items()) + "}"


def _java_str(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[" + ", ".join(_java_str(x) for x in v) + "]"
    return str(v)


def _javaify(v: Any) -> Any:
    if isinstance(v, dict):
        return JavaMap((k, _javaify(x)) for k, x in v.items())
    if isinstance(v, list):
        return [_javaify(x) for x in v]
    return v


# ---------------------------------------------------------------- $util


def escape_javascript(value: Any) -> str:
    """Java commons-lang escapeJavaScript, as `$util.escapeJavaScript` applies it."""
    if value is None:
        return ""
    s = value if isinstance(value, str) else _java_str(value)
    out = []
    for unit in _utf16_units(s):
        if unit > 0x7E:
            out.append(f"\\u{unit:04X}")
        elif unit < 0x20:
            out.append({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"}.get(unit, f"\\u{unit:04X}"))
        else:
            ch = chr(unit)
            out.append({"'": "\\'", '"': '\\"', "\\": "\\\\", "/": "\\/"}.get(ch, ch))
    return "".join(out)


def _utf16_units(s: str):
    for ch in s:
        cp = ord(ch)
        if cp > 0xFFFF:
            cp -= 0x10000
            yield 0xD800 + (cp >> 10)
            yield 0xDC00 + (cp & 0x3FF)
        else:
            yield cp


class Util:
    """`$util`: the functions AWS lists for mapping templates."""

    def escapeJavaScript(self, value: Any) -> str:  # noqa: N802
        return escape_javascript(value)

    def parseJson(self, text: str) -> Any:  # noqa: N802
        return _javaify(json.loads(text))

    def urlEncode(self, text: str) -> str:  # noqa: N802 (java.net.URLEncoder: space -> '+')
        return urllib.parse.quote_plus(str(text), safe="*")

    def urlDecode(self, text: str) -> str:  # noqa: N802
        return urllib.parse.unquote_plus(str(text))

    def base64Encode(self, text: str) -> str:  # noqa: N802
        return base64.b64encode(str(text).encode("utf-8")).decode("ascii")

    def base64Decode(self, text: str) -> str:  # noqa: N802
        return base64.b64decode(str(text)).decode("utf-8")


# ---------------------------------------------------------------- $input


def _json_text(v: Any) -> str:
    # Compact JSON, non-ASCII kept as UTF-8 (what API Gateway emits for $input.json).
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


class Input:
    """`$input`: body, path(), json(), params()."""

    def __init__(self, body: str, params: dict[str, dict[str, str]]):
        self.body = body
        self._params = params
        self._doc: Any = MISSING
        self._parsed = False

    def _document(self) -> Any:
        if not self._parsed:
            self._parsed = True
            try:
                self._doc = json.loads(self.body) if self.body else MISSING
            except ValueError:
                self._doc = MISSING
        return self._doc

    def path(self, path: str) -> Any:
        doc = self._document()
        found = MISSING if doc is MISSING else jsonpath(doc, path)
        return "" if found is MISSING else _javaify(found)

    def json(self, path: str) -> str:
        doc = self._document()
        found = MISSING if doc is MISSING else jsonpath(doc, path)
        return "" if found is MISSING else _json_text(found)

    def params(self, name: str | None = None) -> Any:
        if name is None:
            return JavaMap((k, JavaMap(v)) for k, v in self._params.items())
        for kind in ("path", "querystring", "header"):
            got = self._params.get(kind, {})
            if name in got:
                return got[name]
            if kind == "header":
                for k, v in got.items():
                    if k.lower() == name.lower():
                        return v
        return ""


# ---------------------------------------------------------------- $context


def new_context(**overrides: Any) -> dict[str, Any]:
    """A `$context` with the fields templates and access logs commonly read."""
    ctx: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": "local",
        "domainName": "local.execute-api.localhost",
        "httpMethod": "POST",
        "path": "/local/",
        "protocol": "HTTP/1.1",
        "requestId": "00000000-0000-4000-8000-000000000000",
        "extendedRequestId": "local",
        "requestTime": "01/Jan/2026:00:00:00 +0000",
        "requestTimeEpoch": 1767225600000,
        "resourceId": "root",
        "resourcePath": "/",
        "stage": "local",
        "identity": {"sourceIp": "127.0.0.1", "userAgent": "storefirst", "caller": "", "user": "", "userArn": ""},
        "error": {"message": "", "messageString": '""', "responseType": "", "validationErrorString": ""},
        "requestOverride": {"header": {}, "querystring": {}, "path": {}},
        "responseOverride": {"header": {}, "status": 0},
    }
    ctx.update(overrides)
    return ctx


# ---------------------------------------------------------------- render


@lru_cache(maxsize=256)
def _compiled(template: str) -> airspeed.Template:
    t = airspeed.Template(template)
    t.ensure_compiled()
    return t


@dataclass
class Rendered:
    body: str
    request_override: dict[str, Any] = field(default_factory=dict)
    response_override: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> int:
        try:
            status = int(self.response_override.get("status") or 0)
        except (TypeError, ValueError):
            return 0
        # AWS ignores an override outside 100-599.
        return status if 100 <= status < 600 else 0


def render_full(
    template: str,
    *,
    body: str | bytes | dict | list | None,
    headers: dict[str, str] | None = None,
    path_params: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    stage_vars: dict[str, str] | None = None,
    context: dict[str, Any] | None = None,
) -> Rendered:
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
    elif isinstance(body, bytes):
        body = body.decode("utf-8")
    ctx = context if context is not None else new_context()
    ctx.setdefault("requestOverride", {"header": {}, "querystring": {}, "path": {}})
    ctx.setdefault("responseOverride", {"header": {}, "status": 0})
    params = {"path": dict(path_params or {}), "querystring": dict(query or {}), "header": dict(headers or {})}
    namespace = {
        "input": Input(body or "", params),
        "util": Util(),
        "context": ctx,
        "stageVariables": dict(stage_vars or {}),
    }
    out = _compiled(template).merge(namespace)
    return Rendered(out, ctx["requestOverride"], ctx["responseOverride"])


def render(
    template: str,
    *,
    body: str | bytes | dict | list | None,
    headers: dict[str, str] | None = None,
    path_params: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    stage_vars: dict[str, str] | None = None,
    context: dict[str, Any] | None = None,
) -> str:
    """Render one mapping template; returns the output text (see module docstring)."""
    return render_full(
        template,
        body=body,
        headers=headers,
        path_params=path_params,
        query=query,
        stage_vars=stage_vars,
        context=context,
    ).body
