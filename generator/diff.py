"""`sdkforge diff OLD NEW`: what a spec change does to the generated Python surface.

Both specs go through load/resolve/normalize; the two IRs are compared by their Python names
(resources, methods, keyword arguments, models, fields, enum values). Each change is classed
breaking or not, and the suggested semantic-version bump follows: major for any breaking change,
minor for additions, patch otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator import ir
from generator.config import Config
from generator.diagnostics import Collector
from generator.render.types import Imports, TypeRenderer, split_top


@dataclass(frozen=True, order=True)
class Change:
    breaking: bool
    kind: str  # e.g. "operation removed"
    where: str  # e.g. "client.chat.create_chat_completion(model=)"
    detail: str = ""

    def line(self) -> str:
        tag = "BREAKING" if self.breaking else "added" if "added" in self.kind else "changed"
        return f"[{tag}] {self.kind}: {self.where}" + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True)
class Report:
    changes: tuple[Change, ...]

    @property
    def bump(self) -> str:
        if any(c.breaking for c in self.changes):
            return "major"
        if any("added" in c.kind for c in self.changes):
            return "minor"
        return "patch" if self.changes else "none"

    def markdown(self, old: str, new: str) -> str:
        breaking = sorted(c for c in self.changes if c.breaking)
        other = sorted(c for c in self.changes if not c.breaking)
        lines = [f"# SDK changes: {old} → {new}", "", f"Suggested version bump: **{self.bump}**", ""]
        for title, items in (("Breaking changes", breaking), ("Other changes", other)):
            lines += [f"## {title} ({len(items)})", ""]
            lines += [f"- {c.kind}: `{c.where}`" + (f" — {c.detail}" if c.detail else "") for c in items] or ["None."]
            lines.append("")
        return "\n".join(lines)


def load_api(spec: Path, overlays: tuple[Path, ...] = ()) -> tuple[ir.Api | None, Collector]:
    from generator import load
    from generator.normalize import normalize
    from generator.resolve import Document

    diags = Collector()
    loaded = load.load(spec, diags, overlays)
    if loaded is None:
        return None, diags
    data = loaded.data
    if loaded.version == "2.0":
        from generator.swagger2 import convert

        data = convert(data, diags)
    config = Config(spec=spec, output=Path("."), package_name="sdk").with_defaults()
    api = normalize(Document(spec, data, diags), config)
    return (None if diags.has_errors else api), diags


class _Types:
    def __init__(self, api: ir.Api) -> None:
        self.tr = TypeRenderer(api)

    def text(self, t: ir.TypeRef) -> str:
        return self.tr.output(t, Imports(module="\0"))


def type_change(old: str, new: str, split: Callable[[str], list[str]] = split_top) -> tuple[bool, str] | None:
    """None when equal; else (breaking, description). Losing union members narrows (breaking); `split` cuts a
    type's text into its union members (the language's own syntax)."""
    if old == new:
        return None
    a, b = set(split(old)), set(split(new))
    if a < b:
        return False, f"widened from {old} to {new}"
    if b < a:
        return True, f"narrowed from {old} to {new}"
    return True, f"changed from {old} to {new}"


def _arguments(op: ir.Operation) -> dict[str, tuple[ir.TypeRef, bool]]:
    args = {p.name: (p.type, p.required) for p in op.parameters}
    if op.body is not None:
        if op.body.flattened:
            args.update({f.name: (f.type, f.required) for f in op.body.fields})
        else:
            args[op.body.param_name] = (op.body.type, op.body.required)
    return args


def _argument_wires(op: ir.Operation) -> dict[str, str]:
    """Python argument name -> where it goes on the wire (`query:after`, `body:b64_json`)."""
    wires = {p.name: f"{p.location}:{p.wire_name}" for p in op.parameters}
    if op.body is not None and op.body.flattened:
        wires.update({f.name: f"body:{f.wire_name}" for f in op.body.fields})
    return wires


def _match(old: dict[str, str], new: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Pair old and new Python names by what they stand for (`old`/`new`: name -> wire name or spec
    pointer). Returns (old name -> new name for every pair, the pairs whose Python name changed)."""
    by_wire: dict[str, str] = {}
    for n in sorted(new):
        if new[n] == old.get(n):
            by_wire[new[n]] = n  # the same name for the same thing wins
        else:
            by_wire.setdefault(new[n], n)
    pairs = {n: by_wire[w] for n, w in sorted(old.items()) if w in by_wire}
    return pairs, {n: m for n, m in pairs.items() if n != m}


