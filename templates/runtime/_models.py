"""Pydantic base model, open enums, request serialisation and response parsing helpers."""

from __future__ import annotations

import base64
import datetime as _dt
import enum
import functools
import json
import logging
import types
import typing
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal, Union

import pydantic
from pydantic import ConfigDict, TypeAdapter, ValidationError, WrapValidator

from ._types import NotGiven

__all__ = [
    "BaseModel",
    "NumberConst",
    "OpenEnum",
    "OpenIntEnum",
    "OpenNumberEnum",
    "construct_value",
    "is_model_type",
    "to_jsonable",
    "validate_json",
    "validate_python",
]

log = logging.getLogger(__name__.rsplit("._runtime", 1)[0])


class BaseModel(pydantic.BaseModel):
    """Base class of every generated model.

    Unknown fields sent by the server are kept (``model_extra``) so that newer API versions never
    break an older SDK; fields can be populated by their Python name or by their wire alias.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        arbitrary_types_allowed=True,
        protected_namespaces=(),
        defer_build=True,
    )

    # Not iterable: pydantic's (field, value) pairs are a surprise on a response that wraps a list
    # (`for m in client.models.list_models()`); mypy flags such a loop and it raises TypeError. Use
    # `.to_dict()` / `model_dump()` for the fields, the list field itself for the items.
    __iter__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        return repr(self)

    def to_dict(
        self, *, by_alias: bool = True, exclude_unset: bool = True
    ) -> dict[str, Any]:
        """The model as JSON-compatible data, keyed by wire names."""
        return self.model_dump(
            mode="json", by_alias=by_alias, exclude_unset=exclude_unset
        )

    def to_json(self, *, indent: int | None = 2, exclude_unset: bool = True) -> str:
        """The model as a JSON string, keyed by wire names."""
        return self.model_dump_json(
            indent=indent, by_alias=True, exclude_unset=exclude_unset
        )


def _open_enum(
    value: Any,
    handler: pydantic.ValidatorFunctionWrapHandler,
    *,
    kinds: tuple[type, ...] = (str,),
) -> Any:
    try:
        return handler(value)
    except ValidationError:
        # A value the enum does not list, but of the enum's own JSON type: a newer server's.
        if isinstance(value, kinds) and not isinstance(value, bool):
            return value
        raise


def _open(kinds: tuple[type, ...]) -> WrapValidator:
    return WrapValidator(functools.partial(_open_enum, kinds=kinds))


OpenEnum = _open((str,))
"""Use as ``Annotated[Literal["a", "b"], OpenEnum]``: type checkers see the ``Literal`` while
unknown strings sent by a newer server are accepted unchanged at runtime (other types are not)."""

OpenIntEnum = _open((int,))
"""``OpenEnum`` for integer enums: unknown integers are accepted, strings are not."""

OpenNumberEnum = _open((int, float))
"""``OpenEnum`` for number enums."""


def _number_const(value: Any, *, const: float) -> Any:
    if isinstance(value, bool) or value != const:
        raise ValueError(f"must be {const!r}")
    return value


def NumberConst(const: float) -> pydantic.AfterValidator:
    """Use as ``Annotated[float, NumberConst(2.5)]`` for a number ``const``: type checkers accept no
    float ``Literal``, so the type is ``float`` and the value is checked when validated.
    """
    return pydantic.AfterValidator(functools.partial(_number_const, const=const))


_PLAIN = frozenset({str, int, float, bool, type(None)})


def to_jsonable(value: object) -> Any:
    """Turn a request value into JSON-ready data.

    Models are dumped by alias without unset fields, mappings and sequences are converted
    recursively, ``NOT_GIVEN`` entries are dropped (``None`` stays ``null``), dates become ISO 8601
    strings, enums their value, bytes base64 and decimals/UUIDs strings.
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:  # the common case first, without the isinstance chain below
        return {
            (k if type(k) is str else str(to_jsonable(k))): (
                v if type(v) in _PLAIN else to_jsonable(v)
            )
            for k, v in value.items()  # type: ignore[attr-defined]
            if not isinstance(v, NotGiven)
        }
    if kind is list:
        return [
            v if type(v) in _PLAIN else to_jsonable(v)
            for v in value  # type: ignore[attr-defined]
            if not isinstance(v, NotGiven)
        ]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, pydantic.BaseModel):
        # Python-mode dump, then the same conversions as for plain dicts: a model and its
        # TypedDict twin (a dict keyed by wire names) go out as the same JSON.
        return to_jsonable(value.model_dump(by_alias=True, exclude_unset=True))
    if isinstance(value, Mapping):
        return {
            str(to_jsonable(k)): to_jsonable(v)
            for k, v in value.items()
            if not isinstance(v, NotGiven)
        }
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value if not isinstance(v, NotGiven)]
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    return value


