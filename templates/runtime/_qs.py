"""Parameter and form-field serialisation: every OpenAPI 3.0/3.1 ``style`` in one place.

A parameter's serialisation is described by a *style spec*, a short string the generated code
writes next to the value (``Operation.query_styles`` and its path/header/cookie siblings, and
``Operation.body_encoding`` for form and multipart bodies):

* ``"<style>"`` with optional ``;explode=true``/``;explode=false`` and ``;allowReserved``, e.g.
  ``"form;explode=false"``, ``"deepObject"``, ``"matrix;explode=true"``. ``explode`` defaults to
  OpenAPI's default: true for ``form`` (and ``cookie``), false for every other style.
* a media type (anything with a ``/``), for parameters declared with ``content:`` and encoding
  ``contentType``: the value is sent as that media type's text (JSON for JSON media types).

Values are first made JSON-compatible (models, enums, dates...); primitives are ``true``/
``false`` for booleans and ``str()`` otherwise. A value nested deeper than a style defines
(an object inside an array, for instance) is sent as compact JSON text, never as Python ``repr``.
Percent-encoding follows the location: each value (never a delimiter) is encoded for paths,
queries, cookies and form bodies (RFC 3986 unreserved characters kept; ``allowReserved`` keeps
the reserved ones a query can carry); header values are sent as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Container, Iterable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from ._lazy import to_jsonable
from ._types import NotGiven

__all__ = [
    "build_query",
    "cookie_header",
    "form_fields",
    "format_path",
    "media_text",
    "parse_style",
    "primitive_str",
    "request_target",
    "serialize_header",
    "serialize_pairs",
    "serialize_query",
]

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")
_TRIPLE = re.compile(r"(%[0-9A-Fa-f]{2})")
# RFC 3986 reserved characters that allowReserved lets through in a query: all but "[", "]",
# "#" (not allowed in a query) and "&", "+", "=" (meaningful in form-style query strings).
_QUERY_RESERVED = ":/?@!$'()*,;"
_DEFAULT_STYLE = {
    "path": "simple",
    "header": "simple",
    "query": "form",
    "cookie": "form",
}

Encoder = Callable[[str], str]


class Style:
    """A parsed style spec (see the module docstring)."""

    __slots__ = ("allow_reserved", "explode", "media_type", "name")

    def __init__(
        self, name: str, explode: bool, allow_reserved: bool, media_type: str | None
    ) -> None:
        self.name = name
        self.explode = explode
        self.allow_reserved = allow_reserved
        self.media_type = media_type


@lru_cache(maxsize=512)
def parse_style(spec: str, location: str = "query") -> Style:
    """Parse a style spec; an empty spec is the location's default style."""
    spec = spec.strip()
    if "/" in spec:
        return Style("", False, False, spec)
    parts = [part.strip() for part in spec.split(";")]
    name = parts[0] or _DEFAULT_STYLE.get(location, "form")
    explode = name in ("form", "cookie")
    allow_reserved = False
    for part in parts[1:]:
        if part in ("explode", "explode=true"):
            explode = True
        elif part == "explode=false":
            explode = False
        elif part in ("allowReserved", "allowReserved=true"):
            allow_reserved = True
        elif part == "allowReserved=false":
            allow_reserved = False
        elif part:
            raise ValueError(f"Unknown style option {part!r} in {spec!r}")
    return Style(name, explode, allow_reserved, None)


def primitive_str(value: object) -> str:
    """The wire form of a scalar: booleans are ``true``/``false``, ``None`` is empty."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    return str(value)


def _json_text(data: object) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _atom(data: object) -> str:
    """One value of a style: a primitive's text, or JSON text for anything nested deeper."""
    if isinstance(data, (dict, list)):
        return _json_text(data)
    return primitive_str(data)


def media_text(data: object, media_type: str) -> str:
    """``data`` (JSON-compatible) as the text of ``media_type``: JSON unless a plain string is
    sent as a non-JSON media type (``text/plain``)."""
    base = media_type.split(";")[0].strip().lower()
    is_json = base == "application/json" or base.endswith("+json")
    if not is_json and isinstance(data, str):
        return data
    if not is_json and not isinstance(data, (dict, list)):
        return primitive_str(data)
    return _json_text(data)


def _pct(text: str) -> str:
    return quote(text, safe="")


def _pct_reserved(text: str) -> str:
    # Reserved expansion (RFC 6570 "+"): reserved characters and existing %XX triples pass.
    return "".join(
        part if _TRIPLE.fullmatch(part) else quote(part, safe=_QUERY_RESERVED)
        for part in _TRIPLE.split(text)
    )


def _identity(text: str) -> str:
    return text


