"""The HTTP clients of the SDK (``SyncAPIClient``, ``AsyncAPIClient``): send, retry, return."""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from ._engine import BaseClient
from ._exceptions import APIConnectionError, APITimeoutError
from ._operation import Operation
from ._pagination import AsyncCursorPage, SyncCursorPage
from ._response import (
    APIResponse,
    AsyncAPIResponse,
    AsyncBinaryResponse,
    BinaryResponse,
)
from ._retries import (
    retry_delay,
    should_retry,
    should_retry_connection,
    within_budget,
)
from ._security import SecurityScheme
from ._streaming import AsyncStream, Stream
from ._types import NOT_GIVEN, Body, Headers, NotGiven, Query, Timeout

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "DEFAULT_CONNECTION_LIMITS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "AsyncAPIResource",
    "SyncAPIClient",
    "SyncAPIResource",
]

DEFAULT_TIMEOUT = httpx.Timeout(timeout=600.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_CONNECTION_LIMITS = httpx.Limits(
    max_connections=1000, max_keepalive_connections=100
)


class SyncAPIClient(BaseClient):
    """Synchronous client. Use as a context manager or call ``close()``."""

    _stream_cls = Stream
    _binary_cls = BinaryResponse
    _page_cls = SyncCursorPage

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        credentials: Mapping[str, object] | None = None,
        security_schemes: Mapping[str, SecurityScheme] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.Client | None = None,
        strict_response_validation: bool = False,
        user_agent: str | None = None,
        log_env_var: str | None = None,
        _sleep: Callable[[float], None] = time.sleep,
        _random: Callable[[], float] = random.random,
    ) -> None:
        if isinstance(timeout, NotGiven):
            timeout = (
                http_client.timeout if http_client is not None else DEFAULT_TIMEOUT
            )
        super().__init__(
            base_url=base_url,
            credentials=credentials,
            security_schemes=security_schemes,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            strict_response_validation=strict_response_validation,
            user_agent=user_agent,
            log_env_var=log_env_var,
            random_fn=_random,
        )
        self._owns_http_client = http_client is None
        self._http_client = http_client or httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            verify=True,
            limits=DEFAULT_CONNECTION_LIMITS,
        )
        self._sleep = _sleep

    def request(
        self,
        operation: Operation,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Any:
        """Perform ``operation`` and return its parsed result (see ``_runtime/README.md``)."""
        raw, retries, options = self._prepare(
            extra_headers, extra_query, extra_body, timeout, max_retries
        )
        request = self._build_request(
            self._http_client,
            operation,
            extra_headers,
            extra_query,
            extra_body,
            timeout,
        )
        stream = self._streamed(operation)
        retries_taken = 0
        policy = operation.retries
        started = time.monotonic()
        while True:
            self._log_request(request, retries_taken)
            try:
                response = self._http_client.send(request, stream=stream)
            except httpx.TransportError as exc:
                delay = retry_delay(retries_taken, None, self._random, policy)
                if (
                    retries_taken < retries
                    and should_retry_connection(policy)
                    and within_budget(policy, started, delay)
                ):
                    self._log_retry(request, delay, type(exc).__name__)
                    self._sleep(delay)
                    retries_taken += 1
                    continue
                if isinstance(exc, httpx.TimeoutException):
                    raise APITimeoutError(request) from exc
                raise APIConnectionError(request) from exc
            self._log_response(request, response)
            if response.is_success:
                break
            delay = retry_delay(retries_taken, response.headers, self._random, policy)
            if (
                retries_taken < retries
                and should_retry(response, policy)
                and within_budget(policy, started, delay)
            ):
                response.close()
                self._log_retry(request, delay, f"status {response.status_code}")
                self._sleep(delay)
                retries_taken += 1
                continue
            response.read()
            response.close()
            raise self._status_error(operation, response)
        if self._needs_read(operation, response):
            response.read()

        if raw:
            return APIResponse(
                response,
                lambda: self._process(operation, response, options),
                retries_taken,
            )
        return self._process(operation, response, options)

    def close(self) -> None:
        """Close the underlying HTTP client, unless it was supplied by the caller."""
        if self._owns_http_client:
            self._http_client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


async def _async_sleep(seconds: float) -> None:
    import asyncio  # imported lazily: sync-only users never pay for it

    await asyncio.sleep(seconds)


class AsyncAPIClient(BaseClient):
    """Asynchronous client. Use with ``async with`` or ``await client.close()``."""

    _stream_cls = AsyncStream
    _binary_cls = AsyncBinaryResponse
    _page_cls = AsyncCursorPage

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        credentials: Mapping[str, object] | None = None,
        security_schemes: Mapping[str, SecurityScheme] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.AsyncClient | None = None,
        strict_response_validation: bool = False,
        user_agent: str | None = None,
        log_env_var: str | None = None,
        _sleep: Callable[[float], Awaitable[None]] = _async_sleep,
        _random: Callable[[], float] = random.random,
    ) -> None:
        if isinstance(timeout, NotGiven):
            timeout = (
                http_client.timeout if http_client is not None else DEFAULT_TIMEOUT
            )
        super().__init__(
            base_url=base_url,
            credentials=credentials,
            security_schemes=security_schemes,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            strict_response_validation=strict_response_validation,
            user_agent=user_agent,
            log_env_var=log_env_var,
            random_fn=_random,
        )
        self._owns_http_client = http_client is None
        self._http_client = http_client or httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=True,
            verify=True,
            limits=DEFAULT_CONNECTION_LIMITS,
        )
        self._sleep = _sleep

    async def request(
        self,
        operation: Operation,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Any:
        """Perform ``operation`` and return its parsed result (see ``_runtime/README.md``)."""
        raw, retries, options = self._prepare(
            extra_headers, extra_query, extra_body, timeout, max_retries
        )
        request = self._build_request(
            self._http_client,
            operation,
            extra_headers,
            extra_query,
            extra_body,
            timeout,
        )
        stream = self._streamed(operation)
        retries_taken = 0
        policy = operation.retries
        started = time.monotonic()
        while True:
            self._log_request(request, retries_taken)
            try:
                response = await self._http_client.send(request, stream=stream)
            except httpx.TransportError as exc:
                delay = retry_delay(retries_taken, None, self._random, policy)
                if (
                    retries_taken < retries
                    and should_retry_connection(policy)
                    and within_budget(policy, started, delay)
                ):
                    self._log_retry(request, delay, type(exc).__name__)
                    await self._sleep(delay)
                    retries_taken += 1
                    continue
                if isinstance(exc, httpx.TimeoutException):
                    raise APITimeoutError(request) from exc
                raise APIConnectionError(request) from exc
            self._log_response(request, response)
            if response.is_success:
                break
            delay = retry_delay(retries_taken, response.headers, self._random, policy)
            if (
                retries_taken < retries
                and should_retry(response, policy)
                and within_budget(policy, started, delay)
            ):
                await response.aclose()
                self._log_retry(request, delay, f"status {response.status_code}")
                await self._sleep(delay)
                retries_taken += 1
                continue
            await response.aread()
            await response.aclose()
            raise self._status_error(operation, response)
        if self._needs_read(operation, response):
            await response.aread()

        if raw:

            async def parse() -> Any:
                return self._process(operation, response, options)

            return AsyncAPIResponse(response, parse, retries_taken)
        return self._process(operation, response, options)

    async def close(self) -> None:
        """Close the underlying HTTP client, unless it was supplied by the caller."""
        if self._owns_http_client:
            await self._http_client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class SyncAPIResource:
    """Base class of generated synchronous resource classes."""

    _client: SyncAPIClient

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncAPIResource:
    """Base class of generated asynchronous resource classes."""

    _client: AsyncAPIClient

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
