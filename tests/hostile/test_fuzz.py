"""Property-based fuzzing: random but valid OpenAPI 3.0/3.1 specs (hostile names, every schema
shape, unions with and without discriminator, both nullable styles, enums, nasty text, operations
with parameters, bodies and responses) must generate without errors, every generated file must
compile and every path be safe; one example in IMPORT_EVERY is written out and imported (batched:
IMPORT_BATCH packages per subprocess), after a second build from the spec with its keys shuffled
gives byte-identical files.

Profiles (select with the HYPOTHESIS_PROFILE environment variable; `ci` when unset):
  ci       1,000 examples, derandomized (the same examples every run)
  nightly  10,000 random examples
  dev      50 examples, for a quick local run
"""

from __future__ import annotations

import functools
import json
import keyword
import os
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generator.render
from generator import write
from generator.config import Config
from generator.diagnostics import Collector, Severity
from generator.pipeline import build
from tests.hostile.support import import_check

SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
           HealthCheck.filter_too_much]
settings.register_profile("ci", max_examples=1000, derandomize=True, deadline=None, database=None,
                          suppress_health_check=SLOW_OK, print_blob=True)
settings.register_profile("nightly", max_examples=10_000, deadline=None, suppress_health_check=SLOW_OK,
                          print_blob=True)
settings.register_profile("dev", max_examples=50, deadline=None, suppress_health_check=SLOW_OK, print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
IMPORT_EVERY = 40
IMPORT_BATCH = 10

# ----------------------------------------------------------------------------------- strategies

RESERVED = sorted({*keyword.kwlist, *keyword.softkwlist, "type", "self", "cls", "json", "model_config",
                   "timeout", "extra_headers", "extra_query", "extra_body", "max_retries", "model_fields",
                   "dict", "copy", "schema", "validate", "__init__", "__class__", "__root__", "_private",
                   "BaseModel", "Field", "Any", "Literal", "list", "str", "int", "float", "bool", "bytes",
                   "date", "datetime", "client", "request", "close", "base_url", "with_raw_response",
                   "Operation", "NotGiven", "Client", "AsyncClient", "TYPE_CHECKING", "CON", "aux"})
PAYLOADS = ['"""; import os; os.system("touch PWNED"); """', "'''; print('SDKFORGE-PWNED'); '''", "\\", "\\x00",
            "{{ 7*7 }} {% if 1 %}", "</details><script>x</script>", "a\r\nb\rc\u2028d\u2029e\x85f",
            "nul\x00", "\u202e\u2066bidi", "`|`", "trailing\\"]
PUNCT = "-_. $@!|'\"`{}<>[]()#%&*+=~,;:?/\\"

ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
name_text = st.one_of(
    st.sampled_from(RESERVED),
    st.text(st.sampled_from(ALNUM + "_"), min_size=1, max_size=10),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=10),
    st.text(st.sampled_from(PUNCT + "aZ1ü"), min_size=1, max_size=8),
)
# Component names are limited to ^[a-zA-Z0-9._-]+$ by the OpenAPI specification.
component_name = st.one_of(
    st.sampled_from([r for r in RESERVED if r.replace("_", "").isalnum()]),
    st.text(st.sampled_from(ALNUM + "._-"), min_size=1, max_size=14),
)
text = st.one_of(st.text(max_size=40), st.sampled_from(PAYLOADS))
scalar_value = st.one_of(st.text(max_size=8), st.integers(-3, 10**12), st.booleans(), st.sampled_from(PAYLOADS))


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{_escape(name)}"}


def _nullable(schema: dict[str, Any], v31: bool) -> dict[str, Any]:
    if not v31:
        return {**schema, "nullable": True}
    if isinstance(schema.get("type"), str) and "$ref" not in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _no_cast_bug(value: Any) -> Any:
    """A `"` in a const that ends up in a return type injects code (CAST_BUG in test_generates.py, a
    strict xfail there): keep it out of the fuzz until render/resources is fixed, so the fuzz keeps
    looking for other bugs."""
    return value.replace('"', "'") if isinstance(value, str) else value


