"""Reference cycles between named types, after names are final: unions that contain themselves
are flattened, and model modules are merged so that their import graph is acyclic and shallow."""

from __future__ import annotations

from typing import Any

from generator import ir
from generator.resolve import Document


def _top(t: ir.TypeRef) -> list[ir.TypeRef]:
    """The variants of a type as a union (a non-union is its only variant)."""
    return list(t.variants) if isinstance(t, ir.Union) else [t]


def flatten_alias_cycles(built: list[tuple[str, Any]], doc: Document) -> list[tuple[str, Any]]:
    """Aliases that are variants of each other (`A = B | int`, `B = A | str`, `E = E`) name no
    shape of their own: no type checker or validator accepts them. Each alias of such a cycle
    becomes the union of what the cycle's members add (`A = B = int | str`; Any when nothing), with
    a warning. Cycles through a list, a map or a model are recursive types and stay."""
    aliases = {t.name: t for _, t in built if isinstance(t, ir.Alias)}
    graph = {n: {v.name for v in _top(a.type) if isinstance(v, ir.AliasRef) and v.name in aliases}
             for n, a in aliases.items()}
    replaced: dict[str, ir.Alias] = {}
    for members in [*sccs(graph), *([n] for n in sorted(graph) if n in graph[n])]:
        if members[0] in replaced:
            continue
        inside = set(members)
        rest: list[ir.TypeRef] = []
        for n in members:
            for v in _top(aliases[n].type):
                if not (isinstance(v, ir.AliasRef) and v.name in inside) and v not in rest:
                    rest.append(v)
        if any(isinstance(v, ir.Null) for v in rest):  # None last, as everywhere
            rest = [v for v in rest if not isinstance(v, ir.Null)] + [ir.NULL]
        flat: ir.TypeRef = ir.ANY if not rest else rest[0] if len(rest) == 1 else ir.Union(tuple(rest))
        for n in members:
            replaced[n] = ir.evolve(aliases[n], type=flat)
            file, _, pointer = aliases[n].origin.partition("#")
            what = "Any" if not rest else "the union of the cycle's other variants"
            doc.diags.warning("alias-cycle", pointer, f"{n} is a variant of itself (through "
                              f"{', '.join(sorted(inside))}): typed as {what}", file)
    return [(k, replaced.get(t.name, t) if isinstance(t, ir.Alias) else t) for k, t in built]


def merge_modules(built: list[tuple[str, Any]], type_module: dict[str, str]) -> dict[str, str]:
    """Modules that import each other (through cyclic type references) are merged into one, named
    after the first of them in sorted order, so every module import graph is acyclic."""
    module_of_name = {t.name: type_module[key] for key, t in built}
    graph: dict[str, set[str]] = {m: set() for m in type_module.values()}
    for key, t in built:
        src = type_module[key]
        for ref in ir.named_refs(t):
            dst = module_of_name.get(ref)
            if dst is not None and dst != src:
                graph[src].add(dst)
    merged: dict[str, str] = {}
    for component in sccs(graph):
        target = min(component)
        for m in component:
            merged[m] = target
    return _merge_deep({k: merged.get(v, v) for k, v in type_module.items()}, graph, merged)


MAX_IMPORT_CHAIN = 24
"""Longest chain of model modules importing each other. Python nests one import in another (about six
frames each) and pydantic builds a deferred model's references recursively, so a 200-long `$ref` chain
spread over 200 modules would overflow the interpreter's stack at import or on first use."""


def _merge_deep(type_module: dict[str, str], graph: dict[str, set[str]], merged: dict[str, str]
                ) -> dict[str, str]:
    """Every module with an import chain longer than MAX_IMPORT_CHAIN below it goes into one module
    (named after the first in sorted order). A module importing such a module has a longer chain
    itself, so the group is never imported by a module outside it: the import graph stays acyclic,
    and no chain is longer than MAX_IMPORT_CHAIN."""
    dag: dict[str, set[str]] = {}
    for src, dsts in graph.items():
        node = merged.get(src, src)
        dag.setdefault(node, set()).update(merged.get(d, d) for d in dsts if merged.get(d, d) != node)
    height: dict[str, int] = {}
    for root in sorted(dag):  # iterative post-order: chains may be far deeper than the stack
        work = [root]
        while work:
            node = work[-1]
            if node in height:
                work.pop()
                continue
            todo = [d for d in sorted(dag.get(node, ())) if d not in height]
            if todo:
                work.extend(todo)
                continue
            height[node] = 1 + max((height[d] for d in dag.get(node, ())), default=-1)
            work.pop()
    deep = sorted(m for m, h in height.items() if h >= MAX_IMPORT_CHAIN)
    if not deep:
        return type_module
    target = deep[0]
    return {k: target if v in deep else v for k, v in type_module.items()}


def sccs(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative, over sorted nodes (deterministic)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    result.append(sorted(comp))
    return result
