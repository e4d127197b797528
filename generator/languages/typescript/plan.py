"""The TypeScript plan of an API: what each template renders (models, resources, client, package).

Computed from the IR's wire names, words and origins; the templates only loop over it.
"""

from __future__ import annotations

import json

import generator.languages.typescript.names as names
from generator import ir, naming
from generator.languages.typescript.operations import js_literal, plan_method, server_spec
from generator.languages.typescript.types import TypeWriter
from generator.languages.typescript.views import (
    ChildRef,
    ClientPlan,
    Credential,
    Method,
    ResourcePlan,
    TypeDecl,
    field_prop,
    jsdoc,
)


class Planner:
    def __init__(self, api: ir.Api, client_name: str) -> None:
        self.api = api
        self.type_names = names.type_names(api, client_name)
        self.models = TypeWriter(self.type_names)  # inside models.ts
        self.recursive = TypeWriter(self.type_names, index_maps=True)  # aliases that refer to themselves
        self.refs = TypeWriter(self.type_names, lambda n: f"models.{self.type_names[n]}")  # in resources
        self.schemes = {s.name: s for s in api.security_schemes}
        self.resource_paths = {r.module: self._props(r) for r in api.resources}

    # -------------------------------------------------------------------- models
    def model_decls(self) -> list[TypeDecl]:
        out: list[TypeDecl] = []
        for m in self.api.models:
            doc = jsdoc(m.description or m.title, 0, "" if m.deprecated else None)
            props = tuple(field_prop(f, self.models) for f in m.fields)
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
        aliases = {a.name: a for a in self.api.aliases}
        for a in self.api.aliases:
            doc = jsdoc(a.description, 0, "" if a.deprecated else None)
            tw = self.recursive if _cyclic(a.name, aliases) else self.models
            out.append(TypeDecl(self.type_names[a.name], "alias", doc, type=tw.render(a.type)))
        return sorted(out, key=lambda d: d.name)


    # -------------------------------------------------------------------- resources
    def _props(self, r: ir.Resource) -> tuple[str, ...]:
        props = [names.camel(p, "resource") for p in (r.path or (r.name,))]
        if props[0] in names.CLIENT_MEMBERS:  # a top-level resource may not hide what the client has
            props[0] += "_"
        return tuple(props)

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
        return plan_method(self.refs, set(self.schemes), op, name)

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
                doc = s.description.strip().splitlines()[0] if s.description.strip() else s.fallback_doc()
                creds.append(Credential(names.camel(s.param, "apiKey"), s.name, s.env_var, doc))
        literal = js_literal({k: schemes[k] for k in sorted(schemes)})
        title = api.title or "API"
        variables: dict[str, str] = {}
        for server in api.servers:
            for v in server.variables:
                allowed = f"; one of {', '.join(f'`{e}`' for e in v.enum)}" if v.enum else ""
                variables.setdefault(v.name, f"`{v.name}` (default `{v.default}`{allowed})")
        return ClientPlan(name, jsdoc(f"Client for the {title}" + ("." if title.endswith("API") else " API.")),
                          api.servers[0].url if api.servers else "http://localhost",
                          js_literal([server_spec(s) for s in api.servers]),
                          tuple(s.name for s in api.servers if s.name), tuple(variables[k] for k in sorted(variables)),
                          api.package.env_prefix, tuple(creds), literal, self.top_resources())


def _cyclic(name: str, aliases: dict[str, ir.Alias]) -> bool:
    """Whether alias `name` reaches itself through aliases (models are interfaces: they end a cycle)."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        for ref in ir.refs_of(aliases[todo.pop()].type, set()):
            if ref == name:
                return True
            if ref in aliases and ref not in seen:
                seen.add(ref)
                todo.append(ref)
    return False