def _items(data: list[Any], enc: Encoder) -> list[str]:
    return [enc(_atom(v)) for v in data if v is not None]


def _props(data: dict[Any, Any], enc: Encoder) -> list[tuple[str, str]]:
    return [(enc(str(k)), enc(_atom(v))) for k, v in data.items() if v is not None]


def expand_simple(name: str, data: object, style: Style, enc: Encoder) -> str:
    """RFC 6570 ``simple`` / ``label`` / ``matrix`` expansion (path parameters, headers)."""
    if style.name == "label":
        prefix, sep = ".", "." if style.explode else ","
    elif style.name == "matrix":
        prefix, sep = ";", ";" if style.explode else ","
    else:
        prefix, sep = "", ","
    key = enc(name)
    if isinstance(data, list):
        items = _items(data, enc)
        if style.name == "matrix":
            if style.explode:
                return "".join(f";{key}={v}" for v in items)
            return f";{key}=" + ",".join(items)
        return prefix + sep.join(items)
    if isinstance(data, dict):
        props = _props(data, enc)
        if style.explode:
            return prefix + sep.join(f"{k}={v}" for k, v in props)
        flat = ",".join(f"{k},{v}" for k, v in props)
        return f";{key}={flat}" if style.name == "matrix" else prefix + flat
    text = enc(_atom(data))
    if style.name == "matrix":
        return f";{key}={text}" if text else f";{key}"
    return prefix + text


def _deep_object(
    prefix: str, data: object, enc: Encoder, out: list[tuple[str, str]]
) -> None:
    if isinstance(data, dict):
        for key, item in data.items():
            _deep_object(f"{prefix}[{key}]", item, enc, out)
    elif isinstance(data, list):
        for item in data:
            _deep_object(f"{prefix}[]", item, enc, out)
    elif data is not None:
        out.append((enc(prefix), enc(primitive_str(data))))


def serialize_pairs(
    name: str, value: object, style: Style, enc: Encoder = _pct
) -> list[tuple[str, str]]:
    """A query/cookie/form parameter as (name, value) pairs, each already encoded by ``enc``.

    ``form`` (explode: one pair per item or property; otherwise ``name=a,b``), ``spaceDelimited``
    / ``pipeDelimited`` (``name=a%20b`` / ``name=a%7Cb``), ``deepObject`` (``name[k]=v``). Styles
    that a value's type does not define (``deepObject`` for an array, ``pipeDelimited`` with
    explode) fall back to ``form`` with the same explode.
    """
    data = to_jsonable(value)
    if data is None:
        return []
    if style.media_type is not None:
        return [(enc(name), enc(media_text(data, style.media_type)))]
    key = enc(name)
    if isinstance(data, dict) and style.name == "deepObject":
        out: list[tuple[str, str]] = []
        _deep_object(name, data, enc, out)
        return out
    if isinstance(data, list):
        items = _items(data, enc)
        if not items:
            return []
        if style.explode:
            return [(key, v) for v in items]
        return [(key, _delimiter(style, enc).join(items))]
    if isinstance(data, dict):
        props = _props(data, enc)
        if not props:
            return []
        if style.explode:
            return props
        sep = _delimiter(style, enc)
        return [(key, sep.join(f"{k}{sep}{v}" for k, v in props))]
    return [(key, enc(_atom(data)))]


def _delimiter(style: Style, enc: Encoder) -> str:
    if style.name == "spaceDelimited":
        return enc(" ")
    if style.name == "pipeDelimited":
        return enc("|")
    return ","


def format_path(
    template: str,
    params: Mapping[str, object],
    styles: Mapping[str, str] | None = None,
) -> str:
    """Substitute ``{name}`` placeholders with their ``simple``/``label``/``matrix`` expansion.

    Every value is percent-encoded (``/`` included); the style's delimiters are not. A segment
    ``.`` or ``..`` is encoded too so that it cannot traverse paths.
    """

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            raise ValueError(f"Missing path parameter {name!r}")
        spec = styles.get(name, "") if styles else ""
        style = parse_style(spec, "path")
        data = to_jsonable(params[name])
        if style.media_type is not None:
            encoded = _pct(media_text(data, style.media_type))
        else:
            encoded = expand_simple(name, data, style, _pct)
        if encoded == "":
            raise ValueError(f"Expected a non-empty value for path parameter {name!r}")
        if encoded in (".", ".."):
            encoded = encoded.replace(".", "%2E")
        return encoded

    return _PATH_PARAM.sub(substitute, template)


