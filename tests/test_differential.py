"""Differential test: our generated models against datamodel-code-generator's, an independent oracle.

For the component schemas of specs/chat.yaml (all 44, against the committed output/) and a
deterministic sample of the full OpenAI spec's (every 36th name in sorted order plus every name
containing `ChatCompletion`: 84, against an SDK generated once into a temporary folder), JSON
instances are made from each schema:

- valid ones from hypothesis-jsonschema (derandomized, bounded: see `differential.generation_schema`
  for how recursive `$ref`s are bounded and why the generated instances stay valid), plus the
  schema's `example`/`examples` and its properties' examples;
- invalid mutations of valid ones (a required property removed, a value of a wrong JSON type, a value
  of the right type the schema excludes, an unknown property where the schema forbids one), each
  confirmed invalid by JSON Schema.

Each instance is validated by our type for the component (`TypeAdapter(...).validate_python`), by the
class datamodel-codegen emits for it, and by JSON Schema itself (`jsonschema` Draft 2020-12, after
OpenAPI's `nullable` is translated and `discriminator`/`example`/`xml` dropped). The two models' accept
/ reject verdicts must agree, except for the disagreement classes explained below; anything else is a
failure. Known bugs of ours are listed (`KNOWN_BUGS`) and reproduced by strict xfail tests at the end.
"""

from __future__ import annotations

import importlib
import json
import math
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError

from generator.cli import main
from generator.diff import load_api
from tests.conftest import CHAT_SPEC, SHARED, shared_or_skip
from tests.support import differential as d

OPENAI_SPEC = SHARED / "specs" / "openai" / "openapi.latest.yaml"
OPENAI_SAMPLE = 40  # every ceil(n/40)-th component name in sorted order (every 36th of 1422) ...
OPENAI_ALWAYS = "ChatCompletion"  # ... plus every name containing this

# Per-schema budgets. On 2 (busy) cores: chat ~13 s; OpenAI ~20 s to generate both sides' models
# (datamodel-codegen in the background while our SDK is generated) and ~25 s to compare.
CHAT_SETTINGS = d.Settings(max_examples=20, max_mutations=24)
OPENAI_SETTINGS = d.Settings(max_examples=12, max_mutations=16)

# ------------------------------------------------------------------------ expected disagreements

# Differences by design: our models are more permissive than the schema, deliberately.
DESIGN = {
    # An enum of two or more values is `Annotated[Literal[...], OpenEnum]`: a value the SDK does not
    # know yet (the API adds enum values all the time: models, tool types, statuses) is kept instead
    # of failing the whole response. datamodel-codegen's `Literal` rejects it. (Single values and
    # `const` stay closed `Literal`s, as tags; both sides agree on those.)
    d.OPEN_ENUM: "open enums keep unknown values (runtime OpenEnum)",
    # Every model is `extra="allow"`, even where the schema says `additionalProperties: false`:
    # fields added by a newer API version are kept in `model_extra`, never an error.
    d.EXTRA_KEPT: "unknown fields are kept (extra='allow')",
    # Lengths, bounds, patterns and item counts are not validated client-side, by design: the server
    # validates them. datamodel-codegen emits `Field(le=2, max_length=..., pattern=...)`.
    d.CONSTRAINTS: "no client-side constraint validation (the server validates)",
}

# The oracle rejects an instance that JSON Schema accepts and so do we (error type -> why).
ORACLE_REJECTS = {
    # OpenAI writes timestamps as `type: number, format: unixtime` (e.g. Response.created_at):
    # datamodel-codegen maps that format to `int`, so a fractional (or huge) number fails. Our
    # `float` follows `type: number`.
    "int_from_float": "datamodel-codegen types `number` + `format: unixtime` as int",
    "int_parsing_size": "datamodel-codegen types `number` + `format: unixtime` as int (a huge float)",
    # A discriminated variant whose tag property is an enum of several values (OpenAI's
    # WebSearchTool: `type: enum [web_search, web_search_2025_08_26]`) gets the *schema name* as its
    # only tag (`Literal['WebSearchTool']`, OpenAPI's implicit mapping), contradicting the variant's
    # own enum: `{"type": "web_search"}` is rejected. We keep such a union untagged (`Tool`).
    "union_tag_invalid": "datamodel-codegen tags a multi-valued discriminator variant by its schema name",
}

