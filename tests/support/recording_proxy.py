"""An HTTP proxy in front of Prism that validates every request against the spec (as the Python SDK's
tests do with httpx event hooks), for clients in other languages: point their base URL here."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from tests.support.specvalidate import SpecValidator

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host"}


class CheckingProxy:
    def __init__(self, upstream: str, validator: SpecValidator) -> None:
        self.upstream = upstream.rstrip("/")
        self.validator = validator
        self.seen: list[str] = []
        self.problems: list[str] = []
        self.http = httpx.Client(timeout=30)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
                return

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                request = httpx.Request(self.command, proxy.upstream + self.path, headers=headers, content=body)
                problems = proxy.validator.validate(request)
                line = f"{self.command} {self.path}"
                proxy.seen.append(line)
                proxy.problems += [f"{line}: {p}" for p in problems]
                answer = proxy.http.send(request)
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("content-length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> CheckingProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.http.close()
