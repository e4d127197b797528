"""Markdown docs of the TypeScript SDK in the seed's layout: `docs/sdks/<resource>/README.md` per
resource and `docs/models/<name>.md` per named type, with ```typescript examples that compile."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import generator.languages.typescript.names as names
from generator import ir
from generator.examples import MISSING, Examples
from generator.languages.typescript.operations import body_key, params_props, response_type
from generator.languages.typescript.plan import Planner
from generator.languages.typescript.snippets import ValueWriter, literal_of, params_value
from generator.languages.typescript.types import TypeWriter
from generator.languages.typescript.views import ClientPlan, Method, ResourcePlan
from generator.render.text import anchor, first_sentence, md_block, md_inline

CHECK, MINUS = ":heavy_check_mark:", ":heavy_minus_sign:"
DEPRECATED = ":warning: **DEPRECATED**<br/>"
STATUS_ERRORS = {"400": "BadRequestError", "401": "AuthenticationError", "403": "PermissionDeniedError",
                 "404": "NotFoundError", "409": "ConflictError", "422": "UnprocessableEntityError",
                 "429": "RateLimitError"}


def table(headers: list[str], rows: list[list[str]]) -> str:
    cells = [*headers, *(c for row in rows for c in row)]
    width = max(3, *(len(c) for c in cells))

    def line(row: list[str]) -> str:
        return "| " + " | ".join(c.ljust(width) for c in row) + " |"

    return "\n".join([line(headers), line(["-" * width] * len(headers)), *(line(r) for r in rows)])


_LT = re.compile(r"<(?!\[)")
_GT = re.compile(r"(?<!\))>")


def angle(text: str) -> str:
    """`<` as an entity unless a link follows (the seed's `Promise<[X](...)>` stays as it is)."""
    if "<" not in text and ">" not in text:
        return text
    return _GT.sub("&gt;", _LT.sub("&lt;", text))


def error_class(status: str) -> str:
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    if status.upper() == "5XX" or (status.isdigit() and int(status) >= 500):
        return "InternalServerError"
    return "APIError"


@dataclass(frozen=True)
class OperationDoc:
    name: str
    anchor: str
    summary: str
    description: str
    deprecated: bool
    example: str
    stream_example: str
    parameters: str
    response: str
    errors: str


@dataclass(frozen=True)
class SdkPage:
    path: str
    title: str
    name: str
    description: str
    operations: tuple[OperationDoc, ...]


@dataclass(frozen=True)
class ModelPage:
    path: str
    name: str
    description: str
    kind: str  # "model" | "enum" | "alias"
    table: str
    type: str
    example: str


class _AllFields(Examples):
    """Examples that keep read-only and write-only fields: one TypeScript interface serves both directions,
    so its required fields are required in either."""

    def skipped(self, f: ir.Field) -> bool:
        return False


class DocsPlan:
    def __init__(self, api: ir.Api, planner: Planner, package: str, client: ClientPlan,
                 resources: list[ResourcePlan]) -> None:
        self.api, self.planner, self.package, self.client, self.resources = api, planner, package, client, resources
        self.ex = _AllFields(api)
        self.vw = ValueWriter(self.ex)
        self.pages = self._page_names()
        self.snippets: list[str] = []  # every snippet, for the tests' compile check
        self._sdk_pages: list[SdkPage] | None = None
        self._writers: dict[str, TypeWriter] = {}  # by link prefix

    def _page_names(self) -> dict[str, str]:
        out: dict[str, str] = {}
        taken: set[str] = set()
        for ir_name, ts_name in sorted(self.planner.type_names.items(), key=lambda kv: kv[1]):
            stem, n = ts_name.lower(), 1
            while stem in taken:
                n += 1
                stem = f"{ts_name.lower()}{n}"
            taken.add(stem)
            out[ir_name] = stem
        return out

    def type_cell(self, t: ir.TypeRef | None, prefix: str, raw: str = "") -> str:
        if t is None:
            return f"*{raw}*"
        tw = self._writers.get(prefix)
        if tw is None:
            tw = self._writers[prefix] = TypeWriter(
                self.planner.type_names, lambda n: f"[models.{self.planner.type_names[n]}]({prefix}{self.pages[n]}.md)")
        text = angle(tw.render(t)).replace("|", "\\|")
        return text if "](" in text else f"*{text}*"

    # ------------------------------------------------------------------ snippets
    def client_lines(self) -> list[str]:
        creds = ", ".join(f'{c.option}: "<{c.env}>"' for c in self.client.credentials if not c.password_option)
        basic = [c for c in self.client.credentials if c.password_option]
        if basic:
            c = basic[0]
            pair = [f'{c.option}: "<{c.env}>"', f'{c.password_option}: "<{c.password_env}>"']
            creds = ", ".join(filter(None, [creds, *pair]))
        return [f'import {{ {self.client.name} }} from "{self.package}";', "",
                f"const client = new {self.client.name}({'{ ' + creds + ' }' if creds else ''});", ""]

    def call_expr(self, op: ir.Operation, method: Method, access: str, stream: bool = False, options: str = "") -> str:
        """`client.x.y({ ... })`, with `options` (an object literal) as the last argument when given."""
        params = literal_of(params_value(op, self.ex, body_key(op), stream), self.vw)
        if options and method.params_type and not params:
            params = "{}"
        args = ", ".join(a for a in (params, options) if a)
        return f"client.{access}.{method.name}({args})"

    def call(self, op: ir.Operation, method: Method, access: str, stream: bool = False) -> list[str]:
        call = self.call_expr(op, method, access, stream)
        if method.kind == "page":
            return [f"for await (const item of {call}) {{", "  console.log(item);", "}"]
        if method.kind == "stream" or stream:
            return [f"const stream = await {call};", "for await (const chunk of stream) {", "  console.log(chunk);",
                    "}"]
        if method.returns == "void":
            return [f"await {call};"]
        if method.returns == "Response":
            return [f"const response = await {call};", "console.log(response.status);"]
        return [f"const result = await {call};", "console.log(result);"]

    def example(self, op: ir.Operation, method: Method, access: str, stream: bool = False) -> str:
        code = "\n".join(self.client_lines() + self.call(op, method, access, stream)) + "\n"
        self.snippets.append(code)
        return code

    # ------------------------------------------------------------------ pages
    def sdk_pages(self) -> list[SdkPage]:
        if self._sdk_pages is None:
            self._sdk_pages = self._make_sdk_pages()
        return self._sdk_pages

    def _make_sdk_pages(self) -> list[SdkPage]:
        out = []
        for res in self.resources:
            r = res.resource
            path = "docs/sdks/" + "/".join(p.lower().rstrip("_") for p in res.path) + "/README.md"
            prefix = "../" * (path.count("/") - 1) + "models/"
            access = ".".join(res.path)
            ops = tuple(self.operation(op, m, access, prefix) for op, m in zip(r.operations, res.methods, strict=True))
            desc = r.description or (self.api.description if not r.tag else "") or r.title
            out.append(SdkPage(path, md_inline(r.title), ".".join(res.path), md_block(desc), ops))
        return out

    def operation(self, op: ir.Operation, m: Method, access: str, prefix: str) -> OperationDoc:
        summary = md_inline(first_sentence(op.summary or op.description)) or m.name
        stream_example = self.example(op, m, access, stream=True) if m.kind == "stream-flag" else ""
        return OperationDoc(
            m.name, anchor(m.name), summary + (" :warning: **Deprecated**" if op.deprecated else ""),
            md_block(op.description or op.summary), op.deprecated, self.example(op, m, access), stream_example,
            self.parameters(op, prefix), self.response(op, m, prefix), self.errors(op, prefix))

    def parameters(self, op: ir.Operation, prefix: str) -> str:
        rows = []
        types: dict[str, ir.TypeRef | None] = {p.wire_name: p.type for p in op.parameters}
        if op.body is not None:
            types.update({f.wire_name: f.type for f in op.body.fields})
            key = body_key(op)
            if key is not None:
                types[key] = op.body.type if op.body.kind != "binary" else None
        examples = params_value(op, self.ex, body_key(op))
        for p in sorted(params_props(self.planner.refs, op), key=lambda p: p.optional):  # required first
            desc = md_inline(" ".join(line.strip(" */") for line in p.doc.splitlines() if line.strip(" */")
                                      and not line.strip(" */").startswith("@deprecated"))) or "N/A"
            if "@deprecated" in p.doc:
                desc = ":warning: **DEPRECATED**<br/>" + desc
            example = examples.get(p.wire, (MISSING, None))[0]
            ex_cell = "" if example is MISSING else md_inline(json.dumps(example, ensure_ascii=False))
            t = types.get(p.wire)
            raw = p.type.replace("|", "\\|")  # a raw body: `Uploadable`, or `string | Uploadable` for text
            rows.append([f"`{p.wire}`", self.type_cell(t, prefix, raw) if t is not None or p.wire in types
                         else f"*{angle(p.type)}*", MINUS if p.optional else CHECK, desc, ex_cell])
        rows.append(["`options`", "*RequestOptions*", MINUS,
                     "Per-call options: `timeout` (ms), `maxRetries`, `signal`, `headers`.", ""])
        return table(["Parameter", "Type", "Required", "Description", "Example"], rows)

    def response(self, op: ir.Operation, m: Method, prefix: str) -> str:
        t = op.response.type if op.response is not None and op.response.kind == "json" else None
        body = self.type_cell(t, prefix) if t is not None else f"*{response_type(self.planner.refs, op)}*"
        body = body.strip("*") if body.startswith("*") else body
        if m.kind == "page":
            item = self.type_cell(op.pagination.item if op.pagination else None, prefix).strip("*")
            return f"**PagePromise<{item}>**\n\n`await` it for the first page, or `for await` over it for every item."
        if m.kind == "stream":
            item = self.type_cell(op.stream.item if op.stream else None, prefix).strip("*")
            return f"**Promise&lt;Stream<{item}>&gt;**"
        out = f"**Promise<{body}>**"
        if m.kind == "stream-flag" and op.stream is not None:
            item = self.type_cell(op.stream.item, prefix).strip("*")
            out += f"\n\nWith `{m.flag_wire}: true`: **Promise&lt;Stream<{item}>&gt;**"
        return out

    def errors(self, op: ir.Operation, prefix: str) -> str:
        rows: list[list[str]] = []
        bodies: dict[str, list[str]] = {}
        for e in op.errors:
            rows.append([error_class(e.status), e.status, md_inline(e.content_type) or "N/A"])
            if e.type is not None and e.kind == "json":
                bodies.setdefault(self.type_cell(e.type, prefix), []).append(e.status)
        rows.append(["APIError", "4XX, 5XX", "\\*/\\*"])
        notes = [f"`error.body` is {t} for {', '.join(statuses)} responses." for t, statuses in bodies.items()]
        return "\n\n".join([table(["Error Type", "Status Code", "Content Type"], rows), *notes])

    def model_pages(self) -> list[ModelPage]:
        out = []
        tn = self.planner.type_names
        for t in sorted(self.api.named_types(), key=lambda t: tn[t.name]):
            path = f"docs/models/{self.pages[t.name]}.md"
            example = self.model_example(t)
            if isinstance(t, ir.Model):
                rows = [[f"`{f.wire_name}`", self.type_cell(f.type, ""), CHECK if f.required else MINUS,
                         (DEPRECATED if f.deprecated else "") + (md_inline(f.description) or "N/A")]
                        for f in t.fields]
                tab = table(["Field", "Type", "Required", "Description"], rows) if rows else ""
                out.append(ModelPage(path, tn[t.name], md_block(t.description or t.title), "model", tab, "", example))
            elif isinstance(t, ir.Enum):
                rows = [[f"`{json.dumps(m.value)}`", md_inline(m.description) or ""] for m in t.members]
                out.append(ModelPage(path, tn[t.name], md_block(t.description), "enum",
                                     table(["Value", "Description"], rows), "", example))
            else:
                out.append(ModelPage(path, tn[t.name], md_block(t.description), "alias", "",
                                     self.type_cell(t.type, ""), example))
        return out

    def model_example(self, t: ir.NamedType) -> str:
        ref: ir.TypeRef = ir.ModelRef(t.name) if isinstance(t, ir.Model) else (
            ir.EnumRef(t.name) if isinstance(t, ir.Enum) else ir.AliasRef(t.name))
        value = self.ex.value(ref, t.example if not isinstance(t, ir.Enum) else None)
        if value is None and not (isinstance(t, ir.Enum) and t.nullable):
            return ""
        code = (f'import type {{ models }} from "{self.package}";\n\n'
                f"const value: models.{self.planner.type_names[t.name]} = {self.vw.render(value, ref)};\n"
                "console.log(value);\n")
        self.snippets.append(code)
        return code


__all__ = ["DocsPlan", "names"]
