"""IR types -> Python annotation source, collecting the imports each module needs."""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass, field

from generator import ir
from generator.render.requests import twin_names

_SCALAR_OUT = {
    "str": "str", "int": "int", "float": "float", "bool": "bool", "date": "date", "datetime": "datetime",
    "time": "str", "uuid": "str", "binary": "bytes", "decimal": "float", "uri": "str",
}
_DATETIME_NAMES = {"date", "datetime"}
_CONTAINERS = ("Sequence[", "SequenceNotStr[", "Mapping[str, ")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class Imports:
    """Names one generated module uses: typing names, datetime names, and named types by module."""

    module: str = ""  # the model module being rendered ("" for non-model modules)
    typing: set[str] = field(default_factory=set)
    abc: set[str] = field(default_factory=set)  # collections.abc
    functools: set[str] = field(default_factory=set)
    datetime: set[str] = field(default_factory=set)
    pydantic: set[str] = field(default_factory=set)
    runtime: dict[str, set[str]] = field(default_factory=dict)  # runtime module -> names
    models: dict[str, set[str]] = field(default_factory=dict)  # model module -> names
    params: dict[str, set[str]] = field(default_factory=dict)  # params module -> TypedDict twins
    typing_extensions: set[str] = field(default_factory=set)
    params_module: str = ""  # the params module being rendered ("" for others)
    aliases: set[str] = field(default_factory=set)  # builtins referred to by `alias_of(name)` (see `unshadow`)

    def use_runtime(self, module: str, name: str) -> str:
        self.runtime.setdefault(module, set()).add(name)
        return name

    def merge(self, other: Imports) -> Imports:
        out = Imports(self.module, self.typing | other.typing, self.abc | other.abc, self.functools | other.functools,
                      self.datetime | other.datetime, self.pydantic | other.pydantic,
                      typing_extensions=self.typing_extensions | other.typing_extensions,
                      aliases=self.aliases | other.aliases)
        for src in (self, other):
            for k, v in src.runtime.items():
                out.runtime.setdefault(k, set()).update(v)
            for k, v in src.models.items():
                out.models.setdefault(k, set()).update(v)
            for k, v in src.params.items():
                out.params.setdefault(k, set()).update(v)
        return out

    def lines(self, models_prefix: str = ".", params_prefix: str = "..params.") -> tuple[str, ...]:
        """isort-compatible import block: stdlib, third party, then relative (furthest first)."""
        std = [("collections.abc", self.abc), ("datetime", self.datetime), ("functools", self.functools),
               ("typing", self.typing)]
        third = [("pydantic", self.pydantic), ("typing_extensions", self.typing_extensions)]
        groups = [
            [f"from {m} import {', '.join(sorted(n, key=import_key))}" for m, n in std if n],
            [f"from {m} import {', '.join(sorted(n, key=import_key))}" for m, n in third if n],
        ]
        local = [(f"..{'_runtime.' + m}", n) for m, n in self.runtime.items()]
        local += [(f"{models_prefix}{m}", n) for m, n in self.models.items()]
        local += [(f"{params_prefix}{m}", n) for m, n in self.params.items()]
        local.sort(key=lambda mn: (-(len(mn[0]) - len(mn[0].lstrip("."))), _natural(mn[0].lstrip(".").lower())))
        groups.append([f"from {m} import {', '.join(sorted(n, key=import_key))}" for m, n in local])
        # Module-level aliases of builtins that a field or parameter name shadows (after the imports).
        groups.append([f"{alias_of(n)}: TypeAlias = {n}" for n in sorted(self.aliases)])
        out: list[str] = []
        for g in groups:
            if g:
                if out:
                    out.append("")
                out.extend(g)
        return tuple(out)


_TOKEN = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|(?<![\w.])[A-Za-z_]\w*")


def alias_of(name: str) -> str:
    """Module-level alias of a builtin: `bytes` -> `_Bytes` (private, CamelCase like a type alias)."""
    return "_" + name[:1].upper() + name[1:]


