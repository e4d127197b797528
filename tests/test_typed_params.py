"""Typed request dicts: every request-side model has a `TypedDict` twin (`…Param`, keys = wire
names) accepted beside the model. User programs are type-checked with `mypy --strict` against a
generated SDK: the good one passes, each bad one fails with the expected error code. Models and
dicts go out as the same JSON."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import shared_or_skip

SPEC = """
openapi: 3.1.0
info: {title: Kitchen, version: "1"}
servers: [{url: "https://kitchen.example.com"}]
paths:
  /orders:
    post:
      operationId: placeOrder
      tags: [orders]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [table, lines]
              properties:
                table: {type: integer}
                lines: {$ref: "#/components/schemas/LinesInput"}
                diner: {$ref: "#/components/schemas/Diner"}
                labels: {type: object, additionalProperties: {type: string}}
                courses:
                  description: One course, or several.
                  oneOf:
                    - {type: array, items: {$ref: "#/components/schemas/Line"}}
                    - {type: array, items: {type: array, items: {$ref: "#/components/schemas/Line"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}}
  /menu:
    put:
      operationId: replaceMenu
      tags: [menu]
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: array, items: {$ref: "#/components/schemas/Dish"}}
      responses:
        "204": {description: replaced}
components:
  schemas:
    Order:
      type: object
      required: [id, lines]
      properties:
        id: {type: string}
        lines: {type: array, items: {$ref: "#/components/schemas/Line"}}
    LinesInput:
      description: A free-text order, or its lines.
      oneOf:
        - {type: string}
        - {type: array, items: {$ref: "#/components/schemas/Line"}}
    Line:
      oneOf: [{$ref: "#/components/schemas/DishLine"}, {$ref: "#/components/schemas/DrinkLine"}]
      discriminator: {propertyName: kind}
    DishLine:
      type: object
      required: [kind, dish]
      properties:
        kind: {type: string, const: dish}
        dish: {$ref: "#/components/schemas/Dish"}
        quantity: {type: integer}
    DrinkLine:
      type: object
      required: [kind, drink, size]
      properties:
        kind: {type: string, const: drink}
        drink: {type: string}
        size: {type: string, enum: [small, large]}
        ice: {type: [boolean, "null"]}
    Dish:
      type: object
      required: [name]
      properties:
        name: {type: string}
        id: {type: string, readOnly: true, description: Assigned by the kitchen.}
        spice-level: {type: integer}
        from: {type: string, description: Region the recipe comes from.}
        served_at: {type: string, format: date-time}
    Diner:
      type: object
      required: [name]
      properties:
        name: {type: string}
        allergies: {type: array, items: {type: string}}
"""

GOOD = """
from datetime import datetime, timezone

from kitchen import Client
from kitchen.models import Dish, DishLine
from kitchen.params import DishParam, DrinkLineParam, LineParam

client = Client()
dish: DishParam = {"name": "soup", "spice-level": 2, "from": "north",
                   "served_at": datetime(2024, 1, 1, tzinfo=timezone.utc)}
drink: DrinkLineParam = {"kind": "drink", "drink": "tea", "size": "small", "ice": None}
lines: list[LineParam] = [{"kind": "dish", "dish": dish, "quantity": 2}, drink]
client.orders.place_order(table=4, lines=lines, diner={"name": "Ada", "allergies": ["nuts"]},
                          labels={"door": "back"})
client.orders.place_order(table=4, lines=[{"kind": "drink", "drink": "tea", "size": "large"},
                                          DishLine(kind="dish", dish=Dish(name="stew"))])
