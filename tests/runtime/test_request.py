"""Request building: URL, path/query/header/cookie parameters, bodies, standard headers."""

from __future__ import annotations

import datetime as dt
import enum
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

OK = httpx.Response(200, json={})


def op(rt: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("method", "get")
    kwargs.setdefault("path", "/things")
    return rt.Operation(**kwargs)


def test_path_params_are_percent_encoded(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(OK)
    client.request(
        op(
            rt,
            path="/files/{file_id}/v/{n}",
            path_params={"file_id": "a/b c?#", "n": 3},
        )
    )
    assert rec.requests[0].url.raw_path == b"/v1/files/a%2Fb%20c%3F%23/v/3"
    assert str(rec.requests[0].url).startswith("https://api.example.com/v1/files/")


@pytest.mark.parametrize("value", ["..", "."])
def test_path_params_cannot_traverse(rt: Any, make_client: Any, value: str) -> None:
    client, rec, _ = make_client(OK)
    client.request(op(rt, path="/files/{id}/content", path_params={"id": value}))
    assert (
        rec.requests[0].url.raw_path
        == f"/v1/files/{value.replace('.', '%2E')}/content".encode()
    )


def test_empty_path_param_is_rejected(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(OK)
    with pytest.raises(ValueError, match="file_id"):
        client.request(op(rt, path="/files/{file_id}", path_params={"file_id": ""}))
    assert rec.count == 0


def test_base_url_trailing_slash(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(OK, base_url="https://h.example/api/")
    client.request(op(rt, path="/x"))
    assert str(rec.requests[0].url) == "https://h.example/api/x"


def test_query_styles(rt: Any, make_client: Any) -> None:
    class Color(enum.Enum):
        RED = "red"

    client, rec, _ = make_client(OK)
    client.request(
        op(
            rt,
            query={
                "ids": [1, 2],
                "metadata": {"k": "v", "nested": {"a": True}},
                "flag": False,
                "on": True,
                "skip": rt.NOT_GIVEN,
                "none": None,
                "tags": ["x", "y"],
                "pipes": ["p", "q"],
                "color": Color.RED,
                "since": dt.date(2024, 1, 2),
            },
            query_styles={
                "ids": "form",
                "metadata": "deepObject",
                "tags": "spaceDelimited",
                "pipes": "pipeDelimited",
            },
        )
    )
    params = rec.requests[0].url.params
    assert params.get_list("ids") == ["1", "2"]
    assert params["metadata[k]"] == "v"
    assert params["metadata[nested][a]"] == "true"
    assert params["flag"] == "false" and params["on"] == "true"
    assert "skip" not in params and "none" not in params
    assert params["tags"] == "x y" and params["pipes"] == "p|q"
    assert params["color"] == "red" and params["since"] == "2024-01-02"
    assert rec.requests[0].url.query.startswith(b"ids=1&ids=2&metadata%5Bk%5D=v")


def test_query_styles_without_explode(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(OK)
    client.request(
        op(
            rt,
            query={"ids": [1, 2, 3], "color": {"R": 100, "G": 200}, "obj": {"x": 1}},
            query_styles={
                "ids": "form;explode=false",
                "color": "form;explode=false",
                "obj": "form",
            },
        )
    )
    params = rec.requests[0].url.params
    assert params["ids"] == "1,2,3"
    assert params["color"] == "R,100,G,200"
    assert params["x"] == "1" and "obj" not in params  # form, explode=true: properties as parameters


def test_query_merging_order(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(OK, default_query={"a": "default", "b": "default"})
    client.request(
        op(rt, query={"b": "op", "c": "op"}), extra_query={"c": "extra", "d": 1}
    )
    assert dict(rec.requests[0].url.params) == {
        "a": "default",
        "b": "op",
        "c": "extra",
        "d": "1",
    }
    client.request(op(rt, query={"b": "op"}), extra_query={"a": rt.NOT_GIVEN})
    assert dict(rec.requests[1].url.params) == {"b": "op"}


def test_json_body_not_given_vs_none(rt: Any, make_client: Any) -> None:
    class Inner(rt.BaseModel):
        x: int
        y: int | None = None

    client, rec, _ = make_client(OK)
    body = {
        "name": "n",
        "nickname": None,
        "age": rt.NOT_GIVEN,
        "inner": Inner(x=1),
        "when": dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc),
        "items": [1, rt.NOT_GIVEN, {"z": rt.NOT_GIVEN, "w": None}],
    }
    client.request(op(rt, method="post", body=body, body_kind="json"))
    request = rec.requests[0]
    assert json.loads(request.content) == {
        "name": "n",
        "nickname": None,
        "inner": {"x": 1},
        "when": "2024-05-06T07:08:09+00:00",
        "items": [1, {"w": None}],
    }
    assert request.headers["content-type"] == "application/json"


def test_extra_body_is_merged_into_json(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(OK)
    client.request(
        op(rt, method="post", body={"a": 1, "b": 2}, body_kind="json"),
        extra_body={"b": 3, "c": 4},
    )
    assert json.loads(rec.requests[0].content) == {"a": 1, "b": 3, "c": 4}


def test_multipart(rt: Any, make_client: Any, tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"PNGDATA")
    fileobj = io.BytesIO(b"FILEOBJ")
    fileobj.name = "obj.bin"
    client, rec, _ = make_client(OK)
    client.request(
        op(
            rt,
            method="post",
            body_kind="multipart",
            content_type="multipart/form-data",
            body={
                "raw": b"RAWBYTES",
                "path": path,
                "obj": fileobj,
                "tuple": ("t.txt", b"TUPLE", "text/plain"),
                "purpose": "fine-tune",
                "count": 2,
                "flag": True,
                "labels": ["a", "b"],
                "meta": {"k": "v"},
                "skipped": rt.NOT_GIVEN,
            },
        )
    )
    request = rec.requests[0]
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    text = request.content.decode()
    assert (
        'name="raw"; filename="upload"\r\nContent-Type: application/octet-stream\r\n\r\nRAWBYTES'
        in text
    )
    assert (
        'name="path"; filename="photo.png"\r\nContent-Type: image/png\r\n\r\nPNGDATA'
        in text
    )
    assert 'name="obj"; filename="obj.bin"' in text and "FILEOBJ" in text
    assert (
        'name="tuple"; filename="t.txt"\r\nContent-Type: text/plain\r\n\r\nTUPLE'
        in text
    )
    assert 'name="purpose"\r\n\r\nfine-tune\r\n' in text
    assert 'name="count"\r\n\r\n2\r\n' in text and 'name="flag"\r\n\r\ntrue\r\n' in text
    assert text.count('name="labels"') == 2
    assert 'name="meta"\r\nContent-Type: application/json\r\n\r\n{"k":"v"}' in text
    assert "skipped" not in text


def test_multipart_without_files_is_still_multipart(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(OK)
    client.request(op(rt, method="post", body_kind="multipart", body={"a": "1"}))
    assert rec.requests[0].headers["content-type"].startswith("multipart/form-data")


def test_form_urlencoded(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(OK)
    client.request(
        op(
            rt,
            method="post",
            body_kind="form",
            content_type="application/x-www-form-urlencoded",
            body={
                "grant_type": "password",
                "scope": ["a", "b"],
                "x": rt.NOT_GIVEN,
                "ok": True,
            },
        )
    )
    request = rec.requests[0]
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.content == b"grant_type=password&scope=a&scope=b&ok=true"


def test_binary_body(rt: Any, make_client: Any, tmp_path: Path) -> None:
    client, rec, _ = make_client(OK)
    client.request(
        op(
            rt,
            method="put",
            body=b"\x00\x01",
            body_kind="binary",
            content_type="image/png",
        )
    )
    path = tmp_path / "data.bin"
    path.write_bytes(b"FROMDISK")
    client.request(op(rt, method="put", body=path, body_kind="binary"))
    assert rec.requests[0].content == b"\x00\x01"
    assert rec.requests[0].headers["content-type"] == "image/png"
    assert rec.requests[1].content == b"FROMDISK"
    assert rec.requests[1].headers["content-type"] == "application/octet-stream"


def test_file_bodies_are_resent_on_retry(rt: Any, make_client: Any) -> None:
    fileobj = io.BytesIO(b"UPLOAD")
    client, rec, _ = make_client(httpx.Response(500), OK)
    client.request(op(rt, method="put", body=fileobj, body_kind="binary"))
    assert [r.content for r in rec.requests] == [b"UPLOAD", b"UPLOAD"]
    part = io.BytesIO(b"PART")
    part.name = "p.bin"
    client, rec, _ = make_client(httpx.Response(500), OK)
    client.request(op(rt, method="post", body={"file": part}, body_kind="multipart"))
    assert rec.count == 2 and all(b"PART" in r.content for r in rec.requests)


def test_standard_headers_and_overrides(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(
        OK,
        default_headers={"X-Default": "d", "X-Over": "default"},
        user_agent="acme/1.0",
    )
    client.request(
        op(
            rt,
            headers={"X-Op": 5, "X-Over": "op", "X-Skip": rt.NOT_GIVEN, "X-Bool": True},
            cookies={"session_hint": "abc", "n": rt.NOT_GIVEN},
        ),
        extra_headers={"X-Extra": "e", "x-over": "extra"},
    )
    headers = rec.requests[0].headers
    assert headers["user-agent"] == "acme/1.0"
    assert headers["accept"] == "application/json"
    assert (
        headers["x-default"] == "d"
        and headers["x-op"] == "5"
        and headers["x-bool"] == "true"
    )
    assert headers["x-over"] == "extra" and headers["x-extra"] == "e"
    assert "x-skip" not in headers
    assert headers["cookie"] == "session_hint=abc"
    assert "idempotency-key" not in headers  # GET


def test_idempotency_key_for_non_get(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(OK)
    client.request(op(rt, method="post"))
    client.request(op(rt, method="post"))
    client.request(op(rt, method="delete"), extra_headers={"Idempotency-Key": "mine"})
    first, second, third = (r.headers.get("idempotency-key") for r in rec.requests)
    assert first and second and first != second
    assert third == "mine"


def test_per_call_timeout(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(OK, timeout=12.0)
    client.request(op(rt))
    client.request(op(rt), timeout=3.5)
    client.request(op(rt), timeout=httpx.Timeout(7.0, connect=1.0))
    timeouts = [r.extensions["timeout"] for r in rec.requests]
    assert timeouts[0]["read"] == 12.0
    assert timeouts[1]["read"] == 3.5
    assert timeouts[2] == {"connect": 1.0, "read": 7.0, "write": 7.0, "pool": 7.0}


def test_default_timeout_and_retries(rt: Any) -> None:
    bc = rt.base_client
    assert bc.DEFAULT_MAX_RETRIES == 2
    assert bc.DEFAULT_TIMEOUT.read == 600 and bc.DEFAULT_TIMEOUT.connect == 5
    client = bc.SyncAPIClient(base_url="https://x.example")
    try:
        assert client.timeout == bc.DEFAULT_TIMEOUT and client.max_retries == 2
        assert client._http_client.follow_redirects is True
    finally:
        client.close()
    assert client._http_client.is_closed


def test_user_http_client_is_not_closed(rt: Any) -> None:
    http_client = httpx.Client(transport=httpx.MockTransport(lambda r: OK))
    with rt.base_client.SyncAPIClient(
        base_url="https://x.example", http_client=http_client
    ):
        pass
    assert not http_client.is_closed
    http_client.close()


# ------------------------------------------------ requests built without Client.build_request


def _same_request(a: httpx.Request, b: httpx.Request) -> None:
    assert (a.method, str(a.url)) == (b.method, str(b.url))
    assert a.headers.multi_items() == b.headers.multi_items()
    assert a.read() == b.read()
    assert a.extensions == b.extensions


CLIENTS: list[dict[str, Any]] = [
    {},
    {"headers": {"X-Team": "a", "User-Agent": "theirs", "Accept": "text/plain"}},
    {"headers": [("X-Many", "1"), ("X-Many", "2")], "timeout": 3.0},
    {"cookies": {"session": "s"}},  # client-wide cookies: built by build_request
    {"params": {"tenant": "t"}},  # client-wide query parameters: likewise
    {"base_url": "https://other.example.com/base/"},
]


@pytest.mark.parametrize("kwargs", CLIENTS, ids=[",".join(c) or "plain" for c in CLIENTS])
@pytest.mark.parametrize("timeout", [None, 2.5, httpx.Timeout(7.0, connect=1.0)])
def test_direct_request_is_what_build_request_gives(rt: Any, kwargs: dict[str, Any],
                                                    timeout: Any) -> None:
    http = httpx.Client(**kwargs)
    headers = {"accept": "application/json", "user-agent": "sdk/1", "x-team": "ours"}
    url = "https://api.example.com/v1/things?a=1&q=x%2Cy"
    direct = rt.engine._new_request(http, "POST", url, headers, b'{"a":1}', None, timeout)
    expected = http.build_request("POST", url, headers=headers, content=b'{"a":1}', timeout=timeout)
    if "params" in kwargs:
        # httpx would replace the URL's query with the client's parameters; they are appended
        assert str(expected.url).endswith("?tenant=t")
        expected.url = httpx.URL(url + "&tenant=t")
    _same_request(direct, expected)


def test_direct_request_with_files_matches(rt: Any) -> None:
    http = httpx.Client()
    files = [("file", ("a.txt", b"abc", "text/plain")), ("purpose", (None, b"x"))]
    direct = rt.engine._new_request(http, "POST", "https://h.example/up", {}, None, files, None)
    expected = http.build_request("POST", "https://h.example/up", files=files, timeout=None)
    assert direct.headers["content-type"].startswith("multipart/form-data; boundary=")
    boundary = direct.headers["content-type"].split("boundary=")[1]
    assert direct.read().replace(boundary.encode(), b"B") == expected.read().replace(
        expected.headers["content-type"].split("boundary=")[1].encode(), b"B")


def test_an_overridden_build_request_is_used(rt: Any, make_client: Any) -> None:
    seen: list[str] = []

    class Custom(httpx.Client):
        def build_request(self, method: str, url: Any, **kwargs: Any) -> httpx.Request:
            seen.append(str(url))
            request = super().build_request(method, url, **kwargs)
            request.headers["x-signed"] = "yes"
            return request

    rec: list[httpx.Request] = []
    http = Custom(transport=httpx.MockTransport(lambda r: rec.append(r) or httpx.Response(200, json={})))
    client = rt.base_client.SyncAPIClient(http_client=http, base_url="https://api.example.com/v1")
    client.request(op(rt))
    assert seen == ["https://api.example.com/v1/things"]
    assert rec[0].headers["x-signed"] == "yes"


def test_a_relative_base_url_goes_through_build_request(rt: Any) -> None:
    http = httpx.Client(base_url="https://base.example/api/")
    direct = rt.engine._new_request(http, "GET", "things", {}, None, None, None)
    assert str(direct.url) == "https://base.example/api/things"


def test_parsed_urls_are_reused_and_bounded(rt: Any) -> None:
    first = rt.engine._parsed_url("https://a.example/x")
    assert rt.engine._parsed_url("https://a.example/x") is first
    for i in range(600):
        rt.engine._parsed_url(f"https://a.example/{i}")
    assert len(rt.engine._urls) <= 512
