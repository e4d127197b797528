"""The part of the spec that a generated SDK's own tests validate requests against.

For every operation of the IR: its method, path, parameters, request body content types and
schemas, and security requirements, read from the spec itself (not from the IR, so the tests
check the SDK against the spec rather than against our reading of it). Every `$ref` is replaced by
a key into one `defs` table (the reference's target location), so cycles and multi-file specs
need no pointer resolution at test time. Only validation keywords are kept; descriptions and
examples are dropped to keep the file small. Deterministic: keys sorted, locations as keys.
"""

from __future__ import annotations

from typing import Any

from generator import ir
from generator.resolve import Document, Loc, UnresolvedRef

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# JSON Schema keywords the test validator understands; everything else is dropped.
SCHEMA_KEYS = frozenset({
    "type", "nullable", "enum", "const", "properties", "required", "additionalProperties", "items",
    "allOf", "anyOf", "oneOf", "format", "minimum", "maximum", "minLength", "maxLength", "minItems",
    "maxItems", "readOnly",
})


class Bundler:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.defs: dict[str, Any] = {}

    def deref(self, node: Any, loc: Loc) -> tuple[Any, Loc]:
        try:
            return self.doc.deref(node, loc)
        except UnresolvedRef:
            return {}, loc

    def schema(self, node: Any, loc: Loc) -> Any:
        if isinstance(node, bool):
            return node
        if not isinstance(node, dict):
            return {}
        ref = node.get("$ref")
        if isinstance(ref, str):
            try:
                target = self.doc.target_of(ref, loc)
            except UnresolvedRef:
                return {}
            key = str(target)
            if key not in self.defs:
                self.defs[key] = {}  # a placeholder first: cycles end here
                try:
                    found = self.doc.node_at_ref(target, loc)
                except UnresolvedRef:
                    found = {}
                self.defs[key] = self.schema(found, target)
            return {"$ref": key}
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key not in SCHEMA_KEYS:
                continue
            if key == "properties" and isinstance(value, dict):
                out[key] = {str(k): self.schema(v, loc.child(key, k)) for k, v in value.items()}
            elif key in ("allOf", "anyOf", "oneOf") and isinstance(value, list):
                out[key] = [self.schema(v, loc.child(key, i)) for i, v in enumerate(value)]
            elif key in ("items", "additionalProperties") and isinstance(value, (dict, bool)):
                out[key] = self.schema(value, loc.child(key))
            elif key not in ("properties", "allOf", "anyOf", "oneOf", "items", "additionalProperties"):
                out[key] = value
        return out

    def operation(self, op: ir.Operation) -> dict[str, Any] | None:
        paths = self.doc.root.get("paths")
        if not isinstance(paths, dict) or op.path not in paths:
            return None
        item, item_loc = self.deref(paths[op.path], Loc("", "/paths").child(op.path))
        if not isinstance(item, dict) or op.method not in item:
            return None
        node, loc = self.deref(item[op.method], item_loc.child(op.method))
        if not isinstance(node, dict):
            return None
        params: dict[tuple[str, str], dict[str, Any]] = {}
        for source, sloc in ((item.get("parameters"), item_loc), (node.get("parameters"), loc)):
            for i, raw in enumerate(source if isinstance(source, list) else []):
                p, ploc = self.deref(raw, sloc.child("parameters", i))
                if not isinstance(p, dict) or not isinstance(p.get("name"), str):
                    continue
                where = p.get("in")
                schema: Any = {}
                if isinstance(p.get("schema"), dict):
                    schema = self.schema(p["schema"], ploc.child("schema"))
                elif isinstance(p.get("content"), dict) and p["content"]:
                    media = sorted(p["content"])[0]
                    media_obj = p["content"][media]
                    if isinstance(media_obj, dict) and "schema" in media_obj:
                        schema = {"content": media, "schema": self.schema(
                            media_obj["schema"], ploc.child("content", media, "schema"))}
                params[(p["name"], str(where))] = {
                    "name": p["name"], "in": where, "required": bool(p.get("required")) or where == "path",
                    "schema": schema,
                    **{k: p[k] for k in ("style", "explode") if isinstance(p.get(k), (str, bool))}}
        body = None
        raw_body = node.get("requestBody")
        if raw_body is not None:
            b, bloc = self.deref(raw_body, loc.child("requestBody"))
            content = b.get("content") if isinstance(b, dict) else None
            if isinstance(content, dict):
                body = {"required": bool(b.get("required")), "content": {
                    str(media): self.schema(m.get("schema", {}), bloc.child("content", media, "schema"))
                    if isinstance(m, dict) else {} for media, m in sorted(content.items())}}
        security = node.get("security", self.doc.root.get("security", []))
        servers = node.get("servers", item.get("servers"))  # the operation's own servers, when it has them
        urls = sorted(s["url"] for s in servers if isinstance(s, dict) and isinstance(s.get("url"), str)) \
            if isinstance(servers, list) else []
        return {
            **({"servers": urls} if urls else {}),
            "method": op.method,
            "path": op.path,
            "parameters": [params[k] for k in sorted(params)],
            "body": body,
            "security": [sorted(req) for req in security if isinstance(req, dict)]
            if isinstance(security, list) else [],
        }


def bundle(doc: Document, api: ir.Api) -> dict[str, Any]:
    """{"operations": {operationId: ...}, "security_schemes": {...}, "defs": {...}}."""
    b = Bundler(doc)
    operations: dict[str, Any] = {}
    for res in api.resources:
        for op in res.operations:
            found = b.operation(op)
            if found is not None:
                operations[op.operation_id] = found
    schemes: dict[str, Any] = {}
    components = doc.root.get("components")
    raw = components.get("securitySchemes") if isinstance(components, dict) else None
    for name, node in sorted(raw.items()) if isinstance(raw, dict) else ():
        s, _ = b.deref(node, Loc("", "/components/securitySchemes").child(name))
        if isinstance(s, dict):
            schemes[str(name)] = {k: s[k] for k in ("type", "scheme", "in", "name") if k in s}
    return {"operations": dict(sorted(operations.items())), "security_schemes": schemes,
            "defs": dict(sorted(b.defs.items()))}
