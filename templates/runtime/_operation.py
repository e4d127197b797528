"""The static description of one API operation, built by generated resource methods."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ._retries import RetryPolicy
from ._types import NOT_GIVEN, BodyKind, QueryStyle, ResponseKind, StreamFraming

__all__ = [
    "CursorPagination",
    "OffsetPagination",
    "Operation",
    "Pagination",
    "UrlPagination",
    "warn_deprecated",
]


def warn_deprecated(message: str) -> None:
    """Called first by the method of a deprecated operation: a ``DeprecationWarning`` pointing at
    the caller's line (turn it into an error with ``-W error::DeprecationWarning``)."""
    warnings.warn(message, DeprecationWarning, stacklevel=3)


@dataclass(frozen=True)
class CursorPagination:
    """Cursor pagination of a list operation.

    ``items`` names the response field holding the page's items. The next cursor is read from the
    response field ``next_cursor`` or, when that is ``None``, from the field
    ``cursor_from_last_item`` of the page's last item (e.g. ``"id"``). It is sent back as the query
    parameter ``cursor_param``. ``has_more`` optionally names a boolean response field; when it is
    false (or the page is empty) there is no next page. Field names are wire names; dotted names
    (``"meta.next"``) address nested fields.
    """

    kind: ClassVar[str] = "cursor"

    cursor_param: str
    items: str = "data"
    has_more: str | None = None
    next_cursor: str | None = None
    cursor_from_last_item: str | None = None
    in_body: bool = False  # the cursor goes into the JSON body rather than the query


@dataclass(frozen=True)
class OffsetPagination:
    """Offset/limit or page-number pagination of a list operation.

    The next page sends ``param`` (a query parameter, or a body field when ``in_body``) as the
    current value plus the number of items received (``page=False``: an offset, starting at 0) or
    plus one (``page=True``: a page number, starting at 1). There is no next page when a page is
    empty, when it holds fewer items than the ``limit_param`` the call sent, or (page numbers) when
    the next page number exceeds the response field ``num_pages``.
    """

    kind: ClassVar[str] = "offset"

    param: str
    items: str = "data"
    page: bool = False
    limit_param: str | None = None
    num_pages: str | None = None
    in_body: bool = False


@dataclass(frozen=True)
class UrlPagination:
    """Pagination by a next-page URL.

    The response field ``next_url`` holds the URL of the next page (absolute, or relative to the
    client's base URL); none, or an empty one, ends the list.
    """

    kind: ClassVar[str] = "url"

    next_url: str
    items: str = "data"


Pagination = CursorPagination | OffsetPagination | UrlPagination


@dataclass(frozen=True)
class Operation:
    """Everything the runtime needs to perform one call. See ``_runtime/README.md``."""

    method: str
    path: str
    path_params: Mapping[str, object] = field(default_factory=dict)
    query: Mapping[str, object] = field(default_factory=dict)
    # Style specs by wire name (see ``_qs``), only where not the location's default.
    query_styles: Mapping[str, QueryStyle] = field(default_factory=dict)
    headers: Mapping[str, object] = field(default_factory=dict)
    cookies: Mapping[str, object] = field(default_factory=dict)
    body: object = NOT_GIVEN
    body_kind: BodyKind | None = None
    content_type: str | None = None
    path_styles: Mapping[str, QueryStyle] = field(default_factory=dict)
    header_styles: Mapping[str, QueryStyle] = field(default_factory=dict)
    cookie_styles: Mapping[str, QueryStyle] = field(default_factory=dict)
    # Form and multipart bodies: property -> style spec or media type (OpenAPI ``encoding``),
    # and the fixed headers of multipart parts.
    body_encoding: Mapping[str, str] = field(default_factory=dict)
    part_headers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    security: Sequence[Sequence[str]] = ()
    response_kind: ResponseKind = "json"
    cast_to: Any = None
    errors: Sequence[tuple[str, Any]] = ()
    stream: bool = False
    stream_item: Any = None
    stream_framing: StreamFraming = "sse"
    # The Accept header, when not implied by the response kind.
    accept: str | None = None
    # Other 2XX responses: (status or "2XX"-style range, kind, cast_to), chosen by status.
    alternatives: Sequence[tuple[str, ResponseKind, Any]] = ()
    pagination: Pagination | None = None
    page_item: Any = None
    server: str | None = None  # its own server (OpenAPI path/operation `servers`)
    retries: RetryPolicy | None = None  # the spec's retry policy (x-speakeasy-retries)
