"""Reading the parts of an operation that may be `$ref`s (here, or in other files): content maps,
media types, examples, response headers and links; the report of `$ref`s in places where the
OpenAPI document model allows none (resolved anyway, said once per kind of place); and the checks
that nothing of an operation is lost silently (hollow operations, bodies not typed, specs whose
object schemas produce no model)."""

from __future__ import annotations

from typing import Any

from generator import ir
from generator.diagnostics import Collector
from generator.normalize.objects import _example
from generator.normalize.values import make_value
from generator.resolve import Document, Loc, UnresolvedRef

# The places where OpenAPI allows a Reference Object. A `$ref` anywhere else (an operation, the
# responses map, a media type, ...) is resolved all the same, and reported once per kind of place.
REF_ALLOWED = frozenset({"path item", "parameter", "request body", "response", "header", "example", "link"})
# What may stand beside a `$ref` (3.1 lets a Reference Object override these two; extensions mean nothing
# here); path items merge theirs.
_BESIDE_REF = frozenset({"$ref", "summary", "description"})


class ContentReader:
    doc: Document
    diags: Collector
    misplaced: dict[str, list[Loc]]
    global_security: tuple[tuple[str, ...], ...]

    def deref(self, node: Any, loc: Loc) -> tuple[Any, Loc] | None:
        try:
            return self.doc.deref(node, loc)
        except UnresolvedRef:
            return None

    def follow(self, node: Any, loc: Loc, place: str) -> tuple[Any, Loc] | None:
        """`node` (at `loc`, a `place` of the OpenAPI document model) through its `$ref`s, if any."""
        if isinstance(node, dict) and "$ref" in node:
            if place not in REF_ALLOWED:
                self.misplaced.setdefault(place, []).append(loc)
            if place != "path item" and any(k not in _BESIDE_REF and not str(k).startswith("x-") for k in node):
                self.misplaced.setdefault(f"beside:{place}", []).append(loc)
        return self.deref(node, loc)

    def report_misplaced(self) -> None:
        """One warning per kind of place that held `$ref`s OpenAPI does not allow there."""
        for place in sorted(self.misplaced):
            locs = sorted(set(self.misplaced[place]), key=lambda at: (at.file, at.pointer))
            more = f" (and {len(locs) - 1} more)" if len(locs) > 1 else ""
            if place.startswith("beside:"):
                self.diags.warning("ref-siblings-ignored", locs[0].pointer,
                                   f"fields beside the $ref of {_article(place[7:])} are not read: this one{more} "
                                   "means only what it references", locs[0].file)
                continue
            self.diags.warning("ref-not-allowed", locs[0].pointer,
                               f"OpenAPI does not allow $ref on {_plural(place)}; this one{more} resolved as a "
                               "reference all the same", locs[0].file)

    # ------------------------------------------------------------------ content and media
    def _content(self, owner: dict[str, Any], loc: Loc) -> tuple[dict[str, Any], Loc]:
        """The `content` map of a request body, response or parameter (empty when there is none)."""
        cloc = loc.child("content")
        raw = owner.get("content")
        found = self.follow(raw, cloc, "content map") if raw is not None else None
        if found is None:
            return {}, cloc
        if not isinstance(found[0], dict):
            self.diags.warning("invalid-content", found[1].pointer,
                               f"'content' must be an object, got {type(found[0]).__name__}; skipped", found[1].file)
            return {}, found[1]
        return found

    def _media(self, content: dict[str, Any], media: str, cloc: Loc) -> tuple[dict[str, Any], Loc]:
        raw = content[media]
        found = self.follow(raw, cloc.child(media), "media type") if raw is not None else None
        if found is None or not isinstance(found[0], dict):
            return {}, cloc.child(media)
        return found

    def _media_example(self, owner: dict[str, Any], loc: Loc) -> ir.Value | None:
        """`example`, else the value of the first of the named `examples` (Example Objects)."""
        example = _example(owner)
        named = owner.get("examples")
        if example is None and isinstance(named, dict) and named:
            key = sorted(named, key=str)[0]
            first = self.follow(named[key], loc.child("examples", str(key)), "example")
            if first is not None and isinstance(first[0], dict) and "value" in first[0]:
                example = make_value(first[0]["value"])
        return example

    def raw_body(self, media: str, media_obj: dict[str, Any], mloc: Loc) -> None:
        """A response body the SDK hands over as text or bytes: said when its schema describes structure."""
        schema = media_obj.get("schema")
        found = self.deref(schema, mloc.child("schema")) if isinstance(schema, dict) else None
        if found is None or not isinstance(found[0], dict):
            return
        node = found[0]
        if node.get("type") in ("object", "array") or node.get("properties") or node.get("items") or any(
                isinstance(node.get(k), list) for k in ("allOf", "oneOf", "anyOf")):
            self.diags.warning("untyped-response-body", mloc.pointer,
                               f"the {media} body is returned as raw text or bytes: its schema is not used",
                               mloc.file)

    def _check_refs(self, resp: dict[str, Any], loc: Loc) -> None:
        """Response headers and links are not part of the SDK, but their `$ref`s (local or into
        other files) are followed, so that a broken one is reported where it is."""
        for key, place in (("headers", "header"), ("links", "link")):
            group = resp.get(key)
            if isinstance(group, dict):
                for name in sorted(group, key=str):
                    self.follow(group[name], loc.child(key, str(name)), place)

    def schema_identity(self, content: dict[str, Any], media: str, cloc: Loc) -> tuple[Any, ...]:
        """What a response body is (media type, schema location, schema), to compare two of them."""
        media_obj, mloc = self._media(content, media, cloc)
        schema = media_obj.get("schema")
        found = self.deref(schema, mloc.child("schema")) if isinstance(schema, dict) else None
        node, sloc = found if found is not None else (schema, None)
        return media.split(";")[0].strip().lower(), sloc, node

    def second_success(self, code: str, media: str, content: dict[str, Any], cloc: Loc, first_code: str,
                       first: tuple[Any, ...] | None) -> None:
        """A further 2xx response is not typed: said when its body differs from the first one's."""
        other = self.schema_identity(content, media, cloc)
        if first is not None and other[0] == first[0] and (
                (other[1] is not None and other[1] == first[1]) or other[2] == first[2]):
            return
        self.diags.warning("extra-success-response", cloc.pointer,
                           f"the method reads every success response as the {first_code} response; this {code} "
                           "response's different body is not typed", cloc.file)

    def check_hollow(self, op: ir.Operation, node: dict[str, Any], item: dict[str, Any], loc: Loc) -> None:
        """An operation read as nothing although its source declares something is a warning."""
        if op.parameters or op.body is not None or op.stream is not None or (
                op.response is not None and op.response.kind != "none"):
            return
        source = declared(node, item) + self._declared_responses(node.get("responses"), loc)
        if source:
            self.diags.warning("hollow-operation", loc.pointer,
                               f"the operation declares {' and '.join(source)}, but none of it was read: "
                               "the method takes no arguments and returns nothing typed", loc.file)

    def managed_header(self, wire: str, node: dict[str, Any], ploc: Loc) -> None:
        security = node["security"] if isinstance(node.get("security"), list) else self.global_security
        if wire.lower() == "authorization" and not security:
            self.diags.warning("header-param-dropped", ploc.pointer,
                               "an Authorization header parameter without a security scheme is not a method "
                               "argument: declare a security scheme, or pass it in extra_headers", ploc.file)
        else:
            self.diags.info("header-param-managed", ploc.pointer,
                            f"header parameter {wire!r} is set by the client (content type, accept or "
                            "authentication), not a method argument", ploc.file)

    def _declared_responses(self, raw: Any, loc: Loc) -> list[str]:
        found = self.deref(raw, loc.child("responses")) if raw is not None else None
        if found is None or not isinstance(found[0], dict):
            return []
        statuses = [s for s in found[0] if str(s).startswith("2")] or [s for s in found[0] if str(s) == "default"]
        for status in statuses:
            resp = self.deref(found[0][status], found[1].child(str(status)))
            if resp is not None and isinstance(resp[0], dict) and resp[0].get("content"):
                return ["a success response body"]
        return []


