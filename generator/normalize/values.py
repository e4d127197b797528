"""Spec values (defaults, examples, consts) as data plus one safe Python rendering."""

from __future__ import annotations

import math
from typing import Any

from generator.ir import Value


def py_literal(value: Any, _depth: int = 0) -> str:
    """Render a JSON value as Python source. Strings go through repr(), so no spec text can escape
    its literal; dict keys are sorted so the output does not depend on the spec's key order."""
    if _depth > 100:
        raise ValueError("value nested too deeply")
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value):
            return 'float("nan")'
        if math.isinf(value):
            return 'float("inf")' if value > 0 else 'float("-inf")'
        return repr(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(py_literal(v, _depth + 1) for v in value) + "]"
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda kv: str(kv[0]))
        return "{" + ", ".join(f"{py_literal(str(k))}: {py_literal(v, _depth + 1)}" for k, v in items) + "}"
    return repr(str(value))


def json_compatible(value: Any, _depth: int = 0) -> Any:
    """YAML can produce non-JSON values (dates, int keys, sets); bring them back to JSON's types."""
    if _depth > 100:
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [json_compatible(v, _depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): json_compatible(v, _depth + 1) for k, v in value.items()}
    return str(value)


def make_value(raw: Any) -> Value | None:
    try:
        data = json_compatible(raw)
        return Value(json=data, py_literal=py_literal(data))
    except (ValueError, RecursionError):
        return None