# The oracle accepts an instance that JSON Schema rejects and so do we (failing keyword -> why).
ORACLE_ACCEPTS: dict[str, str] = {
    # OpenAI's BetaResponseAudioDoneEvent lists `response_id` in `required` without declaring it in
    # `properties`: JSON Schema still requires the key (any value). We generate a required field typed
    # Any (so requests can carry it); datamodel-codegen drops the name and accepts an instance without it.
    "required": "datamodel-codegen drops required names that `properties` does not declare",
}


@dataclass(frozen=True)
class KnownBug:
    """A disagreement that is a bug of ours; reproduced by a strict xfail test below."""

    id: str
    category: str  # the `differential.classify` class it shows up as (a prefix)
    schemas: frozenset[str] | None  # the components it shows up in (None: any)
    reason: str


BUG_OPEN_ENUM_TYPE = KnownBug(
    "open-enum-any-type", d.OPEN_ENUM_OTHER_TYPE, None,
    "OpenEnum accepts any str or int whatever the enum's type: a string enum keeps an integer "
    "(chat.yaml ChatCompletionStreamResponseDelta: {'role': 12345} -> role == 12345 although typed "
    "Literal['developer', ...]), an integer enum keeps a string (OpenAI "
    "FineTuneChatCompletionRequestAssistantMessage.weight, `type: integer, enum: [0, 1]`: "
    "{'weight': 'wrong type'} accepted); the spec says `type: string` / `type: integer`",
)
BUG_ANYOF_REQUIRED = KnownBug(
    "anyof-of-required-is-any", d.OURS_ACCEPTS_INVALID, frozenset({"ImageRefParam"}),
    "an object schema with `properties` plus an `anyOf` whose branches only list `required` names "
    "(OpenAI ImageRefParam: exactly one of image_url / file_id) becomes `ImageRefParam: TypeAlias = Any`, "
    "silently: its properties and types are lost, so {'file_id': 12345} and {} are accepted although "
    "file_id is `type: string` and one of the two is required",
)
# Both were fixed (open enums keep only values of the enum's own type; an object whose anyOf only
# lists `required` names is generated as the object); the tests at the end keep them fixed.
KNOWN_BUGS: tuple[KnownBug, ...] = ()


# Objects whose `anyOf`/`oneOf` branches only list `required` names (rules over the object's own
# properties) are generated as the object (info diagnostic `validation-only-union`): "one of
# image_url / file_id must be present" is left to the server, like the other constraints. The oracle
# models the branches as separate classes, so it also reports `missing` next to `extra_forbidden`.
VALIDATION_ONLY = {"ImageRefParam"}


def explain(outcome: d.Outcome) -> str | None:
    """Why a disagreement is expected, or None if it is not explained."""
    category, schema = outcome.category, outcome.instance.schema
    if schema in VALIDATION_ONLY and category.startswith(d.OURS_ACCEPTS_INVALID):
        return "by design"
    for bug in KNOWN_BUGS:
        if category.startswith(bug.category) and (bug.schemas is None or schema in bug.schemas):
            return f"known bug {bug.id} (xfail)"
    if category in DESIGN:
        return "by design"
    if category.startswith(d.ORACLE_REJECTS_VALID + ": "):
        kinds = category.split(": ", 1)[1].split(", ")
        return "oracle" if all(k in ORACLE_REJECTS for k in kinds) else None
    if category.startswith(d.ORACLE_ACCEPTS_INVALID + ": fails "):
        keywords = category.split(": fails ", 1)[1].split(", ")
        return "oracle" if all(k in ORACLE_ACCEPTS for k in keywords) else None
    return None


def label(outcome: d.Outcome) -> str:
    why = explain(outcome)
    return f"[{why or 'UNEXPLAINED'}] "


# ------------------------------------------------------------------------------------ fixtures


