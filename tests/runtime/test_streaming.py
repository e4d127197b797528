"""Server-sent events decoding and typed sync/async streams."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest


def decode(rt: Any, *chunks: bytes) -> list[Any]:
    return list(rt.streaming.SSEDecoder().iter_events(chunks))


def test_sse_fields_comments_and_multiline_data(rt: Any) -> None:
    events = decode(
        rt,
        b": keep-alive comment\n\n"
        b"event: update\nid: 7\nretry: 3000\ndata: line one\ndata:line two\ndata\n\n"
        b'data: {"a": 1}\nunknown: x\n\n',
    )
    SSE = rt.ServerSentEvent
    assert events == [
        SSE(data="line one\nline two\n", event="update", id="7", retry=3000),
        SSE(data='{"a": 1}', event=None, id="7", retry=None),
    ]
    assert events[1].json() == {"a": 1}


@pytest.mark.parametrize("newline", [b"\r\n", b"\r", b"\n"])
def test_sse_line_endings(rt: Any, newline: bytes) -> None:
    raw = b"event: e" + newline + b"data: x" + newline + b"data: y" + newline + newline
    raw += b"data: z" + newline + newline
    events = decode(rt, raw)
    assert [(e.event, e.data) for e in events] == [("e", "x\ny"), (None, "z")]
    # the same stream split into single bytes (CRLF split across chunks, UTF-8 too)
    assert decode(rt, *(raw[i : i + 1] for i in range(len(raw)))) == events


def test_sse_split_utf8_and_unterminated_final_event(rt: Any) -> None:
    raw = "data: héllo €\n\ndata: last".encode()
    events = decode(rt, raw[:8], raw[8:9], raw[9:])
    assert [e.data for e in events] == ["héllo €", "last"]


def test_sse_crlf_split_between_chunks_is_one_line_break(rt: Any) -> None:
    events = decode(rt, b"data: a\r", b"\ndata: b\r", b"\n\r\n")
    assert [e.data for e in events] == ["a\nb"]


def _sse_response(body: bytes | Iterator[bytes], status: int = 200) -> httpx.Response:
    return httpx.Response(
        status, headers={"content-type": "text/event-stream"}, content=body
    )


def _stream_op(rt: Any, item: Any) -> Any:
    return rt.Operation(method="post", path="/chat", stream=True, stream_item=item)


def _chunk_model(rt: Any) -> Any:
    class Chunk(rt.BaseModel):
        delta: str

    return Chunk


def test_stream_yields_models_until_done(rt: Any, make_client: Any) -> None:
    Chunk = _chunk_model(rt)
    body = (
        b'data: {"delta": "Hel"}\r\n\r\n'
        b": ping\r\n\r\n"
        b'data: {"delta":\r\ndata: "lo"}\r\n\r\n'
        b"data: [DONE]\r\n\r\n"
        b'data: {"delta": "never"}\r\n\r\n'
    )
    client, rec, _ = make_client(_sse_response(body))
    stream = client.request(_stream_op(rt, Chunk))
    assert isinstance(stream, rt.Stream)
    assert rec.requests[0].headers["accept"] == "text/event-stream"
    with stream:
        items = list(stream)
    assert items == [Chunk(delta="Hel"), Chunk(delta="lo")]
    assert stream.response.is_closed


def test_stream_of_raw_events(rt: Any, make_client: Any) -> None:
    client, _, _ = make_client(
        _sse_response(b"event: a\ndata: 1\n\nevent: b\ndata: 2\n\n")
    )
    events = list(client.request(_stream_op(rt, None)))
    assert [(e.event, e.data) for e in events] == [("a", "1"), ("b", "2")]


def test_error_event_mid_stream_raises(rt: Any, make_client: Any) -> None:
    Chunk = _chunk_model(rt)
    body = (
        b'data: {"delta": "a"}\n\n'
        b'event: error\ndata: {"error": {"message": "overloaded", "type": "server"}}\n\n'
        b'data: {"delta": "b"}\n\n'
    )
    client, _, _ = make_client(_sse_response(body))
    stream = client.request(_stream_op(rt, Chunk))
    assert next(stream) == Chunk(delta="a")
    with pytest.raises(rt.APIStreamError, match="overloaded") as info:
        next(stream)
    assert not isinstance(info.value, rt.APIStatusError)  # no fake status: the response succeeded
    assert not hasattr(info.value, "status_code")
    assert info.value.event == "error" and info.value.response.status_code == 200
    assert info.value.body == {"error": {"message": "overloaded", "type": "server"}}


def test_error_key_in_data_raises_but_null_error_does_not(
    rt: Any, make_client: Any
) -> None:
    class Event(rt.BaseModel):
        type: str
        error: Any = None

    body = b'data: {"type": "ok", "error": null}\n\ndata: {"error": {"message": "bad input"}}\n\n'
    client, _, _ = make_client(_sse_response(body))
    stream = client.request(_stream_op(rt, Event))
    assert next(stream).type == "ok"
    with pytest.raises(rt.APIStreamError, match="Error event in stream - bad input"):
        next(stream)


def test_stream_error_status_before_streaming(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(
        httpx.Response(429, json={"message": "slow down"}),
        _sse_response(b"data: [DONE]\n\n"),
    )
    assert list(client.request(_stream_op(rt, None))) == []
    assert rec.count == 2
    client, _, _ = make_client(httpx.Response(400, json={"message": "bad"}))
    with pytest.raises(rt.BadRequestError, match="bad"):
        client.request(_stream_op(rt, None))


def test_stream_close_releases_response(rt: Any, make_client: Any) -> None:
    def body() -> Iterator[bytes]:
        yield b'data: {"delta": "1"}\n\n'
        yield b'data: {"delta": "2"}\n\n'

    client, _, _ = make_client(_sse_response(body()))
    stream = client.request(_stream_op(rt, _chunk_model(rt)))
    next(stream)
    stream.close()
    assert stream.response.is_closed
    assert list(stream) == []


def test_async_stream(rt: Any, make_async_client: Any) -> None:
    Chunk = _chunk_model(rt)
    body = (
        b'data: {"delta": "x"}\r\n\r\ndata: {"delta": "y"}\r\n\r\ndata: [DONE]\r\n\r\n'
    )

    async def main() -> list[Any]:
        client, _, _ = make_async_client(_sse_response(body))
        async with client:
            stream = await client.request(_stream_op(rt, Chunk))
            assert isinstance(stream, rt.AsyncStream)
            async with stream:
                items = [item async for item in stream]
            assert stream.response.is_closed
            return items

    assert asyncio.run(main()) == [Chunk(delta="x"), Chunk(delta="y")]


def test_async_stream_error_event(rt: Any, make_async_client: Any) -> None:
    body = b'data: {"delta": "x"}\n\nevent: error\ndata: {"message": "boom"}\n\n'

    async def main() -> None:
        client, _, _ = make_async_client(_sse_response(body))
        stream = await client.request(_stream_op(rt, _chunk_model(rt)))
        assert (await stream.__anext__()).delta == "x"
        with pytest.raises(rt.APIStreamError, match="boom"):
            await stream.__anext__()
        await client.close()

    asyncio.run(main())
