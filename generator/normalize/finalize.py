"""Decide every name once (sorted by JSON pointer), assign model modules, rewrite the IR with them."""

from __future__ import annotations

from typing import Any

from generator import ir, naming
from generator.config import Config
from generator.normalize.cycles import flatten_alias_cycles, merge_modules
from generator.normalize.methods import method_names, resource_key
from generator.normalize.schemas import Draft, SchemaBuilder
from generator.normalize.servers import absolute_url, build_servers
from generator.resolve import Document, Loc


def _name_key(loc: Loc) -> tuple[int, str]:
    parts = loc.pointer.split("/")
    top_level = len(parts) == 4 and parts[1] == "components" and parts[2] == "schemas"
    return (0 if top_level and not loc.file else 1 if top_level else 2, str(loc))


def finalize(doc: Document, config: Config, schemas: SchemaBuilder, operations: list[ir.Operation],
             schemes: tuple[ir.SecurityScheme, ...]) -> ir.Api:
    drafts = schemas.drafts
    by_key = {str(loc): d for loc, d in drafts.items()}
    order = sorted(drafts, key=_name_key)
    names = naming.dedupe([(f"{_name_key(loc)[0]}{loc}", drafts[loc].wanted) for loc in order])
    final: dict[str, str] = {str(loc): names[f"{_name_key(loc)[0]}{loc}"] for loc in order}

    rename = _Renamer(final, by_key, doc)
    built: list[tuple[str, Any]] = []
    for loc in order:
        d = drafts[loc]
        if d.built is not None:
            built.append((str(loc), rename.named(d.built)))
    built = flatten_alias_cycles(built, doc)
    # Python puts the types in modules; a TypeScript SDK has one models.ts, and no `module` to fill in.
    type_module = _modules(order, drafts, final, operations, built) if config.language == "python" else {}

    models: list[ir.Model] = []
    enums: list[ir.Enum] = []
    aliases: list[ir.Alias] = []
    for key, t in built:
        if type_module:
            t = ir.evolve(t, module=type_module[key])
        if isinstance(t, ir.Model):
            models.append(t)
        elif isinstance(t, ir.Enum):
            enums.append(t)
        else:
            aliases.append(t)
    ops = [rename.operation(op) for op in operations]
    resources = _resources(ops, doc, config, set(final.values()))
    spec = doc.root
    info: dict[str, Any] = spec["info"] if isinstance(spec.get("info"), dict) else {}
    servers = build_servers(spec.get("servers"), Loc("", "/servers"), doc.diags, absolute=True)
    if not servers:  # no top-level server: the one most operations declare (ties: sorted) is the default
        counts: dict[str, tuple[int, ir.Server]] = {}
        for op in ops:
            if op.server is not None:
                n, _ = counts.get(op.server.url, (0, op.server))
                counts[op.server.url] = (n + 1, op.server)
        if counts:
            _, common = counts[min(counts, key=lambda u: (-counts[u][0], u))]
            servers = (ir.evolve(common, url=absolute_url(common.url, Loc("", "/servers"), doc.diags), name=""),)
    package = ir.PackageInfo(
        name=config.package_name,
        project_name=config.project_name,
        client_name=config.client_name,
        async_client_name="Async" + config.client_name,
        env_prefix=naming.env_prefix(str(info.get("title", "")), config.package_name),
        version=config.version,
    )
    return ir.Api(
        title=str(info.get("title", config.package_name)),
        version=str(info.get("version", "")),
        description=str(info.get("description", "")).strip(),
        spec_name=doc.root_path.name,
        openapi_version=str(spec.get("openapi", spec.get("swagger", ""))),
        servers=servers,
        security_schemes=schemes,
        resources=resources,
        models=tuple(sorted(models, key=lambda m: m.name)),
        enums=tuple(sorted(enums, key=lambda m: m.name)),
        aliases=tuple(sorted(aliases, key=lambda m: m.name)),
        package=package,
        model_modules=tuple(sorted(set(type_module.values()))),
    )


def _modules(order: list[Loc], drafts: dict[Loc, Draft], final: dict[str, str], operations: list[ir.Operation],
             built: list[tuple[str, Any]]) -> dict[str, str]:
    """The Python module of each type: the module of its owner (a component, or the operation for
    inline types), then modules that import each other merged (`merge_modules`)."""
    op_names = {op.origin: naming.snake(op.operation_id, empty="operation") for op in operations}
    owner_module: dict[str, str] = {}
    for loc in order:
        owner = str(drafts[loc].owner)
        owner_module[owner] = naming.snake(final[owner]) if owner in final else op_names.get(owner, "operations")
    modules = naming.dedupe([(k, v) for k, v in sorted(owner_module.items())], sep="_")
    return merge_modules(built, {str(loc): modules[str(drafts[loc].owner)] for loc in order})


