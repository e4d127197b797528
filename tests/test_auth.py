"""Security schemes end to end: the generated client's constructor arguments and environment
variables, global and per-operation security, each scheme applied where the spec puts it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.cli import main

SPEC = """
openapi: 3.0.3
info: {title: Vault, version: "1"}
servers: [{url: "https://vault.example.com"}]
security: [{basicAuth: []}]
paths:
  /secrets:
    get:
      operationId: listSecrets
      responses: {"204": {description: none}}
  /public:
    get:
      operationId: health
      security: []
      responses: {"204": {description: none}}
  /keys:
    get:
      operationId: listKeys
      security: [{queryKey: []}, {cookieKey: [], headerKey: []}]
      responses: {"204": {description: none}}
components:
  securitySchemes:
    basicAuth: {type: http, scheme: basic}
    queryKey: {type: apiKey, in: query, name: key}
    headerKey: {type: apiKey, in: header, name: X-Api-Key}
    cookieKey: {type: apiKey, in: cookie, name: session}
"""

PROGRAM = """
import os, httpx, vault_sdk
seen = []
def handler(request):
    seen.append(request)
    return httpx.Response(204)
transport = httpx.MockTransport(handler)
os.environ["VAULT_BASIC_AUTH_USERNAME"] = "ann"
os.environ["VAULT_BASIC_AUTH_PASSWORD"] = "s3cret"
c = vault_sdk.Client(query_key="qk", header_key="hk", cookie_key="ck", http_client=httpx.Client(transport=transport))
c.secrets.list_secrets()
print(seen[-1].headers["authorization"])
c.public.health()
print("authorization" in seen[-1].headers)
c.keys.list_keys()
print(seen[-1].url.params.get("key"), seen[-1].headers.get("x-api-key"), seen[-1].headers.get("cookie"))
c2 = vault_sdk.Client(header_key="hk", cookie_key="ck", http_client=httpx.Client(transport=transport))
c2.keys.list_keys()
print(seen[-1].url.params.get("key"), seen[-1].headers.get("x-api-key"), seen[-1].headers.get("cookie"))
print("s3cret" not in repr(c) and "qk" not in repr(c))
del os.environ["VAULT_BASIC_AUTH_PASSWORD"]
c3 = vault_sdk.Client(http_client=httpx.Client(transport=transport))
try:
    c3.secrets.list_secrets()
except vault_sdk.MissingCredentialsError as e:
    print("missing:", "basic_auth_password" in str(e) and "VAULT_BASIC_AUTH_PASSWORD" in str(e))
"""


def test_security_schemes(tmp_path: Path) -> None:
    spec = tmp_path / "vault.yaml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", "vault_sdk", "-q"]) == 0
    client = (out / "vault_sdk" / "_client.py").read_text()
    for arg in ("basic_auth_username", "basic_auth_password", "query_key", "header_key", "cookie_key"):
        assert f"{arg}: str | None = None" in client
    proc = subprocess.run([sys.executable, "-c", PROGRAM], cwd=out, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "Basic YW5uOnMzY3JldA=="  # ann:s3cret from the environment
    assert lines[1] == "False"  # security: [] on the operation: no credentials sent
    assert lines[2] == "qk None None"  # the first alternative that can be satisfied: the query key
    assert lines[3] == "None hk session=ck"  # no query key: header AND cookie
    assert lines[4] == "True"
    assert lines[5] == "missing: True"
