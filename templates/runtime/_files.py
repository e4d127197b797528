"""Request body encoding: JSON, multipart/form-data, form-urlencoded and binary."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._lazy import to_jsonable
from ._qs import form_fields, media_text, parse_style, primitive_str, serialize_pairs
from ._types import NotGiven

__all__ = ["EncodedBody", "encode_body", "is_file_content", "is_file_types"]


@dataclass
class EncodedBody:
    """Keyword arguments for ``httpx.Client.build_request`` plus the ``Content-Type`` to send."""

    content: Any = None
    files: list[tuple[str, Any]] | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def is_file_content(value: object) -> bool:
    return isinstance(value, (bytes, bytearray, os.PathLike, io.IOBase)) or (
        hasattr(value, "read") and not isinstance(value, (str, Mapping))
    )


def is_file_types(value: object) -> bool:
    """True for ``bytes``, a path, a binary file object, or ``(filename, content[, type])``."""
    if isinstance(value, tuple):
        return 2 <= len(value) <= 3 and is_file_content(value[1])
    return is_file_content(value)


def _read(content: Any) -> Any:
    if isinstance(content, os.PathLike):
        return Path(content).read_bytes()
    if isinstance(content, bytearray):
        return bytes(content)
    return content


def _file_part(value: Any) -> Any:
    if isinstance(value, tuple):
        filename, content = value[0], _read(value[1])
        if len(value) == 3 and value[2] is not None:
            return (filename, content, value[2])
        return (filename, content)
    if isinstance(value, os.PathLike):
        return (os.path.basename(os.fspath(value)), _read(value))
    if isinstance(value, (bytes, bytearray)):
        return ("upload", bytes(value))
    return value  # file object: httpx uses its ``name`` and rewinds it on retries


def _concrete(media_type: str | None) -> str | None:
    """A single, concrete media type (not ``image/*`` nor a list), usable as a Content-Type."""
    if media_type and "*" not in media_type and "," not in media_type:
        return media_type.strip()
    return None


def _multipart(
    body: Mapping[str, object],
    encoding: Mapping[str, str],
    part_headers: Mapping[str, Mapping[str, str]],
) -> EncodedBody:
    # Every part goes through ``files`` (plain fields as ``(None, text)``) so that httpx always
    # sends multipart/form-data, even without files, and the field order is kept.
    # OpenAPI defaults: primitives are text parts, objects application/json, arrays one part
    # per item; an encoding ``contentType`` sets a part's media type (and its serialisation),
    # an encoding ``style`` serialises the property like a form field, ``headers`` (those with
    # a fixed value) are sent with the part.
    parts: list[tuple[str, Any]] = []

    def part(name: str, text: str, media: str | None) -> None:
        headers = part_headers.get(name)
        data = text.encode("utf-8")
        if headers:
            parts.append((name, (None, data, media, dict(headers))))
        elif media is not None:
            parts.append((name, (None, data, media)))
        else:
            parts.append((name, (None, data)))

    def add(name: str, value: object, spec: str) -> None:
        if isinstance(value, NotGiven) or value is None:
            return
        style = parse_style(spec, "query") if spec else None
        media = style.media_type if style is not None else None
        if is_file_types(value):
            file = _file_part(value)
            concrete = _concrete(media)
            if isinstance(file, tuple) and len(file) == 2 and concrete is not None:
                file = (file[0], file[1], concrete)
            headers = part_headers.get(name)
            if headers and isinstance(file, tuple):
                file = (*file, None)[:3] + (dict(headers),)
            parts.append((name, file))
            return
        jsonable = to_jsonable(value)
        if style is not None and media is None:
            for key, text in serialize_pairs(name, jsonable, style, lambda s: s):
                part(key, text, None)
        elif media is not None:
            part(name, media_text(jsonable, media), _concrete(media))
        elif isinstance(jsonable, (dict, list)):
            part(
                name,
                json.dumps(jsonable, separators=(",", ":"), ensure_ascii=False),
                "application/json",
            )
        else:
            part(name, primitive_str(jsonable), None)

    for name, value in body.items():
        spec = encoding.get(name, "")
        explicit_style = spec and "/" not in spec
        if (
            isinstance(value, (list, tuple))
            and not is_file_types(value)
            and not explicit_style
        ):
            for item in value:
                add(name, item, spec)
        else:
            add(name, value, spec)
    return EncodedBody(files=parts)


def encode_body(
    kind: str | None,
    body: object,
    extra_body: object,
    content_type: str | None,
    encoding: Mapping[str, str] | None = None,
    part_headers: Mapping[str, Mapping[str, str]] | None = None,
) -> EncodedBody:
    """Encode ``body`` (with ``extra_body`` merged into mapping bodies) for ``kind``.

    ``encoding`` maps a property to its style spec or media type (OpenAPI Encoding Object, see
    ``_qs``); ``part_headers`` adds headers to multipart parts.
    """
    if extra_body is not None:
        if isinstance(body, NotGiven):
            body = extra_body
        elif isinstance(body, Mapping) and isinstance(extra_body, Mapping):
            body = {**body, **extra_body}
        else:
            raise TypeError(
                "`extra_body` can only be merged into an object request body"
            )
        kind = kind or "json"
    if isinstance(body, NotGiven) or kind is None:
        return EncodedBody()
    if kind == "multipart":
        if not isinstance(body, Mapping):
            raise TypeError("A multipart request body must be a mapping")
        return _multipart(body, encoding or {}, part_headers or {})
    if kind == "form":
        if not isinstance(body, Mapping):
            raise TypeError("A form request body must be a mapping")
        content = form_fields(body, encoding)
        return EncodedBody(
            content=content.encode("ascii"),
            content_type=content_type or "application/x-www-form-urlencoded",
        )
    if kind == "binary":
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif isinstance(body, io.IOBase) or hasattr(body, "read"):
            body = body.read()  # bytes in memory, so that retries can resend them
        return EncodedBody(
            content=_read(body), content_type=content_type or "application/octet-stream"
        )
    data = json.dumps(
        to_jsonable(body), separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return EncodedBody(
        content=data.encode("utf-8"), content_type=content_type or "application/json"
    )
