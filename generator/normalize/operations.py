"""Paths and operations -> `ir.Operation`: parameters, request body, responses, streaming, pagination."""

from __future__ import annotations

import re
from typing import Any

from generator import ir, naming
from generator.normalize import extensions, paging
from generator.normalize.objects import _example
from generator.normalize.responses import ResponseReader, is_json
from generator.normalize.schemas import SchemaBuilder
from generator.normalize.serialization import DEFAULT_STYLE, body_encoding, parameter_serialization
from generator.normalize.servers import build_servers
from generator.normalize.values import make_value
from generator.resolve import Loc

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE_VAR = re.compile(r"\{([^{}/]+)\}")
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


class OperationBuilder(ResponseReader):
    def __init__(self, schemas: SchemaBuilder, global_security: tuple[tuple[str, ...], ...],
                 pagination_hints: dict[str, dict[str, str]] | None = None) -> None:
        self.hints = pagination_hints or {}
        self.schemas = schemas
        self.doc = schemas.doc
        self.diags = schemas.diags
        self.global_security = global_security
        self.misplaced: dict[str, list[Loc]] = {}

    # ------------------------------------------------------------------ operation
    def build(self, path: str, method: str, node: dict[str, Any], item: dict[str, Any], loc: Loc,
              item_loc: Loc, op_id: str) -> ir.Operation:
        hint = naming.class_name(op_id)
        params = self._parameters(path, node, item, loc, item_loc, hint)
        body = self._body(node.get("requestBody"), loc.child("requestBody"), hint, loc)
        if body is not None and body.flattened:
            taken = {p.name for p in params}
            fields = tuple(
                f if f.name not in taken else ir.Field(**{**_field_kwargs(f), "name": f.name + "_body"})
                for f in body.fields
            )
            body = ir.RequestBody(**{**_body_kwargs(body), "fields": fields})
        responses = self._responses(node.get("responses"), loc.child("responses"), hint, loc)
        response, stream, errors = responses.success, responses.stream, tuple(responses.errors)
        if stream is not None and body is not None and body.flattened:
            flag = next((f for f in body.fields if f.wire_name == "stream" and _is_bool(f.type)), None)
            if flag is not None and response is not None:
                stream = ir.evolve(stream, flag=flag.name, flag_wire=flag.wire_name)
        if stream is not None and stream.flag is None and response is not None and response.kind != "binary":
            # A typed stream next to a binary body is told apart by the response's content type. Both a
            # stream and a JSON/text response, but no boolean `stream` field chooses between them: the method
            # returns the other response (its raw body for an event stream asked for).
            self.diags.info("stream-without-flag", loc.child("responses").pointer,
                            "text/event-stream and another success response, but no boolean `stream` body field "
                            f"to choose: the method returns the {response.content_type} response", loc.file)
            stream = None
        security = self.global_security
        if isinstance(node.get("security"), list):
            security = _security(node["security"])
        server: ir.Server | None = None
        for servers, sloc in ((node.get("servers"), loc.child("servers")),
                              (item.get("servers"), item_loc.child("servers"))):
            built = build_servers(servers, sloc, self.diags, absolute=False)
            if built:
                server = built[0]
                break
        tags = tuple(str(t) for t in node.get("tags") or () if isinstance(t, (str, int)))
        deprecated, deprecation_message = extensions.deprecation(node, loc, self.diags)
        op = ir.Operation(
            operation_id=op_id,
            name=naming.method_name(op_id),
            method=method,
            path=path,
            summary=_text(node.get("summary")),
            description=_text(node.get("description")),
            origin=str(loc),
            parameters=params,
            body=body,
            response=response,
            errors=errors,
            alternatives=tuple(responses.alternatives),
            stream=stream,
            pagination=self._declared_pagination(op_id, node, loc, params, body, response)
            or self._infer_pagination(method, params, response, loc),
            security=security,
            deprecated=deprecated,
            deprecation_message=deprecation_message,
            tags=tags,
            server=server,
        )
        self.check_hollow(op, node, item, loc)
        return op

    # ------------------------------------------------------------------ parameters
    def _parameters(self, path: str, node: dict[str, Any], item: dict[str, Any], loc: Loc,
                    item_loc: Loc, hint: str) -> tuple[ir.Parameter, ...]:
        merged: dict[tuple[str, str], tuple[Any, Loc]] = {}
        for source, sloc in ((item.get("parameters"), item_loc.child("parameters")),
                             (node.get("parameters"), loc.child("parameters"))):
            listed = self.follow(source, sloc, "parameters list") if source is not None else None
            if listed is None:
                continue
            source, sloc = listed
            if not isinstance(source, list):
                self.diags.warning("invalid-parameter", sloc.pointer,
                                   f"'parameters' must be a list, got {type(source).__name__}; skipped", sloc.file)
                continue
            listed_here: set[tuple[str, str]] = set()
            for i, raw in enumerate(source):
                found = self.follow(raw, sloc.child(i), "parameter")
                if found is None:
                    continue
                p, ploc = found
                if not isinstance(p, dict) or "name" not in p or p.get("in") not in DEFAULT_STYLE:
                    self.diags.warning("invalid-parameter", ploc.pointer,
                                       "parameter without a valid 'name' and 'in'; skipped", ploc.file)
                    continue
                key = (str(p["in"]), str(p["name"]))
                if key in listed_here:
                    self.diags.warning("duplicate-parameter", sloc.child(i).pointer,
                                       f"{key[0]} parameter {key[1]!r} is listed twice; the last one is used",
                                       sloc.file)
                listed_here.add(key)
                merged[key] = (p, ploc)
        template_vars = _TEMPLATE_VAR.findall(path)
        out: list[ir.Parameter] = []
        for (where, wire), (p, ploc) in merged.items():
            if where == "path" and wire not in template_vars:
                self.diags.warning("path-param-unused", ploc.pointer,
                                   f"path parameter {wire!r} does not appear in {path!r}; skipped", ploc.file)
                continue
            if where == "header" and wire.lower() in _IGNORED_HEADERS:
                self.managed_header(wire, node, ploc)
                continue
            if extensions.skip_ignored(p, where == "path" or p.get("required") is True, "parameter", wire, ploc,
                                       self.diags):
                continue
            schema = p.get("schema")
            sloc = ploc.child("schema")
            content: dict[str, Any] = {}
            if schema is None:
                content, cloc = self._content(p, ploc)
                if content:
                    media_obj, mloc = self._media(content, sorted(content)[0], cloc)
                    schema, sloc = media_obj.get("schema"), mloc.child("schema")
            t = self.schemas.convert(schema if schema is not None else {"type": "string"}, sloc,
                                     hint + naming.pascal(wire, empty="Param"), loc)
            style, explode, allow_reserved, content_type = parameter_serialization(p, where, ploc, self.diags,
                                                                                   content)
            default = schema.get("default") if isinstance(schema, dict) else None
            out.append(ir.Parameter(
                name=naming.param_name(extensions.name_override(p, ploc, self.diags) or wire),
                wire_name=wire,
                location=where,  # type: ignore[arg-type]
                type=t,
                required=where == "path" or p.get("required") is True,
                description=_text(p.get("description")),
                origin=str(ploc),
                style=style,
                default=make_value(default) if default is not None else None,
                example=self._media_example(p, ploc) or _example(schema),
                deprecated=p.get("deprecated") is True,
                explode=explode,
                allow_reserved=allow_reserved,
                content_type=content_type,
            ))
        declared = {p.wire_name for p in out if p.location == "path"}
        for var in template_vars:
            if var not in declared:
                self.diags.warning("path-param-undeclared", loc.pointer,
                                   f"path template variable {{{var}}} has no parameter; added as a string",
                                   loc.file)
                out.append(ir.Parameter(naming.param_name(var), var, "path", ir.Scalar("str"), True, "",
                                        str(loc)))
        names = naming.dedupe_wire([(f"{p.location}:{p.wire_name}", p.wire_name, p.name) for p in out])
        out = [ir.Parameter(**{**_param_kwargs(p), "name": names[f"{p.location}:{p.wire_name}"]}) for p in out]
        order = {v: i for i, v in enumerate(template_vars)}
        out.sort(key=lambda p: (p.location != "path", order.get(p.wire_name, 0), not p.required, p.name))
        return tuple(out)

    # ------------------------------------------------------------------ body
    def _body(self, raw: Any, loc: Loc, hint: str, op_loc: Loc) -> ir.RequestBody | None:
        if raw is None:
            return None
        found = self.follow(raw, loc, "request body")
        if found is None:
            return None
        body, bloc = found
        if not isinstance(body, dict):
            self.diags.warning("invalid-request-body", bloc.pointer,
                               f"requestBody must be an object, got {type(body).__name__}; no body is sent",
                               bloc.file)
            return None
        content, cloc = self._content(body, bloc)
        if not content:
            self.diags.warning("invalid-request-body", bloc.pointer,
                               "requestBody has no content (media types); no body is sent", bloc.file)
            return None
        media = _pick_media(content)
        multipart = next((m for m in sorted(content) if m.startswith("multipart/form-data")), None)
        if is_json(media) and multipart is not None and self._uploads_file(content, media, cloc):
            media = multipart  # a JSON body cannot carry the file its schema declares: send the multipart form
        kind = _body_kind(media)
        media_obj, mloc = self._media(content, media, cloc)
        schema = media_obj.get("schema", {"type": "string", "format": "binary"} if kind == "binary" else {})
        if media.split(";")[0].strip() in ("*/*", "application/*") and self._structured(schema, mloc):
            media, kind = "application/json", "json"  # any media type, a structured schema: JSON is sent
        t = self.schemas.convert(schema, mloc.child("schema"), hint + "Request", op_loc)
        model = self._model_of(t)
        example = self._media_example(media_obj, mloc)
        encoding = body_encoding(media_obj, mloc, kind, self.diags, self.deref)
        if model is not None and kind != "binary":
            fields = tuple(f for f in model.fields if not f.read_only)
            names = naming.dedupe_wire([(f.wire_name, f.wire_name,
                                         naming.param_name(self._field_override(f) or f.wire_name)) for f in fields])
            fields = tuple(ir.Field(**{**_field_kwargs(f), "name": names[f.wire_name]}) for f in fields)
            return ir.RequestBody(kind, media, t, body.get("required") is True, _text(body.get("description")),
                                  str(bloc), fields=fields, flattened=True, example=example, encoding=encoding)
        return ir.RequestBody(kind, media, t, body.get("required") is True, _text(body.get("description")),
                              str(bloc), example=example, encoding=encoding)

    def _structured(self, schema: Any, loc: Loc) -> bool:
        """Whether a schema describes JSON structure (an object, an array or a composition)."""
        found = self.deref(schema, loc.child("schema")) if isinstance(schema, dict) else None
        node = found[0] if found is not None else None
        return isinstance(node, dict) and (node.get("type") in ("object", "array") or any(
            k in node for k in ("properties", "items", "allOf", "oneOf", "anyOf", "additionalProperties")))

    def _field_override(self, f: ir.Field) -> str | None:
        """The `x-speakeasy-name-override` of the property a body field came from."""
        loc = _loc_of(f.origin)
        return extensions.name_override(self.doc.node(loc), loc, self.diags)

    def _uploads_file(self, content: dict[str, Any], media: str, cloc: Loc) -> bool:
        """Whether the JSON schema of `media` has a binary property (directly or as array items)."""
        media_found = self.deref(content.get(media), cloc.child(media))  # quietly: `_media` reports misplaced refs
        if media_found is None or not isinstance(media_found[0], dict):
            return False
        found = self.deref(media_found[0].get("schema"), media_found[1].child("schema"))
        if found is None or not isinstance(found[0], dict):
            return False
        schema, sloc = found
        props = schema.get("properties")
        return any(self._is_file_like(prop, sloc.child("properties", name), 3)
                   for name, prop in (sorted(props.items()) if isinstance(props, dict) else ()))

    def _is_file_like(self, node: Any, loc: Loc, depth: int) -> bool:
        """A binary schema, or an array of / a oneOf-anyOf with one (`files: oneOf: [binary, [binary]]`)."""
        found = self.deref(node, loc)
        if found is None or not isinstance(found[0], dict) or depth == 0:
            return False
        schema, loc = found
        if _is_file(schema) or ("items" in schema and self._is_file_like(schema["items"], loc.child("items"),
                                                                          depth - 1)):
            return True
        return any(self._is_file_like(v, loc.child(kw, i), depth - 1) for kw in ("oneOf", "anyOf")
                   for i, v in enumerate(schema.get(kw) or ()))

    def _model_of(self, t: ir.TypeRef) -> ir.Model | None:
        if isinstance(t, ir.ModelRef):
            draft = self.schemas.drafts.get(_loc_of(t.name))
            if draft is not None and isinstance(draft.built, ir.Model):
                return draft.built
        return None

    # ------------------------------------------------------------------ pagination
    def _hint(self, op_id: str) -> dict[str, str] | None:
        """Pagination from the configuration ([tool.sdkforge.pagination.<operationId>])."""
        hint = self.hints.get(op_id)
        if hint is None:
            return None
        keys = {"cursor-param": "cursorParam", "has-more": "hasMore", "next-cursor": "nextCursor",
                "cursor-from-last-item": "cursorFromLastItem"}
        return {keys.get(k, k): v for k, v in hint.items()}

    def _declared_pagination(self, op_id: str, node: dict[str, Any], loc: Loc, params: tuple[ir.Parameter, ...],
                             body: ir.RequestBody | None, response: ir.Response | None) -> ir.Pagination | None:
        """Configuration > x-sdkforge-pagination > x-speakeasy-pagination."""
        hint = self._hint(op_id)
        if hint is not None:
            return self._pagination(hint, loc, response)
        if "x-sdkforge-pagination" in node:
            return self._pagination(node["x-sdkforge-pagination"], loc, response)
        if paging.KEY in node:
            return paging.speakeasy(node[paging.KEY], loc, self.diags, params, body,
                                    lambda path: paging.list_item(self._model_of, response, path))
        return None

    def _pagination(self, raw: Any, loc: Loc, response: ir.Response | None) -> ir.Pagination | None:
        if raw is None:
            return None
        ploc = loc.child("x-sdkforge-pagination")
        if not isinstance(raw, dict) or raw.get("style", "cursor") != "cursor" or "cursorParam" not in raw:
            self.diags.warning("invalid-pagination", ploc.pointer,
                               "x-sdkforge-pagination needs style: cursor and cursorParam; ignored", ploc.file)
            return None
        items = str(raw.get("items", "data"))
        model = self._model_of(response.type) if response is not None and response.type is not None else None
        field = next((f for f in model.fields if f.wire_name == items), None) if model else None
        item_t = ir.strip_null(field.type) if field else None
        if not isinstance(item_t, ir.ListOf):
            self.diags.warning("invalid-pagination", ploc.pointer,
                               f"the response has no list field {items!r}; pagination ignored", ploc.file)
            return None
        return ir.Pagination("cursor", str(raw["cursorParam"]), items, item_t.item,
                             raw.get("hasMore"), raw.get("nextCursor"), raw.get("cursorFromLastItem"))


    def _infer_pagination(self, method: str, params: tuple[ir.Parameter, ...], response: ir.Response | None,
                          loc: Loc) -> ir.Pagination | None:
        """The common cursor convention, recognised without a declaration: a GET with an `after`
        query parameter answering `{data: [...], has_more: bool}` (plus `last_id`, or items with `id`)."""
        if method != "get" or response is None or response.type is None:
            return None
        if not any(p.location == "query" and p.wire_name == "after" for p in params):
            return None
        model = self._model_of(response.type)
        if model is None:
            return None
        fields = {f.wire_name: f for f in model.fields}
        data = ir.strip_null(fields["data"].type) if "data" in fields else None
        has_more = ir.strip_null(fields["has_more"].type) if "has_more" in fields else None
        if not isinstance(data, ir.ListOf) or not (isinstance(has_more, ir.Scalar) and has_more.kind == "bool"):
            return None
        next_cursor = "last_id" if "last_id" in fields else None
        from_item = None
        if next_cursor is None:
            item = self._model_of(data.item)
            if item is None or not any(f.wire_name == "id" for f in item.fields):
                return None
            from_item = "id"
        self.diags.info("pagination-inferred", loc.pointer,
                        "cursor pagination inferred (after / data / has_more); declare x-sdkforge-pagination to "
                        "change it", loc.file)
        return ir.Pagination("cursor", "after", "data", data.item, "has_more", next_cursor, from_item)


