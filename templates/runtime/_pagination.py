"""Pagination: one page class per kind (cursor, offset/page number, next URL), sync and async.

``SyncCursorPage``, ``SyncOffsetPage``, ``SyncUrlPage`` (and their ``Async`` twins) hold one page;
iterating a page walks the items of every following page. The kind of an operation's pagination
(``_operation.CursorPagination`` / ``OffsetPagination`` / ``UrlPagination``) picks the class.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

import httpx

from ._lazy import validate_python
from ._operation import (
    CursorPagination,
    OffsetPagination,
    Operation,
    Pagination,
    UrlPagination,
)

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "AsyncCursorPage",
    "AsyncOffsetPage",
    "AsyncUrlPage",
    "SyncCursorPage",
    "SyncOffsetPage",
    "SyncUrlPage",
    "parse_page_items",
]

_T = TypeVar("_T")


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


def parse_page_items(
    pagination: Pagination, item_type: Any, body: Any, strict: bool
) -> list[Any]:
    """The items of a page response ``body`` (decoded JSON), parsed as ``list[item_type]``."""
    raw = _get(body, pagination.items)
    if not isinstance(raw, list):
        return []
    if item_type is None:
        return raw
    return cast("list[Any]", validate_python(list[item_type], raw, strict=strict))


class _BasePage(Generic[_T]):
    def __init__(
        self,
        *,
        client: Any,
        operation: Operation,
        body: Any,
        items: list[_T],
        options: Mapping[str, Any],
    ) -> None:
        self._client = client
        self._operation = operation
        self._options = dict(options)
        self.body = body
        """The decoded JSON of the page response."""
        self.data = items

    @property
    def items(self) -> list[_T]:
        return self.data

    @property
    def pagination(self) -> Pagination:
        assert self._operation.pagination is not None
        return self._operation.pagination

    def next_cursor(self) -> object | None:
        """The cursor of the next page (cursor pagination); ``None`` on the last page."""
        pagination = self.pagination
        if not isinstance(pagination, CursorPagination):
            return None
        raw_items = _get(self.body, pagination.items)
        if not self.data or not isinstance(raw_items, list) or not raw_items:
            return None
        if (
            pagination.has_more is not None
            and _get(self.body, pagination.has_more) is False
        ):
            return None
        if pagination.next_cursor is not None:
            cursor = _get(self.body, pagination.next_cursor)
        elif pagination.cursor_from_last_item is not None:
            cursor = _get(raw_items[-1], pagination.cursor_from_last_item)
        else:
            cursor = None
        return None if cursor is None or cursor == "" else cast(object, cursor)

    def has_next_page(self) -> bool:
        return self._next() is not None

    def _next(self) -> Operation | None:
        """The request of the next page, or ``None`` when this is the last page."""
        pagination = self.pagination
        if isinstance(pagination, CursorPagination):
            cursor = self.next_cursor()
            if cursor is None:
                return None
            return _with_input(
                self._operation, pagination.cursor_param, cursor, pagination.in_body
            )
        if isinstance(pagination, OffsetPagination):
            return self._next_offset(pagination)
        return self._next_url(pagination)

    def _next_offset(self, pagination: OffsetPagination) -> Operation | None:
        raw_items = _get(self.body, pagination.items)
        if not isinstance(raw_items, list) or not raw_items:
            return None
        source = _inputs(self._operation, pagination.in_body)
        if pagination.limit_param is not None:
            limit = source.get(pagination.limit_param)
            if isinstance(limit, int) and len(raw_items) < limit:
                return None
        current = source.get(pagination.param)
        if pagination.page:
            value = (current if isinstance(current, int) else 1) + 1
            if pagination.num_pages is not None:
                total = _get(self.body, pagination.num_pages)
                if isinstance(total, int) and value > total:
                    return None
        else:
            value = (current if isinstance(current, int) else 0) + len(raw_items)
        return _with_input(self._operation, pagination.param, value, pagination.in_body)

    def _next_url(self, pagination: UrlPagination) -> Operation | None:
        raw = _get(self.body, pagination.next_url)
        if not isinstance(raw, str) or not raw:
            return None
        base = str(self._client.base_url).rstrip("/")
        url = httpx.URL(base + "/").join(raw)
        query: dict[str, object] = {}
        for key, value in url.params.multi_items():
            previous = query.get(key)
            if previous is None:
                query[key] = value
            elif isinstance(previous, list):
                previous.append(value)
            else:
                query[key] = [previous, value]
        whole = str(url.copy_with(query=None, fragment=None))
        if whole.startswith(base + "/"):
            server, path = None, whole[len(base) :]
        else:
            server = f"{url.scheme}://{url.netloc.decode('ascii')}"
            path = url.raw_path.decode("ascii").split("?", 1)[0]
        return dataclasses.replace(
            self._operation,
            path=path.replace("{", "%7B").replace("}", "%7D"),
            path_params={},
            query=query,
            server=server,
        )

    def _next_operation(self) -> Operation:
        following = self._next()
        if following is None:
            raise RuntimeError("There is no next page; check `has_next_page()` first")
        return following

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(items={len(self.data)}, has_next_page={self.has_next_page()})"


def _inputs(operation: Operation, in_body: bool) -> Mapping[str, object]:
    if in_body:
        return operation.body if isinstance(operation.body, Mapping) else {}
    return operation.query


def _with_input(
    operation: Operation, name: str, value: object, in_body: bool
) -> Operation:
    """``operation`` with the query parameter (or JSON body field) ``name`` set to ``value``."""
    if in_body:
        body = operation.body if isinstance(operation.body, Mapping) else {}
        return dataclasses.replace(operation, body={**body, name: value})
    return dataclasses.replace(operation, query={**operation.query, name: value})


class SyncPage(_BasePage[_T]):
    """One page of a list operation. Iterating it yields every item of every following page."""

    _kinds: ClassVar[dict[str, type[SyncPage[Any]]]] = {}

    @classmethod
    def of(cls, pagination: Pagination) -> type[SyncPage[Any]]:
        """The page class for this kind of pagination."""
        return cls._kinds[pagination.kind]

    def get_next_page(self) -> Self:
        page = self._client.request(self._next_operation(), **self._options)
        return cast("Self", page)

    def iter_pages(self) -> Iterator[Self]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def __iter__(self) -> Iterator[_T]:
        for page in self.iter_pages():
            yield from page.data


class AsyncPage(_BasePage[_T]):
    """Async twin of ``SyncPage``: ``async for item in page`` walks all pages."""

    _kinds: ClassVar[dict[str, type[AsyncPage[Any]]]] = {}

    @classmethod
    def of(cls, pagination: Pagination) -> type[AsyncPage[Any]]:
        """The page class for this kind of pagination."""
        return cls._kinds[pagination.kind]

    async def get_next_page(self) -> Self:
        page = await self._client.request(self._next_operation(), **self._options)
        return cast("Self", page)

    async def iter_pages(self) -> AsyncIterator[Self]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item


class SyncCursorPage(SyncPage[_T]):
    """A page of a cursor-paginated list (``CursorPagination``)."""


class AsyncCursorPage(AsyncPage[_T]):
    """Async twin of ``SyncCursorPage``."""


class SyncOffsetPage(SyncPage[_T]):
    """A page of an offset/limit or page-number list (``OffsetPagination``)."""


class AsyncOffsetPage(AsyncPage[_T]):
    """Async twin of ``SyncOffsetPage``."""


class SyncUrlPage(SyncPage[_T]):
    """A page of a list paginated by next-page URLs (``UrlPagination``)."""


class AsyncUrlPage(AsyncPage[_T]):
    """Async twin of ``SyncUrlPage``."""


SyncPage._kinds.update(
    {
        CursorPagination.kind: SyncCursorPage,
        OffsetPagination.kind: SyncOffsetPage,
        UrlPagination.kind: SyncUrlPage,
    }
)
AsyncPage._kinds.update(
    {
        CursorPagination.kind: AsyncCursorPage,
        OffsetPagination.kind: AsyncOffsetPage,
        UrlPagination.kind: AsyncUrlPage,
    }
)
