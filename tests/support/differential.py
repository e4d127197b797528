"""Differential testing of our generated models against datamodel-code-generator's, used as an oracle.

For a set of component schemas, JSON instances are produced (hypothesis-jsonschema from the schema,
the spec's own `example`/`examples`, and invalid mutations of valid instances); each instance is
validated by our model, by the model datamodel-code-generator emits for the same component, and by
JSON Schema itself (the `jsonschema` Draft 2020-12 validator, the spec's verdict). The accept/reject
verdicts of the two models are compared; every disagreement is classified by `classify`.

Used by tests/test_differential.py.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import json
import subprocess
import sys
import types
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pydantic
import yaml

COMPONENT = "#/components/schemas/"

# ---------------------------------------------------------------------------------- schema walking

# Keywords whose value is a schema, a list of schemas, or a map of name -> schema. Everything else
# (enum, const, default, required, ...) is data and is never walked into: a property called
# `example` or `discriminator` must survive the keyword filtering below.
_SCHEMA_ONE = ("items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
               "unevaluatedProperties", "unevaluatedItems", "additionalItems", "contentSchema")
_SCHEMA_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")

# OpenAPI-only or annotation keywords that JSON Schema generation/validation must not see:
# `discriminator` (OpenAPI's union hint; JSON Schema ignores it, and so must the instance generator),
# `example`/`examples` (data, not constraints), `xml`, `externalDocs`, `$recursiveAnchor` (its
# `$recursiveRef` is rewritten to a plain `$ref`), and plain annotations, dropped to keep the
# self-contained schemas small.
_DROPPED = frozenset({"discriminator", "example", "examples", "xml", "externalDocs", "$recursiveAnchor",
                      "description", "title", "deprecated", "readOnly", "writeOnly", "$comment",
                      "$schema", "$id"})


def map_subschemas(node: Any, fn: Callable[[Any], Any]) -> Any:
    """A shallow copy of the schema `node` with `fn` applied to every direct subschema."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _SCHEMA_ONE:
            out[key] = [fn(v) for v in value] if isinstance(value, list) else fn(value)
        elif key in _SCHEMA_LIST and isinstance(value, list):
            out[key] = [fn(v) for v in value]
        elif key in _SCHEMA_MAP and isinstance(value, dict):
            out[key] = {k: fn(v) for k, v in value.items()}
        else:
            out[key] = value
    return out


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def component_of(ref: str) -> str | None:
    """`#/components/schemas/A/properties/b` -> `A`."""
    if not ref.startswith(COMPONENT):
        return None
    return _unescape(ref[len(COMPONENT):].split("/", 1)[0])


def refs_in(node: Any) -> Iterator[str]:
    """Every `$ref` string inside a schema (keyword-aware)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for key, value in node.items():
            if key in _SCHEMA_ONE or key in _SCHEMA_LIST:
                for v in value if isinstance(value, list) else [value]:
                    yield from refs_in(v)
            elif key in _SCHEMA_MAP and isinstance(value, dict):
                for v in value.values():
                    yield from refs_in(v)


def ref_closure(schemas: dict[str, Any], names: list[str]) -> list[str]:
    """The component names `names` and every component they reference, transitively (sorted)."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        for ref in refs_in(schemas[name]):
            target = component_of(ref)
            if target is not None and target not in seen:
                todo.append(target)
    return sorted(seen)


