"""OpenAPI parameter and body serialization end to end, through generated sync and async clients.

One operation per row of the OpenAPI 3.1 "Style Examples" table (location x style x explode x
value type), with our own values in the spirit of the spec's example: a colour that is a string,
an array of three names, or an object of three channel values. Each call goes through
`httpx.MockTransport` and the exact raw URL / header / cookie / body is compared.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from generator.cli import main

PKG = "wire_styles_sdk"
PRIM = "teal"
ARR = ["teal", "navy", "plum"]
OBJ = {"R": 10, "G": 20, "B": 30}
VALUES = {"primitive": PRIM, "array": ARR, "object": OBJ}
SCHEMAS: dict[str, Any] = {
    "primitive": {"type": "string"},
    "array": {"type": "array", "items": {"type": "string"}},
    "object": {"type": "object", "additionalProperties": {"type": "integer"}},
}

# (location, style, explode, type) -> what goes on the wire. For path parameters the expanded
# path segment, for query parameters the raw query string, for headers the header value, for
# cookies the Cookie header. Explode is written out only where it differs from the default.
TABLE: dict[tuple[str, str, bool, str], str] = {
    ("path", "simple", False, "primitive"): "teal",
    ("path", "simple", False, "array"): "teal,navy,plum",
    ("path", "simple", False, "object"): "R,10,G,20,B,30",
    ("path", "simple", True, "primitive"): "teal",
    ("path", "simple", True, "array"): "teal,navy,plum",
    ("path", "simple", True, "object"): "R=10,G=20,B=30",
    ("path", "label", False, "primitive"): ".teal",
    ("path", "label", False, "array"): ".teal,navy,plum",
    ("path", "label", False, "object"): ".R,10,G,20,B,30",
    ("path", "label", True, "primitive"): ".teal",
    ("path", "label", True, "array"): ".teal.navy.plum",
    ("path", "label", True, "object"): ".R=10.G=20.B=30",
    ("path", "matrix", False, "primitive"): ";color=teal",
    ("path", "matrix", False, "array"): ";color=teal,navy,plum",
    ("path", "matrix", False, "object"): ";color=R,10,G,20,B,30",
    ("path", "matrix", True, "primitive"): ";color=teal",
    ("path", "matrix", True, "array"): ";color=teal;color=navy;color=plum",
    ("path", "matrix", True, "object"): ";R=10;G=20;B=30",
    ("query", "form", True, "primitive"): "color=teal",
    ("query", "form", True, "array"): "color=teal&color=navy&color=plum",
    ("query", "form", True, "object"): "R=10&G=20&B=30",
    ("query", "form", False, "primitive"): "color=teal",
    ("query", "form", False, "array"): "color=teal,navy,plum",
    ("query", "form", False, "object"): "color=R,10,G,20,B,30",
    ("query", "spaceDelimited", False, "array"): "color=teal%20navy%20plum",
    ("query", "spaceDelimited", False, "object"): "color=R%2010%20G%2020%20B%2030",
    ("query", "pipeDelimited", False, "array"): "color=teal%7Cnavy%7Cplum",
    ("query", "pipeDelimited", False, "object"): "color=R%7C10%7CG%7C20%7CB%7C30",
    ("query", "deepObject", True, "object"): "color%5BR%5D=10&color%5BG%5D=20&color%5BB%5D=30",
    ("header", "simple", False, "primitive"): "teal",
    ("header", "simple", False, "array"): "teal,navy,plum",
    ("header", "simple", False, "object"): "R,10,G,20,B,30",
    ("header", "simple", True, "primitive"): "teal",
    ("header", "simple", True, "array"): "teal,navy,plum",
    ("header", "simple", True, "object"): "R=10,G=20,B=30",
    ("cookie", "form", True, "primitive"): "color=teal",
    ("cookie", "form", True, "array"): "color=teal&color=navy&color=plum",
    ("cookie", "form", True, "object"): "R=10&G=20&B=30",
    ("cookie", "form", False, "primitive"): "color=teal",
    ("cookie", "form", False, "array"): "color=teal,navy,plum",
    ("cookie", "form", False, "object"): "color=R,10,G,20,B,30",
}
# Beyond the table: empty values, reserved characters, `content:` parameters, defaults.
EXTRA: dict[str, tuple[dict[str, Any], object, str]] = {
    # name: (parameter object without name, value sent, expected wire text)
    "queryEmpty": ({"in": "query", "schema": {"type": "string"}}, "", "color="),
    "matrixEmpty": ({"in": "path", "style": "matrix", "schema": {"type": "string"}}, "", ";color"),
    "queryEncoded": ({"in": "query", "schema": {"type": "string"}}, "a/b:c?d&e f#g", "color=a%2Fb%3Ac%3Fd%26e%20f%23g"),
    "queryReserved": (
        {"in": "query", "allowReserved": True, "schema": {"type": "string"}},
        "a/b:c?d&e f#g%41", "color=a/b:c?d%26e%20f%23g%41",
    ),
    "arrayItemsEncoded": (
        {"in": "query", "explode": False, "schema": SCHEMAS["array"]}, ["a,b", "c d"], "color=a%2Cb,c%20d",
    ),
    "pathEncoded": ({"in": "path", "schema": SCHEMAS["array"]}, ["a/b", "c,d"], "a%2Fb,c%2Cd"),
    "queryJson": (
        {"in": "query", "content": {"application/json": {"schema": {"type": "object"}}}},
        {"lat": 1.5, "tags": ["x"]}, "color=%7B%22lat%22%3A1.5%2C%22tags%22%3A%5B%22x%22%5D%7D",
    ),
    "headerJson": (
        {"in": "header", "content": {"application/json": {"schema": {"type": "object"}}}},
        {"lat": 1.5, "tags": ["x"]}, '{"lat":1.5,"tags":["x"]}',
    ),
    "pathJson": (
        {"in": "path", "content": {"application/json": {"schema": {"type": "array"}}}},
        [1, "a"], "%5B1%2C%22a%22%5D",
    ),
    "cookieJson": (
        {"in": "cookie", "content": {"application/json": {"schema": {"type": "object"}}}},
        {"a": 1}, "color=%7B%22a%22%3A1%7D",
    ),
    "headerBool": ({"in": "header", "schema": {"type": "boolean"}}, True, "true"),
}


def _row_id(key: tuple[str, str, bool, str]) -> str:
    location, style, explode, kind = key
    return f"{location}_{style}_{'explode' if explode else 'flat'}_{kind}"


def _param(location: str, schema: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    return {"name": "color", "in": location, "required": True, "schema": schema, **extra}


def _operation(op_id: str, location: str, param: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    path = f"/{op_id}/{{color}}" if location == "path" else f"/{op_id}"
    return path, {"get": {"operationId": op_id, "parameters": [param],
                          "responses": {"204": {"description": "done"}}}}


def build_spec() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for key in TABLE:
        location, style, explode, kind = key
        param = _param(location, SCHEMAS[kind], {"style": style, "explode": explode})
        path, item = _operation(_row_id(key).replace("_", "X"), location, param)
        paths[path] = item
    for name, (param, _, _) in EXTRA.items():
        param = {"name": "color", "required": True, **param}
        path, item = _operation(name, param["in"], param)
        paths[path] = item
    paths["/formBody"] = {"post": {
        "operationId": "formBody",
        "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
            "schema": {"type": "object", "properties": {
                "plain": {"type": "string"},
                "tags": SCHEMAS["array"],
                "flat": SCHEMAS["array"],
                "pipes": SCHEMAS["array"],
                "meta": SCHEMAS["object"],
                "filter": SCHEMAS["object"],
                "spread": SCHEMAS["object"],
                "url": {"type": "string"},
            }},
            "encoding": {
                "flat": {"style": "form", "explode": False},
                "pipes": {"style": "pipeDelimited", "explode": False},
                "meta": {"contentType": "application/json"},
                "filter": {"style": "deepObject", "explode": True},
                "url": {"allowReserved": True},
            },
        }}},
        "responses": {"204": {"description": "done"}},
    }}
    paths["/multipartBody"] = {"post": {
        "operationId": "multipartBody",
        "requestBody": {"required": True, "content": {"multipart/form-data": {
            "schema": {"type": "object", "properties": {
                "note": {"type": "string"},
                "doc": {"type": "string"},
                "ids": {"type": "array", "items": {"type": "integer"}},
                "meta": SCHEMAS["object"],
                "csv": SCHEMAS["array"],
                "image": {"type": "string", "format": "binary"},
                "config": {"type": "string"},
            }},
            "encoding": {
                "doc": {"contentType": "text/markdown"},
                "csv": {"style": "form", "explode": False},
                "image": {"contentType": "image/png",
                          "headers": {"X-Part-Kind": {"schema": {"type": "string", "const": "picture"}},
                                      "X-Unknown": {"schema": {"type": "string"}}}},
                "config": {"contentType": "application/json"},
            },
        }}},
        "responses": {"204": {"description": "done"}},
    }}
    for item in paths.values():  # one resource (`client.default`), whatever the paths' first segments
        for op in item.values():
            op["tags"] = ["default"]
    return {"openapi": "3.1.0", "info": {"title": "Wire styles", "version": "1"},
            "servers": [{"url": "https://styles.example.com/api"}], "paths": paths}


@pytest.fixture(scope="module")
def sdk_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("styles")
    spec = work / "styles.json"
    spec.write_text(json.dumps(build_spec()))
    out = work / "out"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", PKG, "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def sdk(sdk_dir: Path) -> Iterator[Any]:
    out = sdk_dir
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PKG)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == PKG or m.startswith(PKG + ".")]:
            del sys.modules[name]


def _call(sdk: Any, is_async: bool, method: str, *args: Any, **kwargs: Any) -> httpx.Request:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(204)

    if is_async:
        async def run() -> None:
            client = sdk.AsyncClient(http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)))
            await getattr(client.default, method)(*args, **kwargs)
            await client.close()

        asyncio.run(run())
    else:
        client = sdk.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        getattr(client.default, method)(*args, **kwargs)
        client.close()
    assert len(seen) == 1
    return seen[0]


def _wire(request: httpx.Request, location: str, op_id: str) -> str:
    if location == "path":
        prefix = f"/api/{op_id}/".encode()
        assert request.url.raw_path.startswith(prefix), request.url.raw_path
        return request.url.raw_path[len(prefix):].decode()
    if location == "query":
        assert request.url.raw_path.startswith(f"/api/{op_id}?".encode()), request.url.raw_path
        return request.url.query.decode()
    if location == "header":
        return request.headers["color"]
    return request.headers["cookie"]


def _send(sdk: Any, is_async: bool, op_id: str, location: str, value: object) -> httpx.Request:
    method = _method_name(op_id)
    if location == "path":
        return _call(sdk, is_async, method, value)
    return _call(sdk, is_async, method, color=value)


def _method_name(op_id: str) -> str:
    from generator import naming

    return naming.method_name(op_id)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("key", list(TABLE), ids=[_row_id(k) for k in TABLE])
def test_style_table(sdk: Any, key: tuple[str, str, bool, str], is_async: bool) -> None:
    location, _, _, kind = key
    op_id = _row_id(key).replace("_", "X")
    request = _send(sdk, is_async, op_id, location, VALUES[kind])
    assert _wire(request, location, op_id) == TABLE[key]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("name", list(EXTRA))
def test_beyond_the_table(sdk: Any, name: str, is_async: bool) -> None:
    param, value, expected = EXTRA[name]
    request = _send(sdk, is_async, name, param["in"], value)
    assert _wire(request, param["in"], name) == expected


NESTED = {"a": {"b": [1, {"c": "d"}]}, "e": ["f", {"g": None}], "h": True}
NESTED_LIST = [{"k": "v"}, ["x", ["y"]], "z"]


@pytest.mark.parametrize("key", list(TABLE), ids=[_row_id(k) for k in TABLE])
def test_no_python_repr_reaches_the_wire(sdk: Any, key: tuple[str, str, bool, str]) -> None:
    location, _, _, kind = key
    op_id = _row_id(key).replace("_", "X")
    value: object = NESTED_LIST if kind == "array" else NESTED
    request = _send(sdk, False, op_id, location, value)
    wire = _wire(request, location, op_id)
    for text in (wire, unquote(wire), str(request.url), request.headers.get("cookie", "")):
        assert "{'" not in text and "['" not in text and "True" not in text, text
    if key[1] == "deepObject":  # nested objects nest their brackets
        assert unquote(wire).startswith("color[a][b][]=1&color[a][b][][c]=d&"), wire
    else:  # nested values deeper than the style defines travel as JSON text
        assert '{"' in unquote(wire) or '["' in unquote(wire), wire


def test_form_body_follows_encoding(sdk: Any) -> None:
    for is_async in (False, True):
        request = _call(
            sdk, is_async, "form_body",
            plain="a b&c", tags=["x", "y"], flat=["x", "y"], pipes=["x", "y"], meta={"R": 1},
            filter={"min": 1, "max": 2}, spread={"p": 1, "q": 2}, url="https://h/a?b",
        )
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        assert request.content.decode() == (
            "filter%5Bmin%5D=1&filter%5Bmax%5D=2&flat=x,y&meta=%7B%22R%22%3A1%7D&pipes=x%7Cy"
            "&plain=a%20b%26c&spread=%7B%22p%22%3A1%2C%22q%22%3A2%7D&tags=x&tags=y&url=https://h/a?b"
        )


def test_multipart_body_follows_encoding(sdk: Any) -> None:
    for is_async in (False, True):
        request = _call(
            sdk, is_async, "multipart_body",
            note="hello", doc="# Title", ids=[1, 2], meta={"R": 1}, csv=["a", "b"],
            image=("p.png", b"PNG"), config='{"already": "json"}',
        )
        body = request.content.decode()
        parts = body.split("--" + request.headers["content-type"].split("boundary=")[1])[1:-1]
        by_name: list[tuple[str, str]] = []
        for part in parts:
            head, _, payload = part.strip("\r\n").partition("\r\n\r\n")
            by_name.append((head, payload))
        heads = "\n".join(h for h, _ in by_name)
        assert 'name="note"\r\n' in heads or heads.count('name="note"') == 1
        assert sum('name="ids"' in h for h, _ in by_name) == 2  # arrays are repeated parts
        payloads = {h.split('name="')[1].split('"')[0]: (h, p) for h, p in by_name}
        assert payloads["note"][1] == "hello" and "Content-Type" not in payloads["note"][0]
        assert payloads["doc"][1] == "# Title" and "Content-Type: text/markdown" in payloads["doc"][0]
        assert payloads["meta"][1] == '{"R":1}' and "Content-Type: application/json" in payloads["meta"][0]
        assert payloads["csv"][1] == "a,b"
        assert payloads["config"][1] == '"{\\"already\\": \\"json\\"}"'  # a string sent as JSON text
        image_head = payloads["image"][0]
        assert 'filename="p.png"' in image_head and "Content-Type: image/png" in image_head
        assert "X-Part-Kind: picture" in image_head and "X-Unknown" not in image_head
        assert payloads["image"][1] == "PNG"


def test_generated_code_carries_styles(sdk: Any) -> None:
    source = Path(sdk.__file__).parent.joinpath("resources", "default.py").read_text()
    assert "path_styles={'color': 'matrix;explode=true'}" in source or \
        'path_styles={"color": "matrix;explode=true"}' in source
    assert '"application/json"' in source


SWAGGER2 = {
    "swagger": "2.0", "info": {"title": "Old styles", "version": "1"}, "host": "old.example.com",
    "basePath": "/v1", "schemes": ["https"],
    "paths": {"/items/{ids}": {"post": {
        "operationId": "postItems",
        "tags": ["default"],
        "consumes": ["application/x-www-form-urlencoded"],
        "parameters": [
            {"name": "ids", "in": "path", "required": True, "type": "array", "items": {"type": "integer"}},
            {"name": "csv", "in": "query", "type": "array", "items": {"type": "string"}},
            {"name": "multi", "in": "query", "type": "array", "items": {"type": "string"},
             "collectionFormat": "multi"},
            {"name": "X-Tags", "in": "header", "type": "array", "items": {"type": "string"}},
            {"name": "pipes", "in": "formData", "type": "array", "items": {"type": "string"},
             "collectionFormat": "pipes"},
            {"name": "plain", "in": "formData", "type": "array", "items": {"type": "string"}},
        ],
        "responses": {"204": {"description": "done"}},
    }}},
}


def test_swagger2_collection_formats(tmp_path: Path) -> None:
    """Swagger 2's collectionFormat (default csv) becomes the equivalent style on the wire."""
    spec = tmp_path / "old.json"
    spec.write_text(json.dumps(SWAGGER2))
    out = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", "old_styles_sdk", "-q"]) == 0
    sys.path.insert(0, str(out))
    try:
        old = importlib.import_module("old_styles_sdk")
        request = _call(old, False, "post_items", [1, 2], csv=["a", "b"], multi=["a", "b"], x_tags=["t", "u"],
                        pipes=["p", "q"], plain=["x", "y"])
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.startswith("old_styles_sdk")]:
            del sys.modules[name]
    assert request.url.raw_path == b"/v1/items/1,2?csv=a,b&multi=a&multi=b"
    assert request.headers["x-tags"] == "t,u"
    assert request.content == b"pipes=p%7Cq&plain=x,y"