def _load(spec: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(spec.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return data


def openai_sample(names: list[str]) -> list[str]:
    ordered = sorted(names)
    step = max(1, math.ceil(len(ordered) / OPENAI_SAMPLE))
    return sorted(set(ordered[::step]) | {n for n in ordered if OPENAI_ALWAYS in n})


@pytest.fixture(scope="module")
def chat_result(chat_sdk: Any, tmp_path_factory: pytest.TempPathFactory) -> d.Result:
    start = time.perf_counter()
    spec = _load(CHAT_SPEC)
    names = sorted(spec["components"]["schemas"])
    oracle = d.Oracle(d.reduced_openapi(spec, names), tmp_path_factory.mktemp("differential-chat"),
                      "differential_oracle_chat")
    try:
        api, diags = load_api(CHAT_SPEC)
        assert api is not None, diags.sorted()
        models = importlib.import_module("chat_sdk.models")
        runtime = importlib.import_module("chat_sdk._runtime._models")
        oracle.wait()
    finally:
        oracle.stop()
    setup = time.perf_counter() - start
    result = d.compare("chat.yaml", spec, names, models, runtime, d.our_component_names(api), oracle, CHAT_SETTINGS)
    result.setup_seconds = setup
    return result


@pytest.fixture(scope="module")
def openai_result(tmp_path_factory: pytest.TempPathFactory) -> Iterator[d.Result]:
    shared_or_skip("specs", "openai", "openapi.latest.yaml")
    start = time.perf_counter()
    spec = _load(OPENAI_SPEC)
    names = openai_sample(list(spec["components"]["schemas"]))
    work = tmp_path_factory.mktemp("differential-openai")
    # datamodel-codegen runs in the background while our SDK is generated
    oracle = d.Oracle(d.reduced_openapi(spec, names), work, "differential_oracle_openai")
    out = work / "sdk"
    try:
        assert main(["generate", str(OPENAI_SPEC), "--output", str(out), "--package-name", "openai_differential",
                     "-q"]) == 0
        api, diags = load_api(OPENAI_SPEC)
        assert api is not None, diags.sorted()
        oracle.wait()
    finally:
        oracle.stop()
    sys.path.insert(0, str(out))
    try:
        models = importlib.import_module("openai_differential.models")
        runtime = importlib.import_module("openai_differential._runtime._models")
        setup = time.perf_counter() - start
        result = d.compare("openai.latest.yaml sample", spec, names, models, runtime, d.our_component_names(api),
                           oracle, OPENAI_SETTINGS)
        result.setup_seconds = setup
        yield result
    finally:
        sys.path.remove(str(out))


# --------------------------------------------------------------------------------------- tests


def _report(capsys: pytest.CaptureFixture[str], result: d.Result) -> None:
    with capsys.disabled():  # the summary is shown even when output is captured
        print("\n" + result.summary(label))


def _check(result: d.Result, expected_schemas: int) -> None:
    assert not result.skipped, f"components without a comparable type: {result.skipped}"
    assert result.compared == result.requested and len(result.compared) >= expected_schemas
    # Generation is only ever narrowed from the real schema, so what it produces must be valid.
    invalid = [o.instance for o in result.outcomes if o.instance.source == "generated" and not o.instance.spec_valid]
    assert not invalid, f"generated instances that JSON Schema rejects: {invalid[:3]}"
    assert sum(o.instance.source == "generated" for o in result.outcomes) >= 5 * expected_schemas
    assert any(o.instance.source.startswith("mutation") for o in result.outcomes)
    unexplained = [o for o in result.disagreements() if explain(o) is None]
    details = "\n".join(
        f"- {o.instance.schema} [{o.instance.source}] {o.category}\n"
        f"    instance: {json.dumps(o.instance.value, ensure_ascii=True)[:400]}\n"
        f"    JSON Schema: {'valid' if o.instance.spec_valid else 'invalid'}; ours: "
        f"{'accepts' if o.ours.ok else o.ours.error_types}; datamodel-codegen: "
        f"{'accepts' if o.theirs.ok else o.theirs.error_types}"
        for o in unexplained[:20]
    )
    assert not unexplained, f"{len(unexplained)} unexplained disagreements:\n{details}"


@pytest.mark.slow
def test_chat_models_agree_with_datamodel_codegen(chat_result: d.Result, capsys: pytest.CaptureFixture[str]) -> None:
    _report(capsys, chat_result)
    _check(chat_result, 44)  # every component of chat.yaml


@pytest.mark.slow
@pytest.mark.corpus
def test_openai_models_agree_with_datamodel_codegen(openai_result: d.Result,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    _report(capsys, openai_result)
    _check(openai_result, 84)  # today: 40 sampled + 45 with ChatCompletion in the name - 1 in both


def test_instance_generation_is_bounded_sound_and_reproducible() -> None:
    """The machinery on a small recursive schema: OpenAPI keywords translated, the recursion bounded
    by `false`, and every generated instance valid against the unbounded schema."""
    schemas = {
        "Node": {
            "type": "object", "required": ["value"], "discriminator": {"propertyName": "value"},
            "properties": {
                "value": {"type": "integer", "example": 3},
                "example": {"type": "string", "nullable": True},  # a property named like a keyword
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            },
        },
    }
    defs = d.json_schema_defs(schemas)
    assert "discriminator" not in defs["Node"] and "example" in defs["Node"]["properties"]
    assert defs["Node"]["properties"]["example"] == {"anyOf": [{"type": "string"}, {"type": "null"}]}
    bounded = d.generation_schema(defs, "Node", max_depth=3, max_items=2)
    assert bounded["properties"]["children"]["items"] is False  # Node inside Node: recursion
    assert bounded["additionalProperties"] is False and bounded["properties"]["children"]["maxItems"] == 2
    validator = d.validator_for(defs, "Node")
    first = d.instances_for("Node", schemas["Node"], defs, validator, d.Settings(10, 6))[0]
    assert first == d.instances_for("Node", schemas["Node"], defs, validator, d.Settings(10, 6))[0]
    generated = [i for i in first if i.source == "generated"]
    assert len(generated) >= 5 and all(i.spec_valid for i in generated)
    assert any(i.source.startswith("mutation") and not i.spec_valid for i in first)
    assert validator.is_valid({"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]})


# -------------------------------------------------------------------- known bugs, reproduced

MINIMAL_SPEC = """
openapi: 3.1.0
info: {title: differential, version: "1"}
paths: {}
components:
  schemas:
    ImageRefParam:  # verbatim from the OpenAI spec, descriptions and examples left out
      type: object
      properties:
        image_url: {type: string, format: uri, maxLength: 20971520}
        file_id: {type: string}
      anyOf:
        - required: [image_url]
        - required: [file_id]
      not:
        required: [image_url, file_id]
      additionalProperties: false
    Weighted:  # FineTuneChatCompletionRequestAssistantMessage.weight
      type: object
      properties:
        weight: {type: integer, enum: [0, 1]}
"""


@pytest.fixture(scope="module")
def minimal_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    work = tmp_path_factory.mktemp("differential-minimal")
    spec = work / "spec.yaml"
    spec.write_text(MINIMAL_SPEC, encoding="utf-8")
    assert main(["generate", str(spec), "--output", str(work / "out"), "--package-name", "differential_minimal",
                 "-q"]) == 0
    sys.path.insert(0, str(work / "out"))
    try:
        yield importlib.import_module("differential_minimal.models")
    finally:
        sys.path.remove(str(work / "out"))


def test_open_enums_keep_unknown_values_of_their_type(chat_sdk: Any, minimal_sdk: Any) -> None:
    """The design the OPEN_ENUM class relies on (and the bug below must keep)."""
    delta = TypeAdapter(chat_sdk.models.ChatCompletionStreamResponseDelta)
    assert delta.validate_python({"role": "x-new-role"}).role == "x-new-role"
    assert TypeAdapter(minimal_sdk.Weighted).validate_python({"weight": 7}).weight == 7


# `raises=`: only "DID NOT RAISE" counts as the expected failure, not e.g. a model that fails to import.
def test_open_string_enum_rejects_an_integer(chat_sdk: Any) -> None:
    delta = TypeAdapter(chat_sdk.models.ChatCompletionStreamResponseDelta)
    with pytest.raises(ValidationError):
        delta.validate_python({"role": 12345})


def test_open_integer_enum_rejects_a_string(minimal_sdk: Any) -> None:
    weighted = TypeAdapter(minimal_sdk.Weighted)
    with pytest.raises(ValidationError):
        weighted.validate_python({"weight": "wrong type"})


def test_anyof_of_required_lists_keeps_the_object(minimal_sdk: Any) -> None:
    image_ref = TypeAdapter(minimal_sdk.ImageRefParam)
    assert image_ref.validate_python({"file_id": "file-abc123"}).file_id == "file-abc123"
    with pytest.raises(ValidationError):
        image_ref.validate_python({"file_id": 12345})
    # The anyOf's "one of the two is required" rule is left to the server (by design, see
    # VALIDATION_ONLY below): an empty object parses.
    image_ref.validate_python({})