def is_model_type(tp: object) -> bool:
    return isinstance(tp, type) and issubclass(tp, pydantic.BaseModel)


_adapters: dict[object, TypeAdapter[Any]] = {}


def _adapter(tp: object) -> TypeAdapter[Any]:
    try:
        adapter = _adapters.get(tp)
    except TypeError:  # unhashable type expression
        return TypeAdapter(typing.cast(Any, tp))
    if adapter is None:
        adapter = TypeAdapter(typing.cast(Any, tp))
        if len(_adapters) < 1024:
            _adapters[tp] = adapter
    return adapter


def validate_json(tp: object, raw: bytes | str, *, strict: bool = False) -> Any:
    """Parse JSON text into ``tp``.

    With ``strict`` a ``ValidationError`` (or ``ValueError`` for invalid JSON) propagates;
    otherwise the failure is logged and a best-effort value built from the raw JSON is returned.
    """
    if tp is None or tp is Any or tp is object:
        try:
            return json.loads(raw)
        except ValueError:
            if strict:
                raise
            return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        if is_model_type(tp):
            return typing.cast("type[pydantic.BaseModel]", tp).model_validate_json(raw)
        return _adapter(tp).validate_json(raw)
    except ValidationError as exc:
        if strict:
            raise
        log.debug("Response did not match %r, using a best-effort value: %s", tp, exc)
        try:
            data = json.loads(raw)
        except ValueError:
            return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        return construct_value(tp, data)


def validate_python(tp: object, data: object, *, strict: bool = False) -> Any:
    """Like :func:`validate_json` for already decoded JSON data."""
    if tp is None or tp is Any or tp is object:
        return data
    try:
        if is_model_type(tp):
            return typing.cast("type[pydantic.BaseModel]", tp).model_validate(data)
        return _adapter(tp).validate_python(data)
    except ValidationError as exc:
        if strict:
            raise
        log.debug("Response did not match %r, using a best-effort value: %s", tp, exc)
        return construct_value(tp, data)


def _try_validate(tp: object, data: object) -> tuple[bool, Any]:
    try:
        return True, _adapter(tp).validate_python(data)
    except (ValidationError, TypeError, pydantic.PydanticSchemaGenerationError):
        return False, None


def _construct_model(tp: type[pydantic.BaseModel], data: Mapping[str, Any]) -> Any:
    values: dict[str, Any] = {}
    used: set[str] = set()
    for name, field in tp.model_fields.items():
        key = field.alias if field.alias is not None and field.alias in data else name
        if key not in data:
            continue
        used.add(key)
        ok, parsed = _try_validate(field.annotation, data[key])
        values[name] = parsed if ok else construct_value(field.annotation, data[key])
    extra = {k: v for k, v in data.items() if k not in used}
    return tp.model_construct(set(values), **{**extra, **values})


def construct_value(tp: object, data: object) -> Any:
    """Build a best-effort value of type ``tp`` from JSON data without failing.

    Models are built with ``model_construct`` (recursively, field by field), containers element by
    element; anything that cannot be matched is returned unchanged.
    """
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        ok, parsed = _try_validate(tp, data)
        return parsed if ok else construct_value(typing.get_args(tp)[0], data)
    if is_model_type(tp):
        if isinstance(data, Mapping):
            return _construct_model(typing.cast("type[pydantic.BaseModel]", tp), data)
        return data
    if origin in (list, tuple, set, frozenset) and isinstance(data, list):
        args = typing.get_args(tp)
        item = args[0] if args else Any
        return [construct_value(item, v) for v in data]
    if origin in (dict, Mapping) and isinstance(data, Mapping):
        args = typing.get_args(tp)
        item = args[1] if len(args) == 2 else Any
        return {k: construct_value(item, v) for k, v in data.items()}
    if origin is Union or origin is types.UnionType:
        members = typing.get_args(tp)
        for member in members:
            ok, parsed = _try_validate(member, data)
            if ok:
                return parsed
        if isinstance(data, Mapping):
            best = _best_model(members, data)
            if best is not None:
                return _construct_model(best, data)
        return data
    if origin is Literal or tp is Any or tp is object or tp is None:
        return data
    ok, parsed = _try_validate(tp, data)
    return parsed if ok else data


def _best_model(
    members: tuple[Any, ...], data: Mapping[str, Any]
) -> type[pydantic.BaseModel] | None:
    best: type[pydantic.BaseModel] | None = None
    best_score = 0
    for member in members:
        if typing.get_origin(member) is typing.Annotated:
            member = typing.get_args(member)[0]
        if not is_model_type(member):
            continue
        model = typing.cast("type[pydantic.BaseModel]", member)
        names = {f.alias or n for n, f in model.model_fields.items()}
        score = len(names.intersection(data))
        if best is None or score > best_score:
            best, best_score = model, score
    return best
