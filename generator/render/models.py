"""Render plan for the models package: one module per owner schema (cycles merged), with every
annotation, default and import computed here so the templates only loop and print."""

from __future__ import annotations

from dataclasses import dataclass

from generator import ir, naming
from generator.render.text import docstring
from generator.render.types import Imports, TypeRenderer, isort_key, unshadow


@dataclass(frozen=True)
class FieldView:
    name: str
    annotation: str
    default: str  # "" when required
    docstring: str


@dataclass(frozen=True)
class ItemView:
    kind: str  # "model" | "enum" | "alias"
    name: str
    docstring: str
    fields: tuple[FieldView, ...] = ()
    value: str = ""  # enum / alias: the right-hand side
    extra: str = ""  # model: __pydantic_extra__ annotation


@dataclass(frozen=True)
class ModuleView:
    name: str
    import_lines: tuple[str, ...]
    items: tuple[ItemView, ...]
    rebuild: tuple[str, ...]
    names: tuple[str, ...]


def _order(items: list[ir.NamedType]) -> tuple[list[ir.NamedType], set[str]]:
    """Definition order: dependencies first (Kahn, ties by name); returns the names of items
    that are referenced before their definition (cycles)."""
    local = {t.name: t for t in items}
    deps = {t.name: {r for r in ir.named_refs(t) if r in local and r != t.name} for t in items}
    done: list[ir.NamedType] = []
    placed: set[str] = set()
    forward: set[str] = set()
    pending = sorted(local)
    while pending:
        ready = [n for n in pending if deps[n] <= placed]
        if not ready:
            # A cycle: place the first remaining name; what it needs is referenced forward.
            ready = [pending[0]]
            forward |= deps[pending[0]] - placed
        for n in ready:
            done.append(local[n])
            placed.add(n)
        pending = [n for n in pending if n not in placed]
    return done, forward | {t.name for t in items if t.name in ir.named_refs(t)}


def _field(f: ir.Field, tr: TypeRenderer, imp: Imports, shadowed: frozenset[str]) -> FieldView:
    t = f.type
    if not f.required and not ir.is_nullable(t) and not isinstance(t, ir.AnyType):
        t = ir.Union((t, ir.NULL))
    annotation = unshadow(tr.output(t, imp), shadowed, imp)
    args = []
    if not f.required:
        args.append("default=None")
    if f.wire_name != f.name:
        args.append(f"alias={f.wire_name!r}")
    if not args:
        default = ""
    elif args == ["default=None"]:
        default = "None"
    else:
        imp.pydantic.add("Field")
        default = f"Field({', '.join(args)})"
    text = f.description
    if f.deprecated:
        text = ("Deprecated. " + text).strip()
    return FieldView(f.name, annotation, default, docstring(text))


def plan_models(api: ir.Api, tr: TypeRenderer) -> list[ModuleView]:
    by_module: dict[str, list[ir.NamedType]] = {}
    for t in api.named_types():
        by_module.setdefault(t.module, []).append(t)
    views = []
    for module in sorted(by_module):
        imp = Imports(module=module)
        ordered, forward = _order(by_module[module])
        items = []
        defined: set[str] = set()
        for t in ordered:
            later = frozenset(n for n in (x.name for x in ordered) if n not in defined)
            items.append(_item(t, tr, imp, later))
            defined.add(t.name)
        cyclic = forward | {t.name for t in ordered if t.name in ir.named_refs(t)}
        rebuild = tuple(t.name for t in ordered if isinstance(t, ir.Model) and cyclic)
        views.append(ModuleView(module, import_lines(imp), tuple(items), rebuild,
                                tuple(sorted((t.name for t in ordered), key=isort_key))))
    return views


def _item(t: ir.NamedType, tr: TypeRenderer, imp: Imports, later: frozenset[str]) -> ItemView:
    text = t.description
    if t.deprecated:
        text = ("Deprecated. " + text).strip()
    if isinstance(t, ir.Enum):
        values = ", ".join(repr(m.value) for m in t.members)
        validator = {"str": "OpenEnum", "int": "OpenIntEnum", "float": "OpenNumberEnum"}.get(t.kind)
        if validator is None:  # booleans: every value is known
            imp.typing.update(("Literal", "TypeAlias"))
            return ItemView("enum", t.name, docstring(text, 0), value=f"Literal[{values}]")
        imp.typing.update(("Annotated", "Literal", "TypeAlias"))
        imp.use_runtime("_models", validator)
        return ItemView("enum", t.name, docstring(text, 0), value=f"Annotated[Literal[{values}], {validator}]")
    if isinstance(t, ir.Alias):
        imp.typing.add("TypeAlias")
        return ItemView("alias", t.name, docstring(text, 0), value=tr.runtime(t.type, imp, later))
    imp.use_runtime("_models", "BaseModel")
    # A field named like a builtin (`bytes`, `date`) shadows it in the class body: annotations there
    # refer to the builtin through its module-level alias.
    shadowed = frozenset(f.name for f in t.fields) & naming.SHADOWABLE_NAMES
    fields = tuple(_field(f, tr, imp, shadowed) for f in t.fields)
    extra = ""
    if t.extra is not None:
        extra = unshadow(f"dict[str, {tr.output(t.extra, imp)}]", shadowed, imp)
        imp.pydantic.add("Field")
    return ItemView("model", t.name, docstring(text or t.title), fields, extra=extra)


def import_lines(imp: Imports, models_prefix: str = ".") -> tuple[str, ...]:
    return imp.lines(models_prefix)
