"""The runtime's style specs (see `templates/runtime/_qs.py.jinja`) for parameters and
form/multipart body properties: `"<style>[;explode=true|false][;allowReserved]"` or a media type."""

from __future__ import annotations

from generator import ir

_DEFAULT_STYLE = {"query": "form", "path": "simple", "header": "simple", "cookie": "form"}


def _spec(style: str, explode: bool | None, allow_reserved: bool) -> str:
    parts = [style]
    if explode is not None and explode != (style in ("form", "cookie")):
        parts.append("explode=true" if explode else "explode=false")
    if allow_reserved:
        parts.append("allowReserved")
    return ";".join(parts)


def param_style_spec(p: ir.Parameter) -> str | None:
    """The spec to send for `p`, or None when it is its location's default."""
    if p.content_type:
        return p.content_type
    default = _DEFAULT_STYLE[p.location]
    spec = _spec(p.style or default, p.explode, p.allow_reserved)
    return spec if spec != default else None


def encoding_spec(e: ir.Encoding) -> str:
    """A body property's spec: its explicit style (which takes precedence), else its
    `contentType`; "" when neither is given."""
    if e.style:
        return _spec(e.style, e.explode, e.allow_reserved)
    return e.content_type