@st.composite
def scalars(draw: Any, v31: bool) -> dict[str, Any]:
    kind = draw(st.sampled_from(["string", "fmt", "integer", "number", "boolean", "enum", "const", "any", "null"]))
    if kind == "string":
        return {"type": "string"}
    if kind == "fmt":
        return {"type": "string", "format": draw(st.sampled_from(
            ["date-time", "date", "uuid", "binary", "byte", "email", "uri", "time", "nonsense"]))}
    if kind in ("integer", "number"):
        return {"type": kind, **draw(st.sampled_from([{}, {"format": "int64"}, {"format": "float"}]))}
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "enum":
        values = draw(st.lists(st.one_of(st.text(max_size=6), st.integers(-3, 10**12), st.sampled_from(PAYLOADS)),
                               min_size=1, max_size=6, unique_by=lambda v: (type(v).__name__, v)))
        if len(values) == 1:  # a one-value enum is a const: see _no_cast_bug
            values = [_no_cast_bug(values[0])]
        if draw(st.booleans()):
            values.append(None)
        typed = {"type": "string"} if all(isinstance(v, str) for v in values) else {}
        return {**typed, "enum": values}
    if kind == "const" and v31:
        return {"const": _no_cast_bug(draw(scalar_value))}
    if kind == "null" and v31:
        return {"type": "null"}
    return {}


