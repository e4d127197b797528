"""The async client mirrors the sync one: retries, delays, idempotency, errors, timeouts."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest


def test_async_retries_and_idempotency(rt: Any, make_async_client: Any) -> None:
    async def main() -> tuple[Any, Any, list[float]]:
        client, rec, sleeps = make_async_client(
            httpx.Response(503),
            httpx.Response(429, headers={"retry-after": "2"}),
            httpx.Response(200, json={"id": 1}),
            _random=lambda: 1.0,
        )
        result = await client.request(
            rt.Operation(
                method="post", path="/x", body={"a": 1}, body_kind="json", cast_to=dict
            )
        )
        return result, rec, sleeps

    result, rec, sleeps = asyncio.run(main())
    assert result == {"id": 1}
    assert rec.count == 3 and sleeps == [0.375, 2.0]
    assert len({r.headers["idempotency-key"] for r in rec.requests}) == 1
    assert all(json.loads(r.content) == {"a": 1} for r in rec.requests)


def test_async_error_mapping_and_body(rt: Any, make_async_client: Any) -> None:
    class Err(rt.BaseModel):
        message: str

    async def main() -> None:
        client, rec, _ = make_async_client(
            httpx.Response(422, json={"message": "invalid"})
        )
        with pytest.raises(rt.UnprocessableEntityError, match="invalid") as info:
            await client.request(
                rt.Operation(method="get", path="/x", errors=(("422", Err),))
            )
        assert info.value.body == Err(message="invalid")
        assert rec.count == 1

    asyncio.run(main())


def test_async_timeout(rt: Any, make_async_client: Any) -> None:
    async def main() -> tuple[Any, list[float]]:
        client, rec, sleeps = make_async_client(
            httpx.ConnectTimeout("slow"), max_retries=1
        )
        with pytest.raises(rt.APITimeoutError):
            await client.request(rt.Operation(method="get", path="/x"))
        return rec, sleeps

    rec, sleeps = asyncio.run(main())
    assert rec.count == 2 and sleeps == [0.5]


def test_async_missing_credentials(rt: Any, make_async_client: Any) -> None:
    async def main() -> None:
        client, rec, _ = make_async_client(
            httpx.Response(200), security_schemes={"k": rt.HTTPBearer("k")}
        )
        with pytest.raises(rt.MissingCredentialsError):
            await client.request(
                rt.Operation(method="get", path="/x", security=(("k",),))
            )
        assert rec.count == 0

    asyncio.run(main())


def test_async_client_owns_and_closes_http_client(rt: Any) -> None:
    async def main() -> None:
        async with rt.base_client.AsyncAPIClient(
            base_url="https://x.example"
        ) as client:
            assert isinstance(client, rt.base_client.AsyncAPIClient)
            inner = client._http_client
        assert inner.is_closed

    asyncio.run(main())


def test_resources_store_client(
    rt: Any, make_client: Any, make_async_client: Any
) -> None:
    client, _, _ = make_client(httpx.Response(200))
    aclient, _, _ = make_async_client(httpx.Response(200))
    assert rt.base_client.SyncAPIResource(client)._client is client
    assert rt.base_client.AsyncAPIResource(aclient)._client is aclient


def test_async_sleep_is_used_for_backoff(rt: Any) -> None:
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(500 if calls == 1 else 200, json={})

    async def main() -> None:
        client = rt.base_client.AsyncAPIClient(
            base_url="https://x.example",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
            _sleep=fake_sleep,
            _random=lambda: 0.0,
        )
        await client.request(rt.Operation(method="get", path="/x"))

    asyncio.run(main())
    assert slept == [0.5] and calls == 2
