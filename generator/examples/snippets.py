"""Python source for example values, and runnable snippets that call operations.

Snippets are formatted like black (`ruff format`, line length 88). Calls pass nested objects as
dicts keyed by wire names and lists (the generated `X | XParam` arguments take the model's
TypedDict twin, so these dicts are type-checked: only declared keys); `python_value`
renders models as constructor calls and dates as `datetime` objects for the type pages.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator import ir
from generator.examples.values import MISSING, Examples, parse_datetime


def py_literal(value: Any) -> str:
    """JSON data as Python source (dict key order kept: the example builder already ordered it)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(str(k))}: {py_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return f'float("{value}")'
    return repr(value)


@dataclass
class PyImports:
    """What a snippet imports: plain `import x` modules and `from module import name` names."""

    names: dict[str, set[str]] = field(default_factory=dict)
    modules: set[str] = field(default_factory=set)

    def add(self, module: str, name: str) -> str:
        self.names.setdefault(module, set()).add(name)
        return name

    def lines(self, first_party: str) -> list[str]:
        """isort's layout: standard library and third party, then the SDK's own package."""
        def key(module: str) -> tuple[bool, str]:
            return module.split(".")[0] == first_party, module

        out: list[str] = []
        group: bool | None = None
        for module in sorted(self.modules | set(self.names), key=key):
            own = key(module)[0]
            if group is not None and own != group:
                out.append("")
            group = own
            if module in self.modules:
                out.append(f"import {module}")
            if module in self.names:
                names = sorted(self.names[module], key=_member_key)
                out.append(f"from {module} import {', '.join(names)}")
        return out


def _member_key(name: str) -> tuple[bool, bool, tuple[tuple[int, str], ...], str]:
    """isort's (and ruff's) order of imported names: CONSTANTS, Classes, functions; then case-insensitive
    natural order (`Model2` before `Model10`, `StatusesX` before `StatusResponse`)."""
    natural = tuple((int(part), "") if part.isdigit() else (-1, part)
                    for part in re.split(r"(\d+)", name.lower()) if part)
    return not name.isupper(), not name[:1].isupper(), natural, name


class PyRenderer:
    """Typed Python source for example values: binary as bytes everywhere; with `construct`, models
    as constructor calls and dates as `datetime` objects (what `mypy --strict` wants outside of
    the `Model | ModelParam` arguments of the generated methods)."""

    def __init__(self, ex: Examples, package: str, imports: PyImports, construct: bool) -> None:
        self.ex, self.package, self.imports, self.construct = ex, package, imports, construct

    def render(self, value: Any, t: ir.TypeRef) -> str:
        match t:
            case ir.Scalar("binary"):
                return repr(str(value).encode())
            case ir.Scalar("datetime") if self.construct and isinstance(value, str):
                self.imports.add("datetime", "datetime")
                return f"datetime.fromisoformat({parse_datetime(value).isoformat()!r})"
            case ir.Scalar("date") if self.construct and isinstance(value, str):
                self.imports.add("datetime", "date")
                return f"date.fromisoformat({value!r})"
            case ir.ListOf(item) if isinstance(value, list):
                return "[" + ", ".join(self.render(v, item) for v in value) + "]"
            case ir.MapOf(inner) if isinstance(value, dict):
                return "{" + ", ".join(f"{k!r}: {self.render(v, inner)}" for k, v in value.items()) + "}"
            case ir.ModelRef(name) if isinstance(value, dict):
                model = self.ex.named[name]
                assert isinstance(model, ir.Model)
                return self._model(value, model)
            case ir.AliasRef(name):
                alias = self.ex.named[name]
                assert isinstance(alias, ir.Alias)
                return self.render(value, alias.type)
            case ir.Union(variants):
                index = self.ex.variant(value, t)
                return self.render(value, variants[index]) if index >= 0 else py_literal(value)
        return py_literal(value)

    def _model(self, value: dict[str, Any], model: ir.Model) -> str:
        by_wire = {f.wire_name: f for f in model.fields}
        if not self.construct:
            # A request dict is typed by the model's TypedDict twin: declared, writable keys only.
            parts = [f"{k!r}: {self.render(v, by_wire[k].type)}" for k, v in value.items()
                     if k in by_wire and not by_wire[k].read_only]
            return "{" + ", ".join(parts) + "}"
        cls = self.imports.add(f"{self.package}.models", model.name)
        kwargs = []
        for key, v in value.items():
            f = by_wire.get(key)
            # Type checkers take the pydantic alias (the wire name) as the keyword argument.
            arg = f.wire_name if f is not None and f.wire_name != f.name else (f.name if f else key)
            if f is None or not arg.isidentifier() or keyword.iskeyword(arg):
                return f"{cls}.model_validate({py_literal(value)})"
            kwargs.append(f"{arg}={self.render(v, f.type)}")
        return f"{cls}({', '.join(kwargs)})"


def python_value(value: Any, t: ir.TypeRef, api: ir.Api, package: str, imports: PyImports) -> str:
    """`value` as a typed Python expression (models constructed), recording its imports."""
    return PyRenderer(Examples(api), package, imports, construct=True).render(value, t)


# ---------------------------------------------------------------------------- operation snippets


@dataclass(frozen=True)
class Argument:
    name: str
    value: Any
    type: ir.TypeRef
    positional: bool
    from_example: bool  # the value is the spec's own example (not synthesized)


def call_arguments(op: ir.Operation, ex: Examples) -> list[Argument]:
    """The arguments of an example call: path parameters (positional), then required keyword
    arguments, then optional ones that have a spec example, in signature order."""
    out: list[Argument] = []
    optional: list[Argument] = []
    for p in op.parameters:
        has = p.example is not None and ex.fit(p.example.json, p.type) is not MISSING
        if p.location == "path" or p.required:
            out.append(Argument(p.name, ex.for_field(p), p.type, p.location == "path", has))
        elif has and not (op.pagination is not None and p.wire_name == op.pagination.cursor_param):
            optional.append(Argument(p.name, ex.for_field(p), p.type, False, True))
    out = [a for a in out if a.positional] + [a for a in out if not a.positional]
    body = op.body
    if body is not None:
        sample = ex.fit(body.example.json, body.type) if body.example is not None else MISSING
        if body.flattened:
            by_wire = sample if isinstance(sample, dict) else {}
            for f in body.fields:
                if ex.skipped(f) or (op.stream is not None and f.name == op.stream.flag):
                    continue
                if f.wire_name in by_wire:
                    arg = Argument(f.name, by_wire[f.wire_name], f.type, False, True)
                elif f.required:
                    arg = Argument(f.name, ex.for_field(f), f.type, False, False)
                elif not by_wire and f.example is not None and ex.fit(f.example.json, f.type) is not MISSING:
                    arg = Argument(f.name, ex.for_field(f), f.type, False, True)
                else:
                    continue
                (out if f.required else optional).append(arg)
            model = ex.named.get(body.type.name) if isinstance(body.type, ir.ModelRef) else None
            if isinstance(model, ir.Model):  # `anyOf: [{required: [a]}, {required: [b]}]`: send one group
                chosen = {f.wire_name for f in body.fields if any(a.name == f.name for a in out + optional)}
                for f in ex.missing_group(model, chosen):
                    if not ex.skipped(f):
                        out.append(Argument(f.name, ex.for_field(f), f.type, False, False))
        elif body.required or sample is not MISSING:
            value = sample if sample is not MISSING else ex.value(body.type)
            t: ir.TypeRef = body.type
            if body.kind == "binary":
                value, t = str(value if isinstance(value, str) else "file content"), ir.Scalar("binary")
            (out if body.required else optional).append(
                Argument(body.param_name, value, t, False, sample is not MISSING))
    return out + optional


def resource_of(op: ir.Operation, api: ir.Api) -> ir.Resource:
    for res in api.resources:
        if any(o is op or o.operation_id == op.operation_id for o in res.operations):
            return res
    raise KeyError(f"operation {op.operation_id!r} belongs to no resource")


def client_arguments(op: ir.Operation, api: ir.Api) -> list[tuple[str, str]]:
    """(constructor argument, environment variable) for the credentials of the operation's first
    security alternative; mirrors the constructor built by `generator.render.plan_client`."""
    wanted = set(op.security[0]) if op.security else set()
    out: list[tuple[str, str]] = []
    for s in api.security_schemes:
        if s.name not in wanted:
            continue
        if s.kind == "basic":
            prefix = f"{s.param}_" if s.param else ""
            env = s.env_var if s.param else api.package.env_prefix
            out += [(f"{prefix}username", f"{env}_USERNAME"), (f"{prefix}password", f"{env}_PASSWORD")]
        else:
            out.append((s.param, s.env_var))
    return out


def _item_attribute(op: ir.Operation, ex: Examples) -> str:
    """`.id` when the paginated items are models with an `id` field, to print something short."""
    assert op.pagination is not None
    item = op.pagination.item
    if isinstance(item, ir.ModelRef):
        model = ex.named[item.name]
        if isinstance(model, ir.Model):
            for f in model.fields:
                if f.wire_name == "id" and f.required:
                    return f".{f.name}"
    return ""


@dataclass(frozen=True)
class CallParts:
    """The pieces of a snippet that calls an operation, for callers that arrange them differently."""

    imports: PyImports
    client: str  # e.g. `Client(api_key=os.environ["OPENAI_API_KEY"])`
    call: str  # e.g. `client.chat.create_chat_completion(model="gpt-4o", ...)`
    item_attribute: str  # for paginated calls: `.id` or ""


def call_parts(op: ir.Operation, api: ir.Api, package: str, client_var: str = "client", *,
               stream: bool = False, client_class: str = "") -> CallParts:
    ex = Examples(api)
    imports = PyImports()
    renderer = PyRenderer(ex, package, imports, construct=False)
    creds = client_arguments(op, api)
    if creds:
        imports.modules.add("os")
    client_cls = imports.add(package, client_class or api.package.client_name)
    args = []
    for a in call_arguments(op, ex):
        src = renderer.render(a.value, a.type)
        args.append(src if a.positional else f"{a.name}={src}")
    streaming = op.stream is not None and (stream or op.stream.flag is None)
    if streaming and op.stream is not None and op.stream.flag is not None:
        args.append(f"{op.stream.flag}=True")
    comma = "," if len(args) > 1 else ""
    call = f"{client_var}.{resource_of(op, api).attr_path}.{op.name}({', '.join(args)}{comma})"
    ctor = ", ".join(f'{name}=os.environ["{env}"]' for name, env in creds)
    item = _item_attribute(op, ex) if op.pagination is not None else ""
    return CallParts(imports, f"{client_cls}({ctor})", call, item)


def python_call_source(op: ir.Operation, api: ir.Api, package: str, client_var: str = "client", *,
                       stream: bool = False) -> str:
    """The snippet before formatting (see `python_call_example`)."""
    parts = call_parts(op, api, package, client_var, stream=stream)
    call = parts.call
    streaming = op.stream is not None and (stream or op.stream.flag is None)
    if op.pagination is not None and not streaming:
        body = [f"for item in {call}:", f"    print(item{parts.item_attribute})"]
    elif streaming and ir.stream_or_binary(op):  # `Stream[...] | BinaryResponse`, chosen by content type
        parts.imports.add(package, "Stream")
        body = [f"res = {call}", "if isinstance(res, Stream):", "    for chunk in res:", "        print(chunk)",
                "else:", "    print(len(res.read()))"]
    elif streaming:
        body = [f"stream = {call}", "for chunk in stream:", "    print(chunk)"]
    elif op.response is None or op.response.kind == "none":
        body = [call]
    else:
        body = [f"res = {call}", "print(res)"]
    lines = [*parts.imports.lines(package), "", f"{client_var} = {parts.client}", "", *body]
    return "\n".join(lines) + "\n"


def format_python(sources: Sequence[str]) -> list[str]:
    """Format snippets like black (ruff format, line length 88) in one formatter process."""
    return start_format_python(sources)()


def start_format_python(sources: Sequence[str]) -> Callable[[], list[str]]:
    """`format_python` in the background: the formatter starts now; calling the result waits for it."""
    from generator.diagnostics import Collector
    from generator.format import FormatJob

    files = {f"snippet_{i:05d}.py": src for i, src in enumerate(sources)}
    job = FormatJob(files)

    def finish() -> list[str]:
        diags = Collector()
        out = job.finish(diags)
        if diags.has_errors:
            raise ValueError("example snippet does not parse: " + "; ".join(d.message for d in diags.sorted()))
        return [out[name] for name in files]

    return finish


def python_call_example(op: ir.Operation, api: ir.Api, package: str, client_var: str = "client", *,
                        stream: bool = False) -> str:
    """A runnable snippet calling `op` with example arguments (the streaming form with `stream`)."""
    return format_python([python_call_source(op, api, package, client_var, stream=stream)])[0]