def _loc_of(key: str) -> Loc:
    file, _, pointer = key.partition("#")
    return Loc(file, pointer)


def _security(raw: list[Any]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(sorted(str(k) for k in req)) for req in raw if isinstance(req, dict))


_FILE_KEYS = ("contentMediaType", "contentEncoding")


def _is_file(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("format") == "binary" or any(k in schema for k in _FILE_KEYS))


def _pick_media(content: dict[str, Any]) -> str:
    keys = sorted(content)
    for test in (is_json, lambda m: m.startswith("multipart/form-data"),
                 lambda m: m.startswith("application/x-www-form-urlencoded")):
        for m in keys:
            if test(m):
                return m
    return keys[0]


def _body_kind(media: str) -> ir.BodyKind:
    if is_json(media):
        return "json"
    if media.startswith("multipart/"):
        return "multipart"
    if media.startswith("application/x-www-form-urlencoded"):
        return "form"
    return "binary"


def _is_bool(t: ir.TypeRef) -> bool:
    t = ir.strip_null(t)
    return isinstance(t, ir.Scalar) and t.kind == "bool"


def _field_kwargs(f: ir.Field) -> dict[str, Any]:
    return {s: getattr(f, s) for s in ir.Field.__slots__}


def _param_kwargs(p: ir.Parameter) -> dict[str, Any]:
    return {s: getattr(p, s) for s in ir.Parameter.__slots__}


def _body_kwargs(b: ir.RequestBody) -> dict[str, Any]:
    return {s: getattr(b, s) for s in ir.RequestBody.__slots__}
