"""Swagger 2.0 -> OpenAPI 3.0, so both go through the same normalizer and IR.

Converted: host/basePath/schemes -> servers; definitions/parameters/responses/securityDefinitions
-> components; body and formData parameters -> requestBody (consumes); response schemas ->
content (produces); collectionFormat -> style/explode; `x-nullable` -> nullable; type `file` ->
binary string. `$ref`s are rewritten to the new locations. Diagnostics after conversion point into
the converted document (the same paths for paths/operations; `definitions/X` becomes
`components/schemas/X`).
"""

from __future__ import annotations

from typing import Any

from generator.diagnostics import Collector

_REF_MOVES = (("#/definitions/", "#/components/schemas/"), ("#/parameters/", "#/components/parameters/"),
              ("#/responses/", "#/components/responses/"))
_PARAM_SCHEMA_KEYS = ("type", "format", "items", "enum", "default", "minimum", "maximum", "pattern",
                      "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "multipleOf",
                      "exclusiveMinimum", "exclusiveMaximum")
_COLLECTION = {"csv": ("form", False), "multi": ("form", True), "ssv": ("spaceDelimited", False),
               "pipes": ("pipeDelimited", False), "tsv": ("form", False)}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


def _refs(node: Any) -> Any:
    """Rewrite $refs and Swagger-only schema keywords, recursively."""
    if isinstance(node, list):
        return [_refs(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            for old, new in _REF_MOVES:
                if value.startswith(old):
                    value = new + value[len(old):]
            out[key] = value
        elif key == "x-nullable":
            out["nullable"] = value
        elif key == "type" and value == "file":
            out["type"] = "string"
            out["format"] = "binary"
        else:
            out[key] = _refs(value)
    return out


def _schema_of_param(p: dict[str, Any]) -> dict[str, Any]:
    return {k: p[k] for k in _PARAM_SCHEMA_KEYS if k in p}


def convert(spec: dict[str, Any], diags: Collector) -> dict[str, Any]:
    spec = _refs(spec)
    out: dict[str, Any] = {"openapi": "3.0.3", "info": spec.get("info") or {"title": "API", "version": ""}}
    host = spec.get("host")
    base = spec.get("basePath", "")
    if host:
        schemes = spec.get("schemes") or ["https"]
        out["servers"] = [{"url": f"{schemes[0]}://{host}{base}"}]
    elif base:
        out["servers"] = [{"url": base}]
    for key in ("tags", "security", "externalDocs"):
        if key in spec:
            out[key] = spec[key]
    consumes = spec.get("consumes") or ["application/json"]
    produces = spec.get("produces") or ["application/json"]
    global_params: dict[str, Any] = spec["parameters"] if isinstance(spec.get("parameters"), dict) else {}
    components: dict[str, Any] = {
        "schemas": spec.get("definitions") or {},
        "parameters": {k: _param(v) for k, v in global_params.items()
                       if isinstance(v, dict) and v.get("in") not in ("body", "formData")},
        "responses": {k: _response(v, produces) for k, v in (spec.get("responses") or {}).items()
                      if isinstance(v, dict)},
        "securitySchemes": {k: _security(k, v, diags) for k, v in (spec.get("securityDefinitions") or {}).items()
                            if isinstance(v, dict)},
    }
    out["components"] = {k: v for k, v in components.items() if v}
    paths: dict[str, Any] = {}
    op_refs: list[str] = []
    for path, item in (spec.get("paths") or {}).items():
        where = "/paths/" + str(path).replace("~", "~0").replace("/", "~1")
        item = _inline(spec, item, where, diags)
        if not isinstance(item, dict):
            continue
        new_item: dict[str, Any] = {}
        shared = item.get("parameters") or []
        for key, value in item.items():
            if key in METHODS and isinstance(value, dict) and "$ref" in value:
                op_refs.append(f"{where}/{key}")
                value = _inline(spec, value, f"{where}/{key}", diags)
            if key in METHODS and isinstance(value, dict):
                new_item[key] = _operation(value, shared, global_params, consumes, produces)
            elif key.startswith("x-") or key in ("summary", "description"):
                new_item[key] = value
        paths[path] = new_item
    out["paths"] = paths
    if op_refs:
        more = f" (and {len(op_refs) - 1} more)" if len(op_refs) > 1 else ""
        diags.warning("ref-not-allowed", sorted(op_refs)[0], f"OpenAPI does not allow $ref on operations; this "
                      f"one{more} resolved as a reference all the same")
    return out


def _inline(spec: dict[str, Any], node: Any, where: str, diags: Collector) -> Any:
    """A path item or operation given as a `$ref` into this document, replaced by what it references
    (converted like the rest). One in another file is skipped with a warning: that file is Swagger 2.0
    too, and only the root document is converted."""
    for _ in range(64):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        ref = node["$ref"]
        target: Any = spec if ref.startswith("#") else None
        for raw in ref[1:].lstrip("/").split("/") if target is not None and ref not in ("#", "#/") else ():
            token = raw.replace("~1", "/").replace("~0", "~")
            target = target.get(token) if isinstance(target, dict) else None
        if target is None:
            diags.warning("swagger2-ref-skipped", where, f"$ref {ref!r}: a Swagger 2.0 path item or operation is "
                          "only read from the same document; skipped")
            return None
        node = target
    return None


def _param(p: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in p:
        return p
    new = {k: v for k, v in p.items() if k not in (*_PARAM_SCHEMA_KEYS, "collectionFormat", "allowEmptyValue")}
    new["schema"] = _schema_of_param(p)
    style = _collection_style(p)
    # csv in a path or header is the `simple` style, already the default there
    if style is not None and not (p.get("in") in ("path", "header") and style == ("form", False)):
        new["style"], new["explode"] = style
    return new


def _collection_style(p: dict[str, Any]) -> tuple[str, bool] | None:
    """OpenAPI style and explode of an array parameter's collectionFormat (Swagger's default: csv)."""
    if p.get("type") != "array":
        return None
    return _COLLECTION.get(str(p.get("collectionFormat", "csv")))


def _resolve_param(p: Any, global_params: dict[str, Any]) -> Any:
    if isinstance(p, dict) and isinstance(p.get("$ref"), str) and p["$ref"].startswith("#/components/parameters/"):
        target = global_params.get(p["$ref"].rsplit("/", 1)[-1])
        if isinstance(target, dict) and target.get("in") in ("body", "formData"):
            return target
    return p


def _operation(op: dict[str, Any], shared: list[Any], global_params: dict[str, Any], consumes: list[str],
               produces: list[str]) -> dict[str, Any]:
    new = {k: v for k, v in op.items() if k not in ("parameters", "responses", "consumes", "produces", "schemes")}
    op_consumes = op.get("consumes") or consumes
    op_produces = op.get("produces") or produces
    params, form = [], {}
    encoding: dict[str, Any] = {}
    body = None
    required_form = []
    for raw in [*shared, *(op.get("parameters") or [])]:
        p = _resolve_param(raw, global_params)
        if not isinstance(p, dict):
            continue
        where = p.get("in")
        if where == "body":
            body = p
        elif where == "formData":
            form[p.get("name", "field")] = {**_schema_of_param(p), **({"description": p["description"]}
                                                                       if "description" in p else {})}
            if p.get("required"):
                required_form.append(p.get("name"))
            style = _collection_style(p)
            if style is not None:
                encoding[p.get("name", "field")] = {"style": style[0], "explode": style[1]}
        else:
            params.append(_param(p))
    if params:
        new["parameters"] = params
    if body is not None:
        new["requestBody"] = {
            "required": body.get("required") is True,
            "content": {m: {"schema": body.get("schema", {})} for m in op_consumes if "form" not in m} or
                       {"application/json": {"schema": body.get("schema", {})}},
            **({"description": body["description"]} if "description" in body else {}),
        }
    elif form:
        media = next((m for m in op_consumes if "form" in m), "application/x-www-form-urlencoded")
        schema: dict[str, Any] = {"type": "object", "properties": form}
        if required_form:
            schema["required"] = required_form
        media_obj: dict[str, Any] = {"schema": schema, **({"encoding": encoding} if encoding else {})}
        new["requestBody"] = {"required": bool(required_form), "content": {media: media_obj}}
    new["responses"] = {str(k): _response(v, op_produces) for k, v in (op.get("responses") or {}).items()
                        if isinstance(v, dict)}
    return new


def _response(r: dict[str, Any], produces: list[str]) -> dict[str, Any]:
    if "$ref" in r:
        return r
    new: dict[str, Any] = {"description": r.get("description", "")}
    if "schema" in r:
        new["content"] = {m: {"schema": r["schema"]} for m in produces}
    if "headers" in r:
        new["headers"] = {k: {"schema": _schema_of_param(v)} for k, v in r["headers"].items() if isinstance(v, dict)}
    return new


def _security(name: str, s: dict[str, Any], diags: Collector) -> dict[str, Any]:
    kind = s.get("type")
    if kind == "basic":
        return {"type": "http", "scheme": "basic"}
    if kind == "apiKey":
        return {"type": "apiKey", "name": s.get("name", name), "in": s.get("in", "header")}
    if kind == "oauth2":
        return {"type": "oauth2", "flows": {}}
    diags.warning("unsupported-security", f"/securityDefinitions/{name}", f"security type {kind!r} skipped")
    return {"type": str(kind)}
