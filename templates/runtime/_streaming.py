"""Streamed responses: server-sent events (an incremental decoder) and JSON lines, read as
typed ``Stream`` / ``AsyncStream`` items."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx

from ._exceptions import APIResponseValidationError, make_stream_error
from ._lazy import validate_json
from ._types import StreamFraming

__all__ = [
    "AsyncStream",
    "SSEDecoder",
    "ServerSentEvent",
    "Stream",
    "is_stream_response",
]

JSON_LINES_MEDIA = frozenset(
    {
        "application/jsonl",
        "application/x-ndjson",
        "application/x-jsonlines",
        "application/jsonlines",
        "application/json-lines",
        "application/ndjson",
    }
)


def is_stream_response(response: httpx.Response) -> bool:
    """Whether the response's content type is an event stream or JSON lines."""
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    return media == "text/event-stream" or media in JSON_LINES_MEDIA


_T = TypeVar("_T")

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class ServerSentEvent:
    """One dispatched event. ``data`` joins multiple ``data:`` lines with ``\\n``."""

    data: str = ""
    event: str | None = None
    id: str | None = None
    retry: int | None = None

    def json(self) -> Any:
        return json.loads(self.data)


class SSEDecoder:
    """Incremental ``text/event-stream`` parser (UTF-8; CRLF, CR and LF line endings).

    Feed byte chunks of any size with ``feed()``; call ``flush()`` at end of stream.
    """

    def __init__(self) -> None:
        self._text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._partial = ""
        self._skip_lf = False
        self._first = True
        self._reset()
        self.last_event_id: str | None = None

    def _reset(self) -> None:
        self._data: list[str] = []
        self._event: str | None = None
        self._retry: int | None = None
        self._seen = False

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        text = self._text.decode(chunk)
        if not text:
            return []
        if self._first:
            self._first = False
            text = text.removeprefix("\ufeff")
        if self._skip_lf and text.startswith("\n"):
            text = text[1:]  # the "\n" of a "\r\n" split across chunks
        self._skip_lf = text.endswith("\r")
        lines = _LINE_BREAK.split(self._partial + text)
        self._partial = lines.pop()
        events: list[ServerSentEvent] = []
        for line in lines:
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: process a final unterminated line and a final undispatched event."""
        rest = self._partial + self._text.decode(b"", final=True)
        self._partial = ""
        events = [
            e
            for e in (self._line(rest) if rest else None, self._line(""))
            if e is not None
        ]
        return events

    def _line(self, line: str) -> ServerSentEvent | None:
        if not line:
            if not self._seen:
                return None
            event = ServerSentEvent(
                data="\n".join(self._data),
                event=self._event,
                id=self.last_event_id,
                retry=self._retry,
            )
            self._reset()
            return event
        if line.startswith(":"):
            return None  # comment
        name, sep, value = line.partition(":")
        if sep and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
            self._seen = True
        elif name == "event":
            self._event = value
            self._seen = True
        elif name == "id":
            if "\0" not in value:
                self.last_event_id = value
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        return None

    def iter_events(self, chunks: Iterable[bytes]) -> Iterator[ServerSentEvent]:
        for chunk in chunks:
            yield from self.feed(chunk)
        yield from self.flush()

    async def aiter_events(
        self, chunks: AsyncIterator[bytes]
    ) -> AsyncIterator[ServerSentEvent]:
        async for chunk in chunks:
            for event in self.feed(chunk):
                yield event
        for event in self.flush():
            yield event


class _StreamBase(Generic[_T]):
    def __init__(
        self,
        *,
        response: httpx.Response,
        item_type: Any,
        strict: bool,
        framing: StreamFraming = "sse",
    ) -> None:
        self.response = response
        self._item_type = item_type
        self._strict = strict
        self._framing = framing
        self._decoder = SSEDecoder()

    def _line(self, line: str) -> Any:
        """The item of one JSON line."""
        try:
            if self._item_type is None:
                return json.loads(line)
            return validate_json(self._item_type, line, strict=self._strict)
        except ValueError as exc:  # pydantic.ValidationError is a ValueError
            raise APIResponseValidationError(
                self.response, line, message=f"Invalid JSON line: {exc}"
            ) from exc

    def _process(self, sse: ServerSentEvent) -> tuple[bool, Any]:
        """``(done, item)`` for one event; raises for error events."""
        if sse.data.startswith("[DONE]"):
            return True, None
        data: Any = None
        if sse.event == "error" or '"error"' in sse.data:
            try:
                data = json.loads(sse.data)
            except ValueError:
                data = None
            error = data.get("error") if isinstance(data, dict) else None
            if sse.event == "error" or error:
                body = data if data is not None else sse.data
                raise make_stream_error(self.response, body, data, sse.event)
        if self._item_type is None or self._item_type is ServerSentEvent:
            return False, sse
        try:
            return False, validate_json(self._item_type, sse.data, strict=self._strict)
        except ValueError as exc:  # pydantic.ValidationError is a ValueError
            raise APIResponseValidationError(
                self.response, sse.data, message=f"Invalid stream event: {exc}"
            ) from exc


class Stream(_StreamBase[_T]):
    """Iterate the items of a server-sent event stream (stops at ``data: [DONE]``) or of a
    JSON lines stream (``framing="jsonl"``: one item per non-blank line).

    Use as a context manager (or call ``close()``) to release the connection early.
    """

    def __init__(
        self,
        *,
        response: httpx.Response,
        item_type: Any,
        strict: bool = False,
        framing: StreamFraming = "sse",
    ) -> None:
        super().__init__(
            response=response, item_type=item_type, strict=strict, framing=framing
        )
        self._iterator = self._iter()

    def _iter(self) -> Generator[_T, None, None]:
        try:
            if self._framing == "jsonl":
                for line in self.response.iter_lines():
                    if line.strip():
                        yield self._line(line)
                return
            for sse in self._decoder.iter_events(self.response.iter_bytes()):
                done, item = self._process(sse)
                if done:
                    break
                yield item
        finally:
            self.response.close()

    def __iter__(self) -> Iterator[_T]:
        return self._iterator

    def __next__(self) -> _T:
        return next(self._iterator)

    def close(self) -> None:
        self._iterator.close()
        self.response.close()

    def __enter__(self) -> Stream[_T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(_StreamBase[_T]):
    """Async twin of ``Stream``: ``async for`` / ``async with`` / ``await close()``."""

    def __init__(
        self,
        *,
        response: httpx.Response,
        item_type: Any,
        strict: bool = False,
        framing: StreamFraming = "sse",
    ) -> None:
        super().__init__(
            response=response, item_type=item_type, strict=strict, framing=framing
        )
        self._iterator = self._iter()

    async def _iter(self) -> AsyncGenerator[_T, None]:
        try:
            if self._framing == "jsonl":
                async for line in self.response.aiter_lines():
                    if line.strip():
                        yield self._line(line)
                return
            async for sse in self._decoder.aiter_events(self.response.aiter_bytes()):
                done, item = self._process(sse)
                if done:
                    break
                yield item
        finally:
            await self.response.aclose()

    def __aiter__(self) -> AsyncIterator[_T]:
        return self._iterator

    async def __anext__(self) -> _T:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        await self._iterator.aclose()
        await self.response.aclose()

    async def __aenter__(self) -> AsyncStream[_T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
