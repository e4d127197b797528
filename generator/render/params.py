"""Render plan for the params package: the `TypedDict` twin of every request-side model (and the
twin alias of every request-side alias that contains one), in a module named like the model's.

Keys are wire names. Everything a twin module evaluates at import time is a string: TypedDict
bodies are annotations (`from __future__ import annotations`), functional TypedDicts and aliases
are quoted, and imports of models and other twins sit under `TYPE_CHECKING`. So the params
package costs nothing at run time and its modules can refer to each other in any order.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from generator import ir
from generator.render.text import docstring
from generator.render.types import Imports, TypeRenderer, isort_key

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


@dataclass(frozen=True)
class KeyView:
    """One key of a TypedDict twin."""

    wire_name: str
    annotation: str  # `Required[...]` for required keys (the TypedDict is `total=False`)
    docstring: str


@dataclass(frozen=True)
class TwinView:
    """A `TypedDict` twin (class or functional syntax) or a twin alias."""

    kind: str  # "class" | "functional" | "alias"
    name: str
    model: str  # the named type it mirrors
    docstring: str
    keys: tuple[KeyView, ...] = ()
    value: str = ""  # functional: the `{key: "annotation"}` source; alias: the quoted right-hand side


@dataclass(frozen=True)
class ParamsModuleView:
    name: str
    import_lines: tuple[str, ...]  # run-time imports (typing only)
    type_checking_lines: tuple[str, ...]  # imports under `if TYPE_CHECKING:`
    items: tuple[TwinView, ...]
    names: tuple[str, ...]


def _class_syntax_ok(keys: list[KeyView]) -> bool:
    """Class syntax needs every key to be an identifier that is no keyword, is not mangled
    (`__x`), and does not shadow a name the annotations of the class use."""
    used = {name for k in keys for name in _IDENT.findall(_STRING.sub("", k.annotation))}
    return all(k.wire_name.isidentifier() and not keyword.iskeyword(k.wire_name)
               and not k.wire_name.startswith("__") and k.wire_name not in used for k in keys)


def _quoted(name: str, annotation: str) -> str:
    """The alias value as a string. Too long for one line, it is split at spaces into implicitly
    concatenated pieces in parentheses (black and ruff format both keep that shape)."""
    if len(f"{name}: TypeAlias = {annotation!r}") <= 88:
        return repr(annotation)
    chunks: list[str] = []
    for i, word in enumerate(annotation.split(" ")):
        piece = word if i == 0 else f" {word}"
        if chunks and len(repr(chunks[-1] + piece)) + 4 <= 88:
            chunks[-1] += piece
        else:
            chunks.append(piece)
    return "(\n" + "".join(f"    {c!r}\n" for c in chunks) + ")"


def _twin(t: ir.NamedType, tr: TypeRenderer, imp: Imports) -> TwinView:
    name = tr.twins[t.name]
    text = ("Deprecated. " + t.description).strip() if t.deprecated else t.description
    if isinstance(t, ir.Alias):
        imp.typing.add("TypeAlias")
        return TwinView("alias", name, t.name, docstring(text, 0), value=_quoted(name, tr.param(t.type, imp)))
    assert isinstance(t, ir.Model)
    keys = []
    for f in t.fields:
        if f.read_only:  # answered by the server, never sent
            continue
        ann = tr.param(f.type, imp)
        if f.required:
            imp.typing_extensions.add("Required")
            ann = f"Required[{ann}]"
        doc = ("Deprecated. " + f.description).strip() if f.deprecated else f.description
        keys.append(KeyView(f.wire_name, ann, docstring(doc)))
    imp.typing_extensions.add("TypedDict")
    doc = docstring(text or t.title or f"Request data for `{t.name}`, as a plain dict.")
    if _class_syntax_ok(keys):
        return TwinView("class", name, t.name, doc, tuple(keys))
    value = "{" + ", ".join(f"{k.wire_name!r}: {k.annotation!r}" for k in keys) + "}"
    return TwinView("functional", name, t.name, docstring(text or t.title, 0), tuple(keys), value)


def plan_params(api: ir.Api, tr: TypeRenderer) -> list[ParamsModuleView]:
    by_module: dict[str, list[ir.NamedType]] = {}
    for t in api.named_types():
        if t.name in tr.twins:
            by_module.setdefault(t.module, []).append(t)
    views = []
    for module in sorted(by_module):
        imp = Imports(params_module=module)
        items = sorted((_twin(t, tr, imp) for t in by_module[module]), key=lambda v: v.name)
        typing_only = Imports(runtime=imp.runtime, models=imp.models, params=imp.params)
        runtime = Imports(typing=imp.typing | {"TYPE_CHECKING"} if typing_only.runtime or typing_only.models
                          or typing_only.params else imp.typing, abc=imp.abc, datetime=imp.datetime,
                          typing_extensions=imp.typing_extensions)
        views.append(ParamsModuleView(
            name=module,
            import_lines=runtime.lines(),
            type_checking_lines=typing_only.lines(models_prefix="..models.", params_prefix="."),
            items=tuple(items),
            names=tuple(sorted((v.name for v in items), key=isort_key)),
        ))
    return views
