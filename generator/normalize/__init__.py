"""Stage 3, normalize: the resolved spec -> the frozen IR (`ir.Api`).

Walks components and paths in sorted order, then decides every name in one pass (`finalize`).
"""

from __future__ import annotations

from typing import Any

from generator import ir, naming
from generator.config import Config
from generator.normalize import extensions
from generator.normalize.content import warn_no_models
from generator.normalize.finalize import finalize
from generator.normalize.methods import rest_operation_id
from generator.normalize.operations import METHODS, OperationBuilder, _security
from generator.normalize.schemas import SchemaBuilder
from generator.resolve import Document, Loc


def normalize(doc: Document, config: Config) -> ir.Api:
    spec = doc.root
    diags = doc.diags
    schemas = SchemaBuilder(doc, diags)
    components: dict[str, Any] = spec["components"] if isinstance(spec.get("components"), dict) else {}
    global_security = _security(spec["security"]) if isinstance(spec.get("security"), list) else ()
    builder = OperationBuilder(schemas, global_security, config.pagination)
    raw_schemas, schemas_loc = _mapping(builder, components.get("schemas"), Loc("", "/components/schemas"),
                                        "schemas map")
    for name in sorted(raw_schemas, key=str):
        schemas.component(str(name), schemas_loc.child(str(name)))

    overrides = extensions.OperationOverrides.of(spec, config.operations, diags)
    default_retries = extensions.retries(spec, Loc("", ""), diags)
    method_names: dict[str, str] = {}  # operation origin -> method name from config or an extension
    operations: list[ir.Operation] = []
    seen_ids: dict[str, str] = {}
    paths, paths_loc = _mapping(builder, spec.get("paths"), Loc("", "/paths"), "paths object")
    callbacks = 0
    explicit_ids = {op["operationId"] for item in paths.values() if isinstance(item, dict)
                    for op in item.values() if isinstance(op, dict) and isinstance(op.get("operationId"), str)}
    for path in sorted(paths, key=str):
        raw, here = paths[path], paths_loc.child(str(path))
        found = builder.follow(raw, here, "path item")
        if found is None:
            continue
        item, item_loc = found
        if not isinstance(item, dict):
            if item is not None:
                diags.warning("invalid-path-item", item_loc.pointer,
                              f"a path item must be an object, got {type(item).__name__}; skipped", item_loc.file)
            continue
        # Fields beside a path item's `$ref` (OpenAPI 3.1) add to the referenced ones, and win over them.
        beside = {k: v for k, v in raw.items() if k != "$ref"} if isinstance(raw, dict) and "$ref" in raw else {}
        merged, merged_loc = {**item, **beside}, here if "parameters" in beside else item_loc
        for method in METHODS:
            if merged.get(method) is None:
                continue
            op_found = builder.follow(merged[method], (here if method in beside else item_loc).child(method),
                                      "operation")
            if op_found is None:
                continue
            node, loc = op_found
            if not isinstance(node, dict):
                diags.warning("invalid-operation", loc.pointer,
                              f"an operation must be an object, got {type(node).__name__}; skipped", loc.file)
                continue
            op_id = node.get("operationId")
            if not isinstance(op_id, str) or not naming.words(op_id):
                op_id = rest_operation_id(method, str(path)) or ""
                if not op_id or op_id in seen_ids or op_id in explicit_ids:  # the REST name is taken
                    op_id = f"{method}{naming.pascal(str(path), empty='Root')}"
                diags.info("missing-operation-id", loc.pointer, f"no operationId; named {op_id!r}", loc.file)
            if op_id in seen_ids:
                diags.warning("duplicate-operation-id", loc.child("operationId").pointer,
                              f"operationId {op_id!r} is also used at {seen_ids[op_id]}; this one is renamed",
                              loc.file)
                n = 2
                while f"{op_id}{n}" in seen_ids:
                    n += 1
                op_id = f"{op_id}{n}"
            seen_ids[op_id] = loc.pointer
            why = overrides.ignored(op_id, node)
            if why:
                diags.info("operation-ignored", loc.pointer, f"operation {op_id!r} skipped ({why})", loc.file)
                continue
            callbacks += bool(node.get("callbacks"))
            op = builder.build(str(path), method, node, merged, loc, merged_loc, op_id)
            placed = overrides.placement(op_id, node, loc)
            if placed.group is not None:
                op = ir.evolve(op, tags=(placed.group, *op.tags))
            if placed.method is not None:
                method_names[op.origin] = placed.method
            policy = extensions.retries(node, loc, diags) or default_retries
            if policy is not None:
                op = ir.evolve(op, retries=policy)
            operations.append(op)
    builder.report_misplaced()
    _warn_unsupported(spec, diags, callbacks)
    api = finalize(doc, config, schemas, operations, _schemes(components, config, diags, env_prefix(spec, config)))
    if not api.models:
        warn_no_models(doc)
    return ir.evolve(api, resources=extensions.rename_methods(api.resources, method_names, diags))


