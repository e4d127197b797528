"""Markdown docs: one page per resource (`docs/sdks/<name>/README.md`) and one per named type
(`docs/models/<name>.md`), in the layout of Speakeasy's generated docs, with runnable examples.

Everything is computed here into frozen views of finished strings (tables padded, Markdown
escaped, snippets formatted); the templates under `templates/docs/` only loop and print.

Template context (versioned with the template contract, generator.contract.CONTRACT_VERSION),
besides `api`, `header` and `doc_header` (the header, safe inside an HTML comment):
  docs/sdks/sdk.md.jinja       page: SdkPage
  docs/models/model.md.jinja   page: ModelPage
  docs/models/enum.md.jinja    page: EnumPage
  docs/models/alias.md.jinja   page: AliasPage
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from generator import ir
from generator.examples import MISSING, Examples, PyImports, PyRenderer, python_call_source, start_format_python
from generator.render import text
from generator.render.resources import PAGE_CLASSES, is_text_body
from generator.render.types import Imports, TypeRenderer

CHECK, MINUS = ":heavy_check_mark:", ":heavy_minus_sign:"
DEPRECATED = ":warning: **DEPRECATED**: This will be removed in a future release, please migrate away from it."
CALL_OPTIONS = (  # (argument, Markdown type, description) of the per-call options every method takes
    ("timeout", "*float \\| httpx.Timeout \\| None*", "Override the client's timeout for this call, in seconds."),
    ("max_retries", "*int*", "Override the client's number of retries for this call."),
)
_STATUS_ERRORS = {"400": "BadRequestError", "401": "AuthenticationError", "403": "PermissionDeniedError",
                  "404": "NotFoundError", "409": "ConflictError", "422": "UnprocessableEntityError",
                  "429": "RateLimitError"}


@dataclass(frozen=True)
class OperationView:
    name: str
    anchor: str
    summary: str  # one line for the operation list
    deprecated: bool
    description: str
    example: str  # formatted Python, ends with a newline
    stream_example: str  # "" unless the operation streams on a flag
    parameters: str  # Markdown table
    response: str
    stream_response: str
    errors: str  # Markdown table
    error_bodies: str  # sentence naming the parsed error body types, or ""
    deprecation_message: str = ""  # Markdown; "" for the generic notice


@dataclass(frozen=True)
class SdkPage:
    path: str
    title: str
    name: str
    description: str
    operations: tuple[OperationView, ...]


@dataclass(frozen=True)
class ModelPage:
    path: str
    name: str
    description: str
    deprecated: bool
    fields: str  # Markdown table, or "" for a model without fields
    additional: str  # type of additional properties, or ""
    request_dict: str = ""  # import path of the model's TypedDict twin, or "" (not used in requests)


@dataclass(frozen=True)
class EnumPage:
    path: str
    name: str
    description: str
    deprecated: bool
    values: str  # Markdown table
    example: str


@dataclass(frozen=True)
class Variant:
    heading: str
    example: str


@dataclass(frozen=True)
class AliasPage:
    path: str
    name: str
    description: str
    deprecated: bool
    type: str  # Markdown type (list/map/scalar aliases), "" for unions
    variants: tuple[Variant, ...]  # union aliases: one example per variant
    example: str  # non-union aliases


# ------------------------------------------------------------------------------------- helpers


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table with every column padded to the width of the widest cell of the table."""
    cells = [*headers, *(c for row in rows for c in row)]
    if any("\n" in c for c in cells) or any(len(row) != len(headers) for row in rows):
        raise ValueError("table cells must be single lines and rows as wide as the header")
    width = max(3, *(len(c) for c in cells))

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(width) for c in row) + " |"

    return "\n".join([line(headers), line(["-" * width] * len(headers)), *(line(r) for r in rows)])


def cell(description: str, deprecated: bool = False) -> str:
    out = text.md_inline(description) or "N/A"
    return f"{DEPRECATED}<br/>{out}" if deprecated else out


