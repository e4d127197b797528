"""Start and stop the Prism mock server (npm @stoplight/prism-cli, installed by `make setup`)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
LOCAL_BIN = ROOT / "tests" / "prism" / "node_modules" / ".bin" / "prism"


def prism_binary() -> str | None:
    if LOCAL_BIN.exists():
        return str(LOCAL_BIN)
    return shutil.which("prism")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Prism:
    """`prism mock` on 127.0.0.1 for one spec; use as a context manager."""

    def __init__(self, spec: Path, binary: str, log: Path) -> None:
        self.spec = spec
        self.binary = binary
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Prism:
        with open(self.log, "wb") as fh:
            self.proc = subprocess.Popen(
                [self.binary, "mock", "-h", "127.0.0.1", "-p", str(self.port), str(self.spec)],
                stdout=fh, stderr=subprocess.STDOUT, env={**os.environ, "NO_COLOR": "1"},
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"prism exited early: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                httpx.get(self.url + "/__health", timeout=1.0)
                return self
            except httpx.TransportError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"prism did not start within 60 s: {self.log.read_text(errors='replace')[-2000:]}")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
