"""OpenAPI Overlays (1.0): `--overlay`, `overlays = [...]`, RFC 9535 targets, update/remove in order,
warnings for targets that match nothing, exit 2 for malformed overlays, and overlays as inputs of the
manifest, `--check` and `watch`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main
from generator.config import Config
from generator.diagnostics import Collector
from generator.load import read_document
from generator.overlay import apply
from generator.pipeline import run
from tests.conftest import shared_or_skip

ROOT = Path(__file__).resolve().parents[1]

SPEC = """
openapi: 3.1.0
info: {title: Shelf, version: "1"}
servers: [{url: "https://shelf.example.com"}]
tags: [{name: books}]
paths:
  /books:
    get:
      operationId: list_books_books_get
      tags: [books]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}}
    post:
      operationId: add_book_books_post
      tags: [books]
      responses: {"204": {description: added}}
  /internal/debug:
    get:
      operationId: debugDump
      tags: [books]
      responses: {"204": {description: none}}
"""

OVERLAY = """
overlay: 1.0.0
info: {title: Friendly names, version: 1.0.0}
actions:
  - target: $.paths['/books'].get
    description: list is enough
    update: {x-speakeasy-name-override: list, summary: List the books.}
  - target: $.paths['/internal/debug']
    remove: true
  - target: $.paths[*][?@.operationId == 'add_book_books_post']
    update: {operationId: addBook, x-speakeasy-name-override: add}
  - target: $.tags
    update: {name: shelf, description: Added by the overlay.}
  - target: $.paths['/books'].post
    update: {tags: [shelf]}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _generate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "generate", *args], cwd=ROOT, capture_output=True,
                          text=True, check=False)


def test_overlay_renames_removes_and_appends(tmp_path: Path) -> None:
    spec = _write(tmp_path, "shelf.yaml", SPEC)
    overlay = _write(tmp_path, "names.overlay.yaml", OVERLAY)
    out = tmp_path / "out"
    proc = _generate(str(spec), "--overlay", str(overlay), "--output", str(out), "--package-name", "shelf")
    assert proc.returncode == 0, proc.stderr
    code = (
        "import httpx, shelf\n"
        "seen = []\n"
        "def handler(request):\n"
        "    seen.append((request.method, request.url.path))\n"
        "    return httpx.Response(200, json=['dune']) if request.method == 'GET' else httpx.Response(204)\n"
        "c = shelf.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))\n"
        "assert c.books.list() == ['dune']\n"
        "assert c.shelf.add() is None\n"  # the overlay moved it under its appended tag
        "assert not hasattr(c.books, 'debug_dump') and not hasattr(c.books, 'list_books')\n"
        "print(seen)\n"
    )
    run_ = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True, text=True, check=False)
    assert run_.returncode == 0, run_.stderr
    assert run_.stdout.strip() == "[('GET', '/books'), ('POST', '/books')]"
    manifest = json.loads((out / ".sdkforge-manifest.json").read_text())
    assert manifest["overlays"] == ["names.overlay.yaml"]
    assert "List the books." in (out / "docs" / "sdks" / "books" / "README.md").read_text()


def test_actions_apply_in_order_without_changing_the_loaded_document() -> None:
    data: dict[str, Any] = {"openapi": "3.1.0", "paths": {"/a": {"get": {"x": 1}}}, "tags": [{"name": "t"}]}
    before = json.dumps(data, sort_keys=True)
    overlay = {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
        {"target": "$.paths['/a'].get", "update": {"y": {"deep": [1]}}},
        {"target": "$.paths['/a'].get", "update": {"y": {"more": 2}, "x": 3}},  # deep merge on the result
        {"target": "$.paths['/a'].get.y", "remove": True},
        {"target": "$.tags", "update": {"name": "u"}},
        {"target": "$.tags[?@.name == 't']", "remove": True},
    ]}
    path = Path(__file__).parent / "_overlay_tmp.json"
    diags = Collector()
    try:
        path.write_text(json.dumps(overlay))
        first = apply(data, [path], diags, read_document)
        second = apply(data, [path], diags, read_document)
    finally:
        path.unlink()
    assert first == second == {"openapi": "3.1.0", "paths": {"/a": {"get": {"x": 3}}}, "tags": [{"name": "u"}]}
    assert json.dumps(data, sort_keys=True) == before  # the parse cache's copy is never written
    assert not diags.sorted()


def test_update_merges_deeply(tmp_path: Path) -> None:
    data: dict[str, Any] = {"info": {"title": "A", "contact": {"name": "x", "url": "u"}}}
    path = _write(tmp_path, "o.yaml", "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n"
                  "  - {target: $.info, update: {contact: {name: y}, license: {name: MIT}}}\n")
    out = apply(data, [path], Collector(), read_document)
    assert out == {"info": {"title": "A", "contact": {"name": "y", "url": "u"}, "license": {"name": "MIT"}}}


