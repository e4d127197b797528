"""A real server: httpbin (the PyPI package) on 127.0.0.1, described by our own spec
(tests/specs/httpbin/httpbin.yaml). Every operation of the generated SDK is called, sync and async,
with strict response validation on. The request httpbin echoes back must be what the OpenAPI rules
require; the expected wire form is computed here, independently of the runtime, from the style
tables of the OpenAPI specification (parameter styles, encoding objects)."""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from httpbin import app as httpbin_app  # type: ignore[import-untyped]
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.support.generated import generate_and_import

SPEC = Path(__file__).parent / "specs" / "httpbin" / "httpbin.yaml"
MODES = ("sync", "async")

# ------------------------------------------------------------------ the OpenAPI style rules, by hand


def text(value: object) -> str:
    """A primitive on the wire: booleans lower case, numbers and strings as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def flat(obj: dict[str, Any]) -> list[str]:
    """An object with explode=false: `k1,v1,k2,v2`."""
    return [item for key, value in obj.items() for item in (key, text(value))]


def simple(value: Any, explode: bool) -> str:
    if isinstance(value, list):
        return ",".join(text(v) for v in value)
    if isinstance(value, dict):
        if explode:
            return ",".join(f"{k}={text(v)}" for k, v in value.items())
        return ",".join(flat(value))
    return text(value)


def label(value: Any, explode: bool) -> str:
    if isinstance(value, list):
        return "." + ("." if explode else ",").join(text(v) for v in value)
    if isinstance(value, dict):
        if explode:
            return "." + ".".join(f"{k}={text(v)}" for k, v in value.items())
        return "." + ",".join(flat(value))
    return "." + text(value)


def matrix(name: str, value: Any, explode: bool) -> str:
    if isinstance(value, list):
        if explode:
            return "".join(f";{name}={text(v)}" for v in value)
        return f";{name}=" + ",".join(text(v) for v in value)
    if isinstance(value, dict):
        if explode:
            return "".join(f";{k}={text(v)}" for k, v in value.items())
        return f";{name}=" + ",".join(flat(value))
    return f";{name}={text(value)}"


def form(name: str, value: Any, explode: bool) -> list[tuple[str, str]]:
    if isinstance(value, list):
        if explode:
            return [(name, text(v)) for v in value]
        return [(name, ",".join(text(v) for v in value))]
    if isinstance(value, dict):
        if explode:
            return [(k, text(v)) for k, v in value.items()]
        return [(name, ",".join(flat(value)))]
    return [(name, text(value))]


def delimited(name: str, value: list[Any], separator: str) -> list[tuple[str, str]]:
    return [(name, separator.join(text(v) for v in value))]


def deep_object(name: str, value: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f"{name}[{k}]", text(v)) for k, v in value.items()]


def as_echoed(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """How httpbin reports decoded name/value pairs: one value, or a list for a repeated name."""
    out: dict[str, Any] = {}
    for name, value in pairs:
        if name in out:
            out[name] = [*out[name], value] if isinstance(out[name], list) else [out[name], value]
        else:
            out[name] = value
    return out


def echoed_path(url: str) -> str:
    return unquote(urlsplit(url).path)


# ------------------------------------------------------------------------------------ fixtures


class _Quiet(WSGIRequestHandler):
    def log(self, type: str, message: str, *args: Any) -> None:  # noqa: A002 - the base's signature
        pass


@pytest.fixture(scope="module")
def httpbin_port() -> Iterator[int]:
    server = make_server("127.0.0.1", 0, httpbin_app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, name="httpbin", daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generate_and_import(tmp_path_factory.mktemp("httpbin"), SPEC.read_text(encoding="utf-8"), "echo_sdk")


class Caller:
    """Calls one operation through a fresh sync or async client (strict response validation on)."""

    def __init__(self, sdk: ModuleType, port: int, mode: str) -> None:
        self.sdk, self.port, self.mode = sdk, port, mode

    def __call__(self, dotted: str, *args: Any, client: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        options = {"server_variables": {"port": str(self.port)}, "strict_response_validation": True,
                   **(client or {})}
        if self.mode == "sync":
            with self.sdk.Client(**options) as c:
                result = _walk(c, dotted)(*args, **kwargs)
                return list(result) if _is_stream(result) else result

        async def run() -> Any:
            async with self.sdk.AsyncClient(**options) as c:
                result = await _walk(c, dotted)(*args, **kwargs)
                return [item async for item in result] if _is_stream(result) else result

        return asyncio.run(run())


def _walk(obj: Any, dotted: str) -> Callable[..., Any]:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj  # type: ignore[no-any-return]


def _is_stream(value: Any) -> bool:
    return type(value).__name__ in ("Stream", "AsyncStream")


@pytest.fixture(params=MODES)
def call(request: pytest.FixtureRequest, sdk: ModuleType, httpbin_port: int) -> Caller:
    return Caller(sdk, httpbin_port, request.param)


# ------------------------------------------------------------------------ parameters, one row each

COLOR = {"R": 100, "G": 200}
PLACE = {"lat": "52.5", "lon": "13.4"}
ARR = ["blue", "black", "brown"]

PATH_ROWS = {
    # operation: (arguments, expected path segments after /anything/<style>/)
    "params.path_simple": (("blue", ARR, COLOR, COLOR),
                           [simple("blue", False), simple(ARR, False), simple(COLOR, False), simple(COLOR, True)]),
    "params.path_label": (("blue", ARR, ARR, COLOR, COLOR),
                          [label("blue", False), label(ARR, False), label(ARR, True), label(COLOR, False),
                           label(COLOR, True)]),
    "params.path_matrix": (("blue", ARR, ARR, COLOR, COLOR),
                           [matrix("prim", "blue", False), matrix("arr", ARR, False), matrix("arr_x", ARR, True),
                            matrix("obj", COLOR, False), matrix("obj_x", COLOR, True)]),
}


@pytest.mark.parametrize("operation", sorted(PATH_ROWS))
def test_path_styles(call: Caller, operation: str) -> None:
    args, segments = PATH_ROWS[operation]
    style = operation.rsplit("_", 1)[1]
    echo = call(operation, *args)
    assert type(echo).__name__ == "Echo"
    assert echoed_path(echo.url) == f"/anything/{style}/" + "/".join(segments)


QUERY_ROWS: dict[str, tuple[dict[str, Any], list[tuple[str, str]]]] = {
    # row: (keyword arguments, expected decoded pairs)
    "form-primitive": ({"prim": "blue", "flag": True, "count": 5},
                       form("prim", "blue", True) + form("flag", True, True) + form("count", 5, True)),
    "form-array-explode": ({"arr": ARR}, form("arr", ARR, True)),
    "form-array": ({"arr_nx": ARR}, form("arr_nx", ARR, False)),
    "form-object-explode": ({"obj": PLACE}, form("obj", PLACE, True)),
    "form-object": ({"obj_nx": COLOR}, form("obj_nx", COLOR, False)),
    "spaceDelimited-array": ({"spaced": ARR}, delimited("spaced", ARR, " ")),
    "pipeDelimited-array": ({"piped": ARR}, delimited("piped", ARR, "|")),
    "deepObject-object": ({"deep": COLOR}, deep_object("deep", COLOR)),
}


@pytest.mark.parametrize("row", sorted(QUERY_ROWS))
def test_query_styles(call: Caller, row: str) -> None:
    kwargs, pairs = QUERY_ROWS[row]
    echo = call("params.query_styles", **kwargs)
    assert echo.args == as_echoed(pairs)


def test_query_parameter_with_json_content(call: Caller) -> None:
    """A parameter declared with `content: application/json` is sent as JSON text."""
    value = {"kind": "cat", "ids": [1, 2]}
    echo = call("params.query_styles", filter=value)
    assert set(echo.args) == {"filter"}
    assert json.loads(echo.args["filter"]) == value


HEADER_ROWS: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    "simple-primitive": ({"x_prim": "blue"}, {"X-Prim": simple("blue", False)}),
    "simple-array": ({"x_arr": ARR}, {"X-Arr": simple(ARR, False)}),
    "simple-object": ({"x_obj": COLOR}, {"X-Obj": simple(COLOR, False)}),
    "simple-object-explode": ({"x_obj_x": COLOR}, {"X-Obj-X": simple(COLOR, True)}),
}


@pytest.mark.parametrize("row", sorted(HEADER_ROWS))
def test_header_styles(call: Caller, row: str) -> None:
    kwargs, expected = HEADER_ROWS[row]
    echo = call("params.header_styles", **kwargs)
    assert type(echo).__name__ == "HeadersEcho"
    assert {k: v for k, v in echo.headers.items() if k.startswith("X-")} == expected


COOKIE_ROWS: dict[str, tuple[dict[str, Any], list[tuple[str, str]]]] = {
    "form-primitive": ({"prim": "blue"}, form("prim", "blue", True)),
    "form-array": ({"arr": ARR}, form("arr", ARR, False)),
    "form-object": ({"obj": COLOR}, form("obj", COLOR, False)),
}


@pytest.mark.parametrize("row", sorted(COOKIE_ROWS))
def test_cookie_styles(call: Caller, row: str) -> None:
    kwargs, pairs = COOKIE_ROWS[row]
    echo = call("params.cookie_styles", **kwargs)
    assert echo.headers["Cookie"] == "; ".join(f"{k}={v}" for k, v in pairs)


# ------------------------------------------------------------------------------------ bodies


def test_json_body(call: Caller) -> None:
    pet: dict[str, Any] = {"name": "Rex", "age": 3, "tags": ["good", "dog"], "owner": PLACE}
    echo = call("bodies.send_json", **pet)
    assert echo.json_ == pet  # the field `json` (a BaseModel method name) is `json_`
    assert echo.headers["Content-Type"] == "application/json"
    assert echo.form == {} and echo.files == {}


def test_form_body_follows_its_encoding(call: Caller) -> None:
    echo = call("bodies.send_form", name="Rex", tags=["good", "dog"], meta=COLOR, where=PLACE)
    assert echo.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form_fields = dict(echo.form)
    assert json.loads(form_fields.pop("meta")) == COLOR  # encoding: contentType application/json
    assert form_fields == as_echoed(form("name", "Rex", True) + form("tags", ["good", "dog"], True)
                                    + deep_object("where", PLACE))


def test_multipart_body_follows_its_encoding(call: Caller) -> None:
    echo = call("bodies.send_multipart", file=("notes.txt", b"hello file"), note="hi", labels=["x", "y"],
                meta=COLOR)
    assert echo.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert echo.files == {"file": "hello file"}
    form_fields = dict(echo.form)
    assert json.loads(form_fields.pop("meta")) == COLOR
    assert form_fields == {"note": "hi", "labels": ["x", "y"]}  # arrays: one part per item


# ---------------------------------------------------------------------------- behaviour, auth


@pytest.mark.parametrize("code", [200, 202])
def test_success_status_without_body(call: Caller, code: int) -> None:
    assert call("behaviour.status", code) is None


@pytest.mark.parametrize(("code", "error"), [(404, "NotFoundError"), (418, "APIStatusError"),
                                             (503, "InternalServerError")])
def test_error_status(call: Caller, sdk: ModuleType, code: int, error: str) -> None:
    with pytest.raises(getattr(sdk, error)) as info:
        call("behaviour.status", code, max_retries=0)
    assert info.value.status_code == code


def test_basic_auth(call: Caller, sdk: ModuleType) -> None:
    ok = call("auth.basic_auth", "ann", "s3cret", client={"basic_username": "ann", "basic_password": "s3cret"})
    assert type(ok).__name__ == "BasicAuthResult" and ok.authenticated is True and ok.user == "ann"
    with pytest.raises(sdk.AuthenticationError):
        call("auth.basic_auth", "ann", "s3cret", client={"basic_username": "ann", "basic_password": "wrong"})


def test_bearer_auth(call: Caller, sdk: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    ok = call("auth.bearer_auth", client={"bearer_token": "tok-123"})
    assert ok.authenticated is True and ok.token == "tok-123"
    for name in [n for n in os.environ if n.startswith("ECHO_SDK_")]:
        monkeypatch.delenv(name)
    with pytest.raises(sdk.MissingCredentialsError):
        call("auth.bearer_auth")


def test_response_headers(call: Caller) -> None:
    wanted = {"X-Custom": "one", "X-Other": "two"}
    raw = call("behaviour.with_raw_response.response_headers", wanted=wanted)
    assert raw.headers["x-custom"] == "one" and raw.headers["x-other"] == "two"
    parsed = raw.parse() if call.mode == "sync" else asyncio.run(raw.parse())
    assert {k: parsed[k] for k in wanted} == wanted


def test_json_lines_stream(call: Caller) -> None:
    lines = call("behaviour.stream_lines", 3)
    assert [type(line).__name__ for line in lines] == ["StreamLine"] * 3
    assert [line.id for line in lines] == [0, 1, 2]
    assert all(echoed_path(line.url) == "/stream/3" for line in lines)


def test_redirect_is_followed(call: Caller) -> None:
    echo = call("behaviour.redirect_to", url="/anything/redirected", status_code=302)
    assert echoed_path(echo.url) == "/anything/redirected" and echo.method == "GET"


def test_gzip_body_is_decoded(call: Caller) -> None:
    echo = call("behaviour.gzipped")
    assert echo.gzipped is True and "gzip" in echo.headers["Accept-Encoding"]


def test_delay_and_timeout(call: Caller, sdk: ModuleType) -> None:
    echo = call("behaviour.delayed", 0)
    assert type(echo).__name__ == "DelayEcho" and echoed_path(echo.url) == "/delay/0"
    with pytest.raises(sdk.APITimeoutError):
        call("behaviour.delayed", 3, timeout=0.3, max_retries=0)


# ---------------------------------------------------------------------------------- coverage

CALLED = {
    "params.path_simple", "params.path_label", "params.path_matrix", "params.query_styles",
    "params.header_styles", "params.cookie_styles", "bodies.send_json", "bodies.send_form",
    "bodies.send_multipart", "behaviour.status", "auth.basic_auth", "auth.bearer_auth",
    "behaviour.response_headers", "behaviour.stream_lines", "behaviour.redirect_to", "behaviour.gzipped",
    "behaviour.delayed",
}


def test_every_operation_is_called(sdk: ModuleType) -> None:
    client = sdk.Client(server_variables={"port": "1"})
    found = set()
    for resource in ("params", "bodies", "behaviour", "auth"):
        r = getattr(client, resource)
        found |= {f"{resource}.{name}" for name, fn in inspect.getmembers(type(r), inspect.isfunction)
                  if not name.startswith("_")}
    assert found == CALLED
