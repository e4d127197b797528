"""Dotted tags become nested resources (`client.admin.apps.approved`) and nested docs pages."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from generator.cli import main

SPEC = """
openapi: 3.1.0
info: {title: Admin, version: "1"}
servers: [{url: "https://admin.example.com"}]
tags:
  - {name: admin.apps, description: Installed apps.}
  - {name: admin.apps.approved, description: Approved apps.}
paths:
  /apps:
    get:
      operationId: listApps
      tags: [admin.apps]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}}
  /apps/approved:
    get:
      operationId: listApproved
      tags: [admin.apps.approved]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}}
  /users:
    get:
      operationId: listUsers
      tags: [admin.users]
      responses: {"204": {description: none}}
"""


def test_dotted_tags_nest(tmp_path: Path) -> None:
    spec = tmp_path / "admin.yaml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", "admin_sdk", "-q"]) == 0
    code = (
        "import httpx, admin_sdk\n"
        "seen = []\n"
        "def handler(request):\n"
        "    seen.append(request.url.path)\n"
        "    return httpx.Response(200, json=['a']) if 'apps' in request.url.path else httpx.Response(204)\n"
        "c = admin_sdk.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))\n"
        "assert c.admin.apps.list_apps() == ['a']\n"
        "assert c.admin.apps.approved.list_approved() == ['a']\n"
        "assert c.admin.users.list_users() is None\n"
        "assert not [m for m in dir(c.admin)\n"
        "            if not m.startswith('_') and m not in ('apps', 'users', 'with_raw_response')]\n"
        "print(seen)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "['/apps', '/apps/approved', '/users']"
    docs = out / "docs" / "sdks"
    assert (docs / "admin" / "README.md").is_file()
    page = (docs / "admin" / "apps" / "approved" / "README.md").read_text()
    assert "client.admin.apps.approved.list_approved()" in page
    for target in re.findall(r"\]\((\.\./[^)#]+)", page):
        assert (docs / "admin" / "apps" / "approved" / target).resolve().is_file(), target
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir=/dev/null", "-p", "admin_sdk"],
                          cwd=out, capture_output=True, text=True, check=False)
    assert mypy.returncode == 0, mypy.stdout
