"""The runtime serializer (`_qs`) on its own: style specs, every style x explode x value type,
percent-encoding per location, `content:` media types, form bodies, and the URL a request gets."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

OK = httpx.Response(200, json={})
PRIM, ARR, OBJ = "blue", ["blue", "black", "brown"], {"R": 100, "G": 200, "B": 150}


def test_parse_style_defaults_and_options(rt: Any) -> None:
    parse = rt.qs.parse_style
    assert (parse("", "query").name, parse("", "query").explode) == ("form", True)
    assert (parse("", "path").name, parse("", "path").explode) == ("simple", False)
    assert (parse("", "header").name, parse("", "cookie").name) == ("simple", "form")
    style = parse("form;explode=false;allowReserved")
    assert (style.name, style.explode, style.allow_reserved) == ("form", False, True)
    assert parse("matrix;explode=true").explode is True
    assert parse("deepObject").explode is False
    assert parse("application/json").media_type == "application/json"
    with pytest.raises(ValueError, match="bogus"):
        parse("form;bogus")


SIMPLE = [  # (style, explode, value, expected) for path/header expansion
    ("simple", False, PRIM, "blue"),
    ("simple", False, ARR, "blue,black,brown"),
    ("simple", False, OBJ, "R,100,G,200,B,150"),
    ("simple", True, ARR, "blue,black,brown"),
    ("simple", True, OBJ, "R=100,G=200,B=150"),
    ("label", False, PRIM, ".blue"),
    ("label", False, ARR, ".blue,black,brown"),
    ("label", False, OBJ, ".R,100,G,200,B,150"),
    ("label", True, ARR, ".blue.black.brown"),
    ("label", True, OBJ, ".R=100.G=200.B=150"),
    ("matrix", False, PRIM, ";color=blue"),
    ("matrix", False, "", ";color"),
    ("matrix", False, ARR, ";color=blue,black,brown"),
    ("matrix", False, OBJ, ";color=R,100,G,200,B,150"),
    ("matrix", True, ARR, ";color=blue;color=black;color=brown"),
    ("matrix", True, OBJ, ";R=100;G=200;B=150"),
]


@pytest.mark.parametrize(("style", "explode", "value", "expected"), SIMPLE)
def test_path_styles(rt: Any, style: str, explode: bool, value: object, expected: str) -> None:
    spec = f"{style};explode={'true' if explode else 'false'}"
    assert rt.qs.format_path("/c/{color}", {"color": value}, {"color": spec}) == f"/c/{expected}"


FORM = [  # (spec, value, expected query)
    ("form", PRIM, "color=blue"),
    ("form", "", "color="),
    ("form", ARR, "color=blue&color=black&color=brown"),
    ("form", OBJ, "R=100&G=200&B=150"),
    ("form;explode=false", ARR, "color=blue,black,brown"),
    ("form;explode=false", OBJ, "color=R,100,G,200,B,150"),
    ("spaceDelimited", ARR, "color=blue%20black%20brown"),
    ("spaceDelimited", OBJ, "color=R%20100%20G%20200%20B%20150"),
    ("pipeDelimited", ARR, "color=blue%7Cblack%7Cbrown"),
    ("pipeDelimited", OBJ, "color=R%7C100%7CG%7C200%7CB%7C150"),
    ("deepObject;explode=true", OBJ, "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"),
    ("form", [], ""),
    ("form", {}, ""),
]


@pytest.mark.parametrize(("spec", "value", "expected"), FORM)
def test_query_styles(rt: Any, spec: str, value: object, expected: str) -> None:
    pairs = rt.qs.serialize_query([{"color": value}], {"color": spec})
    assert rt.qs.build_query(pairs) == expected


def test_query_percent_encoding_and_allow_reserved(rt: Any) -> None:
    qs = rt.qs
    text = "a/b:c?d&e=f+g h#i[j]%41é"
    plain = qs.build_query(qs.serialize_query([{"q": text}], {"q": "form"}))
    assert plain == "q=a%2Fb%3Ac%3Fd%26e%3Df%2Bg%20h%23i%5Bj%5D%2541%C3%A9"
    reserved = qs.build_query(qs.serialize_query([{"q": text}], {"q": "form;allowReserved"}))
    # reserved characters pass, except those that would change the query's structure
    assert reserved == "q=a/b:c?d%26e%3Df%2Bg%20h%23i%5Bj%5D%41%C3%A9"
    # a delimiter inside a value is encoded; the style's own delimiter is not
    pairs = qs.serialize_query([{"q": ["a,b", "c|d"]}], {"q": "form;explode=false"})
    assert qs.build_query(pairs) == "q=a%2Cb,c%7Cd"


def test_content_parameters_are_media_type_text(rt: Any) -> None:
    qs = rt.qs
    value = {"lat": 1.5, "tags": ["x"], "ok": True}
    pairs = qs.serialize_query([{"f": value}], {"f": "application/json"})
    assert unquote(qs.build_query(pairs)) == 'f={"lat":1.5,"tags":["x"],"ok":true}'
    assert qs.serialize_header(value, "application/json") == '{"lat":1.5,"tags":["x"],"ok":true}'
    assert qs.serialize_header("plain text", "text/plain") == "plain text"
    assert qs.format_path("/x/{f}", {"f": [1]}, {"f": "application/json"}) == "/x/%5B1%5D"


def test_headers_and_cookies(rt: Any) -> None:
    qs = rt.qs
    assert qs.serialize_header(ARR) == "blue,black,brown"
    assert qs.serialize_header(OBJ, "simple;explode=true") == "R=100,G=200,B=150"
    assert qs.serialize_header(False) == "false"
    cookies = {"a": ARR, "b": OBJ, "c": "x y;z", "d": None, "e": rt.NOT_GIVEN}
    header = qs.cookie_header(cookies, {"b": "form;explode=false"})
    assert header == "a=blue&a=black&a=brown; b=R,100,G,200,B,150; c=x%20y%3Bz"
    # OpenAPI 3.2's cookie style: one cookie per pair, no percent-encoding
    assert qs.cookie_header({"a": ARR}, {"a": "cookie"}) == "a=blue; a=black; a=brown"


class Shade(enum.Enum):
    DARK = "dark"


NESTED = {"a": {"b": [1, {"c": Shade.DARK}]}, "e": ["f", {"g": None}], "h": True, "i": None}


@pytest.mark.parametrize(
    "spec",
    ["form", "form;explode=false", "spaceDelimited", "pipeDelimited", "deepObject",
     "application/json"],
)
def test_no_repr_in_query(rt: Any, spec: str) -> None:
    qs = rt.qs
    for value in (NESTED, [NESTED, [1, [2]], "x"]):
        text = unquote(qs.build_query(qs.serialize_query([{"v": value}], {"v": spec})))
        assert "{'" not in text and "['" not in text and "True" not in text and "Shade" not in text
        assert "dark" in text


@pytest.mark.parametrize("spec", ["simple", "simple;explode=true", "label", "matrix;explode=true"])
def test_no_repr_in_path_and_headers(rt: Any, spec: str) -> None:
    qs = rt.qs
    for value in (NESTED, [NESTED, [1, [2]], "x"]):
        path = unquote(qs.format_path("/{v}", {"v": value}, {"v": spec}))
        header = qs.serialize_header(value, spec)
        for text in (path, header):
            assert "{'" not in text and "['" not in text and "True" not in text
            assert '"dark"' in text  # the nested part as JSON text


def test_form_fields_follow_encoding(rt: Any) -> None:
    body = {"a": ["x", "y"], "b": ["x", "y"], "c": {"k": [1]}, "d": {"p": 1}, "e": "a b", "f": None,
            "g": {"x": 1}, "h": [{"y": 2}, "z"], "i": "id", "j": 5}
    encoding = {"b": "form;explode=false", "c": "application/json", "d": "deepObject",
                "i": "application/json", "j": "text/plain"}
    assert rt.qs.form_fields(body, encoding) == (
        "a=x&a=y&b=x,y&c=%7B%22k%22%3A%5B1%5D%7D&d%5Bp%5D=1&e=a%20b"
        # without an RFC 6570 style, OpenAPI's default contentType: objects are JSON text,
        # arrays one field per item; an explicit JSON contentType quotes a string
        "&g=%7B%22x%22%3A1%7D&h=%7B%22y%22%3A2%7D&h=z&i=%22id%22&j=5"
    )


def test_query_written_in_the_path_is_kept(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(OK, OK)
    operation = rt.Operation(
        method="get", path="/responses/{id}?beta=true",
        path_params={"id": "r 1"}, query={"include": ["a", "b"]},
    )
    client.request(operation, extra_query={"x": 1})
    assert rec.requests[0].url.raw_path == b"/v1/responses/r%201?beta=true&include=a&include=b&x=1"
    client.request(dataclasses.replace(operation, query={}))
    assert rec.requests[1].url.raw_path == b"/v1/responses/r%201?beta=true"


def test_fragment_written_in_the_path_is_not_sent(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(OK)
    client.request(
        rt.Operation(method="put", path="/files/{id}#share", path_params={"id": 7},
                     query={"fields": "link"})
    )
    assert rec.requests[0].url.raw_path == b"/v1/files/7?fields=link"
    assert rec.requests[0].url.fragment == ""


def test_client_params_still_merge(rt: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    http = httpx.Client(transport=httpx.MockTransport(handler), params={"client": "1"})
    client = rt.base_client.SyncAPIClient(base_url="https://h.example", http_client=http)
    client.request(rt.Operation(method="get", path="/a?fixed=1", query={"q": "x y"}))
    assert seen[0].url.params.multi_items() == [("fixed", "1"), ("q", "x y"), ("client", "1")]


def test_request_styles_for_every_location(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(OK)
    client.request(
        rt.Operation(
            method="get", path="/c/{color}",
            path_params={"color": OBJ}, path_styles={"color": "matrix;explode=true"},
            query={"color": ARR}, query_styles={"color": "pipeDelimited"},
            headers={"X-Color": OBJ}, header_styles={"X-Color": "simple;explode=true"},
            cookies={"color": ARR}, cookie_styles={"color": "form;explode=false"},
        )
    )
    request = rec.requests[0]
    assert request.url.raw_path == b"/v1/c/;R=100;G=200;B=150?color=blue%7Cblack%7Cbrown"
    assert request.headers["x-color"] == "R=100,G=200,B=150"
    assert request.headers["cookie"] == "color=blue,black,brown"


def test_multipart_encoding(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(OK)
    client.request(
        rt.Operation(
            method="post", path="/up", body_kind="multipart", content_type="multipart/form-data",
            body={"doc": "# hi", "cfg": {"a": 1}, "ids": [1, 2], "csv": ["a", "b"],
                  "file": ("f.bin", b"DATA"), "n": 3},
            body_encoding={"doc": "text/markdown", "csv": "form;explode=false",
                           "file": "image/png, image/jpeg", "n": "application/json"},
            part_headers={"file": {"X-Kind": "upload"}, "doc": {"X-Lang": "en"}},
        )
    )
    text = rec.requests[0].content.decode()
    assert 'name="doc"\r\nX-Lang: en\r\nContent-Type: text/markdown\r\n\r\n# hi' in text
    assert 'name="cfg"\r\nContent-Type: application/json\r\n\r\n{"a":1}' in text
    assert text.count('name="ids"') == 2
    assert 'name="csv"\r\n\r\na,b' in text
    assert 'filename="f.bin"' in text and "X-Kind: upload" in text
    assert "image/png, image/jpeg" not in text  # a list of types is not a Content-Type
    assert 'name="n"\r\nContent-Type: application/json\r\n\r\n3' in text