def test_what_cannot_be_serialized_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = {
        "openapi": "3.0.3", "info": {"title": "Odd styles", "version": "1"},
        "paths": {"/odd/{id}": {"post": {
            "operationId": "odd",
            "tags": ["default"],
            "parameters": [
                {"name": "id", "in": "path", "required": True, "style": "form", "schema": {"type": "string"}},
                {"name": "X-Raw", "in": "header", "allowReserved": True, "schema": {"type": "string"}},
            ],
            "requestBody": {"content": {"application/json": {
                "schema": {"type": "object", "properties": {"a": {"type": "string"}}},
                "encoding": {"a": {"contentType": "text/plain"}},
            }}},
            "responses": {"204": {"description": "done"}},
        }}},
    }
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(spec))
    assert main(["generate", str(path), "--output", str(tmp_path / "out"), "--package-name", "odd_sdk"]) == 0
    printed = capsys.readouterr()
    text = printed.out + printed.err
    assert "[invalid-parameter-style] #/paths/~1odd~1{id}/post/parameters/0/style" in text
    assert "[allow-reserved-ignored] #/paths/~1odd~1{id}/post/parameters/1/allowReserved" in text
    assert "[encoding-ignored] #/paths/~1odd~1{id}/post/requestBody/content/application~1json/encoding" in text
    source = (tmp_path / "out" / "odd_sdk" / "resources" / "default.py").read_text()
    assert "path_styles" not in source and "header_styles" not in source  # the defaults are used


def test_the_generated_test_suite_accepts_every_style(sdk_dir: Path) -> None:
    """The SDK's own tests (a mock API checking each request against the spec) pass for every
    style: the mock reads label/matrix path values, exploded objects and encoded cookies."""
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                          cwd=sdk_dir, capture_output=True, text=True, check=False, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


def test_no_python_repr_in_bodies(sdk: Any) -> None:
    nested: dict[str, Any] = {"a": {"b": [1, {"c": "d"}]}, "e": True}
    form = _call(sdk, False, "form_body", plain="x", tags=[nested, [nested]], flat=[nested], pipes=[[1, [2]]],
                 meta=nested, filter=nested, spread=nested, url="u")
    parts = _call(sdk, True, "multipart_body", note="n", doc="d", ids=[1], meta=nested, csv=[nested, [1]],
                  config="c")
    for text in (unquote(form.content.decode()), parts.content.decode()):
        assert "{'" not in text and "['" not in text and "True" not in text, text
        assert '{"c":"d"}' in text
