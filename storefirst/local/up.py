"""`storefirst up [env]` (`make up`): an env on the embedded emulator, until Ctrl-C.

Builds the zips, starts the embedded emulator, applies the env for real, serves its HTTP
APIs on 127.0.0.1, runs its SQS event source mappings, prints base URLs and a ready-to-paste
curl, writes `.local-stack/endpoints.json`, and runs until Ctrl-C. Each run starts a fresh
emulator, so state never leaks between runs; when the env's inputs are the same as at the
last successful start, the emulator is restored to what that apply produced instead of
applying again (storefirst.local.snapshot; `--fresh` applies anyway).
"""

from __future__ import annotations

import argparse
import json
import logging
import shlex
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from storefirst.terraform import REPO

SEED = {
    "operation": "store-new-user",
    "data": {"id": "ABC123", "first_name": "John", "last_name": "Doe", "email": "john@example.com"},
}


def seed_curl(endpoints: dict[str, Any]) -> str | None:
    """curl for the seed operation: the env's `local_seed_route` output ({api_id, route_key})
    if it has one, else the first POST route of the first HTTP API."""
    apis = endpoints.get("apis", {})
    hint = (endpoints.get("outputs") or {}).get("local_seed_route") or {}
    choice = None
    if hint.get("api_id") in apis:
        choice = (apis[hint["api_id"]]["url"], hint["route_key"])
    else:
        for api in apis.values():
            posts = [r for r in api["routes"] if r.startswith("POST ") and "{" not in r]
            if posts:
                choice = (api["url"], posts[0])
                break
    if not choice:
        return None
    url, route_key = choice
    path = route_key.split(" ", 1)[1]
    return (
        f"curl -sS -X POST {shlex.quote(url + path)} -H 'Content-Type: application/json' "
        f"-H 'X-Idempotency-Key: seed-1' -d {shlex.quote(json.dumps(SEED))}"
    )


def up(
    env: str,
    *,
    build: bool = True,
    endpoints_file: Path | None = None,
    once: bool = False,
    variables: dict[str, str] | None = None,
    fresh: bool = False,
    warm: bool = True,
    name: str | None = None,
) -> int:
    from .stack import Stack

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    env_dir = (REPO / env).resolve()
    if not env_dir.is_dir():
        print(f"error: {env} does not exist (expected a Terraform root config, e.g. envs/local)", file=sys.stderr)
        return 2
    t0 = time.monotonic()
    if build:
        from storefirst import build as builder

        builder.main([])
    stack = Stack(
        env_dir, dict(variables or {}), name=name, warm=warm, fresh=fresh, progress=lambda line: print(line, flush=True)
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        print(f"{env} on the embedded emulator", flush=True)
        stack.up()
        ready = time.monotonic() - t0
        path = stack.write_endpoints(endpoints_file or REPO / ".local-stack" / "endpoints.json")
        eps = stack.endpoints()
        how = (
            f"restored in {stack.timings.get('restore', 0):.1f} s"
            if stack.path_taken.startswith("restored")
            else f"apply {stack.timings['apply']:.1f} s"
        )
        print(f"\nstorefirst local stack ready in {ready:.1f} s ({how}; {stack.path_taken})")
        if stack.applied and stack.applied.log:
            from .applylog import format_path

            print("  apply critical path (start -> end, seconds, resource):")
            print("\n".join(format_path(stack.applied.critical_path())))
        print(f"  emulator (AWS APIs): {eps['emulator']}  region {eps['region']}")
        for api_id, api in eps["apis"].items():
            print(f"  HTTP API {api['name']} ({api_id}): {api['url']}  routes: {', '.join(api['routes'])}")
        for api_id, api in eps.get("rest_apis", {}).items():
            for stage in api["stages"]:
                print(
                    f"  REST API {api['name']} ({api_id}): {api['url'].rstrip('/')}/{stage}  "
                    f"methods: {', '.join(api['methods'])}"
                )
        for r in stack.esm.runners if stack.esm else []:
            print(f"  worker: {r.queue_arn.rsplit(':', 1)[-1]} -> {r.mapping['FunctionArn'].rsplit(':', 1)[-1]}")
        print(f"  endpoints: {path}\n  function logs: {eps['logs']}")
        curl = seed_curl(eps)
        if curl:
            print(f"\ntry:\n  {curl}\n")
        print("Ctrl-C stops everything.", flush=True)
        if not once:
            while not stop.wait(0.5):
                pass
    except KeyboardInterrupt:
        pass
    finally:
        print("\nstopping...", flush=True)
        stack.down()
    return 0


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="storefirst up",
        description="Run a Terraform root config (default envs/local) on the embedded AWS emulator: build the "
        "zips, apply it for real, serve its APIs on 127.0.0.1 and run its queue workers until Ctrl-C.",
    )
    ap.add_argument("env", nargs="?", default="envs/local", help="root config to apply (default: envs/local)")
    ap.add_argument("--no-build", action="store_true", help="use the zips already in build/ (make up builds first)")
    ap.add_argument("--endpoints-file", type=Path, help="where to write the endpoints JSON (default: .local-stack/)")
    ap.add_argument("--once", action="store_true", help="stop as soon as the stack is ready (smoke test)")
    ap.add_argument("--var", action="append", default=[], metavar="KEY=VALUE", help="terraform -var for the env")
    ap.add_argument("--fresh", action="store_true", help="apply even when the inputs are unchanged (new snapshot)")
    ap.add_argument("--no-snapshot", action="store_true", help="apply, and neither use nor save a snapshot")
    ap.add_argument("--name", help="name of the working copy and snapshot under .local-stack/ (default: from env)")
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = parser()
    args = ap.parse_args(argv)
    try:
        variables = dict(_key_value(v) for v in args.var)
    except ValueError as exc:
        ap.error(str(exc))
    return up(
        args.env,
        build=not args.no_build,
        endpoints_file=args.endpoints_file,
        once=args.once,
        variables=variables,
        fresh=args.fresh,
        warm=not args.no_snapshot,
        name=args.name,
    )


def _key_value(item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise ValueError(f"--var {item!r}: expected KEY=VALUE")
    return key, value
