"""Steps parse, route and throttle of the HTTP API chain (each raises a GatewayError to end
the request with the answer AWS gives at that point).

- parse: the stage is the first path segment when the API has a stage of that name, else
  `$default` served at `/` ("Working with stages for HTTP APIs"); no such stage -> 404.
- route: "Working with routes for HTTP APIs": most specific match wins, greedy `{proxy+}`
  after exact paths, ANY after an explicit method, `$default` last; none -> 404
  {"message":"Not Found"}.
- throttle: "Throttle requests to your HTTP APIs": token bucket per stage and route, route
  settings over the stage defaults; over the limit -> 429 {"message":"Too Many Requests"}.
"""

from __future__ import annotations

from ..core import RouteNotFound, Throttled, split_path
from .model import HttpApi, RequestCtx


def parse(api: HttpApi, method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str) -> RequestCtx:
    path, _, query = target.partition("?")
    ctx = RequestCtx(api, method.upper(), path, query, headers, body, source_ip)
    segs = [s for s in path.split("/") if s]
    if segs and segs[0] != "$default" and segs[0] in api.stages:
        ctx.stage, ctx.path = segs[0], "/" + "/".join(segs[1:])
    elif "$default" in api.stages:
        ctx.stage, ctx.path = "$default", path
    else:
        ctx.stage, ctx.path = "", path
    return ctx


def route(ctx: RequestCtx) -> None:
    if not ctx.stage:
        raise RouteNotFound("no stage serves this path")
    segs = split_path(ctx.path)
    for r in sorted(ctx.api.routes, key=lambda r: r.specificity(), reverse=True):
        params = r.match(ctx.method, segs)
        if params is not None:
            ctx.route, ctx.path_params = r, params
            return
    raise RouteNotFound(f"no route matches {ctx.method} {ctx.path}")


def throttle(ctx: RequestCtx) -> None:
    bucket = ctx.api.bucket(ctx.stage, ctx.route.route_key)  # type: ignore[union-attr]
    if bucket is not None and not bucket.take():
        raise Throttled(f"over the throttling limit of {ctx.route.route_key}")  # type: ignore[union-attr]