def unshadow(expr: str, shadowed: set[str] | frozenset[str], imp: Imports) -> str:
    """`expr` (an annotation or a runtime type expression, possibly quoted) with every name in
    `shadowed` replaced by its module-level alias (`alias_of`): used where a field or parameter of the
    same name would shadow the builtin (`bytes: int` in a class body, `cast("bytes", ...)` in a
    method with a `bytes` parameter). String literals inside (`Literal['bytes']`) are left alone."""
    if not shadowed:
        return expr
    if expr[:1] in "'\"":
        return repr(unshadow(ast.literal_eval(expr), shadowed, imp))

    def sub(m: re.Match[str]) -> str:
        word = m.group(0)
        if word in shadowed:
            imp.aliases.add(word)
            imp.typing.add("TypeAlias")
            return alias_of(word)
        return word

    return _TOKEN.sub(sub, expr)


def _natural(text: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", text) if part)


def isort_key(name: str) -> tuple[int, tuple[tuple[int, str], ...], str]:
    """isort's order-by-type: CONSTANTS, then Classes, then everything else; natural within each
    (`Model2` before `Model10`): the order ruff wants in `__all__` (RUF022)."""
    if name.isupper() and len(name) > 1:
        return (0, _natural(name), name)
    if name[:1].isupper():
        return (1, _natural(name), name)
    return (2, _natural(name), name)


def import_key(name: str) -> tuple[int, tuple[tuple[int, str], ...], str]:
    """The order ruff's isort gives imported names: by type like `isort_key`, then case-insensitive and
    natural (`PcmaParam` before `PcmParam`, `StatusesList` before `StatusReport`)."""
    return isort_key(name)[0], _natural(name.lower()), name


class TypeRenderer:
    def __init__(self, api: ir.Api) -> None:
        self.named: dict[str, ir.NamedType] = {t.name: t for t in api.named_types()}
        self.default_server = api.servers[0].url if api.servers else ""
        self._has_models: dict[str, bool] = {}
        self.twins = twin_names(api)  # named type -> its TypedDict twin (request-side types only)
        self._twin_set = frozenset(self.twins.values())

    # ---------------------------------------------------------------- helpers
    def ref(self, name: str, imp: Imports) -> str:
        t = self.named[name]
        if t.module != imp.module:
            imp.models.setdefault(t.module, set()).add(name)
        return name

    def contains_models(self, t: ir.TypeRef) -> bool:
        match t:
            case ir.ModelRef():
                return True
            case ir.AliasRef(name):
                if name not in self._has_models:
                    self._has_models[name] = False  # recursion guard
                    alias = self.named[name]
                    self._has_models[name] = isinstance(alias, ir.Alias) and self.contains_models(alias.type)
                return self._has_models[name]
            case ir.ListOf(item, _):
                return self.contains_models(item)
            case ir.MapOf(value):
                return self.contains_models(value)
            case ir.Union(variants, _):
                return any(self.contains_models(v) for v in variants)
        return False

    def native_discriminator(self, u: ir.Union) -> str | None:
        """The Python field name pydantic can discriminate on, when every variant is a model whose
        discriminator field is a constant."""
        if u.discriminator is None:
            return None
        names = set()
        values: set[object] = set()
        for v in u.variants:
            model = self.named.get(v.name) if isinstance(v, ir.ModelRef) else None
            if not isinstance(model, ir.Model):
                return None
            f = next((f for f in model.fields if f.wire_name == u.discriminator.property), None)
            if f is None or not isinstance(f.type, ir.Const) or isinstance(f.type.value, float) or not f.required:
                return None
            if f.type.value in values:  # two variants share a tag: pydantic cannot discriminate
                return None
            values.add(f.type.value)
            names.add(f.name)
        return names.pop() if len(names) == 1 else None

    # ---------------------------------------------------------------- renderers
    def output(self, t: ir.TypeRef, imp: Imports) -> str:
        """Annotation for a model field or a return value (modern syntax; lazily evaluated)."""
        match t:
            case ir.Scalar(kind):
                name = _SCALAR_OUT[kind]
                if name in _DATETIME_NAMES:
                    imp.datetime.add(name)
                return name
            case ir.ListOf(item, _):
                return f"list[{self.output(item, imp)}]"
            case ir.MapOf(value):
                return f"dict[str, {self.output(value, imp)}]"
            case ir.ModelRef(name) | ir.EnumRef(name) | ir.AliasRef(name):
                return self.ref(name, imp)
            case ir.Const(float() as value):  # no float Literal for type checkers: a checked float
                if not math.isfinite(value):
                    return "float"
                imp.typing.add("Annotated")
                return f"Annotated[float, {imp.use_runtime('_models', 'NumberConst')}({value!r})]"
            case ir.Const(value):
                imp.typing.add("Literal")
                return f"Literal[{value!r}]"
            case ir.Union(variants, _):
                parts = [self.output(v, imp) for v in variants]
                field_name = self.native_discriminator(t)
                if field_name is not None:
                    imp.typing.add("Annotated")
                    imp.pydantic.add("Field")
                    return f"Annotated[{' | '.join(parts)}, Field(discriminator={field_name!r})]"
                return " | ".join(_dedupe(parts))
            case ir.Null():
                return "None"
        imp.typing.add("Any")
        return "Any"

    def input(self, t: ir.TypeRef, imp: Imports, seen: frozenset[str] = frozenset()) -> str:
        """Annotation for a method argument: sequences and mappings, and plain dicts for models."""
        match t:
            case ir.Scalar("binary"):
                return imp.use_runtime("_types", "FileTypes")
            case ir.Scalar("datetime"):
                imp.datetime.add("datetime")
                return "datetime | str"
            case ir.Scalar("date"):
                imp.datetime.add("date")
                return "date | str"
            case ir.ListOf(item, _):
                return _sequence(self.input(item, imp, seen), imp)
            case ir.MapOf(value):
                imp.abc.add("Mapping")
                return f"Mapping[str, {self.input(value, imp, seen)}]"
            case ir.ModelRef(name):
                if name in self.twins:  # the model or its TypedDict twin
                    return f"{self.ref(name, imp)} | {self.twin(name, imp)}"
                imp.typing.add("Any")
                imp.abc.add("Mapping")
                return f"{self.ref(name, imp)} | Mapping[str, Any]"
            case ir.AliasRef(name):
                alias = self.named[name]
                if name in self.twins and isinstance(alias, ir.Alias):
                    if name not in seen and _has_container(alias.type):
                        # Inlined, so that each item of a list literal is checked against `Model | ModelParam`.
                        return self.input(alias.type, imp, seen | {name})
                    return f"{self.ref(name, imp)} | {self.twin(name, imp)}"
                if isinstance(alias, ir.Alias) and self.contains_models(alias.type):
                    imp.typing.add("Any")
                    imp.abc.add("Mapping")
                    return f"{self.ref(name, imp)} | Mapping[str, Any]"
                if (isinstance(alias, ir.Alias) and name not in seen
                        and isinstance(ir.strip_null(alias.type), (ir.ListOf, ir.MapOf))):
                    # Inlined as Sequence/Mapping; an alias that contains itself stops at its name.
                    return self.input(alias.type, imp, seen | {name})
                return self.ref(name, imp)
            case ir.Const(float()):  # an argument: the server checks the value (no runtime import)
                return "float"
            case ir.Union(variants, _):
                parts = [p for v in variants for p in split_top(self.input(v, imp, seen))]
                return " | ".join(self._merge_containers(_dedupe(parts)))
        return self.output(t, imp)

    def twin(self, name: str, imp: Imports) -> str:
        """The TypedDict twin of a named type, imported from the params module of the same name."""
        twin, module = self.twins[name], self.named[name].module
        if module != imp.params_module:
            imp.params.setdefault(module, set()).add(twin)
        return twin

    def param(self, t: ir.TypeRef, imp: Imports, seen: frozenset[str] = frozenset()) -> str:
        """Annotation inside a TypedDict twin or a twin alias: plain data only (twins for models)."""
        match t:
            case ir.ListOf(item, _):
                return _sequence(self.param(item, imp, seen), imp)
            case ir.MapOf(value):
                imp.abc.add("Mapping")
                return f"Mapping[str, {self.param(value, imp, seen)}]"
            case ir.ModelRef(name) | ir.AliasRef(name) if name in self.twins:
                return self.twin(name, imp)
            case ir.ModelRef(name):  # not reachable from a request: any mapping
                imp.typing.add("Any")
                imp.abc.add("Mapping")
                return "Mapping[str, Any]"
            case ir.AliasRef(name):
                alias = self.named[name]
                if (isinstance(alias, ir.Alias) and name not in seen
                        and isinstance(ir.strip_null(alias.type), (ir.ListOf, ir.MapOf))):
                    return self.param(alias.type, imp, seen | {name})
                return self.ref(name, imp)
            case ir.Union(variants, _):
                parts = [p for v in variants for p in split_top(self.param(v, imp, seen))]
                return " | ".join(self._merge_containers(_dedupe(parts)))
        return self.input(t, imp, seen)

    def _merge_containers(self, parts: list[str]) -> list[str]:
        """`Sequence[A] | Sequence[B]` -> `Sequence[A | B]` (likewise `Mapping[str, ...]`) when the
        items involve TypedDict twins: mypy infers no type for a list or dict literal whose context
        is a union of two containers, so dict literals inside would never type-check."""
        twins = self._twin_set
        out: list[str] = []
        merged: dict[str, int] = {}  # container prefix -> index in out
        for part in parts:
            prefix = next((p for p in _CONTAINERS if part.startswith(p) and part.endswith("]")), None)
            if prefix is None or not any(n in twins for n in _IDENT.findall(part)):
                out.append(part)
                continue
            if prefix not in merged:
                merged[prefix] = len(out)
                out.append(part)
                continue
            i = merged[prefix]
            items = split_top(out[i][len(prefix):-1]) + split_top(part[len(prefix):-1])
            out[i] = f"{prefix}{' | '.join(_dedupe(items))}]"
        return out

    def runtime(self, t: ir.TypeRef, imp: Imports, later: frozenset[str] = frozenset()) -> str:
        """An expression evaluated at import time (type alias values, `cast_to=`). When it names a
        type defined further down the same module (a cycle), the whole expression is quoted."""
        expr = self.output(t, imp)
        return repr(expr) if ir.refs_of(t, set()) & later else expr


def _sequence(item: str, imp: Imports) -> str:
    """`Sequence[item]`, or `SequenceNotStr[item]` when a lone `str` would also fit (a string is
    a sequence of strings: `tags="a"` would type-check and go out as `["a"]`... or as letters)."""
    if "str" in split_top(item):
        return f"{imp.use_runtime('_types', 'SequenceNotStr')}[{item}]"
    imp.abc.add("Sequence")
    return f"Sequence[{item}]"


def _has_container(t: ir.TypeRef) -> bool:
    """A list or map, or a union with one among its variants."""
    t = ir.strip_null(t)
    if isinstance(t, ir.Union):
        return any(isinstance(v, (ir.ListOf, ir.MapOf)) for v in t.variants)
    return isinstance(t, (ir.ListOf, ir.MapOf))


def split_top(annotation: str) -> list[str]:
    """Split `A | B[C | D]` at top-level `|` only."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(annotation):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(annotation[start:i].strip())
            start = i + 1
    parts.append(annotation[start:].strip())
    return parts


def _dedupe(parts: list[str]) -> list[str]:
    out: list[str] = []
    for p in parts:
        if p not in out:
            out.append(p)
    if "None" in out:  # None last reads best: `X | None`
        out.remove("None")
        out.append("None")
    return out
