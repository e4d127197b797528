"""TypeScript example code: example values (from `generator.examples`, wire names kept) as literals, and
one runnable call per operation. Every snippet type-checks under `tsc --strict` against the SDK."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import generator.languages.typescript.names as names
from generator import ir
from generator.examples import Examples

WIDTH = 72


class ValueWriter:
    """JSON-like example values as TypeScript expressions, guided by their IR type (binary becomes a Blob)."""

    def __init__(self, ex: Examples) -> None:
        self.ex = ex

    def render(self, value: Any, t: ir.TypeRef | None, indent: int = 0) -> str:
        if t is not None:
            t = self._resolve(t, value)
        if isinstance(t, ir.Scalar) and t.kind == "binary":
            return f"new Blob([{json.dumps(value if isinstance(value, str) else 'file content')}])"
        if isinstance(value, dict):
            fields = self._fields(t)
            if isinstance(t, ir.ModelRef) and isinstance(fields, _Extra) and fields.extra is None:
                # A spec example's keys the schema does not name: an interface takes no excess properties.
                value = {k: v for k, v in value.items() if str(k) in fields}
            items = [(names.prop_key(str(k)), self.render(v, fields.get(str(k)), indent + 2)) for k, v in value.items()]
            return self._wrap("{ ", " }", "{}", [f"{k}: {v}" for k, v in items], indent)
        if isinstance(value, list):
            item = t.item if isinstance(t, ir.ListOf) else None
            return self._wrap("[", "]", "[]", [self.render(v, item, indent + 2) for v in value], indent)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return json.dumps(value, ensure_ascii=False)

    @staticmethod
    def _wrap(open_: str, close: str, empty: str, parts: list[str], indent: int) -> str:
        if not parts:
            return empty
        flat = open_ + ", ".join(parts) + close
        if len(flat) + indent <= WIDTH and "\n" not in flat:
            return flat
        pad = " " * (indent + 2)
        return open_.strip() + "\n" + "".join(f"{pad}{p},\n" for p in parts) + " " * indent + close.strip()

    def _resolve(self, t: ir.TypeRef, value: Any) -> ir.TypeRef:
        for _ in range(32):
            if isinstance(t, ir.AliasRef):
                alias = self.ex.named[t.name]
                assert isinstance(alias, ir.Alias)
                t = alias.type
            elif isinstance(t, ir.Union):
                index = self.ex.variant(value, t)
                if index < 0:
                    return ir.ANY
                t = t.variants[index]
            else:
                return t
        return ir.ANY

    def _fields(self, t: ir.TypeRef | None) -> dict[str, ir.TypeRef]:
        if isinstance(t, ir.ModelRef):
            model = self.ex.named[t.name]
            assert isinstance(model, ir.Model)
            out = {f.wire_name: f.type for f in model.fields}
            return _Extra(out, model.extra)
        if isinstance(t, ir.MapOf):
            return _Extra({}, t.value)
        return {}


class _Extra(dict[str, ir.TypeRef]):
    """Field types with a fallback type for keys the model does not name (additionalProperties, maps)."""

    def __init__(self, known: dict[str, ir.TypeRef], extra: ir.TypeRef | None) -> None:
        super().__init__(known)
        self.extra = extra

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key, self.extra if self.extra is not None else default)


@dataclass(frozen=True)
class Call:
    """The pieces of one example call: the params literal and how to use the result."""

    expression: str  # `client.chat.create({...})`
    kind: str


def params_value(op: ir.Operation, ex: Examples, body_key: str | None,
                 stream: bool = False) -> dict[str, tuple[Any, Any]]:
    """Wire name -> (example value, IR type) of the params object, in signature order."""
    out: dict[str, tuple[Any, Any]] = {}
    for p in sorted(op.parameters, key=lambda p: not p.required):
        if p.required or p.example is not None:
            value = ex.for_field(p)
            if value is not None or p.required:
                out[p.wire_name] = (value, p.type)
    body = op.body
    if body is not None:
        value = ex.value(body.type, body.example)
        if body_key is not None:
            if body.required or value is not None:
                out[body_key] = (value if body.kind != "binary" else "file content",
                                 body.type if body.kind != "binary" else ir.Scalar("binary"))
        elif isinstance(value, dict):
            types = {f.wire_name: f.type for f in body.fields}
            for k, v in value.items():
                if k in types:
                    out[k] = (v, types[k])
    flag = op.stream.flag_wire if op.stream is not None else None
    if flag:
        out.pop(flag, None)
        if stream:
            out[flag] = (True, ir.Scalar("bool"))
    return out


def literal_of(params: dict[str, tuple[Any, Any]], vw: ValueWriter) -> str:
    if not params:
        return ""
    parts = [f"{names.prop_key(k)}: {vw.render(v, t, 2)}" for k, (v, t) in params.items()]
    flat = "{ " + ", ".join(parts) + " }"
    if len(flat) <= WIDTH - 30 and "\n" not in flat:
        return flat
    return "{\n" + "".join(f"  {p},\n" for p in parts) + "}"
