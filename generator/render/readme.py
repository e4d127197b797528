"""Render plan for the generated SDK's README: one runnable example per feature, built from the
spec's own operations (the same example values as the docs), and a table of every operation.

Sections are delimited with `<!-- sdkforge:begin NAME -->` / `<!-- sdkforge:end NAME -->` so text a
user writes around them survives regeneration (see `generator/preserve.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from generator import ir
from generator.examples import call_parts, format_python, resource_of
from generator.examples.snippets import CallParts
from generator.render import text
from generator.render.servers import default_url


@dataclass(frozen=True)
class OperationRow:
    resource: str
    method: str
    http: str
    summary: str
    link: str


@dataclass(frozen=True)
class ReadmeView:
    title: str
    description: str
    package: str
    project: str
    client: str
    async_client: str
    credentials: tuple[tuple[str, str], ...]  # (argument, environment variable)
    base_url: str
    base_url_env: str
    log_env: str
    snippets: dict[str, str]  # section name -> formatted Python
    operations: tuple[OperationRow, ...]
    retry_policies: bool = False  # some operations have a retry policy of their own (x-speakeasy-retries)
    servers: tuple[tuple[str, str, str, str], ...] = ()  # (index, name, URL, description), Markdown
    server_variables: tuple[tuple[str, str, str, str], ...] = ()  # (name, default, allowed values, description)
    server_example: str = ""  # Python: a client choosing a server and its variables


def _pick(api: ir.Api) -> dict[str, ir.Operation]:
    ops = [op for r in api.resources for op in r.operations]
    picked: dict[str, ir.Operation] = {}
    showcase = next((o for o in ops if o.body is not None and o.body.kind == "json" and o.response is not None
                     and o.response.kind == "json" and (o.stream is None or o.stream.flag is not None)
                     and not o.deprecated), None)
    showcase = showcase or next((o for o in ops if o.response is not None and o.response.kind == "json"), None)
    showcase = showcase or (ops[0] if ops else None)
    if showcase is not None:
        picked["showcase"] = showcase
    stream = next((o for o in ops if o.stream is not None and o.stream.flag is not None), None)
    stream = stream or next((o for o in ops if o.stream is not None), None)
    if stream is not None:
        picked["stream"] = stream
    page = next((o for o in ops if o.pagination is not None), None)
    if page is not None:
        picked["page"] = page
    return picked


def _lines(parts: CallParts, package: str, extra_imports: tuple[str, ...] = ()) -> list[str]:
    for module in extra_imports:
        parts.imports.modules.add(module)
    return parts.imports.lines(package)


def _result(op: ir.Operation, call: str, indent: str = "") -> list[str]:
    if op.response is None or op.response.kind == "none":
        return [indent + call]
    return [f"{indent}res = {call}", f"{indent}print(res)"]


def plan_readme(api: ir.Api) -> ReadmeView:
    pkg = api.package.name
    picked = _pick(api)
    sources: dict[str, str] = {}
    if "showcase" in picked:
        op = picked["showcase"]
        p = call_parts(op, api, pkg)
        sources["quickstart"] = "\n".join([*_lines(p, pkg), "", f"client = {p.client}", "", *_result(op, p.call)])
        a = call_parts(op, api, pkg, client_class=api.package.async_client_name)
        sources["async"] = "\n".join([*_lines(a, pkg, ("asyncio",)), "", "", "async def main() -> None:",
                                      f"    client = {a.client}", *_result(op, "await " + a.call, "    "),
                                      "", "", "asyncio.run(main())"])
        p = call_parts(op, api, pkg)
        p.imports.add(pkg, "APIConnectionError")
        p.imports.add(pkg, "APIStatusError")
        p.imports.add(pkg, "RateLimitError")
        sources["errors"] = "\n".join([
            *_lines(p, pkg), "", f"client = {p.client}", "", "try:", *_result(op, p.call, "    "),
            "except RateLimitError as err:", '    print("slow down; retry after", err.headers.get("retry-after"))',
            "except APIStatusError as err:", "    print(err.status_code, err.request_id, err.body)",
            "except APIConnectionError as err:", '    print("the server could not be reached:", err)'])
        p = call_parts(op, api, pkg)
        ctor = _add_args(p.client, "max_retries=5, timeout=20.0")
        call = _add_args(p.call, "max_retries=0, timeout=120.0")
        sources["retries"] = "\n".join([*_lines(p, pkg), "", f"client = {ctor}", "",
                                        "# per call: no retries, a longer timeout", *_result(op, call)])
        p = call_parts(op, api, pkg)
        where = resource_of(op, api).attr_path
        raw = p.call.replace(f"client.{where}.", f"client.{where}.with_raw_response.", 1)
        sources["raw"] = "\n".join([*_lines(p, pkg), "", f"client = {p.client}", "", f"raw = {raw}",
                                    'print(raw.status_code, raw.headers.get("content-type"))',
                                    "parsed = raw.parse()", "print(parsed)"])
        p = call_parts(op, api, pkg)
        ctor = _add_args(p.client, "http_client=http")
        sources["http_client"] = "\n".join([
            *_lines(p, pkg, ("httpx",)), "",
            "# Any httpx.Client works: proxies (proxy=...), transports, limits, event hooks, certificates.",
            "http = httpx.Client(",
            "    limits=httpx.Limits(max_connections=20),",
            '    headers={"X-Team": "docs"},',
            ")",
            f"client = {ctor}", "", *_result(op, p.call)])
    if "stream" in picked:
        op = picked["stream"]
        p = call_parts(op, api, pkg, stream=True)
        sources["streaming"] = "\n".join([*_lines(p, pkg), "", f"client = {p.client}", "",
                                          f"with {p.call} as stream:", "    for chunk in stream:",
                                          "        print(chunk)"])
    if "page" in picked:
        op = picked["page"]
        p = call_parts(op, api, pkg)
        sources["pagination"] = "\n".join([
            *_lines(p, pkg), "", f"client = {p.client}", "",
            "# Iterating goes through every item, fetching the next pages as needed.",
            f"for item in {p.call}:", f"    print(item{p.item_attribute})", "",
            "# Or page by page:", f"page = {p.call}", "while True:", "    print(len(page.data), \"items\")",
            "    if not page.has_next_page():", "        break", "    page = page.get_next_page()"])
    names = sorted(sources)
    formatted = dict(zip(names, format_python([sources[n] + "\n" for n in names]), strict=True))
    creds: list[tuple[str, str]] = []
    for s in api.security_schemes:
        if s.kind == "basic":
            env = s.env_var if s.param else api.package.env_prefix
            prefix = f"{s.param}_" if s.param else ""
            creds += [(f"{prefix}username", f"{env}_USERNAME"), (f"{prefix}password", f"{env}_PASSWORD")]
        else:
            creds.append((s.param, s.env_var))
    rows = tuple(
        OperationRow(r.attr_path, op.name, text.md_code(f"{op.method.upper()} {op.path}", in_table=True),
                     text.md_inline(text.first_sentence(op.summary or op.description)),
                     f"{docs_page(r, api)}#{text.anchor(op.name)}")
        for r in api.resources for op in r.operations
    )
    prefix = api.package.env_prefix
    return ReadmeView(
        title=text.md_inline(api.title),
        description=text.md_block(api.description),
        package=pkg,
        project=api.package.project_name,
        client=api.package.client_name,
        async_client=api.package.async_client_name,
        credentials=tuple(creds),
        base_url=text.md_code(default_url(api.servers[0]) if api.servers else "http://localhost"),
        base_url_env=f"{prefix}_BASE_URL",
        log_env=f"{prefix}_LOG",
        snippets=formatted,
        operations=rows,
        retry_policies=any(op.retries is not None for r in api.resources for op in r.operations),
        **_servers(api),
    )


def _servers(api: ir.Api) -> dict[str, Any]:
    """The Servers section: shown when there is a choice (several servers or URL variables)."""
    op_servers = [op.server for r in api.resources for op in r.operations if op.server is not None]
    variables: dict[str, ir.ServerVariable] = {}
    for server in (*api.servers, *op_servers):
        for v in server.variables:
            variables.setdefault(v.name, v)
    if len(api.servers) < 2 and not variables:
        return {}
    rows = tuple((str(i), text.md_code(s.name, in_table=True) if s.name else "",
                  text.md_code(s.url, in_table=True), text.md_inline(text.first_sentence(s.description)))
                 for i, s in enumerate(api.servers))
    var_rows = tuple((text.md_code(v.name, in_table=True),
                      text.md_code(v.default, in_table=True) if v.default else "(required)",
                      ", ".join(text.md_code(e, in_table=True) for e in v.enum) or "any",
                      text.md_inline(text.first_sentence(v.description)))
                     for v in sorted(variables.values(), key=lambda v: v.name))
    args = []
    if len(api.servers) > 1:
        chosen = api.servers[1]
        args.append(f"server={json.dumps(chosen.name)}" if chosen.name else "server=1")
    if variables:
        v = sorted(variables.values(), key=lambda v: (not v.enum, v.name))[0]
        value = v.enum[-1] if v.enum else v.default or "value"
        args.append(f"server_variables={{{json.dumps(v.name)}: {json.dumps(value)}}}")
    example = f"client = {api.package.client_name}({', '.join(args)})"
    return {"servers": rows, "server_variables": var_rows, "server_example": example}


def _add_args(call: str, args: str) -> str:
    """`f(a, b,)` + `c=1` -> `f(a, b, c=1)`."""
    inner = call[:-1].rstrip().rstrip(",")
    return f"{inner}{'' if inner.endswith('(') else ', '}{args})"


def docs_page(r: ir.Resource, api: ir.Api) -> str:
    """Where a resource's page is: `docs/sdks/<path>/README.md` (the `default` resource of operations
    with neither a tag nor a meaningful path segment: the SDK's name)."""
    parts = "/".join(r.path or (r.name,)) if r.tag or r.name != "default" else api.package.name
    return f"docs/sdks/{parts}/README.md"
