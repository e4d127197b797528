"""One operation as a TypeScript method: its params type(s), return type and the operation literal the
runtime reads (where each param goes, the body kind, security, streaming, paging, retries)."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

import generator.languages.typescript.names as names
from generator import ir
from generator.languages.typescript.types import TypeWriter
from generator.languages.typescript.views import Method, Prop, TypeDecl, field_prop, jsdoc


def js_literal(value: Any) -> str:
    """A JSON value as a compact object literal (keys unquoted where they are identifiers)."""
    if isinstance(value, dict):
        inner = ", ".join(f"{names.prop_key(str(k))}: {js_literal(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(js_literal(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def body_key(op: ir.Operation) -> str | None:
    """The params key of the whole body, or None when the body's fields are params keys of their own."""
    body = op.body
    if body is None:
        return None
    wires = {p.wire_name for p in op.parameters}
    if body.flattened and body.kind != "binary" and not any(f.wire_name in wires for f in body.fields):
        return None
    key = "body"
    while key in wires:
        key = "_" + key
    return key


def params_props(tw: TypeWriter, op: ir.Operation) -> list[Prop]:
    props = [
        Prop(names.prop_key(p.wire_name), p.wire_name, tw.render(p.type), not p.required, False,
             jsdoc(p.description, 2, "" if p.deprecated else None))
        for p in op.parameters
    ]
    body = op.body
    key = body_key(op)
    if body is not None and key is None:
        props += [field_prop(f, tw, optional=not (f.required and body.required)) for f in body.fields]
    elif body is not None and key is not None:
        t = tw.render(body.type)
        if body.kind == "binary":  # raw bytes; a string schema that is not binary (text, XML) also takes a string
            text = isinstance(body.type, ir.Scalar) and body.type.kind == "str"
            t = "string | Uploadable" if text else "Uploadable"
        props.append(Prop(key, key, t, not body.required, False, jsdoc(body.description or "The request body.", 2)))
    return props


def _one_response(tw: TypeWriter, r: ir.Response | None, alone: bool) -> str:
    if r is None or r.kind == "none":
        return "void" if alone else "undefined"
    if r.kind == "binary":
        return "Response"
    if r.kind == "text":
        return "string"
    return tw.render(r.type) if r.type is not None else "unknown"


def response_type(tw: TypeWriter, op: ir.Operation) -> str:
    """The parsed body's type; other 2XX answers with other bodies make it a union (chosen by status)."""
    alone = not op.alternatives
    parts = [_one_response(tw, r, alone) for r in (op.response, *op.alternatives)]
    return " | ".join(dict.fromkeys(parts))


def _security(schemes: Collection[str], op: ir.Operation) -> list[list[str]]:
    """Alternatives whose schemes the client knows; "no auth" (an empty alternative) is tried last."""
    alternatives = [list(alt) for alt in op.security if all(s in schemes for s in alt)]
    needed = [alt for alt in alternatives if alt]
    return needed + [[]] if needed and len(needed) < len(alternatives) else needed


def _options(style: str, explode: bool | None, allow_reserved: bool) -> str:
    options = [f"explode={'true' if explode else 'false'}"] if explode is not None else []
    options += ["allowReserved"] if allow_reserved else []
    return ";".join([style, *options]) if options else style


def style_spec(p: ir.Parameter) -> str:
    """The runtime's style spec of a parameter ("" for its location's default; a media type for
    `content:` parameters); see runtime/serialize.ts."""
    return p.content_type or _options(p.style, p.explode, p.allow_reserved)


def encoding_spec(e: ir.Encoding) -> str:
    """A form/multipart property's encoding: a style spec when a style is given, else its content type."""
    if e.style or e.explode is not None or e.allow_reserved:
        return _options(e.style or "form", e.explode, e.allow_reserved)
    return e.content_type


def server_spec(server: ir.Server) -> dict[str, Any]:
    """A server as the runtime's `ServerSpec` (URL template, name, variables with defaults and enums)."""
    out: dict[str, Any] = {"url": server.url}
    if server.name:
        out["name"] = server.name
    if server.variables:
        out["variables"] = {v.name: {"default": v.default, **({"enum": list(v.enum)} if v.enum else {})}
                            for v in server.variables}
    return out


