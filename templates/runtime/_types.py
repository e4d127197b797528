"""Shared type aliases and the ``NOT_GIVEN`` sentinel."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import IO, Literal, Protocol, TypeAlias, TypeVar, Union, final

import httpx

__all__ = [
    "NOT_GIVEN",
    "Body",
    "BodyKind",
    "FileContent",
    "FileTypes",
    "Headers",
    "NotGiven",
    "Query",
    "QueryStyle",
    "ResponseKind",
    "SequenceNotStr",
    "StreamFraming",
    "Timeout",
]

_T_co = TypeVar("_T_co", covariant=True)


@final
class NotGiven:
    """Marks an argument the caller did not pass (as opposed to ``None``, sent as JSON ``null``).

    There is exactly one instance, ``NOT_GIVEN``. It is falsy, so ``if value:`` works as expected.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __copy__(self) -> NotGiven:
        return self

    def __deepcopy__(self, memo: object) -> NotGiven:
        return self

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


class SequenceNotStr(Protocol[_T_co]):
    """A read-only sequence that is not a ``str``: lists and tuples fit, a lone string does not
    (``str.__contains__`` takes only strings, so ``str`` does not match ``__contains__`` below).
    Used for arguments typed "list of strings", where a bare string would be a silent mistake.
    """

    def __getitem__(self, index: int, /) -> _T_co: ...

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[_T_co]: ...

    def __contains__(self, value: object, /) -> bool: ...


Headers: TypeAlias = Mapping[str, str]
Query: TypeAlias = Mapping[str, object]
Body: TypeAlias = object
Timeout: TypeAlias = float | httpx.Timeout | None

# File content: raw bytes, a path on disk, or a binary file object.
FileContent: TypeAlias = Union[bytes, "os.PathLike[str]", IO[bytes]]
# A file part: content alone, or (filename, content) / (filename, content, content_type).
FileTypes: TypeAlias = (
    FileContent
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
)

BodyKind: TypeAlias = Literal["json", "multipart", "form", "binary"]
ResponseKind: TypeAlias = Literal["json", "binary", "text", "none"]
StreamFraming: TypeAlias = Literal["sse", "jsonl"]
# A parameter style spec: "<style>[;explode=true|false][;allowReserved]" or a media type,
# e.g. "form;explode=false", "deepObject", "matrix;explode=true", "application/json" (see ``_qs``).
QueryStyle: TypeAlias = str
