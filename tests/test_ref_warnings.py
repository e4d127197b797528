"""Nothing is lost silently: `$ref`s where OpenAPI allows none are resolved and said once per kind of
place, an operation read as nothing is a warning naming it, a spec whose object schemas produce no
model is a warning, and each part of an operation that is skipped says so with its pointer.
`$recursiveRef` / `$dynamicRef` name the enclosing schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import ir, load
from generator.config import Config
from generator.diagnostics import Collector
from generator.normalize import normalize
from generator.resolve import Document
from tests.conftest import CHAT_SPEC

NEW_CODES = {"ref-not-allowed", "hollow-operation", "no-models", "invalid-parameter", "invalid-request-body",
             "invalid-response", "invalid-content", "invalid-operation", "invalid-path-item", "extra-success-response",
             "redirect-body-skipped", "header-param-dropped", "unresolved-dynamic-ref", "path-param-undeclared",
             "ref-siblings-ignored", "untyped-response-body", "duplicate-parameter", "swagger2-ref-skipped",
             "invalid-structure"}


def _normalize(spec: Path) -> tuple[ir.Api, list[str]]:
    diags = Collector()
    loaded = load.load(spec, diags)
    assert loaded is not None
    api = normalize(Document(spec, loaded.data, diags),
                    Config(spec=spec, output=spec.parent / "out", package_name="pkg").with_defaults())
    return api, [d.format() for d in diags.sorted() if d.severity.name != "INFO"]


def _spec(tmp_path: Path, paths: dict[str, Any], **extra: Any) -> Path:
    doc = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths, **extra}
    path = tmp_path / "api.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def _ok(schema: str = "#/components/schemas/Thing") -> dict[str, Any]:
    return {"description": "ok", "content": {"application/json": {"schema": {"$ref": schema}}}}


THING = {"schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "string"}}}}}


def test_local_operation_ref_is_read_and_warned_once(tmp_path: Path) -> None:
    listing = {"operationId": "listThings", "tags": ["things"],
               "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
               "responses": {"200": _ok()}}
    spec = _spec(tmp_path, {"/things": {"get": {"$ref": "#/x-operations/list"}},
                            "/more": {"get": {"$ref": "#/x-operations/list2"}}},
                 components=THING, **{"x-operations": {"list": listing, "list2": {**listing, "operationId": "l2"}}})
    api, warnings = _normalize(spec)
    assert warnings == ["warning: [ref-not-allowed] #/paths/~1more/get: OpenAPI does not allow $ref on operations; "
                        "this one (and 1 more) resolved as a reference all the same"]
    op = next(o for r in api.resources for o in r.operations if o.operation_id == "listThings")
    assert [p.wire_name for p in op.parameters] == ["limit"] and op.response is not None and op.response.type
    assert op.tags == ("things",) and op.origin == "#/x-operations/list"


def test_refs_on_maps_and_media_types_resolve_with_one_warning_per_place(tmp_path: Path) -> None:
    spec = _spec(tmp_path, {
        "/a": {"post": {"operationId": "a",
                        "parameters": {"$ref": "#/x-lists/params"},
                        "requestBody": {"content": {"application/json": {"$ref": "#/x-media/thing"}}},
                        "responses": {"$ref": "#/x-responses/ok"}}},
    }, components=THING, **{
        "x-lists": {"params": [{"name": "q", "in": "query", "schema": {"type": "string"}}]},
        "x-media": {"thing": {"schema": {"$ref": "#/components/schemas/Thing"}}},
        "x-responses": {"ok": {"200": _ok()}},
    })
    api, warnings = _normalize(spec)
    assert warnings == [
        "warning: [ref-not-allowed] #/paths/~1a/post/parameters: OpenAPI does not allow $ref on parameters lists; "
        "this one resolved as a reference all the same",
        "warning: [ref-not-allowed] #/paths/~1a/post/requestBody/content/application~1json: OpenAPI does not allow "
        "$ref on media types; this one resolved as a reference all the same",
        "warning: [ref-not-allowed] #/paths/~1a/post/responses: OpenAPI does not allow $ref on responses maps; this "
        "one resolved as a reference all the same",
    ]
    op = api.resources[0].operations[0]
    assert [p.wire_name for p in op.parameters] == ["q"]
    assert op.body is not None and [f.wire_name for f in op.body.fields] == ["id"]
    assert op.response is not None and isinstance(op.response.type, ir.ModelRef)


def test_hollow_operation_names_its_pointer(tmp_path: Path) -> None:
    spec = _spec(tmp_path, {"/a": {"get": {"operationId": "a", "parameters": [{"name": "q"}],
                                           "responses": {"200": {"description": "ok", "content": "text"}}}}})
    _, warnings = _normalize(spec)
    assert warnings == [
        "warning: [hollow-operation] #/paths/~1a/get: the operation declares parameters and a success response "
        "body, but none of it was read: the method takes no arguments and returns nothing typed",
        "warning: [invalid-parameter] #/paths/~1a/get/parameters/0: parameter without a valid 'name' and 'in'; "
        "skipped",
        "warning: [invalid-content] #/paths/~1a/get/responses/200/content: 'content' must be an object, got str; "
        "skipped",
    ]


def test_spec_with_object_schemas_but_no_models(tmp_path: Path) -> None:
    spec = _spec(tmp_path, {"/a": {"get": {"operationId": "a", "responses": {"204": {"description": "none"}}}}},
                 components={"responses": {"Unused": {"description": "never used", "content": {
                     "application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}})
    api, warnings = _normalize(spec)
    assert not api.models
    assert warnings == [
        "warning: [no-models] #/components/responses/Unused/content/application~1json/schema: the spec has object "
        "schemas (this is one), but no model was generated from them: no operation or component led to them"]


def test_each_skipped_part_is_a_warning(tmp_path: Path) -> None:
    other = {"type": "object", "properties": {"ready": {"type": "boolean"}}}
    spec = _spec(tmp_path, {
        "/items/{item_id}": {"get": {"operationId": "getItem", "responses": {
            "200": _ok(), "202": {"description": "later", "content": {"text/csv": {"schema": other}}},
            "302": _ok()}}},
        "/plain": {"post": {"operationId": "plain", "parameters": [
            {"name": "Authorization", "in": "header", "schema": {"type": "string"}}],
            "requestBody": {"description": "nothing in it"}, "responses": {"200": _ok()}}},
        "/odd": {"get": "not an operation", "put": {"operationId": "odd", "responses": {"200": "nope"}}},
    }, components=THING)
    _, warnings = _normalize(spec)
    assert warnings == [
        "warning: [path-param-undeclared] #/paths/~1items~1{item_id}/get: path template variable {item_id} has no "
        "parameter; added as a string",
        "warning: [extra-success-response] #/paths/~1items~1{item_id}/get/responses/202/content: the method reads "
        "every success response as the 200 response; this 202 response's different body is not typed",
        "warning: [redirect-body-skipped] #/paths/~1items~1{item_id}/get/responses/302: the client follows "
        "redirects: the body of this 302 response is not typed",
        "warning: [invalid-operation] #/paths/~1odd/get: an operation must be an object, got str; skipped",
        "warning: [invalid-response] #/paths/~1odd/put/responses/200: a response must be an object, got str; "
        "skipped",
        "warning: [header-param-dropped] #/paths/~1plain/post/parameters/0: an Authorization header parameter "
        "without a security scheme is not a method argument: declare a security scheme, or pass it in "
        "extra_headers",
        "warning: [invalid-request-body] #/paths/~1plain/post/requestBody: requestBody has no content (media "
        "types); no body is sent",
    ]


def test_other_json_success_body_is_an_alternative_not_a_warning(tmp_path: Path) -> None:
    other = {"type": "object", "properties": {"ready": {"type": "boolean"}}}
    spec = _spec(tmp_path, {"/a": {"get": {"operationId": "a", "responses": {
        "200": _ok(), "202": {"description": "later", "content": {"application/json": {"schema": other}}}}}}},
        components=THING)
    api, warnings = _normalize(spec)
    assert warnings == []
    (op,) = [o for r in api.resources for o in r.operations]
    assert [a.status for a in op.alternatives] == ["202"]


def test_same_body_under_two_success_codes_is_quiet(tmp_path: Path) -> None:
    spec = _spec(tmp_path, {"/a": {"put": {"operationId": "a", "responses": {
        "200": _ok(), "201": {"$ref": "#/components/responses/Made", "description": "made", "x-note": "quiet"},
        "204": {"description": "none"}}}}}, components={**THING, "responses": {"Made": _ok()}})
    assert _normalize(spec)[1] == []


def test_new_warnings_stay_quiet_on_the_chat_spec() -> None:
    api, warnings = _normalize(CHAT_SPEC)
    assert not [w for w in warnings if w.split("[", 1)[1].split("]", 1)[0] in NEW_CODES], warnings
    assert api.models and all(o.response is not None for r in api.resources for o in r.operations)


DYNAMIC = {
    "Leaf": {"type": "object", "properties": {"key": {"type": "string"}}},
    "Group": {"$recursiveAnchor": True, "type": "object", "properties": {
        "members": {"type": "array", "items": {"oneOf": [{"$ref": "#/components/schemas/Leaf"},
                                                         {"$recursiveRef": "#"}]}}}},
    "Tree": {"$dynamicAnchor": "node", "type": "object", "properties": {
        "children": {"type": "array", "items": {"$dynamicRef": "#node"}}}},
    "Lost": {"type": "object", "properties": {"x": {"$dynamicRef": "#nowhere"}}},
}


def test_recursive_and_dynamic_refs_name_the_enclosing_schema(tmp_path: Path) -> None:
    spec = _spec(tmp_path, {"/t": {"post": {
        "operationId": "t", "requestBody": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Group"}}}},
        "responses": {"200": _ok("#/components/schemas/Tree"), "201": _ok("#/components/schemas/Lost")}}}},
        components={"schemas": DYNAMIC})
    api, warnings = _normalize(spec)
    assert [w for w in warnings if "dynamic" in w] == [
        "warning: [unresolved-dynamic-ref] #/components/schemas/Lost/properties/x/$dynamicRef: $dynamicRef "
        "'#nowhere' names no enclosing schema or anchor; typed as Any"]
    fields = {(m.name.rsplit("/", 1)[-1], f.wire_name): f.type for m in api.models for f in m.fields}
    group, leaf, tree = "Group", "Leaf", "Tree"
    members = ir.strip_null(fields[("Group", "members")])
    assert members == ir.ListOf(ir.Union((ir.ModelRef(leaf), ir.ModelRef(group))))
    assert ir.strip_null(fields[("Tree", "children")]) == ir.ListOf(ir.ModelRef(tree))


def test_recursive_models_validate_nested_data(tmp_path: Path) -> None:
    from generator.cli import main

    spec = _spec(tmp_path, {"/t": {"post": {"operationId": "t", "requestBody": {"content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Group"}}}}, "responses": {"200": _ok("#/components/schemas/Tree")}}}},
        components={"schemas": {k: v for k, v in DYNAMIC.items() if k != "Lost"}})
    assert main(["generate", str(spec), "--output", str(tmp_path / "o"), "--package-name", "dyn", "-q"]) == 0
    code = (
        "from dyn.models import Group, Tree\n"
        "g = Group.model_validate({'members': [{'key': 'a'}, {'members': [{'key': 'b'}]}]})\n"
        "assert type(g.members[1]).__name__ == 'Group' and g.members[1].members[0].key == 'b'\n"
        "t = Tree.model_validate({'children': [{'children': []}]})\n"
        "assert type(t.children[0]).__name__ == 'Tree'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path / "o", capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("keyword", ["$recursiveRef", "$dynamicRef"])
def test_dynamic_ref_in_another_file_names_that_files_schema(tmp_path: Path, keyword: str) -> None:
    ref = "#" if keyword == "$recursiveRef" else "#self"
    node = {"type": "object", "properties": {"next": {keyword: ref}}}
    if keyword == "$dynamicRef":
        node["$dynamicAnchor"] = "self"
    (tmp_path / "chain.yaml").write_text(yaml.safe_dump(node), encoding="utf-8")
    spec = _spec(tmp_path, {"/c": {"get": {"operationId": "c", "responses": {"200": _ok("chain.yaml")}}}})
    api, warnings = _normalize(spec)
    assert warnings == []
    (model,) = api.models
    assert ir.strip_null(model.fields[0].type) == ir.ModelRef(model.name)


def test_fields_beside_a_path_item_ref_are_read(tmp_path: Path) -> None:
    (tmp_path / "items").mkdir()
    (tmp_path / "items" / "item.yaml").write_text(yaml.safe_dump({
        "get": {"operationId": "getItem", "responses": {"200": _ok("../api.yaml#/components/schemas/Thing")}}}),
        encoding="utf-8")
    spec = _spec(tmp_path, {"/items/{item_id}": {
        "$ref": "items/item.yaml",
        "parameters": [{"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "delete": {"operationId": "dropItem", "callbacks": {"done": {}},
                   "responses": {"204": {"$ref": "#/components/responses/Gone", "x-note": "n", "headers": {}}}}}},
        components={**THING, "responses": {"Gone": {"description": "gone"}}})
    api, warnings = _normalize(spec)
    assert warnings == [
        "warning: [callbacks-skipped] #/paths: callbacks on 1 operations are not generated",
        "warning: [ref-siblings-ignored] #/paths/~1items~1{item_id}/delete/responses/204: fields beside the $ref "
        "of a response are not read: this one means only what it references",
    ]
    ops = {o.operation_id: o for r in api.resources for o in r.operations}
    assert sorted(ops) == ["dropItem", "getItem"]
    assert [p.wire_name for p in ops["getItem"].parameters] == ["item_id"]
    assert [p.wire_name for p in ops["dropItem"].parameters] == ["item_id"]
    assert ops["getItem"].response is not None and ops["getItem"].response.type is not None


def test_parameter_listed_twice_is_a_warning(tmp_path: Path) -> None:
    q = {"name": "q", "in": "query", "schema": {"type": "string"}}
    spec = _spec(tmp_path, {"/s": {"parameters": [q], "get": {
        "operationId": "s", "parameters": [q, {**q, "schema": {"type": "integer"}}], "responses": {"204": {
            "description": "none"}}}}})
    api, warnings = _normalize(spec)
    assert warnings == ["warning: [duplicate-parameter] #/paths/~1s/get/parameters/1: query parameter 'q' is "
                        "listed twice; the last one is used"]  # an operation's own overrides its path item's
    (param,) = api.resources[0].operations[0].parameters
    assert param.type == ir.Scalar("int")


def test_swagger2_operation_and_path_item_refs(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(yaml.safe_dump({
        "swagger": "2.0", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"$ref": "#/x-ops/a"}}, "/b": {"$ref": "#/x-items/b"},
                  "/c": {"$ref": "other.yaml"}},
        "x-ops": {"a": {"operationId": "getA", "parameters": [{"name": "q", "in": "query", "type": "string"}],
                        "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Thing"}}}}},
        "x-items": {"b": {"delete": {"operationId": "dropB", "responses": {"204": {"description": "gone"}}}}},
        "definitions": {"Thing": {"type": "object", "properties": {"id": {"type": "string"}}}},
    }), encoding="utf-8")
    from generator.swagger2 import convert

    diags = Collector()
    loaded = load.load(spec, diags)
    assert loaded is not None
    data = convert(loaded.data, diags)
    api = normalize(Document(spec, data, diags), Config(spec=spec, output=tmp_path / "o",
                                                        package_name="pkg").with_defaults())
    assert [d.format() for d in diags.sorted() if d.severity.name != "INFO"] == [
        "warning: [ref-not-allowed] #/paths/~1a/get: OpenAPI does not allow $ref on operations; this one resolved "
        "as a reference all the same",
        "warning: [swagger2-ref-skipped] #/paths/~1c: $ref 'other.yaml': a Swagger 2.0 path item or operation is "
        "only read from the same document; skipped",
    ]
    ops = {o.operation_id: o for r in api.resources for o in r.operations}
    assert sorted(ops) == ["dropB", "getA"]
    assert [p.wire_name for p in ops["getA"].parameters] == ["q"]
    assert ops["getA"].response is not None and isinstance(ops["getA"].response.type, ir.ModelRef)


def test_structured_body_returned_raw_is_a_warning(tmp_path: Path) -> None:
    xml = {"description": "ok", "content": {"application/xml": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    text = {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}
    spec = _spec(tmp_path, {"/x": {"get": {"operationId": "x", "responses": {"200": xml}}},
                            "/t": {"get": {"operationId": "t", "responses": {"200": text}}}}, components=THING)
    api, warnings = _normalize(spec)
    assert warnings == ["warning: [untyped-response-body] #/paths/~1x/get/responses/200/content/application~1xml: "
                        "the application/xml body is returned as raw text or bytes: its schema is not used"]
    kinds = {o.operation_id: o.response.kind for r in api.resources for o in r.operations if o.response}
    assert kinds == {"x": "binary", "t": "text"}


def test_component_schemas_map_in_another_file(tmp_path: Path) -> None:
    (tmp_path / "schemas.yaml").write_text(yaml.safe_dump({
        "Thing": {"type": "object", "properties": {"id": {"type": "string"}, "badge": {"$ref": "#/Badge"}}},
        "Badge": {"type": "object", "properties": {"label": {"type": "string"}}}}), encoding="utf-8")
    spec = _spec(tmp_path, {"/t": {"get": {"operationId": "t", "responses": {"200": _ok("schemas.yaml#/Thing")}}}},
                 components={"schemas": {"$ref": "schemas.yaml"}})
    api, warnings = _normalize(spec)
    assert warnings == ["warning: [ref-not-allowed] #/components/schemas: OpenAPI does not allow $ref on schemas "
                        "maps; this one resolved as a reference all the same"]
    assert sorted(m.name for m in api.models) == ["Badge", "Thing"]


def test_dynamic_ref_prefers_the_anchor_of_its_own_component(tmp_path: Path) -> None:
    def holder(kind: str) -> dict[str, Any]:
        return {"type": "object", "properties": {"item": {"$dynamicRef": "#entry"}},
                "$defs": {"entry": {"$dynamicAnchor": "entry", "type": "object",
                                    "properties": {kind: {"type": "string"}}}}}
    spec = _spec(tmp_path, {"/h": {"get": {"operationId": "h", "responses": {
        "200": _ok("#/components/schemas/Apples"), "201": _ok("#/components/schemas/Pears")}}}},
        components={"schemas": {"Apples": holder("apple"), "Pears": holder("pear")}})
    api, warnings = _normalize(spec)
    assert not [w for w in warnings if "dynamic" in w]
    models = {m.name: m for m in api.models}
    for holder_name, wire in (("Apples", "apple"), ("Pears", "pear")):
        item = ir.strip_null(models[holder_name].fields[0].type)
        assert isinstance(item, ir.ModelRef)
        assert [f.wire_name for f in models[item.name].fields] == [wire]


HOLLOW_CODES = {"hollow-operation", "no-models", "ref-not-allowed", "unresolved-dynamic-ref", "invalid-operation",
                "invalid-path-item", "swagger2-ref-skipped"}


def test_real_specs_are_read_whole() -> None:
    """The real-world specs are single documents read whole: none of them may look hollow."""
    from generator.swagger2 import convert
    from tests.conftest import shared_or_skip

    root = shared_or_skip("specs")
    specs = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())
    for spec in specs:
        diags = Collector()
        loaded = load.load(spec, diags)
        if loaded is None:
            continue
        data = convert(loaded.data, diags) if loaded.version == "2.0" else loaded.data
        api = normalize(Document(spec, data, diags), Config(spec=spec, output=spec.parent / "out",
                                                            package_name="pkg").with_defaults())
        found = [d.format() for d in diags.sorted() if d.code in HOLLOW_CODES]
        assert not found, f"{spec}: {found}"
        if any(r.operations for r in api.resources):
            assert api.models or api.enums or api.aliases, spec


def test_response_header_and_link_refs_are_followed(tmp_path: Path) -> None:
    ok = {**_ok(), "headers": {"X-Left": {"$ref": "#/components/headers/Left"}},
          "links": {"Again": {"$ref": "#/components/links/Again"}}}
    components = {**THING, "headers": {"Left": {"schema": {"type": "integer"}}},
                  "links": {"Again": {"operationId": "a"}}}
    spec = _spec(tmp_path, {"/a": {"get": {"operationId": "a", "responses": {"200": ok}}}}, components=components)
    assert _normalize(spec)[1] == []
    broken = {**ok, "headers": {"X-Left": {"$ref": "#/components/headers/Gone"}}}
    spec = _spec(tmp_path, {"/a": {"get": {"operationId": "a", "responses": {"200": broken}}}}, components=components)
    assert _normalize(spec)[1] == [
        "error: [unresolved-ref] #/paths/~1a/get/responses/200/headers/X-Left: $ref target "
        "#/components/headers/Gone does not exist"]


def test_structure_check_reads_an_operation_ref_where_it_points(tmp_path: Path) -> None:
    from generator.pipeline import run

    (tmp_path / "ops").mkdir()
    (tmp_path / "ops" / "list.yaml").write_text(yaml.safe_dump({
        "operationId": "listThings", "responses": {"200": _ok("../api.yaml#/components/schemas/Thing")}}),
        encoding="utf-8")
    spec = _spec(tmp_path, {"/things": {"get": {"$ref": "ops/list.yaml"}}}, components=THING)
    spec.write_text(spec.read_text(encoding="utf-8").replace("openapi: 3.1.0", "openapi: 3.0.3"), encoding="utf-8")
    result = run(Config(spec=spec, output=tmp_path / "out", package_name="things").with_defaults())
    assert result.ok
    assert [d.code for d in result.diagnostics if d.severity.name == "WARNING"] == ["ref-not-allowed"]


def test_dynamic_refs_that_only_lead_back_are_any_with_a_warning(tmp_path: Path) -> None:
    spec = _spec(tmp_path, {"/a": {"get": {"operationId": "a", "responses": {"200": _ok("#/components/schemas/A")}}},
                            "/b": {"get": {"operationId": "b", "responses": {"200": _ok("#/components/schemas/Me")}}}},
        components={"schemas": {"A": {"$dynamicRef": "#/components/schemas/B"},
                                "B": {"$ref": "#/components/schemas/A"},
                                "Me": {"$recursiveRef": "#"}}})
    _, warnings = _normalize(spec)
    assert warnings == [
        "warning: [unresolved-dynamic-ref] #/components/schemas/B/$ref: $ref '#/components/schemas/A' names a "
        "reference back to itself; typed as Any",
        "warning: [unresolved-dynamic-ref] #/components/schemas/Me/$recursiveRef: $recursiveRef '#' names a "
        "reference back to itself; typed as Any",
    ]


def test_dynamic_ref_inside_all_of_merges_its_target(tmp_path: Path) -> None:
    base = {"$dynamicAnchor": "base", "type": "object", "properties": {"id": {"type": "string"}}}
    spec = _spec(tmp_path, {"/w": {"get": {"operationId": "w", "responses": {
        "200": _ok("#/components/schemas/Wrapper")}}}},
        components={"schemas": {"Wrapper": {"$defs": {"base": base}, "allOf": [
            {"$dynamicRef": "#base"}, {"type": "object", "properties": {"extra": {"type": "integer"}}}]}}})
    api, warnings = _normalize(spec)
    assert warnings == []
    wrapper = next(m for m in api.models if m.name == "Wrapper")
    assert [f.wire_name for f in wrapper.fields] == ["extra", "id"]
