"""Raw response access and binary (download) responses."""

from __future__ import annotations

import functools
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, cast

import httpx

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "RAW_RESPONSE_HEADER",
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncBinaryResponse",
    "BinaryResponse",
    "async_to_raw_response_wrapper",
    "to_raw_response_wrapper",
]

_T = TypeVar("_T")
_P = ParamSpec("_P")

# Private marker: when present in ``extra_headers`` the client returns an ``APIResponse`` instead
# of the parsed value. It is removed before the request is sent.
RAW_RESPONSE_HEADER = "X-SDK-Raw-Response"

_MISSING: Any = object()


class _BaseAPIResponse(Generic[_T]):
    http_response: httpx.Response
    retries_taken: int

    def __init__(self, http_response: httpx.Response, retries_taken: int = 0) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._parsed: Any = _MISSING

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        value: str | None = self.http_response.headers.get("x-request-id")
        return value

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def elapsed(self) -> float:
        return self.http_response.elapsed.total_seconds()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code} {self.http_response.reason_phrase}]>"


class APIResponse(_BaseAPIResponse[_T]):
    """The raw HTTP response of a call; ``parse()`` returns what the normal call returns."""

    def __init__(
        self,
        http_response: httpx.Response,
        parser: Callable[[], _T],
        retries_taken: int = 0,
    ) -> None:
        super().__init__(http_response, retries_taken)
        self._parser = parser

    def parse(self) -> _T:
        if self._parsed is _MISSING:
            self._parsed = self._parser()
        return cast(_T, self._parsed)

    def read(self) -> bytes:
        return self.http_response.read()

    @property
    def content(self) -> bytes:
        return self.read()

    @property
    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> Any:
        self.read()
        return self.http_response.json()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def close(self) -> None:
        self.http_response.close()


class AsyncAPIResponse(_BaseAPIResponse[_T]):
    """Async twin of ``APIResponse``: ``await parse()``, ``await read()``, ``await text()``."""

    def __init__(
        self,
        http_response: httpx.Response,
        parser: Callable[[], Awaitable[_T]],
        retries_taken: int = 0,
    ) -> None:
        super().__init__(http_response, retries_taken)
        self._parser = parser

    async def parse(self) -> _T:
        if self._parsed is _MISSING:
            self._parsed = await self._parser()
        return cast(_T, self._parsed)

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        await self.read()
        return self.http_response.json()

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    async def close(self) -> None:
        await self.http_response.aclose()


class BinaryResponse:
    """A binary (download) response whose body is streamed on demand.

    Read it with ``content`` / ``read()``, ``iter_bytes()`` or ``write_to_file(path)``; each of
    these releases the connection when done. Use ``with`` or ``close()`` if you read nothing.
    """

    def __init__(self, http_response: httpx.Response) -> None:
        self.http_response = http_response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def content_type(self) -> str | None:
        value: str | None = self.http_response.headers.get("content-type")
        return value

    @property
    def content(self) -> bytes:
        return self.read()

    def read(self) -> bytes:
        try:
            return self.http_response.read()
        finally:
            self.http_response.close()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        try:
            yield from self.http_response.iter_bytes(chunk_size)
        finally:
            self.http_response.close()

    def write_to_file(
        self, file: str | os.PathLike[str], chunk_size: int | None = 65536
    ) -> None:
        with open(file, "wb") as f:
            f.writelines(self.iter_bytes(chunk_size))

    def close(self) -> None:
        self.http_response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"<BinaryResponse [{self.status_code}] {self.content_type or ''}>".replace(
                " >", ">"
            )
        )


class AsyncBinaryResponse:
    """Async twin of ``BinaryResponse`` (``await read()``, ``async for`` over ``iter_bytes()``)."""

    def __init__(self, http_response: httpx.Response) -> None:
        self.http_response = http_response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def content_type(self) -> str | None:
        value: str | None = self.http_response.headers.get("content-type")
        return value

    async def read(self) -> bytes:
        try:
            return await self.http_response.aread()
        finally:
            await self.http_response.aclose()

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                yield chunk
        finally:
            await self.http_response.aclose()

    async def write_to_file(
        self, file: str | os.PathLike[str], chunk_size: int | None = 65536
    ) -> None:
        f = await _to_thread(open, file, "wb")
        try:
            async for chunk in self.iter_bytes(chunk_size):
                f.write(chunk)
        finally:
            f.close()

    async def close(self) -> None:
        await self.http_response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"<AsyncBinaryResponse [{self.status_code}] {self.content_type or ''}>".replace(
            " >", ">"
        )


async def _to_thread(func: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    import asyncio

    return await asyncio.to_thread(func, *args, **kwargs)


def _with_raw_marker(kwargs: dict[str, Any]) -> None:
    headers = dict(kwargs.get("extra_headers") or {})
    headers[RAW_RESPONSE_HEADER] = "true"
    kwargs["extra_headers"] = headers


def to_raw_response_wrapper(func: Callable[_P, _T]) -> Callable[_P, APIResponse[_T]]:
    """Wrap a generated method so that it returns ``APIResponse[T]`` instead of ``T``."""

    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_T]:
        _with_raw_marker(kwargs)
        return cast("APIResponse[_T]", func(*args, **kwargs))

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[_P, Awaitable[_T]],
) -> Callable[_P, Awaitable[AsyncAPIResponse[_T]]]:
    """Async twin of ``to_raw_response_wrapper``."""

    @functools.wraps(func)
    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AsyncAPIResponse[_T]:
        _with_raw_marker(kwargs)
        return cast("AsyncAPIResponse[_T]", await func(*args, **kwargs))

    return wrapped
