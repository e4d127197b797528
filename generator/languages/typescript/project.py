"""The package manifest and README plan of the TypeScript SDK."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator import ir
from generator.render.text import first_sentence, md_block, md_inline

if TYPE_CHECKING:
    from generator.languages.typescript.docs import DocsPlan


@dataclass(frozen=True)
class PackagePlan:
    name: str
    version: str
    description: str
    test_command: str = ""  # scripts.test ("": the SDK has no tests/)


@dataclass(frozen=True)
class OpLink:
    resource: str
    method: str
    page: str
    anchor: str
    summary: str


@dataclass(frozen=True)
class ReadmePlan:
    title: str
    description: str
    usage: str
    streaming: str
    pagination: str
    errors: str
    retries: str
    timeouts: str
    custom_fetch: str
    raw_response: str
    operations: tuple[OpLink, ...]
    env_prefix: str


def package_plan(api: ir.Api, name: str, test_command: str = "") -> PackagePlan:
    return PackagePlan(name, api.package.version,
                       first_sentence(f"TypeScript SDK for the {api.title or 'API'}.").replace("\n", " "), test_command)


def _with_client(docs: DocsPlan, body: list[str], imports: str = "") -> str:
    head = docs.client_lines()
    if imports:
        head[0] = f'import {{ {imports}, {docs.client.name} }} from "{docs.package}";'
    code = "\n".join(head + body) + "\n"
    docs.snippets.append(code)
    return code


def readme_plan(api: ir.Api, docs: DocsPlan) -> ReadmePlan:
    pages = docs.sdk_pages()
    ops = tuple(OpLink(p.name, o.name, p.path, o.anchor, o.summary) for p in pages for o in p.operations)
    pairs = [(r, op, m) for r in docs.resources for op, m in zip(r.resource.operations, r.methods, strict=True)]
    # The example call: the first operation with a request body that answers JSON (streaming ones asked
    # for the plain answer), else the first that answers JSON at all.
    plain = [(r, op, m) for r, op, m in pairs if m.kind in ("plain", "stream-flag") and m.returns not in
             ("Response", "void", "string")]
    first = next((x for x in plain if x[1].body is not None), plain[0] if plain else None)
    usage = streaming = pagination = errors = retries = timeouts = raw = ""
    if first is not None:
        r, op, m = first
        access = ".".join(r.path)
        usage = docs.example(op, m, access)
        errors = _with_client(docs, ["try {", *("  " + line for line in docs.call(op, m, access)),
                                     "} catch (error) {", "  if (error instanceof APIError) {",
                                     "    console.log(error.status, error.name, error.body);",
                                     "  } else {", "    throw error;", "  }", "}"], "APIError")
        with_retries = docs.call_expr(op, m, access, options="{ maxRetries: 5 }")
        retries = _with_client(docs, [f"const result = await {with_retries};", "console.log(result);"])
        with_timeout = docs.call_expr(op, m, access, options="{ timeout: 20_000, signal: controller.signal }")
        timeouts = _with_client(docs, ["const controller = new AbortController();",
                                       f"const result = await {with_timeout};", "console.log(result);"])
        raw = _with_client(docs, [f"const {{ data, response }} = await {docs.call_expr(op, m, access)}.withResponse();",
                                  'console.log(response.status, response.headers.get("content-type"));',
                                  "console.log(data);"])
    stream = next(((r, op, m) for r, op, m in pairs if m.kind.startswith("stream")), None)
    if stream is not None:
        streaming = docs.example(stream[1], stream[2], ".".join(stream[0].path), stream[2].kind == "stream-flag")
    page = next(((r, op, m) for r, op, m in pairs if m.kind == "page"), None)
    if page is not None:
        pagination = docs.example(page[1], page[2], ".".join(page[0].path))
    custom = (f'import {{ {docs.client.name} }} from "{docs.package}";\n\n'
              f"const client = new {docs.client.name}({{\n"
              "  fetch: async (input, init) => {\n"
              "    console.log(\"request\", init?.method, String(input));\n"
              "    return fetch(input, init);\n  },\n});\nconsole.log(client.baseURL);\n")
    docs.snippets.append(custom)
    return ReadmePlan(md_inline(api.title or docs.package), md_block(api.description), usage, streaming, pagination,
                      errors, retries, timeouts, custom, raw, ops, api.package.env_prefix)
