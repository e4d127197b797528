"""The TypeScript plan of an API: what each template renders (models, resources, client, package).

Computed from the IR's wire names, words and origins; the templates only loop over it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from generator import ir, naming
from generator.languages.typescript import names
from generator.languages.typescript.types import TypeWriter


def jsdoc(text: str, indent: int = 0, deprecated: str | None = None) -> str:
    """A `/** ... */` block (empty string when there is nothing to say); `*/` in the text is defused."""
    lines = [line.rstrip() for line in text.replace("*/", "*\\/").strip().splitlines()]
    if deprecated is not None:
        lines += [f"@deprecated {deprecated}".rstrip()]
    if not any(lines):
        return ""
    pad = " " * indent
    if len(lines) == 1:
        return f"{pad}/** {lines[0]} */\n"
    body = "".join(f"{pad} *{' ' + ln if ln else ''}\n" for ln in lines)
    return f"{pad}/**\n{body}{pad} */\n"


@dataclass(frozen=True)
class Prop:
    key: str  # wire name, quoted when needed
    wire: str
    type: str
    optional: bool
    readonly: bool
    doc: str  # JSDoc block, indented by two spaces, or ""


@dataclass(frozen=True)
class TypeDecl:
    name: str
    kind: str  # "interface" | "alias"
    doc: str
    props: tuple[Prop, ...] = ()
    index: str = ""  # index signature value type for additional properties
    type: str = ""  # alias: the type expression
    extends: str = ""  # interface: the interface it extends


@dataclass(frozen=True)
class Method:
    name: str
    doc: str
    params_type: str  # "" when the operation takes no params
    params_optional: bool
    params_decls: tuple[TypeDecl, ...]
    returns: str  # the parsed body type
    kind: str  # "plain" | "stream" | "stream-flag" | "page"
    stream_item: str
    page_item: str
    op_const: str
    op_literal: str
    page_literal: str
    flag_wire: str
    origin: str


@dataclass(frozen=True)
class ChildRef:
    prop: str
    class_name: str
    file: str


@dataclass(frozen=True)
class ResourcePlan:
    class_name: str
    file: str  # stem under src/resources/
    doc: str
    methods: tuple[Method, ...]
    children: tuple[ChildRef, ...]
    path: tuple[str, ...]  # property names from the client
    resource: ir.Resource
    uses_stream: bool
    uses_page: bool
    uses_binary: bool


@dataclass(frozen=True)
class Credential:
    option: str
    scheme: str
    env: str
    doc: str
    password_option: str = ""
    password_env: str = ""


@dataclass(frozen=True)
class ClientPlan:
    name: str
    doc: str
    base_url: str
    env_prefix: str
    credentials: tuple[Credential, ...]
    schemes_literal: str
    resources: tuple[ChildRef, ...]


class Planner:
    def __init__(self, api: ir.Api, client_name: str) -> None:
        self.api = api
        self.type_names = names.type_names(api, client_name)
        self.models = TypeWriter(self.type_names)  # inside models.ts
        self.refs = TypeWriter(self.type_names, lambda n: f"models.{self.type_names[n]}")  # in resources
        self.schemes = {s.name: s for s in api.security_schemes}
        self.resource_paths = {r.module: self._props(r) for r in api.resources}

    # -------------------------------------------------------------------- models
    def model_decls(self) -> list[TypeDecl]:
        out: list[TypeDecl] = []
        for m in self.api.models:
            doc = jsdoc(m.description or m.title, 0, "" if m.deprecated else None)
            props = tuple(self.prop(f, self.models) for f in m.fields)
            index = ""
            if m.extra is not None:
                index = "unknown"
            out.append(TypeDecl(self.type_names[m.name], "interface", doc, props, index))
        for e in self.api.enums:
            values = " | ".join(json.dumps(mem.value, ensure_ascii=False) for mem in e.members) or "never"
            if e.nullable:
                values += " | null"
            docs = [e.description] if e.description else []
            docs += [f"- `{json.dumps(mem.value)}`: {mem.description}" for mem in e.members if mem.description]
            doc = jsdoc("\n".join(docs), 0, "" if e.deprecated else None)
            out.append(TypeDecl(self.type_names[e.name], "alias", doc, type=values))
        for a in self.api.aliases:
            doc = jsdoc(a.description, 0, "" if a.deprecated else None)
            out.append(TypeDecl(self.type_names[a.name], "alias", doc, type=self.models.render(a.type)))
        return sorted(out, key=lambda d: d.name)

    def prop(self, f: ir.Field, tw: TypeWriter, *, optional: bool | None = None) -> Prop:
        opt = not f.required if optional is None else optional
        doc = jsdoc(f.description, 2, "" if f.deprecated else None)
        return Prop(names.prop_key(f.wire_name), f.wire_name, tw.render(f.type), opt, f.read_only, doc)

    # -------------------------------------------------------------------- resources
    def _props(self, r: ir.Resource) -> tuple[str, ...]:
        return tuple(names.camel(p, "resource") for p in (r.path or (r.name,)))

    def resources(self) -> list[ResourcePlan]:
        by_module = {r.module: r for r in self.api.resources}
        out = []
        for r in self.api.resources:
            path = self.resource_paths[r.module]
            children = tuple(self.child(by_module[c]) for c in r.children if c in by_module)
            taken = {c.prop for c in children} | {"_client", "constructor"}
            wanted = [(op.origin, names.camel(op.name, "operation")) for op in r.operations]
            method_names = naming.dedupe([(k, n + "Op" if n in taken else n) for k, n in wanted])
            methods = tuple(self.method(op, method_names[op.origin]) for op in r.operations)
            out.append(ResourcePlan(
                class_name=self.class_name(path), file=self.file(path),
                doc=jsdoc(r.description or r.title), methods=methods, children=children, path=path, resource=r,
                uses_stream=any(m.kind.startswith("stream") for m in methods),
                uses_page=any(m.kind == "page" for m in methods),
                uses_binary=any("Uploadable" in p.type for m in methods for d in m.params_decls for p in d.props),
            ))
        return out

    @staticmethod
    def class_name(path: tuple[str, ...]) -> str:
        return "".join(p[:1].upper() + p[1:] for p in path).rstrip("_") + "Resource"

    @staticmethod
    def file(path: tuple[str, ...]) -> str:
        return ".".join(path)

    def child(self, r: ir.Resource) -> ChildRef:
        path = self.resource_paths[r.module]
        return ChildRef(path[-1], self.class_name(path), self.file(path))

    def top_resources(self) -> tuple[ChildRef, ...]:
        return tuple(self.child(r) for r in self.api.resources if len(r.path) <= 1)

    # -------------------------------------------------------------------- operations
    def method(self, op: ir.Operation, name: str) -> Method:
        from generator.languages.typescript.operations import plan_method

        return plan_method(self, op, name)

    # -------------------------------------------------------------------- client
    def client(self, name: str) -> ClientPlan:
        api = self.api
        creds: list[Credential] = []
        schemes: dict[str, dict[str, str]] = {}
        for s in api.security_schemes:
            schemes[s.name] = {"kind": s.kind, "in": s.location, "name": s.wire_name}
            if s.kind == "basic":
                stem = names.camel(s.param, "basic") if s.param else ""
                user = stem + "Username" if stem else "username"
                password = stem + "Password" if stem else "password"
                env = s.env_var if s.param else api.package.env_prefix
                creds.append(Credential(user, s.name, f"{env}_USERNAME", "User name for HTTP basic auth.", password,
                                        f"{env}_PASSWORD"))
            else:
                doc = s.description.strip().splitlines()[0] if s.description.strip() else "Your API key."
                creds.append(Credential(names.camel(s.param, "apiKey"), s.name, s.env_var, doc))
        from generator.languages.typescript.operations import js_literal

        literal = js_literal({k: schemes[k] for k in sorted(schemes)})
        title = api.title or "API"
        return ClientPlan(name, jsdoc(f"Client for the {title}" + ("." if title.endswith("API") else " API.")),
                          api.servers[0] if api.servers else "http://localhost", api.package.env_prefix,
                          tuple(creds), literal, self.top_resources())
