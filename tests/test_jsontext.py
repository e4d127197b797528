"""generator.jsontext.dumps_sorted writes exactly what json.dumps(indent=n, sort_keys=True) writes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from generator.jsontext import dumps_sorted

CASES: list[Any] = [
    {}, [], (), "text", 3, 2.5, -0.0, 10**30, None, True, float("nan"), {"k": float("inf")},
    {"b": {}, "a": [1, 2.5, None, False, "line\u2028sep", "\u00e9t\u00e9", 'quote " and \\']},
    {2: "int keys", 1: "sorted as ints"}, {True: 1, False: 0}, {None: "null key"}, {1.5: "float key"},
    (1, (2, [3, {"z": (), "y": []}])), [[[]]], {"a": {"b": {"c": [{}]}}},
]


@pytest.mark.parametrize("indent", [1, 2, 4])
@pytest.mark.parametrize("value", CASES, ids=range(len(CASES)))
def test_same_text_as_json(value: Any, indent: int) -> None:
    assert dumps_sorted(value, indent) == json.dumps(value, indent=indent, sort_keys=True)


def test_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError):
        json.dumps({(1, 2): 0}, indent=1, sort_keys=True)
    with pytest.raises(TypeError):
        dumps_sorted({(1, 2): 0})
    with pytest.raises(TypeError):
        dumps_sorted({"a": object()})