def _article(place: str) -> str:
    return ("an " if place[:1] in "aeiou" else "a ") + place


def _plural(place: str) -> str:
    return place[:-1] + "ies" if place.endswith("y") else place if place.endswith("s") else place + "s"


def declared(node: dict[str, Any], item: dict[str, Any]) -> list[str]:
    """What an operation's source declares besides its responses (for the hollow-operation check)."""
    out = []
    if node.get("parameters") or item.get("parameters"):
        out.append("parameters")
    if node.get("requestBody"):
        out.append("a request body")
    return out


def warn_no_models(doc: Document) -> None:
    """Object schemas in the spec, but not one model generated: something was not read."""
    for file in sorted(doc.files):
        pointer = _first_object_schema(doc.files[file])
        if pointer is not None:
            doc.diags.warning("no-models", pointer,
                              "the spec has object schemas (this is one), but no model was generated from them: "
                              "no operation or component led to them", file)
            return


def _first_object_schema(root: Any) -> str | None:
    """The pointer of the first schema with properties (keys in sorted order, so the answer does not depend
    on the order of the input), outside examples and extensions."""
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict) and props and all(isinstance(v, dict) for v in props.values()):
                return pointer
            children = [(node[k], pointer + "/" + str(k).replace("~", "~0").replace("/", "~1"))
                        for k in sorted(node, key=str)
                        if not (str(k) in ("example", "examples", "default", "enum", "const")
                                or str(k).startswith("x-"))]
        elif isinstance(node, list):
            children = [(v, f"{pointer}/{i}") for i, v in enumerate(node)]
        else:
            continue
        stack.extend(reversed([c for c in children if isinstance(c[0], (dict, list))]))
    return None
