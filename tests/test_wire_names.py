"""Wire-faithful Python names: a snake_case wire name is the Python name (`b64_json`, `md5`, `bytes`,
`date`), even when it shadows a builtin used in annotations; only keywords, pydantic's reserved
attributes and non-identifiers change, and the alias keeps the wire name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator import naming
from generator.cli import main

SPEC = """
openapi: 3.1.0
info: {title: Files API, version: "1"}
servers: [{url: "https://files.example.com"}]
paths:
  /a/list:
    get:
      operationId: list
      tags: [files]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
  /files:
    post:
      operationId: createFile
      tags: [files]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [bytes, str]
              properties:
                bytes: {type: integer}
                str: {type: string}
                date: {type: string, format: date}
                md5: {type: string}
                meta: {$ref: "#/components/schemas/Meta"}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/File"}}}}
  /files/{id}/text:
    get:
      operationId: getText
      tags: [files]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: str, in: query, schema: {type: string}}
        - {name: list, in: query, schema: {type: array, items: {type: string}}}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
  /files/{id}/tags:
    get:
      operationId: getTags
      tags: [files]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: str, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
components:
  schemas:
    Meta:
      type: object
      required: [bytes]
      properties:
        bytes: {type: integer}
        date: {type: string, format: date}
        str: {type: string}
        list: {type: array, items: {type: string}}
        tags: {type: array, items: {type: string}}
    File:
      type: object
      required: [id, bytes, b64_json]
      properties:
        id: {type: string}
        type: {type: string}
        bytes: {type: integer}
        b64_json: {type: string}
        b64Json: {type: string}
        partial_image_b64: {type: string}
        md5: {type: string}
        v1: {type: boolean}
        date: {type: string, format: date}
        created: {type: string, format: date-time}
        datetime: {type: string, format: date-time}
        str: {type: string}
        list: {type: array, items: {type: string}}
        raw: {type: string, format: binary}
        schema: {type: object}
        class: {type: string}
        self-harm: {type: boolean}
        _private: {type: string}
"""

PROGRAM = """
import datetime
import httpx
import files_sdk

def handler(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/text"):
        return httpx.Response(200, text="hello " + request.url.params["str"])
    if request.url.path.endswith("/tags") or request.url.path == "/a/list":
        return httpx.Response(200, json=["a", "b"])
    return httpx.Response(200, json={
        "id": "f1", "type": "file", "bytes": 3, "b64_json": "YWJj", "b64Json": "other", "md5": "x",
        "v1": True, "date": "2024-01-02", "str": "s", "list": ["a"], "schema": {"k": 1},
        "class": "c", "self-harm": False, "_private": "p", "datetime": "2024-01-02T03:04:05Z",
    })

client = files_sdk.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
f = client.files.create_file(bytes=3, str="s", date=datetime.date(2024, 1, 2), md5="m",
                             meta={"bytes": 1, "date": datetime.date(2024, 1, 2), "str": "x", "list": ["l"]})
n: int = f.bytes
d: datetime.date | None = f.date
dt: datetime.datetime | None = f.datetime
s: str | None = f.str
lst: list[str] | None = f.list
b: str = f.b64_json
assert (f.id, f.type, n, b, f.b64_json_2, f.md5, f.v1) == ("f1", "file", 3, "YWJj", "other", "x", True)
assert d == datetime.date(2024, 1, 2) and s == "s" and lst == ["a"], f
assert dt is not None and dt.year == 2024
assert f.schema_ == {"k": 1} and f.class_ == "c" and f.self_harm is False and f.private == "p"
assert f.to_dict()["b64_json"] == "YWJj" and f.to_dict()["self-harm"] is False
text: str = client.files.get_text("f1", str="you", list=["a"])
assert text == "hello you", text
tags: list[str] = client.files.get_tags("f1", str="x")
assert tags == ["a", "b"]
listed: list[str] = client.files.list()  # a method named `list` next to methods returning list[...]
assert listed == ["a", "b"]
print("ok")
"""


@pytest.fixture(scope="module")
def files_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wire")
    spec = tmp / "files.yaml"
    spec.write_text(SPEC)
    out = tmp / "out"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", "files_sdk", "-q"]) == 0
    return out


def test_snake_case_wire_names_are_kept(files_sdk: Path) -> None:
    (files_sdk / "program.py").write_text(PROGRAM)
    proc = subprocess.run([sys.executable, "program.py"], cwd=files_sdk, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_shadowing_names_pass_mypy_strict(files_sdk: Path) -> None:
    (files_sdk / "program.py").write_text(PROGRAM)
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir=/dev/null", "files_sdk",
                           "program.py"], cwd=files_sdk, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    model = (files_sdk / "files_sdk" / "models" / "file.py").read_text()
    assert "_Bytes: TypeAlias = bytes" in model and "    bytes: int\n" in model
    assert "    date: _Date | None = None" in model


@pytest.mark.parametrize(("wire", "python"), [
    ("b64_json", "b64_json"), ("md5", "md5"), ("v1", "v1"), ("bytes", "bytes"), ("type", "type"), ("id", "id"),
    ("partial_image_b64", "partial_image_b64"), ("a__b", "a__b"), ("b64Json", "b64_json"), ("gpt-4o", "gpt_4o"),
    ("HTTP2Server", "http2_server"), ("userId", "user_id"), ("1st", "field_1st"), ("_id", "id"),
    ("class", "class_"), ("json", "json_"), ("schema", "schema_"), ("model_config", "model_config_"),
    ("Any", "any"), ("self-harm/intent", "self_harm_intent"),
])
def test_field_names(wire: str, python: str) -> None:
    assert naming.field_name(wire) == python


@pytest.mark.parametrize("text", ["b64_json", "chat_completion_v1_post", "gpt_4o", "x1", "a_1_b"])
def test_snake_is_idempotent_on_snake_case(text: str) -> None:
    assert naming.snake(text) == text
    assert naming.snake(naming.snake("GetV2ItemsHTTP2-b64Json")) == naming.snake("GetV2ItemsHTTP2-b64Json")


def _reserved(wire: str) -> bool:
    return (wire in naming.KEYWORDS or wire in naming.PYDANTIC_RESERVED or wire in naming.ANNOTATION_NAMES
            or wire in naming.CALL_OPTIONS)


def test_every_property_of_the_full_openai_spec_keeps_its_wire_name() -> None:
    """Every field and parameter of the full OpenAI spec whose wire name is a valid, non-reserved
    identifier has exactly that Python name (all of them are snake_case) (`Image.b64_json`, `OpenAIFile.bytes`)."""
    from generator.diff import load_api
    from tests.conftest import shared_or_skip

    api, diags = load_api(shared_or_skip("specs", "openai", "openapi.latest.yaml"))
    assert api is not None, diags.sorted()
    checked, wrong = 0, []
    named = [(f"{m.name}.", f) for m in api.models for f in m.fields]
    named += [(f"{r.attr_path}.{o.name}(", p) for r in api.resources for o in r.operations
              for p in (*o.parameters, *(o.body.fields if o.body is not None and o.body.flattened else ()))]
    for where, item in named:
        wire = item.wire_name
        if wire.isidentifier() and not wire.startswith("_") and not _reserved(wire):
            checked += 1
            if item.name != wire:
                wrong.append(f"{where}{item.name} (wire {wire!r})")
    assert checked > 1000
    assert not wrong, wrong[:20]
    models = {m.name: {f.name for f in m.fields} for m in api.models}
    assert "b64_json" in models["Image"] and "bytes" in models["OpenAIFile"]