def example_cell(value: Any) -> str:
    if value is MISSING:
        return ""
    return text.md_inline(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def page_names(api: ir.Api) -> dict[str, str]:
    """Named type -> file stem (lower case; case-only collisions numbered by sorted name)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    named: list[ir.NamedType] = [*api.models, *api.enums, *api.aliases]
    for name in sorted(t.name for t in named):
        stem, n = name.lower(), 1
        while stem in taken:
            n += 1
            stem = f"{name.lower()}{n}"
        taken.add(stem)
        out[name] = stem
    return out


class TypeDoc:
    """IR types as Markdown: Python annotations (as in the generated models) with links."""

    def __init__(self, tr: TypeRenderer, pages: dict[str, str]) -> None:
        self.tr, self.pages = tr, pages

    def plain(self, t: ir.TypeRef, prefix: str) -> str:
        match t:
            case ir.ModelRef(name) | ir.EnumRef(name) | ir.AliasRef(name):
                return f"[models.{name}]({prefix}{self.pages[name]}.md)"
            case ir.ListOf(item):
                return f"list[{self.plain(item, prefix)}]"
            case ir.MapOf(value):
                return f"dict[str, {self.plain(value, prefix)}]"
            case ir.Const(value):
                return f"Literal[{json.dumps(value) if isinstance(value, str) else value!r}]"
            case ir.Union(variants):
                parts: list[str] = []
                for p in (self.plain(v, prefix) for v in variants):
                    if p not in parts:
                        parts.append(p)
                if "None" in parts:
                    parts.remove("None")
                    parts.append("None")
                return " | ".join(parts)
        return self.tr.output(t, Imports())

    def cell(self, t: ir.TypeRef, prefix: str) -> str:
        out = self.plain(t, prefix).replace("|", "\\|")
        return out if "](" in out else f"*{out}*"


def error_class(status: str) -> str:
    if status in _STATUS_ERRORS:
        return _STATUS_ERRORS[status]
    if status.upper() == "5XX" or (status.isdigit() and int(status) >= 500):
        return "InternalServerError"
    return "APIStatusError"


# ------------------------------------------------------------------------------------- views


class DocsPlanner:
    def __init__(self, api: ir.Api, tr: TypeRenderer) -> None:
        self.api, self.pkg = api, api.package.name
        self.prefix = "../../models/"  # set per page by sdk_page (nested resources sit deeper)
        self.pages = page_names(api)
        self.types = TypeDoc(tr, self.pages)
        self.twins = tr.twins
        self.ex = Examples(api)
        self.sources: list[str] = []  # snippets to format, referenced by index
        self._op_index: dict[str, tuple[int, int]] = {}  # operation id -> (example, streaming example)

    def snippet(self, source: str) -> int:
        self.sources.append(source)
        return len(self.sources) - 1

    # ---------------------------------------------------------------- resources
    def sdk_page(self, res: ir.Resource, code: list[str]) -> SdkPage:
        from generator.render.readme import docs_page

        path = docs_page(res, self.api)
        self.prefix = "../" * (path.count("/") - 1) + "models/"  # from docs/sdks/<...>/ to docs/models/
        ops = tuple(self.operation(op, code) for op in res.operations)
        desc = res.description if res.tag or res.name != "default" else (res.description or self.api.description)
        return SdkPage(path, text.md_inline(res.title), res.attr_path, text.md_block(desc or res.title), ops)

    def op_snippets(self, op: ir.Operation) -> tuple[int, int]:
        main = self.snippet(python_call_source(op, self.api, self.pkg))
        flag = op.stream is not None and op.stream.flag is not None
        return main, self.snippet(python_call_source(op, self.api, self.pkg, stream=True)) if flag else -1

    def operation(self, op: ir.Operation, code: list[str]) -> OperationView:
        main, streaming = self._op_index[op.operation_id]
        summary = text.md_inline(text.first_sentence(op.summary or op.description)) or op.name
        return OperationView(
            name=op.name, anchor=text.anchor(op.name),
            summary=summary + (" :warning: **Deprecated**" if op.deprecated else ""),
            deprecated=op.deprecated, deprecation_message=text.md_inline(op.deprecation_message),
            description=text.md_block(op.description or op.summary),
            example=code[main], stream_example=code[streaming] if streaming >= 0 else "",
            parameters=self.parameters(op), **self.response(op), **self.errors(op),
        )

    def parameters(self, op: ir.Operation) -> str:
        """The arguments in signature order: path (positional), required, optional, call options."""
        prefix = self.prefix
        rows: list[tuple[int, list[str]]] = []

        def add(name: str, t: str, required: bool, desc: str, example: Any, positional: bool = False) -> None:
            rank = 0 if positional else (1 if required else 2)
            rows.append((rank, [f"`{name}`", t, CHECK if required else MINUS, desc, example_cell(example)]))

        for p in op.parameters:
            example = self.ex.fit(p.example.json, p.type) if p.example is not None else MISSING
            add(p.name, self.types.cell(p.type, prefix), p.required, cell(p.description, p.deprecated), example,
                positional=p.location == "path")
        body = op.body
        if body is not None:
            sample = self.ex.fit(body.example.json, body.type) if body.example is not None else MISSING
            if body.flattened:
                given = sample if isinstance(sample, dict) else {}
                for f in body.fields:
                    if f.read_only:
                        continue
                    example = given.get(f.wire_name, MISSING)
                    if example is MISSING and f.example is not None:
                        example = self.ex.fit(f.example.json, f.type)
                    add(f.name, self.types.cell(f.type, prefix), f.required, cell(f.description, f.deprecated),
                        example)
            else:
                t = self.types.cell(body.type, prefix) if body.kind != "binary" else (
                    "*str or bytes*" if is_text_body(body) else "*bytes*")
                add(body.param_name, t, body.required, cell(body.description or "The request body."), sample)
        ordered = [row for _, row in sorted(rows, key=lambda r: r[0])]
        ordered += [[f"`{name}`", annotation, MINUS, doc, ""] for name, annotation, doc in CALL_OPTIONS]
        return table(["Parameter", "Type", "Required", "Description", "Example"], ordered)

    def response(self, op: ir.Operation) -> dict[str, str]:
        """The return type (alternatives joined with "or": a typed stream next to a binary body, other
        2XX bodies by status), and for operations that stream on a flag, the streaming return type."""
        prefix = self.prefix
        stream = f"{self.pkg}.Stream[{self.types.plain(op.stream.item, prefix)}]" if op.stream else ""
        resp = op.response
        if op.pagination is not None:
            page = "Sync" + PAGE_CLASSES[op.pagination.style]
            out = f"{self.pkg}.{page}[{self.types.plain(op.pagination.item, prefix)}]"
        elif op.stream is not None and op.stream.flag is None and resp is None:
            return {"response": f"**{stream}**", "stream_response": ""}
        elif resp is None or resp.kind == "none":
            out = "None"
        elif resp.kind == "json" and resp.type is not None:
            out = self.types.plain(resp.type, prefix)
        else:
            out = {"binary": f"{self.pkg}.BinaryResponse", "text": "str"}.get(resp.kind, "None")
        shown = f"**{out}**"
        if ir.stream_or_binary(op):
            shown = f"**{stream}** or {shown} (by the response's content type)"
        if op.alternatives and op.pagination is None:
            shown = " or ".join([f"{shown} ({resp.status if resp is not None else '2XX'})"] + [
                f"**{self.types.plain(a.type, prefix) if a.type is not None else 'None'}** ({a.status})"
                for a in op.alternatives])
        flag = op.stream.flag if op.stream is not None else None
        return {"response": shown, "stream_response": f"With `{flag}=True`: **{stream}**" if flag else ""}

    def errors(self, op: ir.Operation) -> dict[str, str]:
        rows: list[list[str]] = []
        bodies: dict[str, list[str]] = {}
        for e in op.errors:
            row = [f"{self.pkg}.{error_class(e.status)}", e.status, text.md_inline(e.content_type or "*/*")]
            rows.append([c.replace("*", "\\*") for c in row])
            if e.type is not None:
                bodies.setdefault(self.types.plain(e.type, self.prefix), []).append(e.status)
        rows.append([f"{self.pkg}.APIStatusError", "4XX, 5XX", "\\*/\\*"])
        notes = [f"`e.body` is a {t} for {', '.join(s)} responses." for t, s in bodies.items()]
        return {"errors": table(["Error Type", "Status Code", "Content Type"], rows),
                "error_bodies": " ".join(notes)}

    # ---------------------------------------------------------------- named types
    def model_page(self, m: ir.Model) -> ModelPage:
        rows = []
        for f in m.fields:
            example = self.ex.fit(f.example.json, f.type) if f.example is not None else MISSING
            desc = cell(f.description, f.deprecated)
            if f.wire_name != f.name:
                desc += f"<br/>Sent as {text.md_code(f.wire_name, in_table=True)}."
            if f.read_only:
                desc += "<br/>Read-only."
            rows.append([f"`{f.name}`", self.types.cell(f.type, "../models/"), CHECK if f.required else MINUS,
                         desc, example_cell(example)])
        fields = table(["Field", "Type", "Required", "Description", "Example"], rows) if rows else ""
        extra = self.types.cell(m.extra, "../models/") if m.extra is not None else ""
        twin = f"{self.pkg}.params.{self.twins[m.name]}" if m.name in self.twins else ""
        return ModelPage(f"docs/models/{self.pages[m.name]}.md", m.name, text.md_block(m.description),
                         m.deprecated, fields, extra, twin)

    def typed_snippet(self, name: str, value: Any, t: ir.TypeRef) -> int:
        """`value: Name = <value of type t>` with its imports, as a snippet index."""
        imports = PyImports()
        expr = PyRenderer(self.ex, self.pkg, imports, construct=True).render(value, t)
        imports.add(f"{self.pkg}.models", name)
        return self.snippet("\n".join([*imports.lines(self.pkg), "", f"value: {name} = {expr}", "print(value)"]) + "\n")

    def enum_page(self, e: ir.Enum, code: list[str], index: int) -> EnumPage:
        described = any(m.description for m in e.members)
        rows = [[*([text.md_code(m.name, in_table=True)] if e.named_members else []),
                 text.md_code(json.dumps(m.value, ensure_ascii=False), in_table=True),
                 *([cell(m.description)] if described else [])] for m in e.members]
        values = table([*(["Name"] if e.named_members else []), "Value", *(["Description"] if described else [])],
                       rows)
        return EnumPage(f"docs/models/{self.pages[e.name]}.md", e.name, text.md_block(e.description),
                        e.deprecated, values, code[index] if index >= 0 else "")

    def alias_variants(self, a: ir.Alias) -> list[tuple[str, int]]:
        """(heading, snippet index) per non-null variant of a union alias."""
        out: list[tuple[str, int]] = []
        t = a.type
        if not isinstance(ir.strip_null(t), ir.Union) or not isinstance(t, ir.Union):
            return out
        for index, v in enumerate(t.variants):
            if isinstance(v, ir.Null):
                continue
            value = self.ex.value(v)
            if t.discriminator is not None and isinstance(value, dict):
                key = next((k for k, i in t.discriminator.mapping if i == index), None)
                if key is not None:
                    value = {t.discriminator.property: key, **value}
            heading = self.types.plain(v, "../models/")
            out.append((heading if "](" in heading else f"`{heading}`", self.typed_snippet(a.name, value, v)))
        return out

    def alias_page(self, a: ir.Alias, code: list[str], variants: list[tuple[str, int]], index: int) -> AliasPage:
        is_union = isinstance(ir.strip_null(a.type), ir.Union)
        return AliasPage(
            f"docs/models/{self.pages[a.name]}.md", a.name, text.md_block(a.description), a.deprecated,
            "" if is_union else self.types.cell(a.type, "../models/"),
            tuple(Variant(h, code[i]) for h, i in variants), code[index] if index >= 0 else "",
        )

    # ---------------------------------------------------------------- all pages
    def plan(self, part: str = "all") -> list[tuple[str, str, Any]]:
        """(template, path, page) for every page of `part` (see `render_docs`)."""
        models = self.api.models
        half = (len(models) + 1) // 2
        if part == "models-head":
            return [("docs/models/model.md.jinja", p.path, p) for p in map(self.model_page, models[:half])]
        if part == "rest":
            models = models[half:]
        self._op_index = {op.operation_id: self.op_snippets(op) for r in self.api.resources for op in r.operations}
        enum_snips = {e.name: self.typed_snippet(e.name, self.ex.value(ir.EnumRef(e.name)), ir.EnumRef(e.name))
                      if e.members else -1 for e in self.api.enums}
        alias_variants = {a.name: self.alias_variants(a) for a in self.api.aliases}
        alias_snips = {a.name: -1 if alias_variants[a.name] else
                       self.typed_snippet(a.name, self.ex.value(ir.AliasRef(a.name)), ir.AliasRef(a.name))
                       for a in self.api.aliases}
        formatted = start_format_python(self.sources)  # the model pages are planned while ruff runs
        model_pages = [self.model_page(m) for m in models]
        code = formatted()
        out: list[tuple[str, str, Any]] = []
        for res in self.api.resources:
            sdk = self.sdk_page(res, code)
            out.append(("docs/sdks/sdk.md.jinja", sdk.path, sdk))
        out.extend(("docs/models/model.md.jinja", page.path, page) for page in model_pages)
        for e in self.api.enums:
            enum = self.enum_page(e, code, enum_snips[e.name])
            out.append(("docs/models/enum.md.jinja", enum.path, enum))
        for a in self.api.aliases:
            alias = self.alias_page(a, code, alias_variants[a.name], alias_snips[a.name])
            out.append(("docs/models/alias.md.jinja", alias.path, alias))
        return out


def render_docs(api: ir.Api, env: jinja2.Environment, tr: TypeRenderer, base: dict[str, Any],
                part: str = "all") -> dict[str, str]:
    """{path: Markdown} for the docs pages; `base` is the context every template gets. `part` is
    "all", or one of two shares that make it up (to render on two cores): "models-head", the first
    half of the model pages, and "rest", everything else."""
    if part not in ("all", "models-head", "rest"):
        raise ValueError(f"unknown docs part {part!r}")
    doc_header = str(base["header"]).replace("--", "- -")  # safe inside an HTML comment
    return {path: env.get_template(template).render(**base, doc_header=doc_header, page=page)
            for template, path, page in DocsPlanner(api, tr).plan(part)}
