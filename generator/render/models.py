"""Render plan for the models package: one module per owner schema (cycles merged), with every
annotation, default and import computed here so the templates only loop and print."""

from __future__ import annotations

from dataclasses import dataclass

from generator import ir, naming
from generator.normalize.cycles import sccs
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
    kind: str  # "model" | "enum" | "alias" | "recursive" (an alias in a cycle of aliases: TypeAliasType)
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


def _local_refs(items: list[ir.NamedType]) -> dict[str, set[str]]:
    local = {t.name for t in items}
    return {t.name: {r for r in ir.named_refs(t) if r in local} for t in items}


def recursive_aliases(items: list[ir.NamedType]) -> set[str]:
    """Aliases whose value needs itself when evaluated: in a reference cycle made of aliases only
    (`Json = str | list[Json]`, or `A = list[B]`, `B = dict[str, A]`). Models do not count: their
    annotations are evaluated lazily, so a cycle through a model is only a question of order."""
    kinds = {t.name: isinstance(t, ir.Alias) for t in items}
    graph = {n: {r for r in refs if kinds[r]} for n, refs in _local_refs(items).items() if kinds[n]}
    return {n for component in sccs(graph) for n in component} | {n for n, refs in graph.items() if n in refs}


def _order(items: list[ir.NamedType], recursive: set[str]) -> tuple[list[ir.NamedType], set[str]]:
    """Definition order (Kahn, ties by name): what an item names comes first where possible. An
    alias must follow everything its value names (it is evaluated at import), except a recursive
    alias (a `TypeAliasType` whose value is evaluated on use); a model or an enum can always be
    placed, as can a recursive alias. Returns the order and the names referenced before their
    definition (or by themselves)."""
    local = {t.name: t for t in items}
    deps = {n: refs - {n} for n, refs in _local_refs(items).items()}
    hard = {n: deps[n] if isinstance(local[n], ir.Alias) and n not in recursive else set() for n in local}
    done: list[ir.NamedType] = []
    placed: set[str] = set()
    forward: set[str] = set()
    pending = sorted(local)
    while pending:
        ready = [n for n in pending if deps[n] <= placed]
        if not ready:
            # A cycle: place the first name that may wait for its references (never empty: the
            # aliases that must wait form no cycle among themselves).
            ready = [next(n for n in pending if hard[n] <= placed)]
            forward |= deps[ready[0]] - placed
        for n in ready:
            done.append(local[n])
            placed.add(n)
        pending = [n for n in pending if n not in placed]
    return done, forward | {t.name for t in items if t.name in ir.named_refs(t)}


MAX_MODEL_CHAIN = 24
"""A deferred pydantic model builds the types it names recursively on first use (about 60 levels of
models overflow the stack): a model with a longer chain of references below it is built at import,
after the ones below it, so a first use never recurses further than this to a built model."""


def chain_heights(types: list[ir.NamedType]) -> dict[str, int]:
    """The longest chain of references below each named type (cycles cut), computed iteratively."""
    graph = {t.name: ir.named_refs(t) - {t.name} for t in types}
    height: dict[str, int] = {}
    for root in sorted(graph):
        work, on_path = [root], {root}
        while work:
            node = work[-1]
            todo = [d for d in sorted(graph[node]) if d in graph and d not in height and d not in on_path]
            if todo:
                work.append(todo[0])
                on_path.add(todo[0])
                continue
            height[node] = 1 + max((height[d] for d in graph[node] if d in height), default=0)
            on_path.discard(work.pop())
    return height


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
    height = chain_heights(list(api.named_types()))
    for module in sorted(by_module):
        imp = Imports(module=module)
        recursive = recursive_aliases(by_module[module])
        ordered, forward = _order(by_module[module], recursive)
        items = []
        defined: set[str] = set()
        for t in ordered:
            later = frozenset(n for n in (x.name for x in ordered) if n not in defined)
            items.append(_item(t, tr, imp, later, t.name in recursive))
            defined.add(t.name)
        rebuild = tuple(t.name for t in ordered if isinstance(t, ir.Model)
                        and (forward or height[t.name] > MAX_MODEL_CHAIN))
        views.append(ModuleView(module, import_lines(imp), tuple(items), rebuild,
                                tuple(sorted((t.name for t in ordered), key=isort_key))))
    return views


def _item(t: ir.NamedType, tr: TypeRenderer, imp: Imports, later: frozenset[str], recursive: bool) -> ItemView:
    text = t.description
    if t.deprecated:
        text = ("Deprecated. " + text).strip()
    if isinstance(t, ir.Enum):
        return _enum(t, text, imp)
    if isinstance(t, ir.Alias):
        if recursive:  # evaluated on use, so it may name itself and what is defined below it
            imp.typing_extensions.add("TypeAliasType")
            return ItemView("recursive", t.name, docstring(text, 0), value=repr(tr.output(t.type, imp)))
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


def _enum(t: ir.Enum, text: str, imp: Imports) -> ItemView:
    """`Annotated[Literal[...], OpenEnum]`. Type checkers reject float literals (`Literal[2.5]`), so
    float members become `float` next to the literal of the others (a number enum is `float`), the
    validator checks the kind of value, and the docstring lists the floats."""
    imp.typing.add("TypeAlias")
    number = t.kind == "float"  # a number enum is all floats (`1` of `[0.5, 1]` is not an int)
    floats = [m.value for m in t.members if number or isinstance(m.value, float)]
    exact = [m.value for m in t.members if not (number or isinstance(m.value, float))]
    parts = []
    if exact:
        imp.typing.add("Literal")
        parts.append(f"Literal[{', '.join(repr(v) for v in exact)}]")
    if floats:
        parts.append("float")
        text = (text + "\n\n" if text else "") + "Known values: " + ", ".join(repr(v) for v in floats) + "."
    value = " | ".join(parts)
    validator = {"str": "OpenEnum", "int": "OpenIntEnum", "float": "OpenNumberEnum"}.get(t.kind)
    if validator is None:  # booleans: every value is known
        return ItemView("enum", t.name, docstring(text, 0), value=value)
    imp.typing.add("Annotated")
    imp.use_runtime("_models", validator)
    return ItemView("enum", t.name, docstring(text, 0), value=f"Annotated[{value}, {validator}]")


def import_lines(imp: Imports, models_prefix: str = ".") -> tuple[str, ...]:
    return imp.lines(models_prefix)
