"""Parse a big YAML spec on two cores: the file is cut in two at a mapping key, each half parsed by
libyaml (one in a forked process, see generator.parallel), and the two trees joined.

The cut is made only where it cannot change the meaning, and everything else falls back to one
ordinary parse of the whole file:

- the cut line is a plain `key:` line inside block mappings all the way up: every line above it
  with less indentation (its ancestors) is a bare `key:` line opening a mapping, ending at a key at
  column 0. A cut inside a block scalar, a multi-line string or a flow collection is refused by this
  walk (one of the ancestors would not be a bare key) or, failing that, breaks the parse of a half;
- the second half is the ancestor lines followed by the rest of the file, so it parses to the same
  nesting; the first half ends inside the same mappings, after at least one entry;
- the halves are joined along that chain of keys only: a key both halves define anywhere else (a
  duplicate key in the file) is a conflict, and the whole file is parsed instead;
- a file with directives, several documents, tabs in indentation, or a UTF-16 encoding is not cut;
  an alias to an anchor in the other half fails that half's parse.

Any half that fails to parse means the whole file is parsed again, so errors are reported exactly
as for an uncut file (with the right line numbers).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from generator import parallel

MIN_BYTES = 1_000_000  # below this a second process costs more than it saves
_KEY = rb"(?:[A-Za-z0-9_/$.][^\"'#:\r\n]*|'[^'\r\n]*'|\"[^\"\\\r\n]*\")"
_KEY_LINE = re.compile(rb"( *)" + _KEY + rb":(?: |\r?$)")
_OPENER = re.compile(rb"( *)" + _KEY + rb": *(?:#[^\r\n]*)?\r?")
SEARCH_LINES = 20_000  # how far from the middle a cut line is looked for


def parse(text: bytes, parse_one: Callable[[bytes], Any]) -> Any | None:
    """The document `text` parsed with `parse_one` in two halves at once, or None when it is not cut
    (too small, no safe cut, no second core) or the halves do not join: the caller parses it whole.
    `parse_one` returns None for a text that does not parse."""
    if len(text) < MIN_BYTES or not parallel.available():
        return None
    cut = find_cut(text)
    if cut is None:
        return None
    head, tail, depth = cut
    job = parallel.start(lambda: parse_one(tail))
    first = parse_one(head)
    return joined(first, job.result(), depth)


def joined(first: Any, second: Any, depth: int) -> dict[Any, Any] | None:
    """The whole document from its two parsed halves (`first` is reused), or None when a half did
    not parse to a mapping or the halves do not join (see `join`)."""
    if not isinstance(first, dict) or not isinstance(second, dict):
        return None
    return first if join(first, second, depth) else None


def find_cut(text: bytes) -> tuple[bytes, bytes, int] | None:
    """(first half, second half, number of ancestor keys) for a safe cut near the middle, or None."""
    if text[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\t" in text or b"\n%" in text or b"\n..." in text \
            or text.startswith((b"%", b"...")):
        return None
    starts = ([0] if text.startswith(b"---") else []) + ([text.find(b"\n---") + 1] if b"\n---" in text else [])
    if len(starts) > 1 or text.count(b"\n---") > 1 or (starts and not _only_comments(text[:starts[0]])):
        return None
    lines = _Lines(text)
    after = lines.start_of(len(text) * 47 // 100)  # the second half parses a little slower per byte
    before = after
    for _ in range(SEARCH_LINES):
        for pos in (after, before):
            cut = lines.cut_at(pos)
            if cut is not None:
                return cut
        after = text.find(b"\n", after) + 1
        before = lines.start_of(before - 1) if before > 0 else 0
        if after == 0:
            return None
    return None


def cut_at(text: bytes, pos: int) -> tuple[bytes, bytes, int] | None:
    """The cut before the line starting at `pos`, when that line can begin the second half (the
    document-level checks of `find_cut` aside)."""
    return _Lines(text).cut_at(pos)


def _only_comments(block: bytes) -> bool:
    return all(not line.strip() or line.lstrip().startswith(b"#") for line in block.split(b"\n"))


def _indent(line: bytes) -> int | None:
    """Indentation of a content line; None for a blank or comment-only line."""
    stripped = line.lstrip(b" ")
    if not stripped.strip() or stripped.startswith(b"#"):
        return None
    return len(line) - len(stripped)


class _Lines:
    """Lines of `text` addressed by their start offset."""

    def __init__(self, text: bytes) -> None:
        self.text = text
        self.patterns: dict[int, re.Pattern[bytes]] = {}

    def start_of(self, pos: int) -> int:
        return self.text.rfind(b"\n", 0, pos) + 1

    def line(self, start: int) -> bytes:
        end = self.text.find(b"\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]

    def above(self, start: int, less_than: int = 1 << 16) -> tuple[int, int] | None:
        """(start, indentation) of the nearest content line above the line at `start` with
        indentation below `less_than`; blank and comment-only lines are skipped. Searched by a
        regex in growing windows back from `start` (C speed, not a loop over lines)."""
        if less_than <= 0:
            return None
        pattern = self.patterns.get(less_than)
        if pattern is None:
            pattern = self.patterns[less_than] = re.compile(rb"\n( {0,%d})[^ \r\n#]" % (less_than - 1))
        end, window = start - 1, 1 << 14
        while end > 0:
            lo = max(0, end - window)
            last = None
            for last in pattern.finditer(self.text, lo, end):  # noqa: B007 - the last match is wanted
                pass
            if last is not None:
                return last.start() + 1, len(last.group(1))
            if lo == 0:
                break
            end, window = lo + less_than + 1, window * 4  # overlap: a match may straddle the edge
        first = _indent(self.line(0))
        return (0, first) if start > 0 and first is not None and first < less_than else None

    def cut_at(self, pos: int) -> tuple[bytes, bytes, int] | None:
        chain = self.ancestors(pos) if pos > 0 else None
        if chain is None:
            return None
        prefix = b"".join(self.line(a) + b"\n" for a in chain)
        return self.text[:pos], prefix + self.text[pos:], len(chain)

    def ancestors(self, start: int) -> list[int] | None:
        """Starts of the bare `key:` lines that open the mappings the line at `start` is in,
        outermost first, when that line is a `key:` line that can begin the second half."""
        match = _KEY_LINE.match(self.text, start)
        if match is None:
            return None
        need = len(match.group(1))
        if need == 0:
            return []  # a top-level key: nothing to reopen
        previous = self.above(start)
        if previous is None or previous[1] < need:
            return None  # the first entry of its mapping: the first half would hold an empty mapping
        chain: list[int] = []
        while need > 0:
            found = self.above(start, need)
            if found is None or not _OPENER.fullmatch(self.line(found[0])):
                return None
            start, need = found
            chain.append(start)
        return chain[::-1]


def join(first: dict[Any, Any], second: dict[Any, Any], depth: int) -> bool:
    """Add `second` into `first` (in place), descending `depth` mappings: at each level along the
    cut, the last key of `first` and the first key of `second` are the same mapping, joined; any
    other key both have is a conflict (False; `first` is then in an undefined state)."""
    a, b = first, second
    for _ in range(depth):
        last, head = next(reversed(a), None), next(iter(b), None)
        if (a.keys() & b.keys()) != {last} or head != last or not isinstance(a[last], dict) \
                or not isinstance(b[head], dict):
            return False
        a.update((k, v) for k, v in b.items() if k != head)
        a, b = a[last], b[head]
    if a.keys() & b.keys():
        return False
    a.update(b)
    return True
