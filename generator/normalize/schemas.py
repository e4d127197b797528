"""JSON Schema (OpenAPI 3.0 and 3.1 dialects, mixed) -> IR types and named types.

Named types are keyed by their location while the spec is walked; their final names are decided
afterwards in one sorted pass (`finalize`), so names never depend on traversal order.
Inline objects and enums become named types, named from their parent and property.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from generator import ir, naming
from generator.diagnostics import Collector
from generator.normalize import extensions
from generator.normalize.objects import build_model, constraint_only
from generator.normalize.values import make_value
from generator.resolve import Document, Loc, UnresolvedRef

_OBJECT_KEYS = ("properties", "additionalProperties", "patternProperties")
_SCALARS: dict[str, ir.ScalarKind] = {"integer": "int", "number": "float", "boolean": "bool"}
_STRING_FORMATS: dict[str, ir.ScalarKind] = {
    "date-time": "datetime", "date": "date", "binary": "binary",
}
MAX_DEPTH = 64  # inline nesting only
QUEUE_DEPTH = 16  # a `$ref` reached deeper than this is built later, from the queue, at depth 0


@dataclass
class Draft:
    """A named type under construction."""

    kind: str  # "model" | "enum" | "alias"
    wanted: str
    owner: Loc
    loc: Loc
    node: dict[str, Any]
    built: ir.Model | ir.Enum | ir.Alias | None = None


@dataclass
class SchemaBuilder:
    doc: Document
    diags: Collector
    drafts: dict[Loc, Draft] = field(default_factory=dict)
    wrappers: dict[Loc, ir.TypeRef] = field(default_factory=dict)
    _depth: int = 0
    # A `$ref` target is built where it is first reached; reached deeper than QUEUE_DEPTH, it is queued
    # and built afterwards from depth 0: a long chain of components (S0 -> S1 -> ... -> S199) never
    # counts as nesting (every link stays typed) and never deepens the stack.
    _queue: deque[Draft] = field(default_factory=deque)
    _draining: bool = False

    # ------------------------------------------------------------------ entry points
    def component(self, name: str, loc: Loc) -> ir.TypeRef:
        node = self.doc.node(loc)
        if isinstance(node, dict) and set(node) == {"$ref"} and loc not in self.drafts:
            try:
                target, tloc = self.doc.deref(node, loc)
            except UnresolvedRef:
                return ir.ANY
            if tloc.file != loc.file and tloc not in self.drafts:
                # A component that only points into another file names that schema.
                t = self._named(target, tloc, naming.class_name(name), owner=None)
                self.wrappers[loc] = t
                self._drain()
                return t
        t = self._named(node, loc, naming.class_name(extensions.name_override(node, loc, self.diags) or name),
                        owner=None)
        self._drain()
        return t

    def convert(self, schema: Any, loc: Loc, hint: str, owner: Loc) -> ir.TypeRef:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                self.diags.warning("schema-too-deep", loc.pointer,
                                   f"schema nested deeper than {MAX_DEPTH} levels; typed as Any", loc.file)
                return ir.ANY
            return self._convert(schema, loc, hint, owner)
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._drain()

    def _drain(self) -> None:
        """Build every queued named type; each starts again at depth 0 (MAX_DEPTH limits inline
        nesting only). Callers see every named type they reached built when they get control back."""
        if self._draining:
            return
        self._draining, depth = True, self._depth
        try:
            while self._queue:
                self._depth = 0
                self._build(self._queue.popleft())
        finally:
            self._draining, self._depth = False, depth

    # ------------------------------------------------------------------ conversion
    def _convert(self, schema: Any, loc: Loc, hint: str, owner: Loc) -> ir.TypeRef:
        if schema is True or schema == {} or schema is None:
            return ir.ANY
        if not isinstance(schema, dict):
            self.diags.warning("invalid-schema", loc.pointer,
                               f"schema must be an object, got {type(schema).__name__}; typed as Any", loc.file)
            return ir.ANY
        if "$ref" in schema:
            try:
                target, tloc = self.doc.deref(schema, loc)
            except UnresolvedRef:
                return ir.ANY
            t = self._named(target, tloc, self._ref_name(tloc), owner=None)
            return _nullable(t) if schema.get("nullable") is True else t
        if "$dynamicRef" in schema or "$recursiveRef" in schema:
            found = self.doc.follow_dynamic(schema, loc)
            if found is None:
                return ir.ANY
            t = self._named(found[0], found[1], self._ref_name(found[1]), owner=None)
            return _nullable(t) if schema.get("nullable") is True else t
        nullable = schema.get("nullable") is True
        types = schema.get("type")
        if isinstance(types, list):
            if "null" in types:
                nullable = True
            types = [t for t in types if t != "null"]
            types = types[0] if len(types) == 1 else (types or None)
        t = self._shape(schema, types, loc, hint, owner)
        return _nullable(t) if nullable else t

    def _shape(self, schema: dict[str, Any], types: Any, loc: Loc, hint: str, owner: Loc) -> ir.TypeRef:
        if "const" in schema:
            return ir.NULL if schema["const"] is None else _const(schema["const"])
        if isinstance(schema.get("enum"), list):
            values = [v for v in schema["enum"] if v is not None]
            nullable = len(values) < len(schema["enum"])
            if not values:
                return ir.NULL
            if len(values) == 1:
                t: ir.TypeRef = _const(values[0])
            else:
                t = self._inline(schema, loc, hint, owner, "enum")
            return _nullable(t) if nullable else t
        for kw in ("oneOf", "anyOf"):
            if isinstance(schema.get(kw), list) and schema[kw]:
                if constraint_only(schema, kw):
                    self.diags.info("validation-only-union", loc.child(kw).pointer,
                                    f"{kw} branches only add required/not rules to the object's properties: "
                                    "generated as the object (the server checks the rule)", loc.file)
                    continue
                return self._union(schema, kw, loc, hint, owner)
        if isinstance(schema.get("allOf"), list) and schema["allOf"]:
            structural, own = _allof_parts(schema)
            if len(structural) == 1 and not own:  # `allOf: [X]` (plus annotations) means X
                single = structural[0]
                return self.convert(single, loc.child("allOf", schema["allOf"].index(single)), hint, owner)
            if structural or own:
                return self._inline(schema, loc, hint, owner, "model")
            # Only annotations (`allOf: [{}]`): nothing to merge; the schema's other keywords decide.
        if isinstance(types, list):
            return ir.Union(tuple(self._shape(schema, t, loc, hint, owner) for t in types))
        if types == "object" or (types is None and any(k in schema for k in _OBJECT_KEYS)):
            if schema.get("properties"):
                return self._inline(schema, loc, hint, owner, "model")
            extra = schema.get("additionalProperties", True)
            if extra is False:
                return self._inline(schema, loc, hint, owner, "model")
            value = ir.ANY if extra is True else self.convert(extra, loc.child("additionalProperties"),
                                                              hint + "Value", owner)
            return ir.MapOf(value)
        if types == "array" or (types is None and "items" in schema):
            if "prefixItems" in schema:
                self.diags.warning("unsupported-prefix-items", loc.pointer,
                                   "prefixItems (tuples) are not supported; items typed as Any", loc.file)
                return ir.ListOf(ir.ANY)
            items = schema.get("items", True)
            if isinstance(items, list):  # draft-4 tuple form: any of the listed schemas
                self.diags.info("tuple-items", loc.child("items").pointer,
                                "items given as a list (tuple validation): typed as a list of their union",
                                loc.file)
                parts = [self.convert(s, loc.child("items", i), hint + "Item", owner) for i, s in enumerate(items)]
                unique = [p for i, p in enumerate(parts) if p not in parts[:i]]
                item = ir.ANY if not unique else unique[0] if len(unique) == 1 else ir.Union(tuple(unique))
            else:
                item = self.convert(items, loc.child("items"), hint + "Item", owner)
            return ir.ListOf(item, unique=schema.get("uniqueItems") is True, constraints=constraints(schema))
        if types == "string":
            fmt = schema.get("format")
            return ir.Scalar(_STRING_FORMATS.get(fmt, "str") if isinstance(fmt, str) else "str",
                             fmt if isinstance(fmt, str) else None, constraints(schema))
        if types in _SCALARS:
            fmt = schema.get("format")
            return ir.Scalar(_SCALARS[types], fmt if isinstance(fmt, str) else None, constraints(schema))
        if types == "null":
            return ir.NULL
        if types is not None:
            self.diags.warning("unknown-type", loc.child("type").pointer,
                               f"unknown type {types!r}; typed as Any", loc.file)
        return ir.ANY

    def _union(self, schema: dict[str, Any], kw: str, loc: Loc, hint: str, owner: Loc) -> ir.TypeRef:
        variants: list[ir.TypeRef] = []
        for i, sub in enumerate(schema[kw]):
            sub_hint = hint + _variant_suffix(sub, i)
            t = self.convert(sub, loc.child(kw, i), sub_hint, owner)
            parts = t.variants if isinstance(t, ir.Union) and t.discriminator is None else (t,)
            for p in parts:
                if p not in variants:
                    variants.append(p)
        nulls = [v for v in variants if isinstance(v, ir.Null)]
        rest = [v for v in variants if not isinstance(v, ir.Null)]
        if any(isinstance(v, ir.AnyType) for v in rest):
            rest = [ir.ANY]
        disc = None
        d = schema.get("discriminator")
        if isinstance(d, dict) and isinstance(d.get("propertyName"), str) and len(rest) > 1:
            mapping = []
            for value, ref in sorted((d.get("mapping") or {}).items()):
                try:
                    target = self.doc.target_of(str(ref), loc) if "#" in str(ref) or "/" in str(ref) \
                        else loc.__class__(loc.file, "/components/schemas/" + str(ref))
                except UnresolvedRef:
                    continue
                draft = self.drafts.get(target)
                ref_t = _ref_of(draft) if draft else None
                if ref_t in rest:
                    mapping.append((str(value), rest.index(ref_t)))
                else:
                    self.diags.warning("discriminator-mapping", loc.child("discriminator", "mapping").pointer,
                                       f"mapping {value!r} -> {ref} is not one of the variants; ignored", loc.file)
            disc = ir.Discriminator(d["propertyName"], tuple(mapping))
        if not rest:
            return ir.NULL
        core: ir.TypeRef = rest[0] if len(rest) == 1 else ir.Union(tuple(rest), disc)
        return _nullable(core) if nulls else core

    # ------------------------------------------------------------------ named types
    def _ref_name(self, loc: Loc) -> str:
        """A name for a `$ref` target: its component name, joined with the property path for a
        target inside a component (`PetDetails/properties/id` -> `PetDetailsId`)."""
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in loc.pointer.split("/")[1:]]
        for container in (["components", "schemas"], ["definitions"], ["$defs"]):
            if tokens[: len(container)] == container and len(tokens) > len(container):
                tokens = tokens[len(container):]
                break
        else:
            tokens = tokens[-1:]
        words = [t for t in tokens if t not in _SCHEMA_KEYWORDS and not t.isdigit()]
        if not words and loc.file:
            words = [loc.file.rsplit("/", 1)[-1].split(".")[0]]
        return naming.class_name("_".join(words))

    def _named(self, node: Any, loc: Loc, wanted: str, owner: Loc | None) -> ir.TypeRef:
        if loc in self.wrappers:
            return self.wrappers[loc]
        draft = self.drafts.get(loc)
        if draft is None:
            if not isinstance(node, dict):
                return self.convert(node, loc, wanted, owner or loc)
            inner = _nullable_wrapper(node, loc)
            if inner is not None:
                # `anyOf: [<inline schema>, {type: null}]`: the inline schema takes the component's name.
                self.wrappers[loc] = ir.ANY  # placeholder while the inner schema is built (recursion)
                t = _nullable(self._named(inner[0], inner[1], wanted, owner))
                self.wrappers[loc] = t
                return t
            draft = Draft(_classify(node), wanted, owner or loc, loc, node)
            self.drafts[loc] = draft
            if self._depth < QUEUE_DEPTH:
                self._build(draft)
            else:
                self._queue.append(draft)
        if draft.kind != "alias" and _node_nullable(draft.node):
            return _nullable(_ref_of(draft))
        return _ref_of(draft)

    def _inline(self, schema: dict[str, Any], loc: Loc, hint: str, owner: Loc, kind: str) -> ir.TypeRef:
        draft = self.drafts.get(loc)
        if draft is None:
            draft = Draft(kind, naming.class_name(extensions.name_override(schema, loc, self.diags) or hint), owner,
                          loc, schema)
            self.drafts[loc] = draft
            self._build(draft)  # inline: built here, so its nesting counts towards MAX_DEPTH
        return _ref_of(draft)

    def _build(self, draft: Draft) -> None:
        node, loc = draft.node, draft.loc
        if draft.kind == "model" and isinstance(node.get("discriminator"), dict):
            self.diags.warning("discriminator-base", loc.child("discriminator").pointer,
                               "a discriminator on an object without oneOf/anyOf (allOf inheritance): values "
                               "decode as this base model, not as the subtype the discriminator names", loc.file)
        description = _text(node.get("description"))
        deprecated = node.get("deprecated") is True
        key = str(loc)
        if draft.kind == "enum":
            values = [v for v in node["enum"] if v is not None]
            kind = _enum_kind(values)
            names = extensions.enum_names(node, values, loc, self.diags)
            extensions.check_unknown_values(node, loc, self.diags)
            members = tuple(ir.EnumMember(names[i] if names else naming.upper_snake(str(v)), v)
                            for i, v in enumerate(values))
            draft.built = ir.Enum(key, "", kind, members, description, key,
                                  nullable=len(values) < len(node["enum"]), deprecated=deprecated,
                                  named_members=names is not None)
        elif draft.kind == "model":
            draft.built = build_model(self, draft)
        else:
            t = self._convert(node, loc, draft.wanted, draft.owner)
            draft.built = ir.Alias(key, "", t, description, key, deprecated=deprecated,
                                   example=make_value(node["example"]) if "example" in node else None)


_SCHEMA_KEYWORDS = frozenset(
    {"properties", "items", "allOf", "anyOf", "oneOf", "additionalProperties", "$defs", "definitions",
     "not", "prefixItems", "patternProperties", "schema", "content"}
)

_ANNOTATIONS = frozenset(
    {"description", "title", "nullable", "deprecated", "readOnly", "writeOnly", "example", "examples",
     "default", "$comment", "externalDocs", "xml"}
)


def _allof_parts(node: dict[str, Any]) -> tuple[list[Any], bool]:
    """The members of `allOf` that say more than annotations, and whether the schema has
    object keywords of its own beside them."""
    structural = [p for p in node["allOf"] if not (isinstance(p, dict) and set(p) <= _ANNOTATIONS)]
    return structural, any(k in node for k in ("properties", "required", "additionalProperties"))


def _classify(node: dict[str, Any]) -> str:
    if "$ref" in node:
        return "alias"
    if isinstance(node.get("enum"), list) and len([v for v in node["enum"] if v is not None]) > 1:
        return "enum"
    if any(k in node for k in ("const", "enum")) or any(
        k in node and not constraint_only(node, k) for k in ("oneOf", "anyOf")
    ):
        return "alias"
    if isinstance(node.get("allOf"), list) and node["allOf"]:
        structural, own = _allof_parts(node)
        return "model" if own or len(structural) > 1 else "alias"
    types = node.get("type")
    if isinstance(types, list):
        types = [t for t in types if t != "null"]
        types = types[0] if len(types) == 1 else None
    if (types == "object" or types is None) and (node.get("properties") or node.get("additionalProperties") is False):
        return "model"
    return "alias"


def _nullable_wrapper(node: dict[str, Any], loc: Loc) -> tuple[dict[str, Any], Loc] | None:
    for kw in ("anyOf", "oneOf"):
        variants = node.get(kw)
        if isinstance(variants, list) and len(variants) == 2 and not node.get("discriminator"):
            rest = [(i, v) for i, v in enumerate(variants) if not (isinstance(v, dict) and v.get("type") == "null")]
            if len(rest) == 1 and isinstance(rest[0][1], dict) and "$ref" not in rest[0][1]:
                inner = dict(rest[0][1])
                if "description" not in inner and isinstance(node.get("description"), str):
                    inner["description"] = node["description"]
                return inner, loc.child(kw, rest[0][0])
    return None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


_LIMIT_KEYWORDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
                             "maxLength", "pattern", "minItems", "maxItems"})


def constraints(schema: dict[str, Any]) -> ir.Constraints | None:
    """Validation keywords (3.0's boolean exclusiveMinimum and 3.1's numeric one both understood)."""
    if _LIMIT_KEYWORDS.isdisjoint(schema):
        return None
    lo, hi = _number(schema.get("minimum")), _number(schema.get("maximum"))
    ex_lo, ex_hi = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if _number(ex_lo) is not None:
        lo, ex_lo = _number(ex_lo), True
    if _number(ex_hi) is not None:
        hi, ex_hi = _number(ex_hi), True
    pattern = schema.get("pattern")
    c = ir.Constraints(
        minimum=lo, maximum=hi, exclusive_minimum=ex_lo is True, exclusive_maximum=ex_hi is True,
        multiple_of=_number(schema.get("multipleOf")),
        min_length=_count(schema.get("minLength")), max_length=_count(schema.get("maxLength")),
        pattern=pattern if isinstance(pattern, str) else None,
        min_items=_count(schema.get("minItems")), max_items=_count(schema.get("maxItems")),
    )
    return None if c == ir.Constraints() else c


def _node_nullable(node: dict[str, Any]) -> bool:
    types = node.get("type")
    return (
        node.get("nullable") is True
        or (isinstance(types, list) and "null" in types)
        or (isinstance(node.get("enum"), list) and None in node["enum"])
    )


def _ref_of(draft: Draft) -> ir.TypeRef:
    key = str(draft.loc)
    if draft.kind == "model":
        return ir.ModelRef(key)
    if draft.kind == "enum":
        return ir.EnumRef(key)
    return ir.AliasRef(key)


def _nullable(t: ir.TypeRef) -> ir.TypeRef:
    if ir.is_nullable(t) or isinstance(t, ir.AnyType):
        return t
    if isinstance(t, ir.Union) and t.discriminator is None:
        return ir.Union((*t.variants, ir.NULL))
    return ir.Union((t, ir.NULL))


def _const(value: Any) -> ir.TypeRef:
    if isinstance(value, (str, int, float, bool)):
        return ir.Const(value)
    return ir.ANY


def _enum_kind(values: list[Any]) -> Any:
    if all(isinstance(v, bool) for v in values):
        return "bool"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "float"
    return "str"


def _variant_suffix(sub: Any, index: int) -> str:
    if isinstance(sub, dict):
        props = sub.get("properties")
        if isinstance(props, dict):
            for prop in sorted(props):
                p = props[prop]
                if isinstance(p, dict):
                    if "const" in p and isinstance(p["const"], str):
                        return naming.pascal(p["const"])
                    if isinstance(p.get("enum"), list) and len(p["enum"]) == 1 and isinstance(p["enum"][0], str):
                        return naming.pascal(p["enum"][0])
        if isinstance(sub.get("title"), str) and naming.words(sub["title"]):
            return naming.pascal(sub["title"])
        t = sub.get("type")
        if isinstance(t, str):
            return {"string": "Str", "integer": "Int", "number": "Float", "boolean": "Bool",
                    "array": "List", "object": "Object"}.get(t, f"Variant{index + 1}")
    return f"Variant{index + 1}"


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