def schemas(names: list[str], v31: bool, anywhere: list[str] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    return _schemas(tuple(names), v31, tuple(anywhere if anywhere is not None else names))


@functools.lru_cache(maxsize=4096)
def _schemas(names: tuple[str, ...], v31: bool, anywhere: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    """Schemas that may refer to `names` anywhere, and to `anywhere` only as an inline object's
    property (see `specs` for which references may cycle)."""
    base = scalars(v31)
    if names:
        base = st.one_of(base, st.sampled_from(names).map(_ref))

    def extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        prop = st.one_of(children, st.sampled_from(anywhere).map(_ref)) if anywhere else children
        props = st.dictionaries(name_text, prop, max_size=5)

        @st.composite
        def obj(draw: Any) -> dict[str, Any]:
            properties = draw(props)
            out: dict[str, Any] = {"type": "object", "properties": properties}
            if properties:
                out["required"] = draw(st.lists(st.sampled_from(sorted(properties)), unique=True))
            extra = draw(st.sampled_from([None, False, True, "schema"]))
            if extra == "schema":
                out["additionalProperties"] = draw(children)
            elif extra is not None:
                out["additionalProperties"] = extra
            return out

        @st.composite
        def union(draw: Any) -> dict[str, Any]:
            return {draw(st.sampled_from(["oneOf", "anyOf"])): draw(st.lists(children, min_size=1, max_size=4))}

        @st.composite
        def all_of(draw: Any) -> dict[str, Any]:
            parts = draw(st.lists(children, min_size=1, max_size=3))
            return {"allOf": parts, **({"properties": draw(props)} if draw(st.booleans()) else {})}

        return st.one_of(
            obj(),
            children.map(lambda s: {"type": "array", "items": s}),
            children.map(lambda s: {"type": "object", "additionalProperties": s}),
            union(),
            all_of(),
            children.map(lambda s: _nullable(s, v31)),
        )

    shaped = st.recursive(base, extend, max_leaves=10)

    @st.composite
    def annotated(draw: Any) -> dict[str, Any]:
        schema = draw(shaped)
        extra: dict[str, Any] = {}
        for key, strategy in (("description", text), ("title", text), ("example", scalar_value),
                              ("default", scalar_value), ("deprecated", st.booleans())):
            if draw(st.integers(0, 4)) == 0:
                extra[key] = draw(strategy)
        if "$ref" in schema and not v31:
            return schema  # 3.0: siblings of $ref are ignored, keep it plain
        return {**schema, **extra}

    return annotated()


@st.composite
def discriminated(draw: Any, names: list[str], v31: bool) -> dict[str, dict[str, Any]]:
    """A union of object components told apart by a `kind` property, with or without a mapping."""
    taken = {n.lower() for n in names}
    count = draw(st.integers(2, 3))
    variants: dict[str, dict[str, Any]] = {}
    values = draw(st.lists(st.text(min_size=1, max_size=6), min_size=count, max_size=count, unique=True))
    for i, value in enumerate(values):
        name = f"Variant{len(names)}x{i}"
        assert name.lower() not in taken
        kind_schema = {"const": value} if v31 else {"type": "string", "enum": [value]}
        variants[name] = {"type": "object", "required": ["kind"],
                          "properties": {"kind": kind_schema, "payload": draw(schemas(names, v31))}}
    disc: dict[str, Any] = {"propertyName": "kind"}
    if draw(st.booleans()):
        disc["mapping"] = {value: f"#/components/schemas/{name}" for value, name in zip(values, variants, strict=True)}
    union = {"oneOf": [_ref(n) for n in variants], "discriminator": disc}
    return {**variants, f"Union{len(names)}": union}


@st.composite
def operations(draw: Any, names: list[str], v31: bool) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    ids: set[str] = set()
    param_name = name_text.filter(lambda n: n and not set(n) & set("{}/"))
    for _ in range(draw(st.integers(0, 3))):
        vars_ = draw(st.lists(param_name, max_size=2, unique=True))
        segments = [draw(st.text(st.sampled_from("abcxyz_-0"), min_size=1, max_size=8))] + [f"{{{v}}}" for v in vars_]
        path = "/" + "/".join(segments)
        if path in paths:
            continue
        item: dict[str, Any] = {}
        for method in draw(st.lists(st.sampled_from(["get", "post", "put", "delete", "patch"]), min_size=1,
                                    max_size=2, unique=True)):
            op: dict[str, Any] = {"responses": {}}
            op_id = draw(st.one_of(st.none(), name_text))
            if op_id is not None and op_id not in ids:
                ids.add(op_id)
                op["operationId"] = op_id
            if draw(st.booleans()):
                op["tags"] = draw(st.lists(name_text, min_size=1, max_size=2))
            for key in ("summary", "description"):
                if draw(st.booleans()):
                    op[key] = draw(text)
            params = [{"name": v, "in": "path", "required": True, "schema": draw(scalars(v31))} for v in vars_]
            for name in draw(st.lists(param_name, max_size=3, unique=True)):
                where = draw(st.sampled_from(["query", "header", "cookie", "query"]))
                schema = draw(st.one_of(scalars(v31), schemas(names, v31)))
                params.append({"name": name, "in": where, "required": draw(st.booleans()), "schema": schema,
                               "description": draw(text)})
            if params:
                op["parameters"] = params
            if method != "get" and draw(st.booleans()):
                media = draw(st.sampled_from(["application/json", "application/json", "multipart/form-data",
                                              "application/octet-stream", "application/x-www-form-urlencoded"]))
                op["requestBody"] = {"required": draw(st.booleans()),
                                     "content": {media: {"schema": draw(schemas(names, v31))}}}
            for status in draw(st.lists(st.sampled_from(["200", "201", "204", "400", "4XX", "default"]),
                                        min_size=1, max_size=3, unique=True)):
                response: dict[str, Any] = {"description": draw(text)}
                if status != "204" and draw(st.booleans()):
                    media = draw(st.sampled_from(["application/json", "text/plain", "application/octet-stream"]))
                    response["content"] = {media: {"schema": draw(schemas(names, v31))}}
                op["responses"][status] = response
            item[method] = op
        paths[path] = item
    return paths


@st.composite
def recursive_alias(draw: Any, names: list[str], earlier: list[str], v31: bool) -> dict[str, Any]:
    """An alias naming any component (itself included) from a list, a map or a union."""
    target = _ref(draw(st.sampled_from(names)))
    other = draw(schemas(earlier, v31))
    shapes = [{"type": "array", "items": target}, {"type": "object", "additionalProperties": target},
              {draw(st.sampled_from(["oneOf", "anyOf"])): [other, target]},
              {"anyOf": [other, {"type": "array", "items": target}]}]
    shape = draw(st.sampled_from(shapes))
    return _nullable(shape, v31) if draw(st.booleans()) else shape


@st.composite
def specs(draw: Any) -> dict[str, Any]:
    """Components are objects (models) or anything else (aliases: unions, lists, maps, scalars, enums).
    References cycle freely: a model may refer to any component from its properties, an alias to
    any component from inside a list, a map, an object or a union (`Json = str | list[Json]`,
    `Tree = dict[str, Node]` with `Node.children: Tree`, `A = B | int` with `B = A | str`). Only a
    bare `$ref` is kept to earlier aliases: `A: {$ref: B}`, `B: {$ref: A}` is an error (ref-cycle)."""
    v31 = draw(st.booleans())
    names = draw(st.lists(component_name, max_size=6, unique_by=str.lower))
    is_model = [draw(st.booleans()) for _ in names]
    models = [n for n, m in zip(names, is_model, strict=True) if m]
    components: dict[str, Any] = {}
    for i, name in enumerate(names):
        if is_model[i]:
            prop = st.one_of(schemas(names[:i], v31, anywhere=models), st.sampled_from(models).map(_ref))
            properties = draw(st.dictionaries(name_text, prop, min_size=1, max_size=5))
            schema: dict[str, Any] = {"type": "object", "properties": properties,
                                      "required": draw(st.lists(st.sampled_from(sorted(properties)), unique=True))}
            if draw(st.booleans()):
                schema["description"] = draw(text)
            components[name] = _nullable(schema, v31) if draw(st.integers(0, 5)) == 0 else schema
        else:
            aliases = [n for n, m in zip(names[:i], is_model[:i], strict=True) if not m]
            if draw(st.booleans()):
                components[name] = draw(schemas(aliases, v31, anywhere=names))
            else:
                components[name] = draw(recursive_alias(names, aliases, v31))
    if draw(st.booleans()):
        components.update(draw(discriminated(names, v31)))
    spec: dict[str, Any] = {
        "openapi": "3.1.0" if v31 else "3.0.3",
        # No backslash or `"` in titles: TITLE_BUG (test_generates.py, a strict xfail there).
        "info": {"title": draw(st.text(max_size=20).map(lambda t: t.replace("\\", "/").replace('"', "'"))),
                 "version": draw(st.text(max_size=5)), "description": draw(text)},
        "paths": draw(operations(sorted(components), v31)),
        "components": {"schemas": components},
    }
    if draw(st.booleans()):
        spec["servers"] = [{"url": draw(st.sampled_from(["https://api.test/v1", "http://x", "/relative"]))}]
    return spec


# ----------------------------------------------------------------------------------------- test


@functools.cache
def _cached_environment(user_dirs: tuple[Path, ...] = ()) -> Any:
    return _real_environment(user_dirs)


_real_environment = generator.render.environment


def _build(spec: dict[str, Any], path: Path) -> tuple[Collector, dict[str, str]]:
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    diags = Collector()
    config = Config(spec=path, output=path.parent / "unused", package_name="fz").with_defaults()
    _, files = build(config, diags)
    return diags, files


def _shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng) for k, v in items}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


