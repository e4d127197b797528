"""Object schemas -> `ir.Model`, with `allOf` parts merged into one flat set of fields.

generator.normalize.schemas calls `build_model` for each object schema; what this module needs of the
schema builder and its drafts is spelled out as protocols, so it does not import schemas back."""

from __future__ import annotations

from typing import Any, Protocol

from generator import ir, naming
from generator.diagnostics import Collector
from generator.normalize import extensions
from generator.normalize.values import make_value
from generator.resolve import Document, Loc, UnresolvedRef


class SchemaBuilder(Protocol):
    """What `build_model` uses of generator.normalize.schemas.SchemaBuilder."""

    doc: Document
    diags: Collector

    def convert(self, schema: Any, loc: Loc, hint: str, owner: Loc) -> ir.TypeRef: ...


class Draft(Protocol):
    """What `build_model` reads of a generator.normalize.schemas.Draft."""

    wanted: str
    owner: Loc
    loc: Loc
    node: dict[str, Any]

_ANNOTATION_ONLY = frozenset({"description", "title", "nullable", "deprecated", "example", "examples",
                              "readOnly", "writeOnly", "default", "$comment", "externalDocs"})


class _Collected:
    def __init__(self) -> None:
        self.props: dict[str, tuple[Any, Loc]] = {}
        self.required: list[str] = []
        self.extra: tuple[Any, Loc] | None = None
        self.closed = False


def _collect(builder: SchemaBuilder, node: dict[str, Any], loc: Loc, out: _Collected,
             seen: frozenset[Loc]) -> None:
    for i, part in enumerate(node.get("allOf") or ()):
        ploc = loc.child("allOf", i)
        if isinstance(part, dict) and "$ref" not in part and ("$dynamicRef" in part or "$recursiveRef" in part):
            found = builder.doc.follow_dynamic(part, ploc)
            if found is None:
                continue
            pnode, ploc = found
        else:
            try:
                pnode, ploc = builder.doc.deref(part, ploc)
            except UnresolvedRef:
                continue
        if ploc in seen or not isinstance(pnode, dict) or set(pnode) <= _ANNOTATION_ONLY:
            continue
        if not pnode.get("properties") and not pnode.get("allOf") and any(k in pnode for k in ("oneOf", "anyOf")):
            builder.diags.warning("allof-union", ploc.pointer,
                                  "a oneOf/anyOf inside allOf cannot be merged into an object; "
                                  "its fields are not part of the model", ploc.file)
            continue
        _collect(builder, pnode, ploc, out, seen | {ploc})
    props = node.get("properties")
    if isinstance(props, dict):
        for wire, schema in props.items():
            out.props[str(wire)] = (schema, loc.child("properties", str(wire)))
    required = node.get("required")
    if isinstance(required, list):
        dupes = sorted({r for r in required if required.count(r) > 1}, key=str)
        if dupes:
            builder.diags.warning("duplicate-required", loc.child("required").pointer,
                                  f"duplicate entries in required: {', '.join(map(str, dupes))}", loc.file)
        for r in required:
            if str(r) not in out.required:
                out.required.append(str(r))
    extra = node.get("additionalProperties")
    if extra is False:
        out.closed = True
    elif isinstance(extra, dict) and extra:
        out.extra = (extra, loc.child("additionalProperties"))


def _annotation(builder: SchemaBuilder, schema: Any, loc: Loc, key: str) -> Any:
    """An annotation of a property schema, looked up through its $ref when the property has none."""
    if isinstance(schema, dict):
        if key in schema:
            return schema[key]
        if "$ref" in schema:
            try:
                target, _ = builder.doc.deref(schema, loc)
            except UnresolvedRef:
                return None
            if isinstance(target, dict):
                return target.get(key)
    return None


def _example(schema: Any) -> ir.Value | None:
    if not isinstance(schema, dict):
        return None
    if "example" in schema:
        return make_value(schema["example"])
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return make_value(examples[0])
    return None


def build_model(builder: SchemaBuilder, draft: Draft) -> ir.Model:
    collected = _Collected()
    _collect(builder, draft.node, draft.loc, collected, frozenset({draft.loc}))
    for r in collected.required:
        if r not in collected.props and draft.node.get("additionalProperties") is not False:
            # Still required (JSON Schema: any value): a field typed Any, so requests can carry it.
            builder.diags.info("required-not-defined", draft.loc.child("required").pointer,
                               f"required property {r!r} is not defined in properties; typed Any", draft.loc.file)
            collected.props[r] = ({}, draft.loc.child("required", collected.required.index(r)))
    for wire, (schema, ploc) in sorted(collected.props.items()):
        if extensions.skip_ignored(schema, wire in collected.required, "property", wire, ploc, builder.diags):
            del collected.props[wire]
    wires = sorted(collected.props)
    names = naming.dedupe_wire([(w, w, naming.field_name(extensions.name_override(
        collected.props[w][0], collected.props[w][1], builder.diags) or w)) for w in wires])
    fields = []
    for wire in wires:
        schema, ploc = collected.props[wire]
        t = builder.convert(schema, ploc, draft.wanted + naming.pascal(wire, empty="Field"), draft.owner)
        description = _annotation(builder, schema, ploc, "description")
        fields.append(ir.Field(
            name=names[wire],
            wire_name=wire,
            type=t,
            required=wire in collected.required,
            description=description.strip() if isinstance(description, str) else "",
            origin=str(ploc),
            default=make_value(schema["default"]) if isinstance(schema, dict) and "default" in schema else None,
            example=_example(schema),
            deprecated=_annotation(builder, schema, ploc, "deprecated") is True,
            read_only=_annotation(builder, schema, ploc, "readOnly") is True,
            write_only=_annotation(builder, schema, ploc, "writeOnly") is True,
        ))
    extra = None
    if collected.extra is not None:
        extra = builder.convert(collected.extra[0], collected.extra[1], draft.wanted + "Value", draft.owner)
    node = draft.node
    title = node.get("title")
    return ir.Model(
        name=str(draft.loc),
        module="",
        fields=tuple(fields),
        description=node["description"].strip() if isinstance(node.get("description"), str) else "",
        origin=str(draft.loc),
        extra=extra,
        deprecated=node.get("deprecated") is True,
        example=_example(node),
        title=title if isinstance(title, str) else "",
        required_any=_required_any(node),
    )


def _required_any(node: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    """`anyOf`/`oneOf: [{required: [a]}, {required: [b]}]` on an object: valid values hold all the
    names of at least one group (example values and the SDK's tests must pick one)."""
    for kw in ("anyOf", "oneOf"):
        if constraint_only(node, kw):
            groups = [tuple(str(r) for r in b.get("required", [])) for b in node[kw]]
            return tuple(g for g in groups if g) if all(groups) else ()
    return ()


_CONSTRAINT_KEYS = frozenset(
    {"required", "not", "minProperties", "maxProperties", "dependentRequired", "description", "title", "$comment"}
)


def constraint_only(schema: dict[str, Any], kw: str) -> bool:
    """An object's `anyOf: [{required: [a]}, {required: [b]}]`: rules over its own properties,
    not alternative shapes."""
    branches = schema.get(kw)
    return (
        isinstance(schema.get("properties"), dict)
        and isinstance(branches, list)
        and bool(branches)
        and all(isinstance(b, dict) and set(b) <= _CONSTRAINT_KEYS for b in branches)
    )
