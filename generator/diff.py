"""`sdkforge diff OLD NEW`: what a spec change does to the generated Python surface.

Both specs go through load/resolve/normalize; the two IRs are compared by their Python names
(resources, methods, keyword arguments, models, fields, enum values). Each change is classed
breaking or not, and the suggested semantic-version bump follows: major for any breaking change,
minor for additions, patch otherwise.
"""

from __future__ import annotations

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


def _type_change(old: str, new: str) -> tuple[bool, str] | None:
    """None when equal; else (breaking, description). Losing union members narrows (breaking)."""
    if old == new:
        return None
    a, b = set(split_top(old)), set(split_top(new))
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
        a, b = _arguments(old_ops[key]), _arguments(new_ops[key])
        for name in sorted(a.keys() - b.keys()):
            out.append(Change(True, "argument removed", f"{where}({name}=)"))
        for name in sorted(b.keys() - a.keys()):
            required = b[name][1]
            out.append(Change(required, "required argument added" if required else "optional argument added",
                              f"{where}({name}=)"))
        for name in sorted(a.keys() & b.keys()):
            if not a[name][1] and b[name][1]:
                out.append(Change(True, "argument became required", f"{where}({name}=)"))
            elif a[name][1] and not b[name][1]:
                out.append(Change(False, "argument became optional", f"{where}({name}=)"))
            tc = _type_change(ot.text(a[name][0]), nt.text(b[name][0]))
            if tc is not None:
                # For arguments, accepting more is compatible; accepting less breaks callers.
                out.append(Change(tc[0], "argument type " + ("narrowed" if tc[0] else "widened"),
                                  f"{where}({name}=)", tc[1]))
        ra, rb = old_ops[key].response, new_ops[key].response
        if ra is not None and rb is not None and ra.type is not None and rb.type is not None:
            tc = _type_change(ot.text(ra.type), nt.text(rb.type))
            if tc is not None:
                out.append(Change(True, "return type changed", f"{where}()", tc[1]))
    out += _models(old, new, ot, nt)
    return Report(tuple(sorted(set(out))))


def _models(old: ir.Api, new: ir.Api, ot: _Types, nt: _Types) -> list[Change]:
    out: list[Change] = []
    om, nm = {m.name: m for m in old.models}, {m.name: m for m in new.models}
    for name in sorted(om.keys() - nm.keys()):
        out.append(Change(True, "model removed", f"models.{name}"))
    for name in sorted(nm.keys() - om.keys()):
        out.append(Change(False, "model added", f"models.{name}"))
    for name in sorted(om.keys() & nm.keys()):
        fa = {f.name: f for f in om[name].fields}
        fb = {f.name: f for f in nm[name].fields}
        for f in sorted(fa.keys() - fb.keys()):
            out.append(Change(True, "field removed", f"models.{name}.{f}"))
        for f in sorted(fb.keys() - fa.keys()):
            out.append(Change(fb[f].required, "required field added" if fb[f].required else "field added",
                              f"models.{name}.{f}"))
        for f in sorted(fa.keys() & fb.keys()):
            if fa[f].required != fb[f].required:
                out.append(Change(True, "field became " + ("required" if fb[f].required else "optional"),
                                  f"models.{name}.{f}"))
            tc = _type_change(ot.text(fa[f].type), nt.text(fb[f].type))
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
