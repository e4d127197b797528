"""YAML text -> a JSON-compatible tree: a fast parser, with libyaml as the safe fallback.

The fast path is `yaml_rs` (a Rust YAML 1.2 parser, ~15x faster than libyaml on a 3 MB spec). It
handles the YAML that specs are made of; a text that uses anything where it and libyaml could give
different trees, or that it rejects, is parsed by libyaml (PyYAML's CSafeLoader) instead, which also
writes every error message (`invalid YAML at line L, column C: ...`). The fast path refuses a text
that is not UTF-8, or that contains an anchor (aliases, alias bombs: see generator.load), a tag
(`!x`), a merge key (`<<`), an explicit key that may be a collection, several documents or
directives, a character YAML does not allow (C0/C1 controls), a number-like plain scalar with `_`,
`0b` or a signed `0x`/`0o`, an empty block scalar (`|` with nothing in it), nesting that may be
very deep, no line break at the end, or a repeated key. yaml_rs also takes a few YAML 1.2 forms
libyaml rejects (a tab as separation, an empty key, a multi-line key in a flow mapping): such a
document parses instead of failing.

Whichever parser reads the text, plain scalars resolve by ONE rule, the YAML 1.2 core schema (the
YAML version OpenAPI recommends), so a spec means the same as its JSON form:

- null: `~`, `null`, `Null`, `NULL` and an empty value
- booleans: `true`/`True`/`TRUE`, `false`/`False`/`FALSE`. `yes`, `no`, `on`, `off` are strings
- integers: decimal `[-+]?[0-9]+` (so `017` is 17, not octal), `0o17` (15), `0x1F` (31)
- floats: `1.5`, `.5`, `1e3`, `-1.5E-3`, `.inf`, `-.Inf`, `.nan` (any of the three spellings)
- everything else is a string: dates and times (`2024-01-31` stays text, as in JSON), `1_000`,
  `0b101`, `1:30`, `inf`
- a repeated key in a mapping: the last value wins, with a `yaml-duplicate-key` warning
- a file is read as if it ended with a line break (a block scalar at its very end keeps one)
- explicit tags keep their YAML meaning (`!!str 12` is "12"); merge keys (`<<`) are merged
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

import yaml

from generator.diagnostics import Collector

try:
    import yaml_rs
except ImportError:  # pragma: no cover - a platform without its wheel: libyaml only
    yaml_rs = None  # type: ignore[assignment]

try:
    _BaseLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _BaseLoader = yaml.SafeLoader


class Loader(_BaseLoader):  # type: ignore[misc]
    """libyaml with the YAML 1.2 core schema for plain scalars, and repeated keys recorded."""

    duplicates: list[tuple[str, int, int]]

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if isinstance(node, yaml.MappingNode) and len(mapping) < len(node.value):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=deep)
                try:
                    repeated = key in seen
                    seen.add(key)
                except TypeError:  # an unhashable key: the base class has reported it
                    continue
                if repeated:
                    mark = key_node.start_mark
                    self.duplicates.append((str(key), mark.line + 1, mark.column + 1))
        return mapping


def _int(loader: Any, node: Any) -> int:
    text = str(loader.construct_scalar(node))
    if text[:2] in ("0o", "0x"):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)  # an explicit `!!int` tag on something else raises: reported as invalid YAML


def _float(loader: Any, node: Any) -> float:
    text = str(loader.construct_scalar(node))
    body = text.lstrip("+-").lower()
    if body in (".inf", ".nan"):
        value = math.inf if body == ".inf" else math.nan
        return -value if text.startswith("-") else value
    return float(text)


def _timestamp_as_string(loader: Any, node: Any) -> str:
    return str(loader.construct_scalar(node))


Loader.yaml_implicit_resolvers = {}  # the YAML 1.2 core schema instead of PyYAML's YAML 1.1 one
for _tag, _pattern, _first in (
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", list("-+.0123456789")),
    ("merge", r"^<<$", ["<"]),
):
    Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), _first)
Loader.add_constructor("tag:yaml.org,2002:int", _int)
Loader.add_constructor("tag:yaml.org,2002:float", _float)
Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_string)

# What the fast path leaves to libyaml (see the module docstring). Over-matching only costs time.
# Every pattern starts with a literal character (or is one), which `re` finds at C speed; the
# candidates are confirmed in Python (`_refused`). ~30 ms for the 3 MB OpenAI spec.
_REFUSE = tuple(re.compile(pattern) for pattern in (
    r"<<[ \t]*:",  # a merge key
    r"\n(?:%|\.\.\.(?:[ \t\r\n]|$))",  # a directive, a document end
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]",  # not allowed, or a line break to libyaml
))
_PROPERTIES = (re.compile("&"), re.compile("!"))  # an anchor or a tag, when it starts a node
_QUESTION = re.compile(r"\?")  # an explicit key, when it may be a collection or is in a flow collection
_UNDERSCORE = re.compile(r"_")  # `1_000`, and `0b1`, `-0x1` below: number-like scalars yaml_rs reads as
_RADIX = re.compile(r"0[bBxXoO]")  # numbers and YAML 1.2 core as strings
_DIGITS = frozenset("0123456789")
# Deep nesting: yaml_rs recurses on the C stack and crashes the process some 10,000 levels down (it
# stops at 256 nested flow collections itself). Two block levels take at least one column of
# indentation, and one line can open at most its run of `- `, `? `, `: ` indicators, so a text with
# no line indented 400 columns and no run of 200 indicators nests less than ~1,300 deep. (libyaml
# reports what is deeper than it takes.) Checked on the bytes with every indicator made `-`, every
# blank ` ` and everything else `x`: a fast literal search.
_MAX_INDENT = 400
_INDICATOR_RUN = re.compile(rb"-(?: +-){199}")
_INDICATORS = bytes(ord("-") if c in b"-?:" else ord(" ") if c in b" \t" else ord("\n") if c == 10 else ord("x")
                    for c in range(256))
_DOCUMENT_START = re.compile(r"\n---(?:[ \t\r\n]|$)")  # (or at the very start)
_FIRST_DOCUMENT_START = re.compile(r"---(?:[ \t\r\n]|$)")
_TOKEN_CHAR = frozenset("0123456789abcdefABCDEFxXoO._+-")
_NUMBER = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]*\.?[0-9]*(?:[eE][-+]?[0-9]+)?)")
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*[ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)  # after a blank, or first
_CHOMPED = re.compile(r"[|>][0-9]*[-+]")
_ENTRY_PREFIX = re.compile(r" *(?:[-?:] +)*")
_CONTENT_LINE = re.compile(r"\n( *)[^ \t\r\n]")


def _starts_node(source: str, pos: int) -> bool:
    """Whether `pos` may start a YAML node: first on its line, or after `: `, `- `, `? `, `[`, `{`, `,`."""
    before = source[source.rfind("\n", 0, pos) + 1:pos]
    stripped = before.rstrip(" \t")
    return not stripped or stripped.endswith(("[", "{", ",")) or (
        stripped.endswith((":", "-", "?")) and len(stripped) < len(before))


def _number_like(source: str, pos: int) -> bool:
    """Whether the candidate at `pos` lies in a whole plain scalar that yaml_rs reads as a number and
    YAML 1.2 core as a string (`1_000`, `0b1`, `-0x1`)."""
    start, end = pos, pos
    while start > 0 and source[start - 1] in _TOKEN_CHAR:
        start -= 1
    while end < len(source) and source[end] in _TOKEN_CHAR:
        end += 1
    token = source[start:end]
    after = source[end:end + 2]
    ends = after[:1] in ("", "\n", "\r", " ", "\t", ",", "]", "}") or after in (":", ": ", ":\n", ":\r")
    return (ends and any(c.isdigit() for c in token) and _NUMBER.fullmatch(token.replace("_", "")) is not None
            and _starts_node(source, start))


def _empty_block_scalar(source: str) -> bool:
    """Whether a block scalar (`key: |`, `- >`) may be empty (its next non-blank line is not indented
    more than its key or `-`) with clip chomping or at the end: yaml_rs reads it as "\\n", libyaml
    (rightly) as ""."""
    for header in _BLOCK_HEADER.finditer(source):
        bar = header.start()  # where the `|` or `>` is
        if bar and source[bar - 1] not in " \t\n":
            continue  # inside a word
        start = source.rfind("\n", 0, bar) + 1
        prefix = _ENTRY_PREFIX.match(source, start, bar)
        assert prefix is not None  # the pattern matches the empty string
        key = source[prefix.end():bar].rstrip()
        if key == "---":
            return True  # the document is one block scalar: not a spec, and read differently
        if key and not key.endswith(":"):
            continue  # a line of text that ends in ` |`, not a block scalar header
        # the column the content must pass: the key's, or that of the `-`, `?` or `:` before it
        indicator = max(source.rfind(c, start, bar) for c in "-?:")
        if not key and indicator < 0:
            return True  # the whole document is one block scalar: not a spec, and read differently
        threshold = prefix.end() - start if key else indicator - start
        content = _CONTENT_LINE.search(source, header.end())
        if content is None or (len(content.group(1)) <= threshold and not _CHOMPED.search(header.group())):
            return True
    return False


def _several_documents(source: str) -> bool:
    """Whether a `---` line starts a document after content (or after another `---`)."""
    starts = [0] if _FIRST_DOCUMENT_START.match(source) else []
    for match in _DOCUMENT_START.finditer(source):
        starts.append(match.start() + 1)
        if len(starts) > 1:
            return True
    before = (line.strip() for line in source[:starts[0]].splitlines()) if starts else ()
    return any(line and not line.startswith("#") for line in before)


def _may_nest_deeply(text: bytes) -> bool:
    indent = b" " * _MAX_INDENT
    return text.startswith(indent) or b"\n" + indent in text or _INDICATOR_RUN.search(
        text.translate(_INDICATORS)) is not None


def _odd_question_mark(source: str, pos: int) -> bool:
    """`?` opening a flow entry, or an explicit key that may be a collection (`? [`, `? -`, `?` alone)."""
    i = pos - 1
    while i >= 0 and source[i] in " \t\r\n":
        i -= 1
    if i >= 0 and source[i] in "[{,":
        return True
    j = pos + 1
    while j < len(source) and source[j] in " \t":
        j += 1
    follows = source[j:j + 1]
    return (follows in ("", "\n", "\r") or (j > pos + 1 and follows in ("-", "[", "{"))) and _starts_node(source, pos)


def _number_candidates(source: str) -> Iterator[int]:
    for match in _UNDERSCORE.finditer(source):
        pos = match.start()
        if (pos and source[pos - 1] in _DIGITS) or source[pos + 1:pos + 2] in _DIGITS:
            yield pos
    for match in _RADIX.finditer(source):
        pos = match.start()
        if source[pos + 1] in "bB" or (pos and source[pos - 1] in "+-"):
            yield pos


def _refused(source: str) -> bool:
    return (any(pattern.search(source) for pattern in _REFUSE)
            or source.startswith(("%", "...")) or _several_documents(source)
            or any(_starts_node(source, m.start()) for p in _PROPERTIES for m in p.finditer(source))
            or any(_odd_question_mark(source, m.start()) for m in _QUESTION.finditer(source))
            or any(_number_like(source, pos) for pos in _number_candidates(source))
            or _empty_block_scalar(source))


def parse_fast(text: bytes) -> Any | None:
    """`text` parsed by the fast parser, or None when it refuses it (the caller then uses libyaml)."""
    if yaml_rs is None:
        return None
    try:
        source = text.decode("utf-8")
    except UnicodeDecodeError:
        return None
    source = source.removeprefix("\ufeff")
    # yaml_rs ends a block scalar that ends the file with a line break the file does not have
    if not source.endswith(("\n", "\r")) or _may_nest_deeply(text) or _refused(source):
        return None
    try:
        return yaml_rs.loads(source, parse_datetime=False)
    except (yaml_rs.YAMLDecodeError, ValueError, TypeError, RecursionError):
        return None


def parse_libyaml(text: bytes, diags: Collector, name: str) -> Any:
    """`text` parsed by libyaml under the same rule; None, with an error reported, when it is not YAML."""
    loader = Loader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        diags.error("yaml-syntax", "", f"invalid YAML{where}: {exc.problem}", name)
        return None
    except yaml.YAMLError as exc:
        diags.error("yaml-syntax", "", f"invalid YAML: {' '.join(str(exc).split())}", name)
        return None
    except UnicodeDecodeError as exc:
        diags.error("yaml-syntax", "", f"invalid YAML: not UTF-8/16 text ({exc.reason} at byte {exc.start})", name)
        return None
    except RecursionError:
        diags.error("yaml-syntax", "", "invalid YAML: nested too deeply to parse", name)
        return None
    finally:
        loader.dispose()
    for key, line, column in loader.duplicates:
        diags.warning("yaml-duplicate-key", "", f"the key {key!r} at line {line}, column {column} repeats a key of "
                      "its mapping: the last value is used", name)
    return data


def parse(text: bytes, diags: Collector, name: str) -> Any:
    """The tree of a YAML text: the fast parser when it takes the text, else libyaml. A text is read
    as if it ended with a line break (it matters only when it ends inside a block scalar)."""
    if text and not text.endswith((b"\n", b"\r")) and not text.startswith((b"\xff\xfe", b"\xfe\xff")):
        text += b"\n"  # (not in UTF-16, which libyaml reads too)
    data = parse_fast(text)
    return parse_libyaml(text, diags, name) if data is None else data