def _difference(first: dict[str, str], second: dict[str, str]) -> str:
    import difflib

    changed = sorted(k for k in {*first, *second} if first.get(k) != second.get(k) and k != write.MANIFEST)
    rel = changed[0]
    diff = "".join(difflib.unified_diff(first.get(rel, "").splitlines(True), second.get(rel, "").splitlines(True),
                                        rel, f"{rel} (keys shuffled)"))
    return f"output depends on the key order of the spec: {changed}\n{diff[:3000]}"


def test_random_valid_specs_generate_compile_and_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # One Jinja environment for all examples: compiling the templates dominates a small build.
    monkeypatch.setattr(generator.render, "environment", lambda dirs=(): _cached_environment(tuple(dirs)))
    pending: list[tuple[Path, str]] = []
    failures: list[str] = []
    stats = {"examples": 0, "imported": 0, "files": 0}
    spec_file = tmp_path / "spec.json"

    def flush() -> None:
        """Import the pending packages in one subprocess; on failure, one by one to name the culprit.
        Failures are collected, not raised: hypothesis would blame the example that filled the batch."""
        if not pending:
            return
        try:
            import_check(list(pending), tmp_path)
        except AssertionError:
            for out, package in pending:
                try:
                    import_check([(out, package)], tmp_path)
                except AssertionError as exc:
                    failures.append(f"{out / 'spec.json'}:\n{str(exc)[-1500:]}")
        stats["imported"] += len(pending)
        pending.clear()

    @settings.get_profile(PROFILE)
    @given(spec=specs())
    def run(spec: dict[str, Any]) -> None:
        diags, files = _build(spec, spec_file)
        errors = [d.format() for d in diags.sorted() if d.severity is Severity.ERROR]
        assert not errors, "\n".join(errors)
        assert files and write.MANIFEST in files
        write.check_paths(files)
        for rel, body in files.items():
            if rel.endswith(".py"):
                compile(body, rel, "exec", dont_inherit=True)
        stats["examples"] += 1
        stats["files"] += len(files)
        if stats["examples"] % IMPORT_EVERY == 0:
            _, again = _build(_shuffled(spec, random.Random(stats["examples"])), spec_file)
            again.pop(write.MANIFEST)  # it records the spec file's hash, which shuffling changes
            assert again == {k: v for k, v in files.items() if k != write.MANIFEST}, _difference(files, again)
            out = tmp_path / f"example{stats['examples']}"
            for rel, body in files.items():
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                (out / rel).write_text(body, encoding="utf-8")
            (out / "spec.json").write_text(json.dumps(spec, ensure_ascii=False, indent=1), encoding="utf-8")
            pending.append((out, "fz"))
            if len(pending) >= IMPORT_BATCH:
                flush()

    run()
    flush()
    print(f"\nfuzz[{PROFILE}]: {stats['examples']} examples, {stats['files']} files compiled, "
          f"{stats['imported']} packages imported")
    assert not failures, "generated packages that do not import:\n" + "\n\n".join(failures)
    assert stats["examples"] >= min(settings.get_profile(PROFILE).max_examples, 1000) // 2
