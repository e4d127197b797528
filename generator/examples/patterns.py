"""A short string matching a regular expression, for example values of `pattern` strings.

Walks the parse tree of Python's own regex parser and takes the smallest choice at each node
(first alternative, first character of a class, minimum repetitions); the result is checked with
`re.search`, and None is returned when the pattern is beyond this (look-arounds, back-references).
"""

from __future__ import annotations

import re
import sys
from typing import Any

if sys.version_info >= (3, 11):
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
else:  # pragma: no cover
    import sre_constants as c
    import sre_parse

_CATEGORY = {c.CATEGORY_DIGIT: "0", c.CATEGORY_WORD: "a", c.CATEGORY_SPACE: " ", c.CATEGORY_NOT_DIGIT: "a",
             c.CATEGORY_NOT_WORD: "-", c.CATEGORY_NOT_SPACE: "a"}


def _char_of(items: Any) -> str | None:
    negated = any(op is c.NEGATE for op, _ in items)
    if negated:
        excluded = {chr(v) for op, v in items if op is c.LITERAL}
        return next(ch for ch in "aA0-_." if ch not in excluded)
    for op, value in items:
        if op is c.LITERAL:
            return chr(value)
        if op is c.RANGE:
            return chr(value[0])
        if op is c.CATEGORY:
            return _CATEGORY.get(value, "a")
    return None


def _walk(tree: Any, depth: int = 0) -> str:
    if depth > 50:
        raise ValueError("pattern nested too deeply")
    out = []
    for op, value in tree:
        if op is c.LITERAL:
            out.append(chr(value))
        elif op is c.NOT_LITERAL:
            out.append("a" if chr(value) != "a" else "b")
        elif op is c.ANY:
            out.append("a")
        elif op is c.IN:
            ch = _char_of(value)
            if ch is None:
                raise ValueError("empty class")
            out.append(ch)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, _high, sub = value
            out.append(_walk(sub, depth + 1) * max(low, 0))
        elif op is c.SUBPATTERN:
            out.append(_walk(value[-1], depth + 1))
        elif op is c.BRANCH:
            out.append(_walk(value[1][0], depth + 1))
        elif op is c.AT:
            continue
        else:
            raise ValueError(f"unsupported regex construct {op}")
    return "".join(out)


def sample(pattern: str) -> str | None:
    try:
        text = _walk(sre_parse.parse(pattern))
        return text if re.search(pattern, text) else None
    except (ValueError, re.error, RecursionError, OverflowError, MemoryError):
        return None
