"""The import graph of generator/ has no cycles: data flows one way through the stages, so a later
stage is never imported by an earlier one. Built with `ast` from the sources; an import inside a
function counts as much as one at the top of a module (it is the same dependency, only later), and
so does one under `if TYPE_CHECKING:`."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = "generator"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((ROOT / PACKAGE).rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The generator modules `path` imports (`import a.b`, `from a import b`, `from .b import c`)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from package import module` depends on the module; `from module import name` on the module
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # `from generator.x import name`: the module is x
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_graph_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_imports_are_read_from_every_form(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("import generator.load\nfrom generator import write\nfrom . import ir\n"
                      "def f():\n    from generator.render.models import plan_models\n")
    known = {"generator", "generator.load", "generator.write", "generator.ir", "generator.render",
             "generator.render.models"}
    assert imports_of("generator.m", source, known) == {"generator.load", "generator.write", "generator.ir",
                                                       "generator.render.models"}


def test_no_import_cycles_in_the_generator() -> None:
    found = cycles(graph())
    assert not found, "import cycles in generator/ (a later stage imported by an earlier one):\n" + "\n".join(
        " <-> ".join(component) for component in found)


STAGES = ["load", "resolve", "normalize", "render", "format", "write", "pipeline", "cli"]


def stage_of(module: str) -> int | None:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else None


def test_no_stage_imports_a_later_one() -> None:
    late = sorted(f"{a} imports {b}" for a, targets in graph().items() for b in targets
                  if (sa := stage_of(a)) is not None and (sb := stage_of(b)) is not None and sb > sa)
    assert not late, "\n".join(late)
