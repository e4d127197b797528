"""How parameters and form/multipart body properties go on the wire: OpenAPI `style`, `explode`,
`allowReserved`, `content` (parameters) and the `encoding` object (bodies)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator import ir
from generator.diagnostics import Collector
from generator.resolve import Loc

DEFAULT_STYLE = {"query": "form", "path": "simple", "header": "simple", "cookie": "form"}
# The styles OpenAPI 3.0/3.1 allow in each location ("cookie" is OpenAPI 3.2's cookie style).
ALLOWED_STYLES = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form", "cookie"),
}
Deref = Callable[[Any, Loc], "tuple[Any, Loc] | None"]


def parameter_serialization(p: dict[str, Any], where: str, ploc: Loc, diags: Collector,
                            content: dict[str, Any] | None = None) -> tuple[str, bool | None, bool, str]:
    """(style, explode, allowReserved, content media type) of one parameter object, whose
    resolved `content` map is given when it has one instead of a schema.

    The style is "" when it is the location's default; explode is None when it is the style's
    default (true for form).
    """
    content_type = ""
    if content:
        content_type = sorted(str(m) for m in content)[0]
        if len(content) > 1:
            diags.warning("parameter-content-media-types", ploc.child("content").pointer,
                          f"a parameter's content must hold one media type; using {content_type!r}",
                          ploc.file)
    style = p.get("style")
    if style is not None and style not in ALLOWED_STYLES[where]:
        diags.warning("invalid-parameter-style", ploc.child("style").pointer,
                      f"style {style!r} is not allowed for {where} parameters (allowed: "
                      f"{', '.join(ALLOWED_STYLES[where])}); using {DEFAULT_STYLE[where]!r}", ploc.file)
        style = None
    name = str(style) if style is not None and style != DEFAULT_STYLE[where] else ""
    explode = p.get("explode") if isinstance(p.get("explode"), bool) else None
    if explode is not None and explode == ((name or DEFAULT_STYLE[where]) in ("form", "cookie")):
        explode = None  # the default spelled out
    allow_reserved = p.get("allowReserved") is True
    if allow_reserved and where != "query":
        diags.warning("allow-reserved-ignored", ploc.child("allowReserved").pointer,
                      f"allowReserved only applies to query parameters; ignored for a {where} parameter",
                      ploc.file)
        allow_reserved = False
    return name, explode, allow_reserved, content_type


def body_encoding(media_obj: dict[str, Any], mloc: Loc, kind: ir.BodyKind, diags: Collector,
                  deref: Deref) -> tuple[ir.Encoding, ...]:
    """The `encoding` object of a form-urlencoded or multipart media type, by property."""
    raw = media_obj.get("encoding")
    if raw is None:
        return ()
    eloc = mloc.child("encoding")
    if kind not in ("form", "multipart"):
        diags.warning("encoding-ignored", eloc.pointer,
                      "an encoding object only applies to form-urlencoded and multipart bodies; ignored",
                      eloc.file)
        return ()
    if not isinstance(raw, dict):
        diags.warning("invalid-encoding", eloc.pointer, "encoding must be an object; ignored", eloc.file)
        return ()
    out: list[ir.Encoding] = []
    for prop in sorted(raw, key=str):
        entry = raw[prop]
        ploc = eloc.child(str(prop))
        if not isinstance(entry, dict):
            diags.warning("invalid-encoding", ploc.pointer, "an encoding entry must be an object; ignored",
                          ploc.file)
            continue
        style = entry.get("style")
        if style is not None and style not in ALLOWED_STYLES["query"]:
            diags.warning("invalid-parameter-style", ploc.child("style").pointer,
                          f"style {style!r} is not a form style; using 'form'", ploc.file)
            style = "form"
        explode = entry.get("explode") if isinstance(entry.get("explode"), bool) else None
        allow_reserved = entry.get("allowReserved") is True
        if (explode is not None or allow_reserved) and style is None:
            style = "form"
        content_type = str(entry["contentType"]) if isinstance(entry.get("contentType"), str) else ""
        headers = _part_headers(entry.get("headers"), ploc.child("headers"), kind, diags, deref)
        out.append(ir.Encoding(str(prop), content_type, str(style or ""), explode, allow_reserved, headers))
    return tuple(out)


def _part_headers(raw: Any, hloc: Loc, kind: ir.BodyKind, diags: Collector, deref: Deref
                  ) -> tuple[tuple[str, str], ...]:
    """Part headers with a value known from the spec (`const`, a single `enum`, or `default`);
    the others cannot be filled in and are reported."""
    if not isinstance(raw, dict) or not raw:
        return ()
    if kind != "multipart":
        diags.warning("encoding-ignored", hloc.pointer,
                      "encoding headers only apply to multipart bodies; ignored", hloc.file)
        return ()
    out: list[tuple[str, str]] = []
    for name in sorted(raw, key=str):
        if str(name).lower() == "content-type":
            continue  # described by contentType
        found = deref(raw[name], hloc.child(str(name)))
        header = found[0] if found is not None else None
        schema = header.get("schema") if isinstance(header, dict) else None
        value: Any = None
        if isinstance(schema, dict):
            if "const" in schema:
                value = schema["const"]
            elif isinstance(schema.get("enum"), list) and len(schema["enum"]) == 1:
                value = schema["enum"][0]
            elif "default" in schema:
                value = schema["default"]
        if value is None or isinstance(value, (dict, list)):
            diags.info("part-header-without-value", hloc.child(str(name)).pointer,
                       f"multipart part header {name!r} has no fixed value (const, enum or default); "
                       "not sent", hloc.file)
            continue
        out.append((str(name), "true" if value is True else "false" if value is False else str(value)))
    return tuple(out)
