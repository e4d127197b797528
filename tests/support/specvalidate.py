"""Validate an HTTP request the SDK sent against the OpenAPI operation it targets.

Prism does not reject every invalid body of complex 3.1 specs, so tests check each request here
too: the path must match an operation, path/query parameters and the JSON body must satisfy their
schemas (JSON Schema 2020-12 via `jsonschema`, with OpenAPI 3.0 `nullable` translated).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

import httpx
import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def _translate(node: Any) -> Any:
    """OpenAPI 3.0 dialect -> JSON Schema 2020-12 (nullable, example)."""
    if isinstance(node, list):
        return [_translate(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _translate(v) for k, v in node.items() if k not in ("nullable", "discriminator", "example", "xml")}
    if node.get("nullable") is True:
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if isinstance(out.get("enum"), list) and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            return {"anyOf": [out, {"type": "null"}]}
    return out


@dataclass
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class SpecValidator:
    def __init__(self, spec: dict[str, Any], base_path: str = "") -> None:
        self.spec = _translate(spec)
        self.base_path = base_path.rstrip("/")
        self.registry: Registry[Any] = Registry().with_resource(
            "urn:spec", Resource(contents=self.spec, specification=DRAFT202012)
        )
        self.routes = []
        for path, item in self.spec.get("paths", {}).items():
            # Some specs key variants of one path as `/x#variant`; the fragment is not sent.
            pattern = "^" + re.sub(r"\\\{([^}]+)\\\}", r"(?P<\1>[^/]+)", re.escape(path.split("#")[0])) + "$"
            try:
                compiled = re.compile(pattern)
            except re.error:
                continue
            self.routes.append((compiled, path, item))

    def _schema(self, schema: Any) -> Any:
        return self._rewrite_refs(schema)

    def _rewrite_refs(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self._rewrite_refs(v) for v in node]
        if isinstance(node, dict):
            return {k: ("urn:spec" + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else
                        self._rewrite_refs(v)) for k, v in node.items()}
        return node

    def _check(self, schema: Any, value: Any, where: str) -> list[Problem]:
        validator = jsonschema.Draft202012Validator(self._schema(schema), registry=self.registry)
        return [Problem(where + "".join(f"/{p}" for p in e.absolute_path), e.message)
                for e in validator.iter_errors(value)]

    def _param(self, p: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in p:
            ref = p["$ref"].lstrip("#/").split("/")
            node: Any = self.spec
            for part in ref:
                node = node[part.replace("~1", "/").replace("~0", "~")]
            return node
        return p

    def validate(self, request: httpx.Request) -> list[Problem]:
        raw = request.url.raw_path.decode().split("?")[0]
        if self.base_path and raw.startswith(self.base_path):
            raw = raw[len(self.base_path):]
        path = unquote(raw)
        method = request.method.lower()
        first: list[Problem] | None = None
        for compiled, _template, item in self.routes:
            m = compiled.match(raw)
            if m is None or method not in item:
                continue
            op = item[method]
            problems: list[Problem] = []
            params = [self._param(p) for p in [*item.get("parameters", []), *op.get("parameters", [])]]
            query = parse_qsl(request.url.query.decode(), keep_blank_values=True)
            for p in params:
                schema = p.get("schema", {})
                if p["in"] == "path":
                    problems += self._check(schema, _coerce(unquote(m.group(p["name"])), schema),
                                            f"path.{p['name']}")
                elif p["in"] == "query":
                    if p.get("style") == "deepObject":
                        prefix = p["name"] + "["
                        value: Any = {k[len(prefix):-1]: v for k, v in query if k.startswith(prefix)}
                        present = bool(value)
                    else:
                        values = [v for k, v in query if k == p["name"]]
                        if p.get("explode") is False and schema.get("type") == "array" and values:
                            sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(p.get("style", "form"), ",")
                            values = values[0].split(sep)
                        present = bool(values)
                        value = [_coerce(v, schema.get("items", {})) for v in values] \
                            if schema.get("type") == "array" else (_coerce(values[0], schema) if values else None)
                    if not present:
                        if p.get("required"):
                            problems.append(Problem(f"query.{p['name']}", "required but missing"))
                        continue
                    problems += self._check(schema, value, f"query.{p['name']}")
            body = op.get("requestBody")
            if body is not None:
                content = body.get("content", {})
                ctype = request.headers.get("content-type", "").split(";")[0]
                content_bytes = request.content
                if not content_bytes:
                    if body.get("required"):
                        problems.append(Problem("body", "required but missing"))
                elif ctype in content and (ctype == "application/json" or ctype.endswith("+json")):
                    problems += self._check(content[ctype].get("schema", {}), json.loads(content_bytes), "body")
                elif ctype not in content:
                    problems.append(Problem("body", f"content type {ctype!r} not in {sorted(content)}"))
            if not problems:
                return problems
            if first is None:
                first = problems
        if first is not None:
            return first
        return [Problem("path", f"no operation for {request.method} {path}")]


def _coerce(text: str, schema: Any) -> Any:
    t = schema.get("type") if isinstance(schema, dict) else None
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    try:
        if t == "integer":
            return int(text)
        if t == "number":
            return float(text)
        if t == "boolean":
            return {"true": True, "false": False}.get(text, text)
    except ValueError:
        return text
    return text
