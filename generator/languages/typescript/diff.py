"""`sdkforge diff --language typescript`: what a spec change does to the TypeScript surface.

The same classes of change as the Python diff (`generator.diff`), named as a TypeScript user reads
them: `client.chat.createChatCompletion({ model })`, `models.Tool.name`, wire names for fields and
params. Both IRs are lowered by the TypeScript planner and compared by those names.
"""

from __future__ import annotations

from generator import ir
from generator.diff import Change, Report, type_change
from generator.languages.typescript.operations import params_props
from generator.languages.typescript.plan import Planner


def split_union(text: str) -> list[str]:
    """Top-level members of a TypeScript union (`A | Array<B | C>` -> [`A`, `Array<B | C>`])."""
    parts, depth, current = [], 0, ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "<({[":
            depth += 1
        elif ch in ">)}]":
            depth -= 1
        if depth == 0 and text.startswith(" | ", i):
            parts.append(current)
            current, i = "", i + 3
            continue
        current += ch
        i += 1
    return [*parts, current]


def _surface(api: ir.Api) -> tuple[dict[tuple[str, str], tuple[ir.Operation, dict[str, tuple[str, bool]], str]],
                                   dict[str, tuple[str, dict[str, tuple[str, bool]], str]]]:
    planner = Planner(api, api.package.client_name)
    ops = {}
    for res in planner.resources():
        for op, method in zip(res.resource.operations, res.methods, strict=True):
            params = {p.wire: (p.type, p.optional) for p in params_props(planner.refs, op)}
            ops[(".".join(res.path), method.name)] = (op, params, method.returns)
    types = {d.name: (d.kind, {p.wire: (p.type, p.optional) for p in d.props}, d.type)
             for d in planner.model_decls()}
    return ops, types


def compare(old: ir.Api, new: ir.Api) -> Report:
    out: list[Change] = []
    old_ops, old_types = _surface(old)
    new_ops, new_types = _surface(new)
    new_by_route = {(o.method, o.path): k for k, (o, _, _) in new_ops.items()}
    old_routes = {(o.method, o.path) for o, _, _ in old_ops.values()}
    for key in sorted(old_ops.keys() - new_ops.keys()):
        op = old_ops[key][0]
        moved = new_by_route.get((op.method, op.path))
        where = f"client.{key[0]}.{key[1]}()"
        if moved is not None and moved not in old_ops:
            out.append(Change(True, "operation renamed", where, f"now client.{moved[0]}.{moved[1]}()"))
        else:
            out.append(Change(True, "operation removed", where, f"{op.method.upper()} {op.path}"))
    for key in sorted(new_ops.keys() - old_ops.keys()):
        op = new_ops[key][0]
        if (op.method, op.path) not in old_routes:
            out.append(Change(False, "operation added", f"client.{key[0]}.{key[1]}()",
                              f"{op.method.upper()} {op.path}"))
    for key in sorted(old_ops.keys() & new_ops.keys()):
        where = f"client.{key[0]}.{key[1]}"
        (_, a, ra), (_, b, rb) = old_ops[key], new_ops[key]
        for name in sorted(a.keys() - b.keys()):
            out.append(Change(True, "param removed", f"{where}({{ {name} }})"))
        for name in sorted(b.keys() - a.keys()):
            required = not b[name][1]
            out.append(Change(required, "required param added" if required else "optional param added",
                              f"{where}({{ {name} }})"))
        for name in sorted(a.keys() & b.keys()):
            if a[name][1] and not b[name][1]:
                out.append(Change(True, "param became required", f"{where}({{ {name} }})"))
            elif not a[name][1] and b[name][1]:
                out.append(Change(False, "param became optional", f"{where}({{ {name} }})"))
            tc = type_change(a[name][0], b[name][0], split_union)
            if tc is not None:
                out.append(Change(tc[0], "param type " + ("narrowed" if tc[0] else "widened"),
                                  f"{where}({{ {name} }})", tc[1]))
        tc = type_change(ra, rb, split_union)
        if tc is not None:
            out.append(Change(True, "return type changed", f"{where}()", tc[1]))
    out += _types(old_types, new_types)
    return Report(tuple(sorted(set(out))))


def _types(old: dict[str, tuple[str, dict[str, tuple[str, bool]], str]],
           new: dict[str, tuple[str, dict[str, tuple[str, bool]], str]]) -> list[Change]:
    out: list[Change] = []
    for name in sorted(old.keys() - new.keys()):
        out.append(Change(True, "type removed", f"models.{name}"))
    for name in sorted(new.keys() - old.keys()):
        out.append(Change(False, "type added", f"models.{name}"))
    for name in sorted(old.keys() & new.keys()):
        (ka, fa, ta), (kb, fb, tb) = old[name], new[name]
        if ka != kb or ka == "alias":
            tc = type_change(ta or "object", tb or "object", split_union)
            if tc is not None:
                out.append(Change(tc[0], "type " + ("narrowed" if tc[0] else "widened"), f"models.{name}", tc[1]))
            continue
        for f in sorted(fa.keys() - fb.keys()):
            out.append(Change(True, "field removed", f"models.{name}.{f}"))
        for f in sorted(fb.keys() - fa.keys()):
            out.append(Change(not fb[f][1], "required field added" if not fb[f][1] else "field added",
                              f"models.{name}.{f}"))
        for f in sorted(fa.keys() & fb.keys()):
            if fa[f][1] != fb[f][1]:
                out.append(Change(True, "field became " + ("optional" if fb[f][1] else "required"),
                                  f"models.{name}.{f}"))
            tc = type_change(fa[f][0], fb[f][0], split_union)
            if tc is not None:
                out.append(Change(True, "field type changed", f"models.{name}.{f}", tc[1]))
    return out
