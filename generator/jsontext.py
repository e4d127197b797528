"""`json.dumps(obj, indent=n, sort_keys=True)`, the same text about twice as fast.

With `indent`, the standard library encodes in pure Python, one generator per container; here only
the walk over containers is Python and every scalar goes through the C encoder. Used for the big
sorted JSON files of a generated SDK (the tests' spec and replies).
"""

from __future__ import annotations

import json
from typing import Any

_scalar = json.JSONEncoder(sort_keys=True).encode  # C-accelerated for str, int, float, bool, None
_KEYS = {True: "true", False: "false", None: "null"}


def dumps_sorted(obj: Any, indent: int = 1) -> str:
    """Exactly `json.dumps(obj, indent=indent, sort_keys=True)` (default separators, ASCII)."""
    out: list[str] = []
    step = " " * indent

    def walk(o: Any, pad: str) -> None:
        if isinstance(o, dict):
            if not o:
                out.append("{}")
                return
            inner = pad + step
            sep = "{\n" + inner
            for key in sorted(o):  # as json does: the original keys are sorted, then converted
                out.append(sep + _scalar(_key(key)) + ": ")
                walk(o[key], inner)
                sep = ",\n" + inner
            out.append("\n" + pad + "}")
        elif isinstance(o, (list, tuple)):
            if not o:
                out.append("[]")
                return
            inner = pad + step
            sep = "[\n" + inner
            for item in o:
                out.append(sep)
                walk(item, inner)
                sep = ",\n" + inner
            out.append("\n" + pad + "]")
        else:
            out.append(_scalar(o))

    walk(obj, "")
    return "".join(out)


def _key(key: Any) -> str:
    """A dict key as json writes it (json.encoder's rules for non-string keys)."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool) or key is None:
        return _KEYS[key]
    if isinstance(key, (int, float)):
        return _scalar(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
