"""A recording HTTP server that speaks OPA's REST data and policy API on 127.0.0.1.

It records every request (method, path, body, headers) and answers like an OPA server,
deciding with OPA's own engine (opa_bindings) so answers are real OPA answers.
Only the endpoints the OPA server engine uses are served:
``PUT /v1/policies/<id>``, ``PUT /v1/data/<path>``, ``POST /v1/data/<path>``.

For fault tests it can also stand in for a server that should not be believed:
``forge`` rewrites any answer (a ``bytes`` body is sent as is, e.g. garbage); ``token``
makes it require ``Authorization: Bearer <token>``; ``bundles`` makes it report bundle
manifests at ``data.system.bundles`` as a server serving bundles does; ``tls`` serves
https with ``(certfile, keyfile)``.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opa_bindings import OpaEngine, OpaError, OpaUndefinedError

Forge = Callable[[str, str, Any, int, Any], "tuple[int, Any] | None"]
"""``forge(method, route, input, status, body)`` -> a new ``(status, body)``, or None to answer honestly."""


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:  # a client that gave up is no error here
        pass


class OpaRestServer:
    def __init__(
        self,
        *,
        forge: Forge | None = None,
        token: str | None = None,
        bundles: dict[str, dict[str, Any]] | None = None,
        tls: tuple[str, str] | None = None,
    ) -> None:
        self.requests: list[dict[str, Any]] = []
        self.policies: dict[str, str] = {}
        self.data: dict[str, Any] = {}
        self.forge = forge
        self.token = token
        self.bundles = bundles
        self._engine: OpaEngine | None = None
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _reply(self, status: int, body: Any | None) -> None:
                payload = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                record = {"method": self.command, "path": self.path, "body": raw,
                          "content_type": self.headers.get("Content-Type"),
                          "authorization": self.headers.get("Authorization")}  # fmt: skip
                server.requests.append(record)
                if server.token is not None and record["authorization"] != f"Bearer {server.token}":
                    self._reply(401, {"code": "unauthorized", "message": "missing or invalid bearer token"})
                    return
                status, body = server.answer(self.command, self.path, raw)
                if server.forge is not None:
                    route = self.path.partition("?")[0]
                    try:
                        given = json.loads(raw).get("input") if raw and self.command == "POST" else None
                    except (ValueError, AttributeError):
                        given = None
                    forged = server.forge(self.command, route, given, status, body)
                    if forged is not None:
                        status, body = forged
                self._reply(status, body)

            do_PUT = do_POST = do_GET = _handle

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> OpaRestServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _rebuild(self) -> OpaEngine:
        engine = OpaEngine()
        for pid, src in self.policies.items():
            engine.add_policy(pid, src)
        for path, value in self.data.items():
            engine.add_data(value, path)
        return engine

    def answer(self, method: str, path: str, raw: str) -> tuple[int, Any]:
        route, _, _query = path.partition("?")
        with self._lock:
            if method == "PUT" and route.startswith("/v1/policies/"):
                pid = route[len("/v1/policies/") :]
                try:
                    OpaEngine().add_policy(pid, raw)
                except OpaError as exc:
                    return 400, {"code": "invalid_parameter", "message": exc.message}
                self.policies[pid] = raw
                self._engine = None
                return 200, {}
            if method == "PUT" and route.startswith("/v1/data/"):
                self.data[route[len("/v1/data/") :].replace("/", ".")] = json.loads(raw)
                self._engine = None
                return 204, None
            if method == "POST" and route == "/v1/data/system/bundles":
                if not self.bundles:
                    return 200, {}
                return 200, {"result": {name: {"manifest": m} for name, m in self.bundles.items()}}
            if method == "POST" and route.startswith("/v1/data/"):
                if self._engine is None:
                    self._engine = self._rebuild()
                doc = route[len("/v1/data/") :].replace("/", ".")
                try:
                    value = self._engine.eval_document(doc, json.loads(raw or "{}").get("input"))
                except OpaUndefinedError:
                    return 200, {}
                except OpaError as exc:
                    return 500, {"code": "internal_error", "message": exc.message}
                return 200, {"result": value}
        return 404, {"code": "resource_not_found", "message": f"{method} {route}"}
