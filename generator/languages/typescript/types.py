"""IR types as TypeScript type expressions (used by the models module, the resources and the docs)."""

from __future__ import annotations

import json
from collections.abc import Callable

from generator import ir

BINARY = "Uploadable"

_SCALARS = {"str": "string", "int": "number", "float": "number", "decimal": "number", "bool": "boolean",
            "date": "string", "datetime": "string", "time": "string", "uuid": "string", "uri": "string",
            "binary": BINARY}


def literal(value: object) -> str:
    """A JSON value as a TypeScript literal type (or value)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, ensure_ascii=False)


class TypeWriter:
    """Renders IR types; `ref` turns a named type's IR name into the text that refers to it."""

    def __init__(self, names: dict[str, str], ref: Callable[[str], str] | None = None, *,
                 index_maps: bool = False) -> None:
        self.names = names
        self.ref = ref or (lambda name: names[name])
        # `{ [key: string]: T }` instead of `Record<string, T>`: an alias may refer to itself through an
        # index signature, not through the `Record` alias (TS2456).
        self.index_maps = index_maps

    def render(self, t: ir.TypeRef) -> str:
        match t:
            case ir.Scalar(kind):
                return _SCALARS.get(kind, "string")
            case ir.ListOf(item):
                return f"Array<{self.render(item)}>"
            case ir.MapOf(value):
                if self.index_maps:
                    return f"{{ [key: string]: {self.render(value)} }}"
                return f"Record<string, {self.render(value)}>"
            case ir.ModelRef(name) | ir.EnumRef(name) | ir.AliasRef(name):
                return self.ref(name)
            case ir.Const(value):
                return literal(value)
            case ir.Union(variants):
                return self.union(variants)
            case ir.Null():
                return "null"
        return "unknown"

    def union(self, variants: tuple[ir.TypeRef, ...]) -> str:
        # An open set of strings (`anyOf: [string, enum]`): the plain string keeps the literals' autocompletion.
        has_literals = any(isinstance(v, (ir.EnumRef, ir.Const)) for v in variants)
        parts: list[str] = []
        for v in variants:
            if has_literals and isinstance(v, ir.Scalar) and _SCALARS.get(v.kind) == "string":
                text = "(string & {})"
            else:
                text = self.render(v)
            if text not in parts:
                parts.append(text)
        if "unknown" in parts:
            return "unknown"
        return " | ".join(parts) if parts else "never"

    def field_type(self, f: ir.Field | ir.Parameter) -> str:
        return self.render(f.type)
