"""Deterministic example values for IR types.

Values are JSON-like data. They prefer what the spec says (`example`, then `default`), checked
against the type so that a wrong spec example never produces a snippet that fails `mypy --strict`;
otherwise they are synthesized: the first enum value, the constant, a fixed value per scalar
format, one item per list, required fields only (optional fields only when the spec gives an
example). Unions take their first non-null variant, with the discriminator value set. Dict keys
are ordered by the schema (constants, required, optional, then extras sorted), never by the spec's
key order, so the output is identical for any key order of the input.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from generator import ir

Direction = Literal["input", "output"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

SCALARS: dict[str, object] = {
    "str": "string", "int": 1, "float": 1.0, "bool": True, "date": "2024-01-01",
    "datetime": "2024-01-01T00:00:00Z", "time": "00:00:00", "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "binary": "file content", "decimal": 1.0, "uri": "https://example.com",
}
FORMATS: dict[str, object] = {
    "email": "user@example.com", "idn-email": "user@example.com", "uri": "https://example.com",
    "url": "https://example.com", "uri-reference": "https://example.com", "hostname": "example.com",
    "ipv4": "192.0.2.1", "ipv6": "2001:db8::1", "byte": "ZXhhbXBsZQ==", "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01", "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "password": "password",
}


def parse_datetime(text: str) -> datetime:
    return datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)


def _json(value: Any) -> Any:
    """JSON data with object keys sorted (free-form values: maps, `any`)."""
    if isinstance(value, dict):
        return {str(k): _json(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


_index: tuple[ir.Api, dict[str, ir.NamedType]] | None = None


def _named_index(api: ir.Api) -> dict[str, ir.NamedType]:
    """Name -> named type of `api`, built once per API (an `Examples` is made for every snippet).
    Read-only for its users."""
    global _index
    if _index is None or _index[0] is not api:
        named: list[ir.NamedType] = [*api.models, *api.enums, *api.aliases]
        _index = (api, {t.name: t for t in named})
    return _index[1]


class Examples:
    """Example values for the types of one `ir.Api`."""

    def __init__(self, api: ir.Api, direction: Direction = "input") -> None:
        self.api = api
        self.direction = direction
        self.named = _named_index(api)

    # ------------------------------------------------------------------ public
    def value(self, t: ir.TypeRef, example: ir.Value | None = None, default: ir.Value | None = None) -> Any:
        """The spec's example if it fits `t`, else its (non-null) default, else a synthesized value."""
        for candidate in (example, default):
            if candidate is not None and not (candidate is default and candidate.json is None):
                fitted = self.fit(candidate.json, t)
                if fitted is not MISSING:
                    return fitted
        out = self.synth(t, frozenset())
        return None if out is MISSING else out

    def for_field(self, f: ir.Field | ir.Parameter) -> Any:
        return self.value(f.type, f.example, f.default)

    def skipped(self, f: ir.Field) -> bool:
        """Fields that do not belong in this direction (read-only in requests, write-only in responses)."""
        return f.read_only if self.direction == "input" else f.write_only

    def variant(self, value: Any, u: ir.Union) -> int:
        """Index of the union variant `value` belongs to (discriminator first, else the first fit)."""
        d = u.discriminator
        if d is not None and isinstance(value, dict) and d.property in value:
            for key, index in d.mapping:
                if key == value[d.property]:
                    return index
        for i, v in enumerate(u.variants):
            if self.fit(value, v) is not MISSING:
                return i
        return -1

    # ------------------------------------------------------------------ fitting spec values
    def fit(self, value: Any, t: ir.TypeRef) -> Any:
        """`value` normalised to `t` (ints for integral floats, keys in schema order), or MISSING."""
        match t:
            case ir.Scalar(kind):
                return self._fit_scalar(value, kind)
            case ir.Const(const):
                same = value == const and isinstance(value, bool) == isinstance(const, bool)
                return value if same else MISSING
            case ir.EnumRef(name):
                enum = self.named[name]
                assert isinstance(enum, ir.Enum)
                if value is None:
                    return None if enum.nullable else MISSING
                ok = any(value == m.value and type(value) is type(m.value) for m in enum.members)
                return value if ok else MISSING
            case ir.ListOf(item):
                if not isinstance(value, list):
                    return MISSING
                items = [self.fit(v, item) for v in value]
                return MISSING if any(i is MISSING for i in items) else items
            case ir.MapOf(inner):
                if not isinstance(value, dict):
                    return MISSING
                out = {str(k): self.fit(value[k], inner) for k in sorted(value, key=str)}
                return MISSING if any(v is MISSING for v in out.values()) else out
            case ir.ModelRef(name):
                model = self.named[name]
                assert isinstance(model, ir.Model)
                return self._fit_model(value, model)
            case ir.AliasRef(name):
                alias = self.named[name]
                assert isinstance(alias, ir.Alias)
                return self.fit(value, alias.type)
            case ir.Union(variants):
                index = self.variant(value, t)
                return MISSING if index < 0 else self.fit(value, variants[index])
            case ir.Null():
                return None if value is None else MISSING
        return _json(value)

    def _fit_scalar(self, value: Any, kind: str) -> Any:
        if isinstance(value, bool):
            return value if kind == "bool" else MISSING
        if kind == "int":
            if isinstance(value, float) and value.is_integer():
                return int(value)
            return value if isinstance(value, int) else MISSING
        if kind in ("float", "decimal"):
            return value if isinstance(value, (int, float)) else MISSING
        if kind == "bool" or not isinstance(value, str):
            return MISSING
        try:
            if kind == "datetime":
                parse_datetime(value)
            elif kind == "date":
                date.fromisoformat(value)
        except ValueError:
            return MISSING
        return value

    def _fit_model(self, value: Any, model: ir.Model) -> Any:
        if not isinstance(value, dict):
            return MISSING
        by_wire = {f.wire_name: f for f in model.fields}
        fitted: dict[str, Any] = {}
        for key in value:
            f = by_wire.get(key)
            if f is None:
                extra = self.fit(value[key], model.extra) if model.extra is not None else _json(value[key])
                if extra is MISSING:
                    return MISSING
                fitted[key] = extra
                continue
            v = self.fit(value[key], f.type)
            if v is MISSING:
                return MISSING
            fitted[key] = v
        if any(f.required and not self.skipped(f) and f.wire_name not in fitted for f in model.fields):
            return MISSING
        if model.required_any and not any(all(w in fitted for w in g) for g in model.required_any):
            return MISSING
        return self._ordered(fitted, model)

    def missing_group(self, model: ir.Model, present: Any) -> list[ir.Field]:
        """The fields to add so that `present` (wire names) holds one `required_any` group: the
        first group's absent ones, or none when a group is already complete."""
        if not model.required_any or any(all(w in present for w in g) for g in model.required_any):
            return []
        by_wire = {f.wire_name: f for f in model.fields}
        return [by_wire[w] for w in model.required_any[0] if w not in present and w in by_wire]

    @staticmethod
    def _ordered(data: dict[str, Any], model: ir.Model) -> dict[str, Any]:
        order = [f.wire_name for f in model.fields if f.required and isinstance(f.type, ir.Const)]
        order += [f.wire_name for f in model.fields if f.required and f.wire_name not in order]
        order += [f.wire_name for f in model.fields if not f.required]
        out = {k: data[k] for k in order if k in data}
        out.update((k, data[k]) for k in sorted(data) if k not in out)
        return out

    # ------------------------------------------------------------------ synthesizing
    def synth(self, t: ir.TypeRef, seen: frozenset[str]) -> Any:
        """A value made up from the type alone; MISSING only for unbreakable recursion."""
        match t:
            case ir.Scalar(kind, fmt, limits):
                base = FORMATS.get(fmt or "", SCALARS[kind]) if kind == "str" else SCALARS[kind]
                return constrained(base, kind, limits) if limits is not None else base
            case ir.Const(const):
                return const
            case ir.EnumRef(name):
                enum = self.named[name]
                assert isinstance(enum, ir.Enum)
                return enum.members[0].value if enum.members else None
            case ir.ListOf(item, _, limits):
                v = self.synth(item, seen)
                if v is MISSING:
                    return []
                count = max(1, limits.min_items or 0) if limits is not None else 1
                if limits is not None and limits.max_items is not None:
                    count = min(count, limits.max_items)
                return [v] * count
            case ir.MapOf(inner):
                v = self.synth(inner, seen)
                return {} if v is MISSING else {"key": v}
            case ir.ModelRef(name):
                return self._synth_model(name, seen)
            case ir.AliasRef(name):
                alias = self.named[name]
                assert isinstance(alias, ir.Alias)
                if alias.example is not None and (fitted := self.fit(alias.example.json, alias.type)) is not MISSING:
                    return fitted
                if name in seen:
                    return MISSING
                return self.synth(alias.type, seen | {name})
            case ir.Union(variants, disc):
                for index, v in enumerate(variants):
                    if isinstance(v, ir.Null):
                        continue
                    out = self.synth(v, seen)
                    if out is MISSING:
                        continue
                    if disc is not None and isinstance(out, dict):
                        key = next((k for k, i in disc.mapping if i == index), None)
                        if key is not None:
                            out = {disc.property: key, **{k: x for k, x in out.items() if k != disc.property}}
                    return out
                return None if any(isinstance(v, ir.Null) for v in variants) else MISSING
            case ir.Null():
                return None
        return "string"

    def _synth_model(self, name: str, seen: frozenset[str]) -> Any:
        model = self.named[name]
        assert isinstance(model, ir.Model)
        if model.example is not None and (fitted := self._fit_model(model.example.json, model)) is not MISSING:
            return fitted
        if name in seen:
            return MISSING
        out: dict[str, Any] = {}
        for f in model.fields:
            if self.skipped(f):
                continue
            if f.required:
                for candidate in (f.example, f.default):
                    if candidate is not None and candidate.json is not None:
                        v = self.fit(candidate.json, f.type)
                        if v is not MISSING:
                            break
                else:
                    v = self.synth(f.type, seen | {name})
                if v is MISSING:
                    return MISSING
                out[f.wire_name] = v
            elif f.example is not None and (v := self.fit(f.example.json, f.type)) is not MISSING:
                out[f.wire_name] = v
        for f in self.missing_group(model, out):
            v = self.value(f.type, f.example, f.default)
            if v is None and not ir.is_nullable(f.type):
                return MISSING
            out[f.wire_name] = v
        return self._ordered(out, model)


