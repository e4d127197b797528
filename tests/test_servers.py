"""Servers: the top-level one is the default; path/operation servers are used for their
operations (Twilio-style specs declare servers per path only); a chosen base_url applies to all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.cli import main

SPEC = """
openapi: 3.0.3
info: {title: Split, version: "1"}
paths:
  /a:
    servers: [{url: "https://api.example.com"}]
    get: {operationId: getA, responses: {"204": {description: none}}}
  /b:
    servers: [{url: "https://api.example.com"}]
    get: {operationId: getB, responses: {"204": {description: none}}}
  /upload:
    servers: [{url: "https://uploads.example.com/v2"}]
    post: {operationId: upload, responses: {"204": {description: none}}}
"""

PROGRAM = """
import httpx, split_sdk
seen = []
def handler(request):
    seen.append(str(request.url))
    return httpx.Response(204)
t = httpx.MockTransport(handler)
c = split_sdk.Client(http_client=httpx.Client(transport=t))
c.default.get_a(); c.default.upload()
mine = split_sdk.Client(base_url="http://127.0.0.1:9", http_client=httpx.Client(transport=t))
mine.default.get_b(); mine.default.upload()
print("\\n".join(seen))
"""


def test_per_path_servers(tmp_path: Path) -> None:
    spec = tmp_path / "split.yaml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", "split_sdk", "-q"]) == 0
    assert 'DEFAULT_BASE_URL = "https://api.example.com"' in (out / "split_sdk" / "_client.py").read_text()
    proc = subprocess.run([sys.executable, "-c", PROGRAM], cwd=out, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [
        "https://api.example.com/a",
        "https://uploads.example.com/v2/upload",
        "http://127.0.0.1:9/b",
        "http://127.0.0.1:9/upload",
    ]
