"""Response kinds (json/text/none/binary) and raw response wrappers."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest


def test_text_and_none_responses(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(httpx.Response(200, text="hello"), httpx.Response(204))
    assert (
        client.request(rt.Operation(method="get", path="/t", response_kind="text"))
        == "hello"
    )
    assert rec.requests[0].headers["accept"] == "*/*"
    assert (
        client.request(rt.Operation(method="delete", path="/t", response_kind="none"))
        is None
    )


def test_json_empty_body_is_none(rt: Any, make_client: Any) -> None:
    client, _, _ = make_client(httpx.Response(200))
    assert client.request(rt.Operation(method="get", path="/t", cast_to=dict)) is None


def test_binary_response_streams(rt: Any, make_client: Any, tmp_path: Path) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"abc"
        yield b"def"

    client, rec, _ = make_client(
        lambda request: httpx.Response(
            200, headers={"content-type": "image/png"}, content=chunks()
        )
    )
    operation = rt.Operation(method="get", path="/f/{id}/content", path_params={"id": "x"},
                             response_kind="binary")  # fmt: skip
    result = client.request(operation)
    assert isinstance(result, rt.BinaryResponse)
    assert result.content_type == "image/png" and result.status_code == 200
    assert not result.http_response.is_closed  # not read yet: streamed on demand
    assert result.content == b"abcdef"
    assert result.http_response.is_closed

    target = tmp_path / "out.png"
    client.request(operation).write_to_file(target)
    assert target.read_bytes() == b"abcdef"
    assert b"".join(client.request(operation).iter_bytes()) == b"abcdef"


def test_binary_error_response_is_read(rt: Any, make_client: Any) -> None:
    client, _, _ = make_client(
        httpx.Response(404, json={"message": "no file"}), max_retries=0
    )
    with pytest.raises(rt.NotFoundError, match="no file"):
        client.request(rt.Operation(method="get", path="/f", response_kind="binary"))


def test_raw_response_wrapper(rt: Any, make_client: Any) -> None:
    class Pet(rt.BaseModel):
        id: int

    client, rec, _ = make_client(
        httpx.Response(500),
        httpx.Response(200, json={"id": 3}, headers={"x-request-id": "req-9"}),
    )

    def get_pet(pet_id: int, *, extra_headers: Any = None) -> Pet:
        return client.request(  # type: ignore[no-any-return]
            rt.Operation(
                method="get", path="/pets/{id}", path_params={"id": pet_id}, cast_to=Pet
            ),
            extra_headers=extra_headers,
        )

    raw_get = rt.to_raw_response_wrapper(get_pet)
    assert raw_get.__name__ == "get_pet"
    response = raw_get(3, extra_headers={"X-Mine": "1"})
    assert isinstance(response, rt.APIResponse)
    assert response.status_code == 200 and response.request_id == "req-9"
    assert response.retries_taken == 1
    assert response.headers["x-request-id"] == "req-9"
    assert response.json() == {"id": 3} and response.text == '{"id":3}'
    assert response.parse() == Pet(id=3) and response.parse() is response.parse()
    sent = rec.requests[-1].headers
    assert sent["x-mine"] == "1"
    assert rt.response.RAW_RESPONSE_HEADER.lower() not in {k.lower() for k in sent}


def test_async_raw_response_wrapper(rt: Any, make_async_client: Any) -> None:
    class Pet(rt.BaseModel):
        id: int

    async def main() -> None:
        client, _, _ = make_async_client(httpx.Response(200, json={"id": 5}))

        async def get_pet(*, extra_headers: Any = None) -> Pet:
            return await client.request(  # type: ignore[no-any-return]
                rt.Operation(method="get", path="/p", cast_to=Pet),
                extra_headers=extra_headers,
            )

        raw_get = rt.async_to_raw_response_wrapper(get_pet)
        assert inspect.iscoroutinefunction(raw_get)
        response = await raw_get()
        assert isinstance(response, rt.AsyncAPIResponse)
        assert await response.parse() == Pet(id=5)
        assert (
            await response.json() == {"id": 5} and await response.text() == '{"id":5}'
        )

    asyncio.run(main())


def test_async_binary_response(rt: Any, make_async_client: Any, tmp_path: Path) -> None:
    async def main() -> None:
        client, _, _ = make_async_client(httpx.Response(200, content=b"xyz"))
        operation = rt.Operation(method="get", path="/f", response_kind="binary")
        result = await client.request(operation)
        assert isinstance(result, rt.AsyncBinaryResponse)
        assert await result.read() == b"xyz"
        await (await client.request(operation)).write_to_file(tmp_path / "o.bin")
        chunks = [c async for c in (await client.request(operation)).iter_bytes()]
        assert b"".join(chunks) == b"xyz"

    asyncio.run(main())
    assert (tmp_path / "o.bin").read_bytes() == b"xyz"