def reduced_openapi(spec: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """An OpenAPI document holding only the components `names` and their `$ref` closure."""
    schemas = spec["components"]["schemas"]
    return {
        "openapi": spec.get("openapi", "3.1.0"),
        "info": {"title": "reduced", "version": "0"},
        "paths": {},
        "components": {"schemas": {n: schemas[n] for n in ref_closure(schemas, names)}},
    }


# ------------------------------------------------------------------------- OpenAPI -> JSON Schema


def to_json_schema(node: Any, component: str) -> Any:
    """One OpenAPI (3.0/3.1 mixed) schema as a JSON Schema 2020-12 schema.

    `$ref: #/components/schemas/X` -> `#/$defs/X`; `$recursiveRef: "#"` (2019-09, used by the OpenAI
    spec) -> a `$ref` to the enclosing component; `nullable: true` (OpenAPI 3.0, still used in 3.1
    documents and honoured by both generators) -> `anyOf: [<schema>, {type: null}]`; 3.0's boolean
    `exclusiveMinimum`/`exclusiveMaximum` -> the 2020-12 numeric form; `_DROPPED` keywords and `x-`
    extensions removed.
    """
    if not isinstance(node, dict):
        return node
    out = map_subschemas(node, lambda sub: to_json_schema(sub, component))
    out = {k: v for k, v in out.items() if k not in _DROPPED and not k.startswith("x-") and k != "nullable"}
    if isinstance(out.get("$ref"), str) and out["$ref"].startswith(COMPONENT):
        out["$ref"] = "#/$defs/" + out["$ref"][len(COMPONENT):]
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if isinstance(out.get(exclusive), bool):  # OpenAPI 3.0's boolean form
            if out[exclusive] and bound in out:
                out[exclusive] = out.pop(bound)
            else:
                del out[exclusive]
    if node.get("$recursiveRef") == "#":
        del out["$recursiveRef"]
        out["$ref"] = "#/$defs/" + component.replace("~", "~0").replace("/", "~1")
    if node.get("nullable") is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out


def json_schema_defs(schemas: dict[str, Any]) -> dict[str, Any]:
    return {name: to_json_schema(schema, name) for name, schema in schemas.items()}


def validator_for(defs: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    pointer = name.replace("~", "~0").replace("/", "~1")
    return jsonschema.Draft202012Validator({"$defs": defs, "$ref": f"#/$defs/{pointer}"})


def _resolve(defs: dict[str, Any], ref: str) -> Any:
    node: Any = {"$defs": defs}
    for token in ref.lstrip("#").split("/")[1:]:
        token = _unescape(token)
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def generation_schema(defs: dict[str, Any], name: str, max_depth: int, max_items: int) -> Any:
    """The component `name` as a self-contained schema for hypothesis-jsonschema, which cannot resolve
    recursive references and gets slow on big, open schemas. Only ever *narrowed*, so whatever it
    generates is valid against the real schema too (and every instance is re-checked by the real
    validator anyway; under `not` nothing is narrowed, see `positive` below):

    - every `$ref` is inlined; a `$ref` that would recurse (already being expanded on the current
      path) or lie deeper than `max_depth` nested references becomes the `false` schema. An optional
      recursive branch is then simply never taken; a *required* one makes generation unsatisfiable,
      which `generate` reports instead of producing instances;
    - an object schema that lists `properties` and says nothing about other properties gets
      `additionalProperties: false` (not inside `allOf`, whose parts must stay open to each other):
      random extra keys cost most of the generation time and test nothing that differs between the
      two generators (both keep or ignore unknown keys unless the schema forbids them);
    - an object schema without `type` (`properties`/`required` only, as OpenAPI documents often write
      them, e.g. OpenAI's `OpenAIFile`) gets `type: object`: by JSON Schema any non-object satisfies
      it, but both generators (rightly, for OpenAPI) read it as an object, so such instances would
      only measure that shared convention;
    - arrays get at most `max_items` items (or their `minItems`).
    """

    def walk(node: Any, stack: tuple[str, ...], in_allof: bool, positive: bool) -> Any:
        # `positive` is False under `not` (and `if`), where narrowing the subschema would *widen* the
        # schema around it: there nothing is narrowed and a bounded `$ref` becomes `true` instead.
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in stack or len(stack) >= max_depth:
                target: Any = not positive
            else:
                target = walk(_resolve(defs, ref), (*stack, ref), in_allof, positive)
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if not siblings:
                return target
            return {"allOf": [target, walk(siblings, stack, True, positive)]}
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "allOf" and isinstance(value, list):
                out[key] = [walk(v, stack, True, positive) for v in value]
            else:
                polarity = positive and key not in ("not", "if")
                out[key] = map_subschemas({key: value}, lambda sub, p=polarity: walk(sub, stack, False, p))[key]
        if not positive:
            return out
        if ("type" not in out and not in_allof and any(k in out for k in ("properties", "required"))
                and not any(k in out for k in ("allOf", "anyOf", "oneOf", "enum", "const", "$ref"))):
            out["type"] = "object"
        if (isinstance(out.get("properties"), dict) and not in_allof
                and not any(k in out for k in ("additionalProperties", "patternProperties",
                                               "unevaluatedProperties", "allOf", "anyOf", "oneOf"))):
            # required names missing from `properties` (a spec slip: OpenAI has a few) stay allowed
            undeclared = [r for r in out.get("required") or () if r not in out["properties"]]
            out["properties"] = {**out["properties"], **{r: {} for r in undeclared}}
            out["additionalProperties"] = False
        if out.get("type") == "array" or "items" in out:
            low = out.get("minItems", 0) if isinstance(out.get("minItems", 0), int) else 0
            high = out.get("maxItems") if isinstance(out.get("maxItems"), int) else max_items
            out["maxItems"] = max(low, min(high, max_items))
        return out

    root = "#/$defs/" + name.replace("~", "~0").replace("/", "~1")
    return walk(_resolve(defs, root), (root,), False, True)


# ------------------------------------------------------------------------------------ instances


@dataclass(frozen=True)
class Instance:
    schema: str  # component name
    source: str  # "generated", "example", "mutation: ..."
    value: Any
    spec_valid: bool  # the jsonschema Draft 2020-12 verdict


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


class _LegacyMany:
    """`cu.many` with the `more()`/`reject()` protocol hypothesis-jsonschema 0.23.1 (the latest release)
    drives it with. Hypothesis 6.15x+ replaced that protocol by `with many(...) as e: for _ in e:`, so
    every object schema fails with "'many' object has no attribute 'more'"; this adapter runs the new
    protocol step by step."""

    def __init__(self, data: Any, min_size: int, max_size: float, average_size: float) -> None:
        from hypothesis.internal.conjecture import utils as cu

        self._many = cu.many(data, min_size=min_size, max_size=max_size, average_size=average_size)
        self._many.__enter__()
        self._steps = iter(self._many)

    def more(self) -> bool:
        try:
            next(self._steps)
            return True
        except StopIteration:
            self._many.__exit__(None, None, None)
            return False

    def reject(self, why: str | None = None) -> None:
        self._many.reject(why)


@contextlib.contextmanager
def _no_local_constants() -> Iterator[None]:
    """Hypothesis (6.13x+) mixes constants it finds in the *loaded local modules* (the repository's
    code, the generated SDKs, other test files) into what it draws, so the same derandomized
    generation gave different instances under `pytest tests/` than under `pytest tests/this_file.py`.
    Without them, the instances depend on the schema alone."""
    from hypothesis.internal.conjecture import providers

    get = getattr(providers, "_get_local_constants", None)
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    if get is None or cache is None or not hasattr(providers, "Constants"):
        yield
        return
    empty = providers.Constants()
    cache.cache.clear()
    providers._get_local_constants = lambda: empty
    try:
        yield
    finally:
        providers._get_local_constants = get
        cache.cache.clear()


@contextlib.contextmanager
def _hypothesis_jsonschema_patched() -> Iterator[None]:
    """Run hypothesis-jsonschema with local patches, undone on exit:

    - `_no_local_constants` (above), for reproducible instances;
    - the `cu.many` adapter above, when the installed Hypothesis needs it;
    - memoized strategy building: hypothesis-jsonschema re-canonicalises the subschema of every
      object property on *every draw* (its `__from_schema` is called inside the object strategy), which
      made one big chat schema take ~25 s for 20 instances; the strategies built for a given schema
      are the same each time, so they are cached by the schema's canonical JSON for the duration of
      one `generate` call.
    """
    from hypothesis.internal.conjecture import utils as cu
    from hypothesis_jsonschema import _from_schema

    saved = dict(vars(_from_schema))
    build = vars(_from_schema)["__from_schema"]
    merge = _from_schema.merged_as_strategies
    encode = vars(_from_schema)["encode_canonical_json"]
    cache: dict[Any, Any] = {}

    def cached_build(schema: Any, *, alphabet: Any, custom_formats: Any) -> Any:
        key = ("one", encode(schema), id(alphabet), id(custom_formats))
        if key not in cache:
            cache[key] = build(schema, alphabet=alphabet, custom_formats=custom_formats)
        return cache[key]

    def cached_merge(schemas: Any, *, alphabet: Any, custom_formats: Any) -> Any:
        key = ("all", tuple(encode(s) for s in schemas), id(alphabet), id(custom_formats))
        if key not in cache:
            cache[key] = merge(schemas, alphabet=alphabet, custom_formats=custom_formats)
        return cache[key]

    if not hasattr(cu.many, "more"):
        setattr(_from_schema, "cu", types.SimpleNamespace(many=_LegacyMany))  # noqa: B010
    setattr(_from_schema, "__from_schema", cached_build)  # noqa: B010 (a module global, not mangled)
    _from_schema.merged_as_strategies = cached_merge
    try:
        with _no_local_constants():
            yield
    finally:
        for key in ("cu", "__from_schema", "merged_as_strategies"):
            setattr(_from_schema, key, saved[key])


def generate(schema: Any, max_examples: int) -> tuple[list[Any], str]:
    """Up to `max_examples` instances of `schema` from hypothesis-jsonschema, derandomized (the same
    instances on every run). Returns (instances, problem); `problem` says why there are none."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import HypothesisException
    from hypothesis_jsonschema import from_schema

    found: list[Any] = []

    @settings(max_examples=max_examples, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    @given(from_schema(schema))
    def collect(value: Any) -> None:
        found.append(value)

    try:
        with warnings.catch_warnings(), _hypothesis_jsonschema_patched():
            warnings.simplefilter("ignore")
            collect()
    except (HypothesisException, jsonschema.SchemaError, RecursionError) as exc:
        if not found:
            return [], f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
    except Exception as exc:  # hypothesis-jsonschema surfaces its schema errors lazily, as any type
        if not found:
            return [], f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
    return found, ""


def spec_examples(schema: Any) -> list[Any]:
    """The `example`/`examples` of a schema node."""
    if not isinstance(schema, dict):
        return []
    out = [schema["example"]] if "example" in schema else []
    if isinstance(schema.get("examples"), list):
        out += schema["examples"]
    return out


def property_examples(schema: Any) -> list[tuple[str, Any]]:
    """(property, example) for the properties of a component (its own and those of its inline `allOf`
    parts) that carry an `example`/`examples`."""
    if not isinstance(schema, dict):
        return []
    parts = [schema, *(p for p in schema.get("allOf") or () if isinstance(p, dict))]
    out = []
    for part in parts:
        for prop, sub in sorted((part.get("properties") or {}).items()):
            out += [(prop, example) for example in spec_examples(sub)]
    return out


# Values of a wrong JSON type, tried in this order; `null` is deliberately absent (both generators
# accept `null` for optional properties, which servers do send, so it would only test that policy).
_WRONG = ("wrong type", 12345, True, ["wrong type"], {"wrong": "type"})
UNKNOWN_PROPERTY = "x_differential_unknown"
UNKNOWN_STRING = "x-differential-unknown-value"


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def mutations(value: Any, validator: jsonschema.Draft202012Validator) -> Iterator[tuple[str, Any]]:
    """Simple invalid variants of a valid object instance, each confirmed invalid by JSON Schema: a
    property removed (so: a required one); a property's value replaced by one of a wrong JSON type, or
    by a value of the right type that the schema excludes (an unknown string: an enum, const, pattern
    or length; +/-10**9 for a number: an enum or bounds); an unknown property added (so: the schema
    forbids it)."""
    if not isinstance(value, dict):
        return
    for key in sorted(value):
        removed = {k: v for k, v in value.items() if k != key}
        if not validator.is_valid(removed):
            yield f"mutation: required {key!r} removed", removed
        for wrong in _WRONG:
            if json_type(wrong) == json_type(value[key]):
                continue
            replaced = {**value, key: copy.deepcopy(wrong)}
            if not validator.is_valid(replaced):
                yield f"mutation: {key!r} set to a {json_type(wrong)}", replaced
                break
        if isinstance(value[key], str):
            replaced = {**value, key: UNKNOWN_STRING}
            if not validator.is_valid(replaced):
                yield f"mutation: {key!r} set to an unknown string", replaced
        if isinstance(value[key], (int, float)) and not isinstance(value[key], bool):
            for far in (10**9, -(10**9)):
                replaced = {**value, key: far}
                if not validator.is_valid(replaced):
                    yield f"mutation: {key!r} set to {far}", replaced
                    break
    added = {**value, UNKNOWN_PROPERTY: 1}
    if not validator.is_valid(added):
        yield "mutation: unknown property added", added


def pick(candidates: list[tuple[str, Any]], budget: int) -> list[tuple[str, Any]]:
    """Up to `budget` candidates, deterministically, one of each kind (`source`) first."""
    first: list[tuple[str, Any]] = []
    rest: list[tuple[str, Any]] = []
    kinds: set[str] = set()
    for source, value in candidates:
        (rest if source in kinds else first).append((source, value))
        kinds.add(source)
    return (first + rest)[:budget]


@dataclass(frozen=True)
class Settings:
    max_examples: int  # hypothesis examples per schema
    max_mutations: int  # invalid mutations per schema
    depths: tuple[int, ...] = (3, 5)  # `$ref` nesting bounds tried in turn until one is satisfiable
    max_items: int = 3


def instances_for(name: str, raw: Any, defs: dict[str, Any], validator: jsonschema.Draft202012Validator,
                  settings: Settings) -> tuple[list[Instance], str]:
    """Generated instances, the spec's examples, and invalid mutations for one component, each with
    JSON Schema's verdict. Returns (instances, why nothing was generated)."""
    generated: list[Any] = []
    problem = ""
    for depth in settings.depths:
        generated, problem = generate(generation_schema(defs, name, depth, settings.max_items),
                                      settings.max_examples)
        if generated:
            break
    out: list[Instance] = []
    seen: set[str] = set()

    def add(source: str, value: Any) -> None:
        key = canonical(value)
        if key not in seen:
            seen.add(key)
            out.append(Instance(name, source, value, validator.is_valid(value)))

    for value in generated:
        add("generated", value)
    for value in spec_examples(raw):
        add("example", value)
    base = next((i.value for i in out if i.spec_valid and isinstance(i.value, dict)), None)
    if base is not None:
        for prop, example in property_examples(raw):
            add(f"example: property {prop!r}", {**base, prop: example})
    candidates = [m for inst in out[:12] if inst.spec_valid for m in mutations(inst.value, validator)]
    for source, value in pick(candidates, settings.max_mutations):
        add(source, value)
    return out, problem


# ----------------------------------------------------------------------------- the oracle's models


class Oracle:
    """datamodel-codegen run on a reduced OpenAPI document, started in the background.

    Options chosen so that its models say what the schema says, and are comparable to ours:
    - `--strict-nullable`: a property with a default is nullable only if the schema says so (an
      optional property without one is `X | None = None`, as ours are);
    - `--enum-field-as-literal all`: enums as `Literal[...]`, validated by value like ours;
    - `--use-annotated` (implies `--field-constraints`): constraints as `Field(ge=..., pattern=...)`;
    - no `--snake-case-field`/alias/extra-fields options: instances are validated by wire names,
      which datamodel-codegen keeps as field names or aliases, and `additionalProperties` decides
      `extra` as the schema says;
    - `--emit-model-metadata`: which class each component became (by JSON pointer), instead of
      second-guessing its naming rules;
    - `--formatters builtin`, `--disable-timestamp`: fast and deterministic.
    """

    def __init__(self, reduced: dict[str, Any], workdir: Path, module_name: str) -> None:
        self.workdir = workdir
        self.module_name = module_name
        self.models_path = workdir / "oracle_models.py"
        self.meta_path = workdir / "oracle_meta.json"
        spec_path = workdir / "reduced.yaml"
        spec_path.write_text(yaml.safe_dump(reduced, sort_keys=False, allow_unicode=True), encoding="utf-8")
        exe = Path(sys.executable).with_name("datamodel-codegen")
        self.command = [
            str(exe), "--input", str(spec_path), "--input-file-type", "openapi",
            "--output-model-type", "pydantic_v2.BaseModel", "--output", str(self.models_path),
            "--emit-model-metadata", str(self.meta_path), "--strict-nullable",
            "--enum-field-as-literal", "all", "--use-annotated", "--target-python-version", "3.10",
            "--formatters", "builtin", "--disable-timestamp", "--disable-warnings",
        ]
        self._proc = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.module: Any = None
        self.classes: dict[str, str] = {}  # component name -> class name

    def wait(self) -> Oracle:
        if self.module is not None:
            return self
        _, err = self._proc.communicate(timeout=600)
        if self._proc.returncode != 0:
            raise RuntimeError(f"datamodel-codegen failed ({self._proc.returncode}): {' '.join(self.command)}\n"
                               f"{err[-4000:]}")
        for model in json.loads(self.meta_path.read_text(encoding="utf-8"))["models"]:
            path = model.get("source_path") or []
            if len(path) == 3 and path[:2] == ["components", "schemas"] and not model.get("module"):
                self.classes.setdefault(path[2], model["class_name"])
        self.module = import_file(self.models_path, self.module_name)
        return self

    def stop(self) -> None:
        """End datamodel-codegen if it is still running (the caller failed before `wait`)."""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.communicate()

    def type_for(self, component: str) -> Any:
        name = self.classes.get(component)
        return None if name is None else getattr(self.module, name, None)


def import_file(path: Path, module_name: str) -> Any:
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------------------ our models


def admits_null(schema: Any) -> bool:
    """Whether a component schema accepts `null` at its top level (read from the schema, not from the
    generator). Our generator types such a component as the non-null type and adds `| None` where it
    is referenced, so the type under test for it is `Optional[<our type>]`."""
    if not isinstance(schema, dict):
        return False
    types_ = schema.get("type")
    if schema.get("nullable") is True or (isinstance(types_, list) and "null" in types_) or types_ == "null":
        return True
    if isinstance(schema.get("enum"), list) and None in schema["enum"]:
        return True
    return any(isinstance(v, dict) and (v.get("type") == "null" or v.get("enum") == [None])
               for kw in ("anyOf", "oneOf") for v in schema.get(kw) or ())


def our_component_names(api: Any) -> dict[str, str]:
    """Component name -> the name our SDK exports for it, read from the IR (`ir.Api`): the named type
    whose origin is `#/components/schemas/<name>`, or for a component `anyOf: [<inline>, {type: null}]`
    the inline schema, which takes the component's name."""
    prefix = COMPONENT[1:]
    direct: dict[str, str] = {}
    wrapped: dict[str, str] = {}
    for t in api.named_types():
        origin = t.origin.split("#", 1)[-1]
        if not origin.startswith(prefix):
            continue
        rest = origin[len(prefix):].split("/")
        if len(rest) == 1:
            direct[_unescape(rest[0])] = t.name
        elif len(rest) == 3 and rest[1] in ("anyOf", "oneOf"):
            wrapped.setdefault(_unescape(rest[0]), t.name)
    return {**wrapped, **direct}


@contextlib.contextmanager
def closed_enums(runtime_models: Any) -> Iterator[bool]:
    """Our open enums made closed for a while: the body of the runtime's `_open_enum` wrap validator
    (which accepts unknown str/int values) is swapped for one that only delegates to the `Literal`.
    Yields False (and changes nothing) if the runtime has no such validator."""
    fn = getattr(runtime_models, "_open_enum", None)
    if not isinstance(fn, types.FunctionType) or fn.__code__.co_argcount != 2:
        yield False
        return

    def closed(value: Any, handler: Any, *, kinds: Any = None) -> Any:
        return handler(value)

    saved = fn.__code__
    fn.__code__ = closed.__code__
    try:
        yield True
    finally:
        fn.__code__ = saved


# ------------------------------------------------------------------------------------ verdicts



@dataclass
class Verdict:
    ok: bool
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def error_types(self) -> tuple[str, ...]:
        return tuple(sorted({e["type"] for e in self.errors}))


def validate(adapter: pydantic.TypeAdapter[Any], value: Any) -> Verdict:
    try:
        adapter.validate_python(copy.deepcopy(value))
        return Verdict(True)
    except pydantic.ValidationError as exc:
        return Verdict(False, [{"type": e["type"], "loc": e["loc"], "msg": e["msg"], "input": e.get("input"),
                                "ctx": {k: str(v) for k, v in (e.get("ctx") or {}).items()}}
                               for e in exc.errors()])
    except Exception as exc:  # a model that crashes on an input is a finding, not an abort
        return Verdict(False, [{"type": f"crash: {type(exc).__name__}", "loc": (), "msg": str(exc)[:300],
                                "input": None, "ctx": {}}])


# ------------------------------------------------------------------------------ classification

# Disagreement classes. `classify` only names what happened; which classes are expected, and why, is
# decided in tests/test_differential.py.
OPEN_ENUM = "open enum: unknown value of the enum's own type accepted"
OPEN_ENUM_OTHER_TYPE = "open enum: value of another JSON type accepted"
EXTRA_KEPT = "unknown property kept although additionalProperties is false"
CONSTRAINTS = "constraint (length, bounds, pattern, item count) not enforced"
ORACLE_REJECTS_VALID = "oracle rejects a valid instance"
ORACLE_ACCEPTS_INVALID = "oracle accepts an invalid instance"
OURS_ACCEPTS_INVALID = "ours accepts an invalid instance"
OURS_REJECTS_VALID = "ours rejects a valid instance"

CONSTRAINT_ERRORS = frozenset({
    "string_too_short", "string_too_long", "string_pattern_mismatch", "too_short", "too_long",
    "greater_than", "greater_than_equal", "less_than", "less_than_equal", "multiple_of",
    "dict_too_short", "dict_too_long", "set_too_short", "set_too_long",
})


def _literal_kind(expected: str) -> str:
    return "string" if "'" in expected or '"' in expected else "number"


def classify(inst: Instance, ours: Verdict, theirs: Verdict, ours_closed: Verdict | None,
             validator: jsonschema.Draft202012Validator) -> str:
    """The class of a disagreement (ours.ok != theirs.ok), decided against JSON Schema's verdict:

    - our verdict equals JSON Schema's: the oracle deviates, `ORACLE_*: <what it reported>`;
    - we accept an instance JSON Schema rejects: `OPEN_ENUM*` if closing our open enums makes us
      reject it too (split by whether the accepted value has the enum's JSON type), `EXTRA_KEPT` or
      `CONSTRAINTS` if that is all the oracle objects to, else `OURS_ACCEPTS_INVALID: <oracle errors>`;
    - we reject an instance JSON Schema accepts: `OURS_REJECTS_VALID: <our errors>`.
    """
    if ours.ok == inst.spec_valid:
        if theirs.ok:
            keywords = sorted({e.validator for e in validator.iter_errors(inst.value)})
            return f"{ORACLE_ACCEPTS_INVALID}: fails {', '.join(map(str, keywords))}"
        return f"{ORACLE_REJECTS_VALID}: {', '.join(theirs.error_types)}"
    if ours.ok:  # and JSON Schema says invalid
        if ours_closed is not None and not ours_closed.ok:
            literal = [e for e in ours_closed.errors if e["type"] == "literal_error"]
            other = any(json_type(e["input"]) != _literal_kind(e["ctx"].get("expected", "")) for e in literal)
            return OPEN_ENUM_OTHER_TYPE if other else OPEN_ENUM
        if set(theirs.error_types) == {"extra_forbidden"}:
            return EXTRA_KEPT
        if theirs.error_types and set(theirs.error_types) <= CONSTRAINT_ERRORS:
            return CONSTRAINTS
        return f"{OURS_ACCEPTS_INVALID}: oracle says {', '.join(theirs.error_types)}"
    return f"{OURS_REJECTS_VALID}: {', '.join(ours.error_types)}"


# ------------------------------------------------------------------------------------ comparison


@dataclass
class Outcome:
    instance: Instance
    ours: Verdict
    theirs: Verdict
    category: str = ""  # "" for an agreement, else the disagreement class
    shared: str = ""  # for an agreement against JSON Schema's verdict: the keywords JSON Schema fails on

    @property
    def agree(self) -> bool:
        return self.ours.ok == self.theirs.ok


@dataclass
class Result:
    label: str
    requested: list[str] = field(default_factory=list)
    compared: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # schema -> why it is not compared
    no_generation: dict[str, str] = field(default_factory=dict)  # schema -> why nothing was generated
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0  # instance generation and validation
    setup_seconds: float = 0.0  # generating and importing both sides' models (set by the caller)
    seconds_by_schema: dict[str, float] = field(default_factory=dict)

    def disagreements(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.agree]

    def summary(self, explain: Callable[[Outcome], str] | None = None) -> str:
        by_source = Counter(o.instance.source.split(":")[0] for o in self.outcomes)
        agree = sum(o.agree for o in self.outcomes)
        lines = [
            f"differential [{self.label}]: {len(self.compared)} schemas compared"
            f"{f' ({len(self.skipped)} skipped)' if self.skipped else ''}, {len(self.outcomes)} instances "
            f"({', '.join(f'{v} {k}' for k, v in sorted(by_source.items()))}; "
            f"{sum(o.instance.spec_valid for o in self.outcomes)} valid per JSON Schema), "
            f"{agree} agreements, {len(self.outcomes) - agree} disagreements; "
            f"{self.setup_seconds:.1f} s to build the models, {self.seconds:.1f} s to compare",
        ]
        classes = Counter((explain(o) if explain else "") + o.category for o in self.disagreements())
        for category, n in sorted(classes.items()):
            lines.append(f"  {n:5d}  {category}")
        shared: dict[str, set[str]] = {}
        for o in self.outcomes:
            if o.agree and o.ours.ok != o.instance.spec_valid:
                key = f"fails {o.shared}" if o.ours.ok else "is valid"
                shared.setdefault(key, set()).add(o.instance.schema)
        for key, names in sorted(shared.items()):
            n = sum(1 for o in self.outcomes if o.agree and o.ours.ok != o.instance.spec_valid
                    and (f"fails {o.shared}" if o.ours.ok else "is valid") == key)
            verb = "accept" if key.startswith("fails") else "reject"
            lines.append(f"  agreement against JSON Schema: {n} instances both {verb} (JSON Schema: {key}) "
                         f"in {', '.join(sorted(names))}")
        for name, why in sorted(self.skipped.items()):
            lines.append(f"  skipped {name}: {why}")
        for name, why in sorted(self.no_generation.items()):
            lines.append(f"  no generated instances for {name}: {why}")
        return "\n".join(lines)


def compare(label: str, spec: dict[str, Any], names: list[str], our_models: Any, our_runtime: Any,
            our_names: dict[str, str], oracle: Oracle, settings: Settings) -> Result:
    """Validate every instance of every component in `names` with both models; classify disagreements."""
    import time

    start = time.perf_counter()
    schemas = spec["components"]["schemas"]
    defs = json_schema_defs({n: schemas[n] for n in ref_closure(schemas, names)})
    result = Result(label, requested=list(names))
    for name in names:
        raw = schemas[name]
        schema_start = time.perf_counter()
        ours_name = our_names.get(name)
        ours_type: Any = getattr(our_models, ours_name, None) if ours_name else None
        theirs_type = oracle.type_for(name)
        if ours_type is None or theirs_type is None:
            result.skipped[name] = (f"no type in our SDK (IR name {ours_name!r})" if ours_type is None
                                    else "datamodel-codegen emitted no class for it")
            continue
        if admits_null(raw):
            ours_type = ours_type | None
        ours_adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(ours_type)
        theirs_adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(theirs_type)
        validator = validator_for(defs, name)
        instances, problem = instances_for(name, raw, defs, validator, settings)
        if problem:
            result.no_generation[name] = problem
        result.compared.append(name)
        for inst in instances:
            outcome = Outcome(inst, validate(ours_adapter, inst.value), validate(theirs_adapter, inst.value))
            if not outcome.agree:
                closed = None
                if outcome.ours.ok and not inst.spec_valid:
                    with closed_enums(our_runtime) as ok:
                        closed = validate(ours_adapter, inst.value) if ok else None
                outcome.category = classify(inst, outcome.ours, outcome.theirs, closed, validator)
            elif outcome.ours.ok and not inst.spec_valid:
                outcome.shared = ", ".join(sorted({str(e.validator) for e in validator.iter_errors(inst.value)}))
            result.outcomes.append(outcome)
        result.seconds_by_schema[name] = time.perf_counter() - schema_start
    result.seconds = time.perf_counter() - start
    return result