client.orders.place_order(table=4, lines=[{"kind": "dish", "dish": {"name": "rice"}}])
client.orders.place_order(table=4, lines="one soup, quickly")
client.orders.place_order(table=4, lines="x", courses=[{"kind": "drink", "drink": "tea", "size": "small"}])
client.orders.place_order(table=4, lines="x", courses=[[{"kind": "dish", "dish": {"name": "rice"}}], []])
client.menu.replace_menu(body=[{"name": "soup", "from": "south"}, Dish(name="stew")])
"""

# file -> (source, the mypy error codes it must produce)
BAD = {
    "bad_key": ('dish: DishParam = {"name": "soup", "spicelevel": 2}', {"typeddict-unknown-key"}),
    "bad_read_only": ('dish: DishParam = {"name": "soup", "id": "d1"}', {"typeddict-unknown-key"}),
    "bad_type": ('dish: DishParam = {"name": 3}', {"typeddict-item"}),
    "bad_missing": ('dish: DishParam = {"spice-level": 2}', {"typeddict-item"}),
    "bad_enum": ('drink: DrinkLineParam = {"kind": "drink", "drink": "tea", "size": "huge"}', {"typeddict-item"}),
    "bad_const": ('drink: DrinkLineParam = {"kind": "dish", "drink": "tea", "size": "small"}', {"typeddict-item"}),
    "bad_call_key": ('client.orders.place_order(table=1, lines="x", diner={"name": "Ada", "allergy": []})',
                     {"arg-type"}),
    "bad_call_type": ('client.orders.place_order(table=1, lines="x", diner={"name": "Ada", "allergies": "nuts"})',
                      {"arg-type"}),
    "bad_lone_string": ('diner: DinerParam = {"name": "Ada", "allergies": "nuts"}', {"typeddict-item"}),
    "bad_list_item": ('client.orders.place_order(table=1, lines=[{"kind": "dish", "dsh": {"name": "x"}}])',
                      {"list-item"}),
    "bad_nested": ('client.menu.replace_menu(body=[{"name": "soup", "spice_level": 1}])', {"list-item"}),
    "bad_deep_key": ('line: DishLineParam = {"kind": "dish", "dish": {"name": "x", "colour": "red"}}',
                     {"typeddict-unknown-key"}),
}
BAD_HEAD = ("from kitchen import Client\n"
            "from kitchen.params import DinerParam, DishLineParam, DishParam, DrinkLineParam\n\n"
            "client = Client()\n")


def _generate(tmp: Path) -> Path:
    spec = tmp / "kitchen.yaml"
    spec.write_text(SPEC)
    out = tmp / "out"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", "kitchen", "-q"]) == 0
    return out


def _mypy(cwd: Path, *targets: str) -> dict[str, set[str]]:
    """Run mypy --strict once; the error codes reported per file."""
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null",
                           "--no-error-summary", *targets], cwd=cwd, capture_output=True, text=True, check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    codes: dict[str, set[str]] = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"([\w/]+)\.py:\d+: error: .*\[([\w-]+)\]$", line)
        if m:
            codes.setdefault(m.group(1), set()).add(m.group(2))
    return codes


@pytest.fixture(scope="module")
def kitchen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("kitchen"))


def test_twins_mirror_the_request_models(kitchen: Path) -> None:
    params = kitchen / "kitchen" / "params"
    dish = (params / "dish.py").read_text()
    # `from` is a keyword and `spice-level` no identifier: functional syntax, wire names as keys.
    assert 'DishParam = TypedDict(\n    "DishParam",' in dish
    assert '"spice-level": "int"' in dish and '"from": "str"' in dish and '"name": "Required[str]"' in dish
    assert '"id"' not in dish  # read-only: answered by the server, never sent
    drink = (params / "drink_line.py").read_text()
    assert "class DrinkLineParam(TypedDict, total=False):" in drink
    assert 'kind: Required[Literal["drink"]]' in drink and "ice: bool | None" in drink
    assert "size: Required[DrinkLineSize]" in drink
    line = (params / "line.py").read_text()
    assert 'LineParam: TypeAlias = "DishLineParam | DrinkLineParam"' in line
    # Nested positions take the twin only (as openai-python does): a misspelled nested key is then
    # reported by name (`Extra key "colour" for TypedDict "DishParam"`), see bad_deep_key.
    assert "dish: Required[DishParam]" in (params / "dish_line.py").read_text()
    # Response-only models get no twin.
    assert not (params / "order.py").exists()
    resource = (kitchen / "kitchen" / "resources" / "orders.py").read_text()
    # The list alias is inlined, so each list item is checked against the model or its twin.
    assert "lines: str | Sequence[Line | LineParam]" in resource
    assert "diner: Diner | DinerParam | NotGiven = NOT_GIVEN" in resource
    # Two list arms become one: mypy infers nothing for a list literal against a union of lists.
    assert "Sequence[Line | LineParam | Sequence[Line | LineParam]]" in resource


def test_good_program_passes_and_bad_ones_fail(kitchen: Path) -> None:
    (kitchen / "good.py").write_text(GOOD)
    for name, (source, _) in BAD.items():
        (kitchen / f"{name}.py").write_text(BAD_HEAD + source + "\n")
    codes = _mypy(kitchen, "good.py", *(f"{name}.py" for name in BAD))
    assert "good" not in codes, codes
    for name, (_, expected) in BAD.items():
        assert codes.get(name) == expected, (name, codes.get(name))


def test_models_and_dicts_send_the_same_json(kitchen: Path) -> None:
    code = textwrap.dedent("""
        import json
        from datetime import datetime, timezone
        import httpx
        from kitchen import Client
        from kitchen.models import Diner, Dish, DishLine, DrinkLine

        sent = []
        def handler(request):
            sent.append(json.loads(request.content))
            return httpx.Response(200, json={"id": "o1", "lines": []})
        client = Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        when = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)
        dish = {"name": "soup", "spice-level": 2, "from": "north", "served_at": when}
        client.orders.place_order(
            table=4, diner={"name": "Ada", "allergies": ["nuts"]},
            lines=[{"kind": "dish", "dish": dish, "quantity": 2},
                   {"kind": "drink", "drink": "tea", "size": "small", "ice": None}])
        client.orders.place_order(
            table=4, diner=Diner(name="Ada", allergies=["nuts"]),
            lines=[DishLine(kind="dish", dish=Dish.model_validate(dish), quantity=2),
                   DrinkLine(kind="drink", drink="tea", size="small", ice=None)])
        print(json.dumps(sent))
    """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=kitchen, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    from_dicts, from_models = json.loads(proc.stdout)
    assert from_dicts == from_models
    assert from_dicts["lines"][0]["dish"] == {"name": "soup", "spice-level": 2, "from": "north",
                                              "served_at": "2024-05-01T12:30:00+00:00"}


def test_twin_names_never_shadow_a_schema(tmp_path: Path) -> None:
    """A spec with both `Pet` and `PetParam` schemas: `PetParam` is a model, so `Pet`'s twin takes
    the next free name, deterministically."""
    spec = SPEC.replace("    Diner:\n", "    DinerParam:\n      type: object\n      properties: {x: {type: string}}\n"
                        "    Diner:\n").replace(
        "diner: {$ref: \"#/components/schemas/Diner\"}",
        "diner: {$ref: \"#/components/schemas/Diner\"}\n"
        "                other: {$ref: \"#/components/schemas/DinerParam\"}")
    path = tmp_path / "kitchen.yaml"
    path.write_text(spec)
    out = tmp_path / "out"
    assert main(["generate", str(path), "--output", str(out), "--package-name", "kitchen", "-q"]) == 0
    text = (out / "kitchen" / "params" / "diner.py").read_text()
    assert "class DinerParamDict(TypedDict, total=False):" in text
    other = (out / "kitchen" / "params" / "diner_param.py").read_text()
    assert "class DinerParamParam(TypedDict, total=False):" in other


OPENAI_GOOD = """
from openai_full import Client