def op_literal(schemes: Collection[str], op: ir.Operation) -> str:
    spec: dict[str, Any] = {"method": op.method, "path": op.path}
    params = [[p.wire_name, p.location, *([sty] if (sty := style_spec(p)) else [])] for p in op.parameters]
    if params:
        spec["params"] = params
    if op.body is not None:
        spec["body"] = op.body.kind
        key = body_key(op)
        if key is not None:
            spec["bodyKey"] = key
        if op.body.kind in ("json", "binary"):
            spec["contentType"] = op.body.content_type
        encoding = {e.property: text for e in op.body.encoding if (text := encoding_spec(e))}
        if encoding:
            spec["encoding"] = encoding
    spec["response"] = op.response.kind if op.response is not None else "none"
    if op.alternatives:
        spec["responses"] = {r.status: r.kind for r in op.alternatives}
    security = _security(schemes, op)
    if security:
        spec["security"] = security
    if op.stream is not None:
        spec["stream"] = op.stream.flag_wire or "always"
        if op.stream.framing != "sse":
            spec["streamFraming"] = op.stream.framing
        if op.stream.media != "text/event-stream":
            spec["streamMedia"] = op.stream.media
    if op.retries is not None:
        r = op.retries
        spec["retry"] = {"statusCodes": list(r.status_codes), "connectionErrors": r.connection_errors,
                         "initialInterval": r.initial_interval, "maxInterval": r.max_interval,
                         "maxElapsedTime": r.max_elapsed_time, "exponent": r.exponent}
    if op.server is not None:
        spec["server"] = server_spec(op.server)
    return js_literal(spec)


def page_literal(p: ir.Pagination) -> str:
    spec: dict[str, Any] = {"style": p.style, "param": p.cursor_param, "items": p.items}
    for key, value in (("hasMore", p.has_more), ("nextCursor", p.next_cursor),
                       ("cursorFromLastItem", p.cursor_from_last_item), ("limitParam", p.limit_param),
                       ("numPages", p.num_pages), ("nextUrl", p.next_url)):
        if value:
            spec[key] = value
    return js_literal(spec)


def plan_method(tw: TypeWriter, schemes: Collection[str], op: ir.Operation, name: str) -> Method:
    stem = name[:1].upper() + name[1:].rstrip("_")
    params_type = f"{stem}Params"
    props = params_props(tw, op)
    decls: list[TypeDecl] = []
    kind = "plain"
    stream_item = page_item = flag = ""
    if op.stream is not None:
        stream_item = tw.render(op.stream.item)
        if op.stream.flag_wire:
            kind, flag = "stream-flag", op.stream.flag_wire
        else:
            kind = "stream"
    elif op.pagination is not None:
        kind, page_item = "page", tw.render(op.pagination.item)
    doc_text = op.description or op.summary
    doc = jsdoc(doc_text, 2, (op.deprecation_message or "") if op.deprecated else None)
    optional = all(p.optional for p in props)
    if kind == "stream-flag":
        base = tuple(p for p in props if p.wire != flag)
        flag_doc = next((p.doc for p in props if p.wire == flag), "")
        decls.append(TypeDecl(f"{params_type}Base", "interface", jsdoc(f"Parameters of `{name}`."), base))
        decls.append(TypeDecl(f"{params_type}NonStreaming", "interface", "", (
            Prop(names.prop_key(flag), flag, "false | null", True, False, flag_doc),), extends=f"{params_type}Base"))
        decls.append(TypeDecl(f"{params_type}Streaming", "interface", "", (
            Prop(names.prop_key(flag), flag, "true", False, False, flag_doc),), extends=f"{params_type}Base"))
        decls.append(TypeDecl(params_type, "alias", "",
                              type=f"{params_type}NonStreaming | {params_type}Streaming"))
        optional = False
    elif props:
        decls.append(TypeDecl(params_type, "interface", jsdoc(f"Parameters of `{name}`."), tuple(props)))
    return Method(
        name=name, doc=doc, params_type=params_type if props else "", params_optional=optional,
        params_decls=tuple(decls), returns=response_type(tw, op), kind=kind, stream_item=stream_item,
        page_item=page_item, op_const=f"{name.rstrip('_')}Operation", op_literal=op_literal(schemes, op),
        page_literal=page_literal(op.pagination) if op.pagination is not None else "", flag_wire=flag,
        origin=op.origin,
    )
