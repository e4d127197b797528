"""Types that are hard to write in Python: recursive aliases (a cycle of aliases, or through a model),
unions that contain themselves, and numbers in `enum`/`const` (type checkers take no float `Literal`).
The generated package imports, every model and alias builds, values validate as the spec says, and
`mypy --strict`, `ruff check` and `black --check` pass on it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.support import generate, import_check
from tests.support.corpus import mypy_errors

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Typing", "version": "1"},
    "paths": {
        "/values": {
            "post": {
                "operationId": "sendValues",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Holder"}}}},
                "responses": {"200": {"description": "ok", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Expr"}}}}},
            }
        }
    },
    "components": {"schemas": {
        # an alias-only cycle through a list and a map, used by a model declared before it
        "Holder": {"type": "object", "properties": {
            "expr": {"$ref": "#/components/schemas/Expr"},
            "scale": {"$ref": "#/components/schemas/Scale"},
            "ratio": {"const": 2.5},
            "mixed": {"$ref": "#/components/schemas/Mixed"},
            "shelf": {"$ref": "#/components/schemas/Shelf"},
            "loose": {"$ref": "#/components/schemas/Loose"},
        }, "required": ["ratio"]},
        "Expr": {"anyOf": [{"type": "number"}, {"$ref": "#/components/schemas/Terms"}]},
        "Terms": {"type": "array", "items": {"$ref": "#/components/schemas/Expr"}},
        # an alias naming a model that names the alias back
        "Shelf": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Book"}},
        "Book": {"type": "object", "properties": {"related": {"$ref": "#/components/schemas/Shelf"}}},
        # aliases that are variants of each other: A = B | int, B = A | str
        "Loose": {"anyOf": [{"$ref": "#/components/schemas/LooseToo"}, {"type": "integer"}]},
        "LooseToo": {"anyOf": [{"$ref": "#/components/schemas/Loose"}, {"type": "string"}]},
        # numbers
        "Scale": {"type": "number", "enum": [0.5, 1, 2.5]},
        "Mixed": {"enum": ["a", 1, 1.5, True]},
        "Whole": {"type": "integer", "enum": [1, 2]},
    }},
}

CHECK = '''
import typing
from pydantic import TypeAdapter, ValidationError
m = models
h = m.Holder.model_validate({"expr": [1, [2.5, [3]]], "scale": 2.5, "ratio": 2.5, "mixed": 1.5,
                             "shelf": {"a": {"related": {"b": {}}}}, "loose": "x"})
assert h.expr == [1, [2.5, [3]]] and h.scale == 2.5 and h.ratio == 2.5 and h.mixed == 1.5
assert h.shelf["a"].related["b"].related is None
assert TypeAdapter(m.Loose).validate_python(3) == 3 and TypeAdapter(m.LooseToo).validate_python("s") == "s"
try:
    m.Holder.model_validate({"ratio": 3.0})
except ValidationError:
    pass
else:
    raise AssertionError("a const 2.5 accepted 3.0")
for bad in ({"ratio": "x"}, {"ratio": 2.5, "scale": "big"}):
    try:
        m.Holder.model_validate(bad)
    except ValidationError:
        pass
    else:
        raise AssertionError(bad)
assert TypeAdapter(m.Scale).validate_python(7.25) == 7.25  # open enum: a newer server's value
assert TypeAdapter(m.Whole).validate_python(2) == 2
RESPONSES["/values"] = [1, [2]]
SENT.clear()
assert client(strict_response_validation=True).values.send_values(ratio=2.5, expr=[1.5]) == [1, [2]]
assert json.loads(SENT[0].content) == {"ratio": 2.5, "expr": [1.5]}
'''


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("typing")
    spec = work / "spec.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    code, err = generate(spec, work / "out", "typing_sdk")
    assert code == 0, err
    assert "[alias-cycle] #/components/schemas/Loose:" in err and "[alias-cycle] #/components/schemas/LooseToo:" in err
    return work / "out"


def test_recursive_aliases_and_float_enums_work(sdk: Path, tmp_path: Path) -> None:
    from tests.hostile.test_generates import MOCK

    models = sdk / "typing_sdk" / "models"
    assert 'Expr = TypeAliasType("Expr", "float | Terms")' in (models / "expr.py").read_text(encoding="utf-8")
    source = "".join(p.read_text(encoding="utf-8") for p in models.glob("*.py"))
    assert "ratio: Annotated[float, NumberConst(2.5)]" in source
    assert "Scale: TypeAlias = Annotated[float, OpenNumberEnum]" in source and "Known values: 0.5, 1, 2.5." in source
    assert 'Mixed: TypeAlias = Annotated[Literal["a", 1, True] | float, OpenEnum]' in source
    assert "Literal[0.5" not in source and "Literal[2.5" not in source and "1.5]" not in source
    import_check([(sdk, "typing_sdk")], tmp_path, MOCK + CHECK)


def test_recursive_aliases_and_float_enums_type_check(sdk: Path) -> None:
    errors, report = mypy_errors(sdk, "typing_sdk")
    assert errors == 0, report
    for tool in (["ruff", "check", "--no-cache", "--quiet", "typing_sdk"], ["black", "--check", "-q", "typing_sdk"]):
        proc = subprocess.run([sys.executable, "-m", *tool], cwd=sdk, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
