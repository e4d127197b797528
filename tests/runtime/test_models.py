"""NOT_GIVEN, BaseModel, OpenEnum, to_jsonable and strict/lenient response parsing."""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import enum
import logging
import pickle
import uuid
from typing import Annotated, Any, Literal, Union

import httpx
import pydantic
import pytest
from pydantic import Field


def test_not_given(rt: Any) -> None:
    assert repr(rt.NOT_GIVEN) == "NOT_GIVEN" and not rt.NOT_GIVEN
    assert rt.NotGiven() is rt.NOT_GIVEN
    assert copy.copy(rt.NOT_GIVEN) is rt.NOT_GIVEN
    assert copy.deepcopy({"a": rt.NOT_GIVEN})["a"] is rt.NOT_GIVEN
    assert pickle.loads(pickle.dumps(rt.NOT_GIVEN)) is rt.NOT_GIVEN


def test_base_model_keeps_unknown_fields_and_aliases(rt: Any) -> None:
    class Pet(rt.BaseModel):
        name: str
        from_: str | None = Field(default=None, alias="from")

    pet = Pet.model_validate_json(
        b'{"name": "rex", "from": "shelter", "new_field": [1]}'
    )
    assert pet.from_ == "shelter" and pet.model_extra == {"new_field": [1]}
    assert Pet(name="a", from_="b").from_ == "b"  # populate by name
    assert repr(pet) == "Pet(name='rex', from_='shelter', new_field=[1])"
    assert str(pet) == repr(pet)
    assert pet.to_dict() == {"name": "rex", "from": "shelter", "new_field": [1]}


def test_open_enum(rt: Any) -> None:
    Kind = Annotated[Literal["cat", "dog"], rt.OpenEnum]
    Code = Annotated[Literal[1, 2], rt.OpenIntEnum]

    class Pet(rt.BaseModel):
        kind: Kind
        code: Code = 1

    assert Pet.model_validate({"kind": "dog"}).kind == "dog"
    assert Pet.model_validate_json(b'{"kind": "axolotl", "code": 99}').kind == "axolotl"
    assert Pet.model_validate({"kind": "cat", "code": 7}).code == 7
    with pytest.raises(pydantic.ValidationError):
        Pet.model_validate({"kind": ["not", "a", "scalar"]})
    with pytest.raises(pydantic.ValidationError):
        Pet.model_validate({"kind": True})
    # Only values of the enum's own JSON type are kept: a string enum rejects a number, and back.
    with pytest.raises(pydantic.ValidationError):
        Pet.model_validate({"kind": 12345})
    with pytest.raises(pydantic.ValidationError):
        Pet.model_validate({"kind": "cat", "code": "wrong type"})
    assert pydantic.TypeAdapter(list[Kind]).validate_python(["cat", "new"]) == [
        "cat",
        "new",
    ]
    assert Pet.model_validate({"kind": "new"}).model_dump(mode="json") == {
        "kind": "new",
        "code": 1,
    }


def test_to_jsonable(rt: Any) -> None:
    class Color(enum.Enum):
        RED = "red"

    class Inner(rt.BaseModel):
        a_b: int = Field(alias="a-b")
        opt: int | None = None

    value = {
        "model": Inner(**{"a-b": 1}),
        "none": None,
        "skip": rt.NOT_GIVEN,
        "list": (1, rt.NOT_GIVEN, "x"),
        "dt": dt.datetime(2024, 1, 2, 3, 4, 5),
        "date": dt.date(2024, 1, 2),
        "enum": Color.RED,
        "bytes": b"hi",
        "dec": decimal.Decimal("1.5"),
        "uuid": uuid.UUID(int=1),
        5: "int-key",
    }
    assert rt.to_jsonable(value) == {
        "model": {"a-b": 1},
        "none": None,
        "list": [1, "x"],
        "dt": "2024-01-02T03:04:05",
        "date": "2024-01-02",
        "enum": "red",
        "bytes": "aGk=",
        "dec": "1.5",
        "uuid": "00000000-0000-0000-0000-000000000001",
        "5": "int-key",
    }


def test_validate_json_fast_path_and_adapters(rt: Any) -> None:
    m = rt.models

    class Pet(rt.BaseModel):
        id: int

    assert m.validate_json(Pet, b'{"id": 1}') == Pet(id=1)
    assert m.validate_json(list[Pet], b'[{"id": 1}, {"id": 2}]') == [
        Pet(id=1),
        Pet(id=2),
    ]
    assert m.validate_json(Union[Pet, str], b'"x"') == "x"  # noqa: UP007
    assert m.validate_json(None, b'{"a": 1}') == {"a": 1}
    assert m._adapter(list[Pet]) is m._adapter(list[Pet])  # cached


class _Models:
    def __init__(self, rt: Any) -> None:
        class Owner(rt.BaseModel):
            name: str

        class Pet(rt.BaseModel):
            id: int
            owner: Owner
            tags: list[str] = []

        self.Owner, self.Pet = Owner, Pet


BAD = {"id": "not-an-int", "owner": {"name": "ann"}, "tags": ["a"], "extra": 1}


def test_lenient_response_validation(
    rt: Any, make_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    models = _Models(rt)
    client, _, _ = make_client(httpx.Response(200, json=BAD))
    with caplog.at_level(logging.DEBUG, logger=rt.package):
        pet = client.request(rt.Operation(method="get", path="/p", cast_to=models.Pet))
    assert isinstance(pet, models.Pet)
    assert pet.id == "not-an-int"
    assert isinstance(pet.owner, models.Owner) and pet.owner.name == "ann"
    assert pet.tags == ["a"] and pet.model_extra == {"extra": 1}
    assert "did not match" in caplog.text


def test_strict_response_validation(rt: Any, make_client: Any) -> None:
    models = _Models(rt)
    client, _, _ = make_client(
        httpx.Response(200, json=BAD), strict_response_validation=True
    )
    with pytest.raises(rt.APIResponseValidationError) as info:
        client.request(rt.Operation(method="get", path="/p", cast_to=models.Pet))
    assert info.value.body == BAD and info.value.status_code == 200
    assert isinstance(info.value.__cause__, pydantic.ValidationError)
    good = {"id": 1, "owner": {"name": "b"}}
    client, _, _ = make_client(
        httpx.Response(200, json=good), strict_response_validation=True
    )
    assert (
        client.request(rt.Operation(method="get", path="/p", cast_to=models.Pet)).id
        == 1
    )


def test_lenient_invalid_json_returns_text(rt: Any, make_client: Any) -> None:
    models = _Models(rt)
    client, _, _ = make_client(httpx.Response(200, text="not json"))
    operation = rt.Operation(method="get", path="/p", cast_to=models.Pet)
    assert client.request(operation) == "not json"
    client, _, _ = make_client(
        httpx.Response(200, text="not json"), strict_response_validation=True
    )
    with pytest.raises(rt.APIResponseValidationError):
        client.request(operation)


def test_construct_value_unions_and_containers(rt: Any) -> None:
    models = _Models(rt)

    class Cat(rt.BaseModel):
        meow: bool

    data = [{"meow": True}, {"id": "x", "owner": {"name": "o"}}]
    for tp in (list[Union[Cat, models.Pet]], list[Cat | models.Pet]):  # noqa: UP007
        value = rt.models.construct_value(tp, data)
        assert isinstance(value[0], Cat) and value[0].meow is True
        assert isinstance(value[1], models.Pet) and value[1].id == "x"
    mapping = rt.models.construct_value(dict[str, models.Owner], {"a": {"name": 3}})
    assert isinstance(mapping["a"], models.Owner) and mapping["a"].name == 3