def test_target_matching_nothing_is_a_warning_naming_the_action(tmp_path: Path) -> None:
    spec = _write(tmp_path, "shelf.yaml", SPEC)
    overlay = _write(tmp_path, "stale.yaml", "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n"
                     "  - {target: $.info, update: {description: fine}}\n"
                     "  - {target: \"$.paths['/gone']\", description: Rename the old endpoint, update: {summary: x}}\n")
    proc = _generate(str(spec), "--overlay", str(overlay), "--output", str(tmp_path / "o"), "--package-name", "shelf")
    assert proc.returncode == 0, proc.stderr
    assert ("warning: [overlay-target-unmatched] stale.yaml#/actions/1/target: action 1 (target \"$.paths['/gone']\", "
            "'Rename the old endpoint') selects nothing in the document; skipped") in proc.stderr


@pytest.mark.parametrize(("text", "expected"), [
    ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [\n",
     r"error: \[yaml-syntax\] bad\.yaml#: invalid YAML"),
    ("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
     r"error: \[invalid-overlay\] bad\.yaml#: not an OpenAPI Overlay document"),
    ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - {target: '$.paths[', remove: true}\n",
     r"error: \[invalid-overlay\] bad\.yaml#/actions/0/target: invalid JSONPath '\$\.paths\[':"),
    ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\n",
     r"error: \[invalid-overlay\] bad\.yaml#/actions: 'actions' must be a non-empty list"),
    ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - {target: paths, remove: true}\n",
     r"error: \[invalid-overlay\] bad\.yaml#/actions/0/target: 'target' must be a JSONPath query"),
    ("overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - {target: $.info, update: {}}\n",
     r"error: \[invalid-overlay\] bad\.yaml#/overlay: overlay version '2\.0\.0' is not supported"),
    ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - {target: $.info}\n",
     r"error: \[invalid-overlay\] bad\.yaml#/actions/0: an action needs 'update' or 'remove: true'"),
])
def test_malformed_overlay_is_exit_2_with_a_pointer(tmp_path: Path, text: str, expected: str) -> None:
    spec = _write(tmp_path, "shelf.yaml", SPEC)
    out = tmp_path / "o"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", "shelf", "-q"]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = _write(tmp_path, "bad.yaml", text)
    proc = _generate(str(spec), "--overlay", str(bad), "--output", str(out), "--package-name", "shelf")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert re.search(expected, proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr and "nothing was written" in proc.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_missing_overlay_file_is_exit_2(tmp_path: Path) -> None:
    spec = _write(tmp_path, "shelf.yaml", SPEC)
    proc = _generate(str(spec), "--overlay", str(tmp_path / "nope.yaml"), "--output", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "error: [file-not-found]" in proc.stderr and "nope.yaml" in proc.stderr and "Traceback" not in proc.stderr


def test_configured_overlays_are_inputs_of_manifest_and_check(tmp_path: Path) -> None:
    _write(tmp_path, "shelf.yaml", SPEC)
    (tmp_path / "overlays").mkdir()
    overlay = _write(tmp_path / "overlays", "names.yaml", OVERLAY)
    _write(tmp_path, "sdkforge.toml", 'spec = "shelf.yaml"\noutput = "out"\npackage-name = "shelf"\n'
           'overlays = ["overlays/names.yaml"]\n')
    config = ["--config", str(tmp_path / "sdkforge.toml")]
    assert main(["generate", *config, "-q"]) == 0
    assert "def list(" in (tmp_path / "out/shelf/resources/books.py").read_text()
    manifest = json.loads((tmp_path / "out/.sdkforge-manifest.json").read_text())
    assert manifest["overlays"] == ["overlays/names.yaml"]
    assert main(["generate", *config, "--check", "-q"]) == 0
    overlay.write_text(OVERLAY.replace("x-speakeasy-name-override: list,", "x-speakeasy-name-override: all,"))
    assert main(["generate", *config, "--check", "-q"]) == 1  # the overlay changed: the output is stale
    assert main(["generate", *config, "-q"]) == 0
    assert "def all(" in (tmp_path / "out/shelf/resources/books.py").read_text()
    # A --overlay on the command line applies after the configured ones.
    extra = _write(tmp_path, "extra.yaml", "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n"
                   "  - target: $.paths['/books'].get\n    update: {x-speakeasy-name-override: everything}\n")
    assert main(["generate", *config, "--overlay", str(extra), "-q"]) == 0
    assert "def everything(" in (tmp_path / "out/shelf/resources/books.py").read_text()


def test_overlays_per_target(tmp_path: Path) -> None:
    _write(tmp_path, "shelf.yaml", SPEC)
    _write(tmp_path, "names.yaml", OVERLAY)
    _write(tmp_path, "sdkforge.toml", 'spec = "shelf.yaml"\n[targets.plain]\noutput = "plain"\npackage-name = "plain"\n'
           '[targets.named]\noutput = "named"\npackage-name = "named"\noverlays = ["names.yaml"]\n')
    assert main(["generate", "--config", str(tmp_path / "sdkforge.toml"), "-q"]) == 0
    assert "def list_books(" in (tmp_path / "plain/plain/resources/books.py").read_text()  # FastAPI suffix dropped
    assert "def list(" in (tmp_path / "named/named/resources/books.py").read_text()


def test_watch_inputs_include_overlays(tmp_path: Path) -> None:
    spec = _write(tmp_path, "shelf.yaml", SPEC)
    overlay = _write(tmp_path, "names.yaml", OVERLAY)
    config = Config(spec=spec, output=tmp_path / "o", package_name="shelf", overlays=(overlay,)).with_defaults()
    assert overlay in run(config).inputs
    assert overlay in run(config).inputs  # the fast path (nothing changed) reports it too


def test_watch_regenerates_on_overlay_change(tmp_path: Path) -> None:
    spec = _write(tmp_path, "shelf.yaml", SPEC)
    overlay = _write(tmp_path, "names.yaml", OVERLAY)
    proc = subprocess.Popen([sys.executable, "-m", "generator", "watch", str(spec), "--overlay", str(overlay),
                             "--output", str(tmp_path / "o"), "--package-name", "shelf", "--interval", "0.1",
                             "--max-runs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert "added" in first, first + (proc.stderr.read() if proc.stderr else "")
    time.sleep(0.3)
    overlay.write_text(OVERLAY.replace("x-speakeasy-name-override: list,", "x-speakeasy-name-override: all,"))
    second = proc.stdout.readline()
    assert proc.wait(timeout=60) == 0
    assert re.search(r"0 added, [1-9][0-9]* modified, 0 removed", second), second
    assert "def all(" in (tmp_path / "o/shelf/resources/books.py").read_text()


MISTRAL_OVERLAY = """
overlay: 1.0.0
info: {title: Mistral method names, version: 1.0.0}
actions:
  - target: $.paths.*[?@.operationId == 'chat_completion_v1_chat_completions_post']
    description: chat.complete, as in Mistral's own SDK
    update:
      x-speakeasy-group: chat
      x-speakeasy-name-override: complete
"""


def test_mistral_overlay_gives_chat_complete(tmp_path: Path) -> None:
    spec = shared_or_skip("specs", "mistral", "openapi.yaml")
    ops = [op for item in yaml.safe_load(spec.read_text())["paths"].values() for op in item.values()
           if isinstance(op, dict) and op.get("operationId") == "chat_completion_v1_chat_completions_post"]
    assert len(ops) == 1, "the Mistral spec no longer has the operation this test renames"
    overlay = _write(tmp_path, "mistral-names.yaml", MISTRAL_OVERLAY)
    out = tmp_path / "out"
    proc = _generate(str(spec), "--overlay", str(overlay), "--output", str(out), "--package-name", "mistral_sdk")
    assert proc.returncode == 0, proc.stderr
    assert "overlay" not in proc.stderr  # every action matched
    code = (
        "import json, httpx, mistral_sdk\n"
        "seen = []\n"
        "def handler(request):\n"
        "    seen.append((request.method, request.url.path, json.loads(request.content)['model']))\n"
        "    usage = {'prompt_tokens': 1, 'completion_tokens': 1, 'total_tokens': 2}\n"
        "    return httpx.Response(200, json={'id': 'c1', 'object': 'chat.completion', 'model': 'm', 'created': 1,\n"
        "                                     'usage': usage, 'choices': []})\n"
        "c = mistral_sdk.Client(api_key='k', http_client=httpx.Client(transport=httpx.MockTransport(handler)))\n"
        "r = c.chat.complete(model='mistral-small-latest', messages=[{'role': 'user', 'content': 'hi'}])\n"
        "assert r.id == 'c1', r\n"
        "assert not hasattr(c.chat, 'chat_completion_v1_chat_completions_post')\n"
        "print(seen)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[('POST', '/v1/chat/completions', 'mistral-small-latest')]"


@pytest.mark.parametrize(("toml", "message"), [
    ('overlays = "names.yaml"\n', "'overlays' must be a list"),
    ("overlays = [1]\n", "'overlays' must be a list of file paths"),
    ('[operations.listThings]\nmethod = 1\n', "operations.listThings.method must be a non-empty str"),
    ('[operations.listThings]\nname = "x"\n', "operations.listThings: unknown key 'name'"),
    ('[operations.listThings]\nignore = "yes"\n', "operations.listThings.ignore must be a bool"),
])
def test_bad_overlay_and_operation_configuration_is_exit_2(tmp_path: Path, toml: str, message: str) -> None:
    _write(tmp_path, "shelf.yaml", SPEC)
    _write(tmp_path, "sdkforge.toml", 'spec = "shelf.yaml"\noutput = "out"\n' + toml)
    proc = _generate("--config", str(tmp_path / "sdkforge.toml"))
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
