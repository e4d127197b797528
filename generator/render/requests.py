"""Which named types a request can carry, and the name of each one's `TypedDict` twin.

A model reachable from an operation's parameters or request body (through fields that are not
read-only, lists, maps, unions and aliases) gets a `…Param` twin; so does an alias whose type
contains such a model. Everything is decided from the IR alone, in sorted order.
"""

from __future__ import annotations

from generator import ir


def _walk(t: ir.TypeRef | None, named: dict[str, ir.NamedType], seen: set[str]) -> None:
    stack = [t]
    while stack:
        match stack.pop():
            case ir.ModelRef(name) | ir.AliasRef(name) | ir.EnumRef(name) if name not in seen and name in named:
                seen.add(name)
                node = named[name]
                if isinstance(node, ir.Model):
                    stack.extend(f.type for f in node.fields if not f.read_only)
                elif isinstance(node, ir.Alias):
                    stack.append(node.type)
            case ir.ListOf(item):
                stack.append(item)
            case ir.MapOf(value):
                stack.append(value)
            case ir.Union(variants):
                stack.extend(variants)


def request_types(api: ir.Api) -> set[str]:
    """Names of the named types a request can contain. A flattened body contributes its fields (its
    own schema is only reachable when something else refers to it)."""
    named = {t.name: t for t in api.named_types()}
    seen: set[str] = set()
    for res in api.resources:
        for op in res.operations:
            for p in op.parameters:
                _walk(p.type, named, seen)
            body = op.body
            if body is None:
                continue
            if body.flattened:
                for f in body.fields:
                    _walk(f.type, named, seen)
            else:
                _walk(body.type, named, seen)
    return seen


def _has_model(t: ir.TypeRef, named: dict[str, ir.NamedType], memo: dict[str, bool]) -> bool:
    match t:
        case ir.ModelRef():
            return True
        case ir.AliasRef(name):
            if name not in memo:
                memo[name] = False  # recursion guard
                node = named.get(name)
                memo[name] = isinstance(node, ir.Alias) and _has_model(node.type, named, memo)
            return memo[name]
        case ir.ListOf(item):
            return _has_model(item, named, memo)
        case ir.MapOf(value):
            return _has_model(value, named, memo)
        case ir.Union(variants):
            return any(_has_model(v, named, memo) for v in variants)
    return False


def twin_names(api: ir.Api) -> dict[str, str]:
    """Named type -> the name of its `TypedDict` twin (`FooParam`). A twin name never equals a
    named type's name: on a clash the suffix grows (`FooParamDict`, then `FooParam2`, ...)."""
    named = {t.name: t for t in api.named_types()}
    memo: dict[str, bool] = {}
    wanted = sorted(
        name for name in request_types(api)
        if isinstance(named[name], ir.Model)
        or (isinstance(named[name], ir.Alias) and _has_model(ir.AliasRef(name), named, memo))
    )
    taken = set(named)
    out: dict[str, str] = {}
    for name in wanted:
        candidates = [f"{name}Param", f"{name}ParamDict"]
        candidates += [f"{name}Param{i}" for i in range(2, len(named) + 3)]
        twin = next(c for c in candidates if c not in taken)
        taken.add(twin)
        out[name] = twin
    return out