def example_for(t: ir.TypeRef, api: ir.Api, *, example: ir.Value | None = None,
                default: ir.Value | None = None, direction: Direction = "input") -> Any:
    """A deterministic JSON-like example for `t` (see `Examples.value`)."""
    return Examples(api, direction).value(t, example, default)


def constrained(base: Any, kind: str, limits: ir.Constraints) -> Any:
    """`base` moved inside the schema's bounds: min/max (exclusive too), multipleOf, lengths, pattern."""
    if kind in ("int", "float") and not isinstance(base, bool):
        value: float = float(base)
        step = 1.0 if kind == "int" else 0.5
        lo, hi = limits.minimum, limits.maximum
        if lo is not None and (value < lo or (limits.exclusive_minimum and value <= lo)):
            value = lo + (step if limits.exclusive_minimum else 0)
        if hi is not None and (value > hi or (limits.exclusive_maximum and value >= hi)):
            value = hi - (step if limits.exclusive_maximum else 0)
        if limits.multiple_of:
            value = round(value / limits.multiple_of) * limits.multiple_of
            if limits.minimum is not None and value < limits.minimum:
                value += limits.multiple_of
        return int(value) if kind == "int" else value
    if kind == "str" and isinstance(base, str):
        from generator.examples.patterns import sample

        text = base
        if limits.pattern is not None:
            text = sample(limits.pattern) or text
        if limits.min_length is not None and len(text) < limits.min_length:
            text = text + "x" * (limits.min_length - len(text))
        if limits.max_length is not None and len(text) > limits.max_length:
            text = text[: limits.max_length]
        return text
    return base

