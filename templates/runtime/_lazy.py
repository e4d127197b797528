"""Entry points into ``_models`` that load pydantic on first use, not at import.

Importing the SDK and creating a client then costs about what ``import httpx`` does; pydantic's
model machinery is loaded by the first call that sends or parses data (or by importing a model).
"""

from __future__ import annotations

from typing import Any


def to_jsonable(value: object) -> Any:
    from ._models import to_jsonable as impl

    return impl(value)


def validate_json(tp: object, raw: bytes | str, *, strict: bool = False) -> Any:
    from ._models import validate_json as impl

    return impl(tp, raw, strict=strict)


def validate_python(tp: object, data: object, *, strict: bool = False) -> Any:
    from ._models import validate_python as impl

    return impl(tp, data, strict=strict)