def serialize_query(
    sources: Iterable[Mapping[str, object] | None],
    styles: Mapping[str, str],
    declared: Container[str] = (),
) -> list[tuple[str, str]]:
    """Merge query mappings (later ones override earlier keys) and serialise them as
    percent-encoded (name, value) pairs.

    ``NOT_GIVEN`` and ``None`` values are dropped. A name without a style spec uses ``form``
    (explode), OpenAPI's default, if it is ``declared`` (an operation's own parameter);
    otherwise an object uses ``deepObject`` (``meta[k]=v``): that is how the untyped
    ``extra_query`` / ``default_query`` mappings send nested values.
    """
    merged: dict[str, object] = {}
    for source in sources:
        if source:
            for key, value in source.items():
                if isinstance(value, NotGiven):
                    merged.pop(key, None)
                else:
                    merged[key] = value
    out: list[tuple[str, str]] = []
    for name, value in merged.items():
        if value is None:
            continue
        spec = styles.get(name)
        if spec is None and name in declared:
            spec = "form"
        elif spec is None:
            data = to_jsonable(value)
            spec = "deepObject" if isinstance(data, dict) else "form"
            value = data
        style = parse_style(spec, "query")
        enc = _pct_reserved if style.allow_reserved else _pct
        out.extend(serialize_pairs(name, value, style, enc))
    return out


def build_query(pairs: Iterable[tuple[str, str]]) -> str:
    """Encoded pairs joined into a query string (``a=1&b=2``)."""
    return "&".join(f"{k}={v}" for k, v in pairs)


def request_target(
    template: str,
    path_params: Mapping[str, object],
    path_styles: Mapping[str, str],
    query_sources: Iterable[Mapping[str, object] | None],
    query_styles: Mapping[str, str],
    declared: Container[str] = (),
) -> str:
    """The expanded path and its query (``/things/1?a=b``). A query written into the path
    template (``/things/{id}?beta=true``) is kept and comes first, the parameters after it;
    a fragment written into it (``/things/{id}#variant``) is never sent.
    """
    template = template.partition("#")[0]
    path, _, fixed = format_path(template, path_params, path_styles).partition("?")
    query = build_query(serialize_query(query_sources, query_styles, declared))
    query = "&".join(part for part in (fixed, query) if part)
    return f"{path}?{query}" if query else path


def serialize_header(value: object, spec: str = "") -> str:
    """A header value in its style (``simple`` by default; no percent-encoding)."""
    style = parse_style(spec, "header")
    data = to_jsonable(value)
    if style.media_type is not None:
        return media_text(data, style.media_type)
    return expand_simple("", data, style, _identity)


def cookie_header(
    cookies: Mapping[str, object], styles: Mapping[str, str] | None = None
) -> str:
    """The ``Cookie`` header for cookie parameters, ``"; "`` between parameters.

    ``form`` style (the default) is RFC 6570 form expansion, percent-encoded: ``color=a,b``
    without explode, ``color=a&color=b`` with it (as OpenAPI 3.0/3.1 define it). The ``cookie``
    style of OpenAPI 3.2 sends each pair as its own cookie (``color=a; color=b``) unencoded.
    """
    parts: list[str] = []
    for name, value in cookies.items():
        if value is None or isinstance(value, NotGiven):
            continue
        style = parse_style(styles.get(name, "") if styles else "", "cookie")
        if style.name == "cookie":
            pairs = serialize_pairs(name, value, style, _identity)
            parts.extend(f"{k}={v}" for k, v in pairs)
        else:
            pairs = serialize_pairs(name, value, style, _pct)
            if pairs:
                parts.append(build_query(pairs))
    return "; ".join(parts)


def form_fields(
    body: Mapping[str, object], encoding: Mapping[str, str] | None = None
) -> str:
    """An ``application/x-www-form-urlencoded`` body.

    A property with an RFC 6570 style in its ``encoding`` (``style``, ``explode`` or
    ``allowReserved`` given) is serialised like a query parameter. Any other property by its
    ``contentType``, explicit or OpenAPI's default: primitives as text, objects as JSON, arrays
    as one field per item (each item by the same rule).
    """
    pairs: list[tuple[str, str]] = []
    for name, value in body.items():
        if value is None or isinstance(value, NotGiven):
            continue
        spec = encoding.get(name, "") if encoding else ""
        style = parse_style(spec, "query") if spec else None
        if style is not None and style.media_type is None:
            enc = _pct_reserved if style.allow_reserved else _pct
            pairs.extend(serialize_pairs(name, value, style, enc))
            continue
        media = style.media_type if style is not None else None
        data = to_jsonable(value)
        for item in data if isinstance(data, list) else [data]:
            if item is not None:
                text = media_text(item, media) if media else _atom(item)
                pairs.append((_pct(name), _pct(text)))
    return build_query(pairs)