client = Client(api_key="x")
client.responses.create_response(model="gpt-4o", input=[{"role": "user", "content": "hi"}],
                                 tools=[{"type": "web_search"}])
client.chat.create_chat_completion(model="gpt-4o", messages=[{"role": "user", "content": "hi"}],
                                   tools=[{"type": "function", "function": {"name": "f"}}],
                                   response_format={"type": "json_object"})
client.embeddings.create_embedding(model="text-embedding-3-small", input=["a", "b"])
"""
OPENAI_BAD = {
    "bad_key": ('client.responses.create_response(model="gpt-4o", input=[{"role": "user", "contnet": "hi"}])',
                {"list-item"}),
    "bad_type": ('client.chat.create_chat_completion(model="gpt-4o", messages=[{"role": "user", "content": 1}])',
                 {"list-item"}),
    "bad_missing": ('client.responses.create_response(model="gpt-4o", tools=[{"name": "f"}])', {"list-item"}),
}


@pytest.mark.corpus
@pytest.mark.slow
def test_full_openai_sdk_user_programs(tmp_path: Path) -> None:
    spec = shared_or_skip("specs", "openai", "openapi.latest.yaml")
    out = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", "openai_full", "-q"]) == 0
    (out / "good.py").write_text(OPENAI_GOOD)
    for name, (source, _) in OPENAI_BAD.items():
        (out / f"{name}.py").write_text("from openai_full import Client\n\nclient = Client(api_key='x')\n"
                                        + source + "\n")
    codes = _mypy(out, "openai_full", "good.py", *(f"{name}.py" for name in OPENAI_BAD))
    assert "good" not in codes and not [f for f in codes if f.startswith("openai_full")], codes
    for name, (_, expected) in OPENAI_BAD.items():
        assert codes.get(name) == expected, (name, codes.get(name))


ODD_SPEC = r'''
openapi: 3.1.0
info: {title: Odd, version: "1"}
paths:
  /things:
    post:
      operationId: makeThing
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
      responses: {"204": {description: done}}
components:
  schemas:
    Thing:
      type: object
      description: 'Has """ quotes and \ backslashes'
      required: [str, "class"]
      properties:
        str: {type: string}
        class: {type: integer}
        __dunder: {type: boolean}
        "it's \"odd\"": {type: string}
        Required: {type: string}
        mode:
          type: string
          enum: ["a b", "it's", "two \"words\"", "a long value that keeps going and going and going"]
        kids: {type: array, items: {$ref: "#/components/schemas/Kid"}}
    Kid:
      type: object
      properties:
        name: {type: string}
        parent: {$ref: "#/components/schemas/Thing"}
