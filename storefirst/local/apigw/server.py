"""Serves every API found in the emulator, one 127.0.0.1 port each (each API has its own
execute-api host): HTTP APIs through http.chain, REST APIs through rest.executor."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .core import Response
from .http.chain import HttpChain
from .http.integrate import Integrations
from .http.model import HttpApi, RequestCtx, load_http_api
from .iam import Policies
from .rest.executor import RestExecutor
from .rest.integrate import EmulatorTransport, RestIntegrations
from .rest.model import RestApi, load_rest_api

log = logging.getLogger("storefirst.local.apigw")


class Gateway:
    def __init__(
        self,
        clients: Callable[[str], Any],
        runtimes: Any = None,
        region: str = "eu-west-1",
        account: str = "123456789012",
        host: str = "127.0.0.1",
        emulator_url: str | None = None,
    ):
        self.client, self.region, self.account, self.host = clients, region, account, host
        self.policies = Policies(clients)
        self.integrations = Integrations(clients, runtimes, self.policies)
        self.apis: dict[str, HttpApi] = {}
        self.rest_apis: dict[str, RestApi] = {}
        self.emulator_url = emulator_url
        # When set, only these API ids are served (what one Terraform state created; moto's
        # state is process-wide, so other emulators in this process see the same APIs).
        self.only: set[str] | None = None
        self.servers: dict[str, ThreadingHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        # Access logs go to the stage's CloudWatch Logs destination when a shipper is set
        # (storefirst.local.cwlogs; the Stack sets one).
        self.shipper: Any = None

    @property
    def http_chain(self) -> HttpChain:
        return HttpChain(self.integrations, self.shipper)

    @property
    def rest_executor(self) -> RestExecutor:
        transport = EmulatorTransport(self.emulator_url or "", self.region)
        return RestExecutor(RestIntegrations(transport, self.policies, self.client), self.shipper)

    def load(self) -> None:
        v2 = self.client("apigatewayv2")
        for api in v2.get_apis().get("Items", []):
            if api.get("ProtocolType") == "HTTP" and (self.only is None or api["ApiId"] in self.only):
                self.apis[api["ApiId"]] = load_http_api(v2, api["ApiId"], self.region, self.account)
        if self.emulator_url:
            v1 = self.client("apigateway")
            for api in v1.get_rest_apis(limit=500).get("items", []):
                if self.only is None or api["id"] in self.only:
                    self.rest_apis[api["id"]] = load_rest_api(v1, api["id"], self.region, self.account)

    def handle(
        self, api: HttpApi, method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str
    ) -> tuple[Response, RequestCtx]:
        return self.http_chain.handle(api, method, target, headers, body, source_ip)

    def serve_api(self, api: HttpApi, port: int = 0) -> int:
        chain = self.http_chain
        return self._serve(api.api_id, lambda *a: chain.handle(api, *a)[0], port)

    def serve_rest_api(self, api: RestApi, port: int = 0) -> int:
        executor = self.rest_executor
        return self._serve(api.api_id, lambda *a: executor.handle(api, *a), port)

    def _serve(self, api_id: str, handle: Callable[..., Response], port: int = 0) -> int:

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt: str, *args: Any) -> None:  # access log at debug level
                log.debug("%s " + fmt, api_id, *args)

            def _any(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                hdrs: dict[str, str] = {}
                for k, v in self.headers.items():
                    k = k.lower()
                    hdrs[k] = f"{hdrs[k]},{v}" if k in hdrs else v
                resp = handle(self.command, self.path, hdrs, body, self.client_address[0])
                self.send_response(resp.status)
                for k, v in resp.headers.items():
                    self.send_header(k.strip(), v)
                self.send_header("Content-Length", str(len(resp.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(resp.body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _any

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 256

        srv = Server((self.host, port), Handler)
        self.servers[api_id] = srv
        t = threading.Thread(target=srv.serve_forever, name=f"gw-{api_id}", daemon=True)
        t.start()
        self._threads.append(t)
        return srv.server_address[1]

    def start(self) -> dict[str, str]:
        """Load and serve every API; returns {api_id: base_url}."""
        self.load()
        urls = {api_id: f"http://{self.host}:{self.serve_api(api)}" for api_id, api in self.apis.items()}
        for api_id, api in self.rest_apis.items():
            urls[api_id] = f"http://{self.host}:{self.serve_rest_api(api)}"
        return urls

    def url_map(self) -> dict[str, str]:
        """Each served API's AWS origin (`https://<id>.execute-api.<region>.amazonaws.com`) ->
        its local origin, so functions whose environment names an API's AWS URL reach the local
        gateway instead (runtime.resolve_url)."""
        return {
            f"https://{api_id}.execute-api.{self.region}.amazonaws.com": f"http://{self.host}:{srv.server_address[1]}"
            for api_id, srv in self.servers.items()
        }

    def stop(self) -> None:
        for srv in self.servers.values():
            srv.shutdown()
            srv.server_close()
        self.servers.clear()