class _Renamer:
    def __init__(self, final: dict[str, str], by_key: dict[str, Draft], doc: Document) -> None:
        self.final = final
        self.by_key = by_key
        self.doc = doc

    def type(self, t: ir.TypeRef) -> ir.TypeRef:
        match t:
            case ir.ModelRef(name):
                return ir.ModelRef(self.final[name])
            case ir.EnumRef(name):
                return ir.EnumRef(self.final[name])
            case ir.AliasRef(name):
                return ir.AliasRef(self.final[name])
            case ir.ListOf(item):
                return ir.evolve(t, item=self.type(item))
            case ir.MapOf(value):
                return ir.MapOf(self.type(value))
            case ir.Union(variants, disc):
                return ir.Union(tuple(self.type(v) for v in variants), self._discriminator(variants, disc))
        return t

    def _discriminator(self, variants: tuple[ir.TypeRef, ...], disc: ir.Discriminator | None
                       ) -> ir.Discriminator | None:
        if disc is None:
            return None
        mapping = dict(disc.mapping)
        mapped = set(mapping.values())
        for i, v in enumerate(variants):
            if i in mapped or isinstance(v, ir.Null):
                continue
            values = self._values_of(v, disc.property)
            if not values and isinstance(v, (ir.ModelRef, ir.AliasRef)):
                values = [v.name.rsplit("/", 1)[-1]]  # OpenAPI's default: the schema's name
            for value in values:
                mapping.setdefault(value, i)
        return ir.Discriminator(disc.property, tuple(sorted(mapping.items())))

    def _values_of(self, t: ir.TypeRef, prop: str) -> list[str]:
        if not isinstance(t, ir.ModelRef):
            return []
        draft = self.by_key.get(t.name)
        if draft is None or not isinstance(draft.built, ir.Model):
            return []
        field = next((f for f in draft.built.fields if f.wire_name == prop), None)
        if field is None:
            return []
        ft = ir.strip_null(field.type)
        if isinstance(ft, ir.Const):
            return [str(ft.value)]
        if isinstance(ft, ir.EnumRef):
            enum = self.by_key[ft.name].built
            if isinstance(enum, ir.Enum):
                return [str(m.value) for m in enum.members]
        return []

    def named(self, t: ir.Model | ir.Enum | ir.Alias) -> ir.Model | ir.Enum | ir.Alias:
        name = self.final[t.name]
        if isinstance(t, ir.Model):
            fields = tuple(ir.evolve(f, type=self.type(f.type)) for f in t.fields)
            extra = self.type(t.extra) if t.extra is not None else None
            return ir.evolve(t, name=name, fields=fields, extra=extra)
        if isinstance(t, ir.Alias):
            return ir.evolve(t, name=name, type=self.type(t.type))
        return ir.evolve(t, name=name)

    def operation(self, op: ir.Operation) -> ir.Operation:
        params = tuple(ir.evolve(p, type=self.type(p.type)) for p in op.parameters)
        body = op.body
        if body is not None:
            body = ir.evolve(body, type=self.type(body.type),
                                       fields=tuple(ir.evolve(f, type=self.type(f.type))
                                                    for f in body.fields))
        resp = op.response
        if resp is not None and resp.type is not None:
            resp = ir.evolve(resp, type=self.type(resp.type))
        errors = tuple(ir.evolve(e, type=self.type(e.type) if e.type is not None else None)
                       for e in op.errors)
        alternatives = tuple(ir.evolve(a, type=self.type(a.type) if a.type is not None else None)
                             for a in op.alternatives)
        stream = ir.evolve(op.stream, item=self.type(op.stream.item)) if op.stream else None
        page = ir.evolve(op.pagination, item=self.type(op.pagination.item)) if op.pagination else None
        return ir.evolve(op, parameters=params, body=body, response=resp, errors=errors,
                         alternatives=alternatives, stream=stream, pagination=page)


def _resources(ops: list[ir.Operation], doc: Document, config: Config, type_names: set[str]
               ) -> tuple[ir.Resource, ...]:
    """One resource per tag (untagged operations: per first path segment, see `methods`); dotted tags
    (`admin.apps.approved`) nest, and every missing parent of a nested tag becomes a resource without
    operations."""
    tags_meta = {str(t.get("name")): t for t in doc.root.get("tags") or () if isinstance(t, dict)}
    groups: dict[tuple[str, ...], list[ir.Operation]] = {}
    tag_of: dict[tuple[str, ...], str] = {}
    for op in ops:
        tag, key = resource_key(op)
        groups.setdefault(key, []).append(op)
        if tag or key not in tag_of:
            tag_of[key] = tag_of.get(key) or tag
    for key, members in groups.items():
        names = method_names(members, key, doc)
        groups[key] = [ir.evolve(o, name=names[o.origin]) for o in members]
    for key in list(groups):
        for i in range(1, len(key)):
            if key[:i] not in groups:
                groups[key[:i]] = []
                tag_of[key[:i]] = ".".join(tag_of[key].split(".")[:i])
    # Module names are flat and unique; a child attribute may not shadow a method of its parent.
    modules = naming.dedupe([(".".join(k), "_".join(k)) for k in groups], sep="_")
    attr = {k: k[-1] + ("_" if k[-1] in {op.name for op in groups.get(k[:-1], [])} else "") for k in groups}
    out = []
    for key in sorted(groups):
        tag = tag_of[key]
        meta = tags_meta.get(tag, {})
        name = attr[key]
        children = tuple(modules[".".join(k)] for k in sorted(groups) if len(k) == len(key) + 1 and k[:-1] == key)
        class_name = naming.class_name("_".join(key))
        # The module defines <X>Resource, Async<X>Resource and their raw-response twins next to the
        # models it imports: none may take a schema's name.
        while {f"{class_name}Resource", f"Async{class_name}Resource"} & {n.removesuffix("WithRawResponse")
                                                                         for n in type_names}:
            class_name += "Api"
        out.append(ir.Resource(
            name=name,
            class_name=class_name,
            tag=tag,
            title=str(meta.get("x-displayName", tag or key[-1])),
            description=str(meta.get("description", "")).strip(),
            operations=tuple(ops_sorted(groups[key])),
            module=modules[".".join(key)],
            origin=f"#/tags/{tag}" if tag else "#/paths",
            path=tuple(attr[key[: i + 1]] for i in range(len(key))),
            children=children,
        ))
    return tuple(out)


_METHOD_ORDER = {m: i for i, m in enumerate(("get", "post", "put", "patch", "delete", "head", "options", "trace"))}


def ops_sorted(ops: list[ir.Operation]) -> list[ir.Operation]:
    return sorted(ops, key=lambda o: (o.path, _METHOD_ORDER.get(o.method, 9)))