def env_prefix(spec: dict[str, Any], config: Config) -> str:
    """Prefix of the client's environment variables, from the API's title (`naming.env_prefix`)."""
    info = spec.get("info")
    title = info.get("title", "") if isinstance(info, dict) else ""
    return naming.env_prefix(str(title), config.package_name)


def _mapping(builder: OperationBuilder, raw: Any, loc: Loc, place: str) -> tuple[dict[str, Any], Loc]:
    """A map of the document (paths, component schemas), through a `$ref` OpenAPI does not allow there."""
    found = builder.follow(raw, loc, place) if raw is not None else None
    if found is None:
        return {}, loc
    if not isinstance(found[0], dict):
        diags = builder.diags
        diags.warning("invalid-structure", found[1].pointer,
                      f"the {place} must be an object, got {type(found[0]).__name__}; skipped", found[1].file)
        return {}, found[1]
    return found


def _esc(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _schemes(components: dict[str, Any], config: Config, diags: Any, prefix: str
             ) -> tuple[ir.SecurityScheme, ...]:
    raw: dict[str, Any] = (
        components["securitySchemes"] if isinstance(components.get("securitySchemes"), dict) else {}
    )
    out: list[ir.SecurityScheme] = []
    single = len(raw) == 1
    key_env_used = False
    for name in sorted(raw, key=str):
        s = raw[name]
        loc = f"/components/securitySchemes/{_esc(str(name))}"
        if not isinstance(s, dict):
            continue
        typ = str(s.get("type", "")).lower()
        scheme = str(s.get("scheme", "")).lower()
        if typ == "http" and scheme == "basic":
            kind, param = "basic", "" if single else naming.snake(str(name))
        elif typ == "apikey":
            kind = "apikey"
            param = "api_key" if single else _cred_name(str(name))
        elif typ in ("http", "oauth2", "openidconnect"):
            if typ != "http":
                diags.warning("oauth-as-bearer", loc, f"{typ} flows are not run by the SDK; "
                              "the client takes an access token and sends it as a bearer token")
            kind = "bearer"
            param = "api_key" if single else _cred_name(str(name))
        else:
            diags.warning("unsupported-security", loc, f"security scheme type {typ!r} is not supported; skipped")
            continue
        env = f"{prefix}_{(param or 'basic').upper()}"
        if kind in ("bearer", "apikey") and config.api_key_env and not key_env_used:
            env, key_env_used = config.api_key_env, True
        location = str(s.get("in", "header")) if kind == "apikey" else "header"
        wire = str(s.get("name", "")) if kind == "apikey" else "Authorization"
        out.append(ir.SecurityScheme(str(name), kind, param, env,  # type: ignore[arg-type]
                                     location if location in ("header", "query", "cookie") else "header",  # type: ignore[arg-type]
                                     wire, str(s.get("description", "")).strip(), f"#{loc}"))
    return tuple(out)


def _cred_name(scheme: str) -> str:
    """`ApiKeyAuth` -> `api_key`, `AdminApiKeyAuth` -> `admin_api_key`, `bearer` -> `bearer_token`."""
    name = naming.snake(scheme, empty="credential")
    for suffix in ("_auth", "_authentication", "_scheme", "_security"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    if name in ("bearer", "basic", "oauth", "oauth2"):  # a scheme named `token` stays `token`
        name += "_token"
    return naming.escape(naming.param_name(name), naming.CLIENT_ARGUMENTS)


def _warn_unsupported(spec: dict[str, Any], diags: Any, callbacks: int) -> None:
    webhooks: Any = spec.get("webhooks")
    if isinstance(webhooks, dict) and webhooks:
        diags.warning("webhooks-skipped", "/webhooks",
                      f"{len(webhooks)} webhooks are described for servers, not clients: no SDK code generated")
    if callbacks:
        diags.warning("callbacks-skipped", "/paths", f"callbacks on {callbacks} operations are not generated")