'''
ODD_GOOD = r'''
from odd.params import ThingParam

thing: ThingParam = {"str": "x", "class": 1, "it's \"odd\"": "y", "mode": "it's", "__dunder": True,
                     "Required": "r", "kids": [{"name": "k", "parent": {"str": "p", "class": 2}}]}
'''
ODD_BAD = """
from odd.params import ThingParam

thing: ThingParam = {"str": "x", "mode": "it is"}
"""


def test_keys_that_are_no_identifiers_keywords_or_shadowing_names(tmp_path: Path) -> None:
    """Keywords, quotes, `__dunder`, `Required` and `str` as keys (functional syntax), a cycle
    through twins, quoted enum values: the package passes mypy --strict, black and ruff, and the
    keys are checked."""
    spec = tmp_path / "odd.yaml"
    spec.write_text(ODD_SPEC)
    out = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", "odd", "-q"]) == 0
    (out / "good.py").write_text(ODD_GOOD)
    (out / "bad.py").write_text(ODD_BAD)
    codes = _mypy(out, "odd", "good.py", "bad.py")
    assert codes == {"bad": {"typeddict-item"}}, codes
    for tool in (["black", "--check", "--quiet", "odd"], ["ruff", "check", "--no-cache", "--quiet", "odd"]):
        proc = subprocess.run([sys.executable, "-m", *tool], cwd=out, capture_output=True, text=True,
                              check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    code = "import odd.params as p; print('|'.join(sorted(p.ThingParam.__annotations__)))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["Required|__dunder|class|it's", '"odd"|kids|mode|str']
