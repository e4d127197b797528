"""Runtime: servers and their variables, a query written into the path, JSON-lines streams, a
stream or a binary body by content type, and other 2XX bodies chosen by status."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest


def _servers(rt: Any) -> tuple[Any, ...]:
    var = rt.servers.ServerVariable
    return (
        rt.Server("https://{region}.example.com/{v}", name="prod",
                  variables={"region": var("us", ("us", "eu")), "v": var("v1")}),
        rt.Server("https://sandbox.example.com", name="sandbox"),
        rt.Server("https://{tenant}.example.org", variables={"tenant": var("")}),
    )


def test_select_server_by_index_and_name(rt: Any) -> None:
    servers = _servers(rt)
    assert rt.select_server(servers, None) is servers[0]
    assert rt.select_server(servers, 1) is servers[1]
    assert rt.select_server(servers, "sandbox") is servers[1]
    with pytest.raises(ValueError, match=r"out of range.*0 to 2"):
        rt.select_server(servers, 3)
    with pytest.raises(ValueError, match=r"Unknown server 'dev'.*'prod', 'sandbox'"):
        rt.select_server(servers, "dev")
    with pytest.raises(ValueError, match="declares no server"):
        rt.select_server((), None)


def test_server_url_defaults_overrides_and_missing_values(rt: Any) -> None:
    prod, _, tenant = _servers(rt)
    assert rt.server_url(prod, {}) == "https://us.example.com/v1"
    assert rt.server_url(prod, {"region": "eu", "v": "v2"}) == "https://eu.example.com/v2"
    with pytest.raises(ValueError, match="needs a value for the variable 'tenant'"):
        rt.server_url(tenant, {})
    assert rt.server_url(tenant, {"tenant": "acme"}) == "https://acme.example.org"


def test_check_server_variables(rt: Any) -> None:
    servers = _servers(rt)
    rt.check_server_variables(servers, {"region": "eu", "tenant": "x"})
    with pytest.raises(ValueError, match="must be one of 'us', 'eu', not 'ap'"):
        rt.check_server_variables(servers, {"region": "ap"})
    with pytest.raises(ValueError, match=r"Unknown server variable 'zone' \(the servers declare: 'region'"):
        rt.check_server_variables(servers, {"zone": "x"})
    with pytest.raises(TypeError, match="must be a str"):
        rt.check_server_variables(servers, {"region": 1})


def test_operation_server_variables(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(httpx.Response(204))
    files = rt.Server("https://{tenant}.files.test", variables={"tenant": rt.servers.ServerVariable("")})
    client._operation_servers = {files.url: files}
    with pytest.raises(ValueError, match="tenant"):
        client.request(rt.Operation(method="get", path="/f", server="https://{tenant}.files.test",
                                    response_kind="none"))
    assert rec.count == 0
    client._server_variables = {"tenant": "acme"}
    client.request(rt.Operation(method="get", path="/f", server="https://{tenant}.files.test",
                                response_kind="none"))
    assert str(rec.requests[0].url) == "https://acme.files.test/f"


@pytest.mark.parametrize(("path", "query", "expected"), [
    ("/r/{id}?beta=true", {}, "/v1/r/7?beta=true"),
    ("/r/{id}?beta=true", {"a": [1, 2]}, "/v1/r/7?beta=true&a=1&a=2"),
    ("/r/{id}?x=%2F&flag", {"b": "c d"}, "/v1/r/7?x=%2F&flag&b=c%20d"),
    ("/r/{id}?", {"b": "1"}, "/v1/r/7?b=1"),
])
def test_query_written_in_the_path_is_kept_first(rt: Any, make_client: Any, path: str,
                                                  query: dict[str, Any], expected: str) -> None:
    client, rec, _ = make_client(httpx.Response(200, json={}))
    client.request(rt.Operation(method="get", path=path, path_params={"id": 7}, query=query),
                   extra_query=None)
    assert rec.requests[0].url.raw_path == expected.encode()


def test_json_lines_stream(rt: Any, make_client: Any, make_async_client: Any) -> None:
    class Item(rt.BaseModel):
        n: int

    body = b'{"n": 1}\n\n{"n": 2}\r\n{"n": 3}'
    op = rt.Operation(method="get", path="/lines", stream=True, stream_item=Item, stream_framing="jsonl",
                      accept="application/x-ndjson", response_kind="none")
    reply = httpx.Response(200, content=body, headers={"content-type": "application/x-ndjson"})
    client, rec, _ = make_client(reply)
    with client.request(op) as stream:
        assert [i.n for i in stream] == [1, 2, 3]
    assert rec.requests[0].headers["accept"] == "application/x-ndjson"

    async def main() -> list[int]:
        aclient, _, _ = make_async_client(httpx.Response(200, content=body))
        async with aclient:
            return [i.n async for i in await aclient.request(op)]

    assert asyncio.run(main()) == [1, 2, 3]


def test_stream_or_binary_by_content_type(rt: Any, make_client: Any) -> None:
    op = rt.Operation(method="post", path="/speech", stream=True, stream_item=None, response_kind="binary",
                      accept="text/event-stream, application/octet-stream")
    client, _, _ = make_client(httpx.Response(200, content=b"\x00\x01",
                                              headers={"content-type": "audio/mpeg"}))
    assert client.request(op).read() == b"\x00\x01"
    client, _, _ = make_client(httpx.Response(200, content=b"data: hi\n\n",
                                              headers={"content-type": "text/event-stream; charset=utf-8"}))
    assert [e.data for e in client.request(op)] == ["hi"]


def test_other_success_status_has_its_own_type(rt: Any, make_client: Any) -> None:
    class Done(rt.BaseModel):
        id: str

    class Pending(rt.BaseModel):
        eta: int

    op = rt.Operation(method="get", path="/job", cast_to=Done, alternatives=(("202", "json", Pending),))
    client, _, _ = make_client(httpx.Response(200, json={"id": "x"}), httpx.Response(202, json={"eta": 3}))
    client.strict_response_validation = True
    assert client.request(op) == Done(id="x")
    assert client.request(op) == Pending(eta=3)
