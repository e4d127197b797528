"""ir.evolve is dataclasses.replace for the IR's frozen, slotted nodes."""

from __future__ import annotations

import dataclasses

import pytest

from generator import ir


def _nodes() -> list[object]:
    field = ir.Field(name="a", wire_name="A", type=ir.Scalar("str"), required=True, description="d", origin="#/x")
    model = ir.Model(name="M", module="m", fields=(field,), description="", origin="#/m")
    return [field, model, ir.ListOf(ir.Scalar("int")), ir.Constraints(minimum=1.0, pattern="x")]


@pytest.mark.parametrize("node", _nodes(), ids=lambda n: type(n).__name__)
def test_evolve_matches_replace(node: object) -> None:
    assert dataclasses.is_dataclass(node) and not isinstance(node, type)
    first = dataclasses.fields(node)[0].name
    value = getattr(node, first)
    for changes in ({}, {first: value}):
        assert ir.evolve(node, **changes) == dataclasses.replace(node, **changes)  # type: ignore[type-var]
    other = {"name": "Other", "item": ir.Scalar("bool"), "minimum": 2.0}.get(first)
    if other is not None:
        assert ir.evolve(node, **{first: other}) == dataclasses.replace(node, **{first: other})  # type: ignore[type-var]
        assert getattr(ir.evolve(node, **{first: other}), first) == other
    evolved = ir.evolve(node)
    assert evolved is not node and type(evolved) is type(node)


def test_evolve_refuses_unknown_fields() -> None:
    with pytest.raises(TypeError, match="no field"):
        ir.evolve(ir.Scalar("str"), kind2="x")


def test_evolved_nodes_stay_frozen() -> None:
    node = ir.evolve(ir.Scalar("str"), format="date")
    assert node == ir.Scalar("str", "date")
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.kind = "int"  # type: ignore[misc]
