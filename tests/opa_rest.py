"""A recording HTTP server that speaks OPA's REST data and policy API on 127.0.0.1.

It records every request (method, path, body) and answers like an OPA server,
deciding with OPA's own engine (opa_bindings) so answers are real OPA answers.
Only the endpoints the OPA server engine uses are served:
``PUT /v1/policies/<id>``, ``PUT /v1/data/<path>``, ``POST /v1/data/<path>``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opa_bindings import OpaEngine, OpaError, OpaUndefinedError


class OpaRestServer:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.policies: dict[str, str] = {}
        self.data: dict[str, Any] = {}
        self._engine: OpaEngine | None = None
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _reply(self, status: int, body: Any | None) -> None:
                payload = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                record = {"method": self.command, "path": self.path, "body": raw,
                          "content_type": self.headers.get("Content-Type")}
                server.requests.append(record)
                status, body = server.answer(self.command, self.path, raw)
                self._reply(status, body)

            do_PUT = do_POST = do_GET = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
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
                pid = route[len("/v1/policies/"):]
                try:
                    OpaEngine().add_policy(pid, raw)
                except OpaError as exc:
                    return 400, {"code": "invalid_parameter", "message": exc.message}
                self.policies[pid] = raw
                self._engine = None
                return 200, {}
            if method == "PUT" and route.startswith("/v1/data/"):
                self.data[route[len("/v1/data/"):].replace("/", ".")] = json.loads(raw)
                self._engine = None
                return 204, None
            if method == "POST" and route.startswith("/v1/data/"):
                if self._engine is None:
                    self._engine = self._rebuild()
                doc = route[len("/v1/data/"):].replace("/", ".")
                try:
                    value = self._engine.eval_document(doc, json.loads(raw or "{}").get("input"))
                except OpaUndefinedError:
                    return 200, {}
                except OpaError as exc:
                    return 500, {"code": "internal_error", "message": exc.message}
                return 200, {"result": value}
        return 404, {"code": "resource_not_found", "message": f"{method} {route}"}