def compare(old: ir.Api, new: ir.Api) -> Report:
    out: list[Change] = []
    ot, nt = _Types(old), _Types(new)
    old_ops = {(r.attr_path, o.name): o for r in old.resources for o in r.operations}
    new_ops = {(r.attr_path, o.name): o for r in new.resources for o in r.operations}
    new_by_route = {(o.method, o.path): k for k, o in new_ops.items()}
    for key in sorted(old_ops.keys() - new_ops.keys()):
        op = old_ops[key]
        moved = new_by_route.get((op.method, op.path))
        where = f"client.{key[0]}.{key[1]}()"
        if moved is not None and moved not in old_ops:
            out.append(Change(True, "operation renamed", where, f"now client.{moved[0]}.{moved[1]}()"))
        else:
            out.append(Change(True, "operation removed", where, f"{op.method.upper()} {op.path}"))
    for key in sorted(new_ops.keys() - old_ops.keys()):
        op = new_ops[key]
        renamed = any((o.method, o.path) == (op.method, op.path) for o in old_ops.values())
        if not renamed:
            out.append(Change(False, "operation added", f"client.{key[0]}.{key[1]}()",
                              f"{op.method.upper()} {op.path}"))
    for key in sorted(old_ops.keys() & new_ops.keys()):
        where = f"client.{key[0]}.{key[1]}"
        a, b_new = _arguments(old_ops[key]), _arguments(new_ops[key])
        pairs, arg_renames = _match(_argument_wires(old_ops[key]), _argument_wires(new_ops[key]))
        pairs.update({n: n for n in a.keys() & b_new.keys() if n not in pairs and n not in pairs.values()})
        for name, now in arg_renames.items():
            out.append(Change(True, "argument renamed", f"{where}({name}=)", f"now {now}="))
        b = {old: b_new[new] for old, new in pairs.items()}  # keyed by the old name they continue
        for name in sorted(a.keys() - pairs.keys()):
            out.append(Change(True, "argument removed", f"{where}({name}=)"))
        for name in sorted(n for n in b_new if n not in pairs.values()):
            required = b_new[name][1]
            out.append(Change(required, "required argument added" if required else "optional argument added",
                              f"{where}({name}=)"))
        for name in sorted(pairs):
            if not a[name][1] and b[name][1]:
                out.append(Change(True, "argument became required", f"{where}({name}=)"))
            elif a[name][1] and not b[name][1]:
                out.append(Change(False, "argument became optional", f"{where}({name}=)"))
            tc = type_change(ot.text(a[name][0]), nt.text(b[name][0]))
            if tc is not None:
                # For arguments, accepting more is compatible; accepting less breaks callers.
                out.append(Change(tc[0], "argument type " + ("narrowed" if tc[0] else "widened"),
                                  f"{where}({name}=)", tc[1]))
        ra, rb = old_ops[key].response, new_ops[key].response
        if ra is not None and rb is not None and ra.type is not None and rb.type is not None:
            tc = type_change(ot.text(ra.type), nt.text(rb.type))
            if tc is not None:
                out.append(Change(True, "return type changed", f"{where}()", tc[1]))
    out += _models(old, new, ot, nt)
    return Report(tuple(sorted(set(out))))


def _models(old: ir.Api, new: ir.Api, ot: _Types, nt: _Types) -> list[Change]:
    out: list[Change] = []
    om, nm = {m.name: m for m in old.models}, {m.name: m for m in new.models}
    # A model at the same place in the spec under another Python name is renamed, not removed.
    model_pairs, model_renames = _match({n: m.origin for n, m in om.items()}, {n: m.origin for n, m in nm.items()})
    model_pairs.update({n: n for n in om.keys() & nm.keys() if n not in model_pairs
                        and n not in model_pairs.values()})
    for name, now in model_renames.items():
        out.append(Change(True, "model renamed", f"models.{name}", f"now models.{now}"))
    for name in sorted(om.keys() - model_pairs.keys()):
        out.append(Change(True, "model removed", f"models.{name}"))
    for name in sorted(nm.keys() - set(model_pairs.values())):
        out.append(Change(False, "model added", f"models.{name}"))
    for name, new_name in sorted(model_pairs.items()):
        fa = {f.name: f for f in om[name].fields}
        fb_new = {f.name: f for f in nm[new_name].fields}
        pairs, renamed = _match({f: x.wire_name for f, x in fa.items()}, {f: x.wire_name for f, x in fb_new.items()})
        for f, now in renamed.items():
            out.append(Change(True, "field renamed", f"models.{name}.{f}", f"now .{now}"))
        fb = {old: fb_new[new] for old, new in pairs.items()}  # keyed by the old name they continue
        for f in sorted(fa.keys() - pairs.keys()):
            out.append(Change(True, "field removed", f"models.{name}.{f}"))
        for f in sorted(n for n in fb_new if n not in pairs.values()):
            out.append(Change(fb_new[f].required, "required field added" if fb_new[f].required else "field added",
                              f"models.{name}.{f}"))
        for f in sorted(pairs):
            if fa[f].required != fb[f].required:
                out.append(Change(True, "field became " + ("required" if fb[f].required else "optional"),
                                  f"models.{name}.{f}"))
            tc = type_change(ot.text(fa[f].type), nt.text(fb[f].type))
            if tc is not None:
                out.append(Change(True, "field type changed", f"models.{name}.{f}", tc[1]))
    oe, ne = {e.name: e for e in old.enums}, {e.name: e for e in new.enums}
    for name in sorted(oe.keys() - ne.keys()):
        out.append(Change(True, "enum removed", f"models.{name}"))
    for name in sorted(ne.keys() - oe.keys()):
        out.append(Change(False, "enum added", f"models.{name}"))
    for name in sorted(oe.keys() & ne.keys()):
        va = {str(m.value) for m in oe[name].members}
        vb = {str(m.value) for m in ne[name].members}
        for v in sorted(va - vb):
            out.append(Change(True, "enum value removed", f"models.{name}", repr(v)))
        for v in sorted(vb - va):
            out.append(Change(False, "enum value added", f"models.{name}", repr(v)))
    return out
