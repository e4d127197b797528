"""Stage 1, load: a spec file -> a JSON-compatible dict, checked to be an OpenAPI document.

YAML goes through generator.yaml_parse: a fast parser (yaml_rs), libyaml for what it refuses and for
error messages; whichever reads it, plain scalars resolve by ONE rule, the YAML 1.2 core schema:
`yes`/`no`/`on`/`off`, dates, `1_000` and `0b1` stay strings, `017` is 17, `0o17` 15, `.inf` a float,
`~` null; a repeated key keeps its last value, with a `yaml-duplicate-key` warning; a file reads as
if it ended with a line break. JSON goes through the json module. openapi-pydantic validates the
structure: what it rejects is reported as warnings with JSON pointers (real specs often bend the
schema), never as a crash.
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import yaml_parse
from generator.diagnostics import Collector, join_pointer

SUPPORTED = ("3.0", "3.1")


@dataclass(frozen=True)
class Loaded:
    path: Path
    data: dict[str, Any]
    version: str  # "2.0", "3.0.x", "3.1.x"


# `openapi: 3.0.3`, `3.1.0`, `3.1.1-rc1`, or a bare `3.0`/`3.1` (a YAML float); not `3.10.0`.
_VERSION_3 = re.compile(r"3\.[01](\.\d+)?([-+][0-9A-Za-z.+-]*)?")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
# A YAML document whose aliases expand to this many more nodes than it holds is an "alias bomb"
# (billion laughs): every later stage walks the expanded tree.
MAX_ALIAS_EXPANSION = 10
MAX_ALIAS_NODES = 1_000_000


def read_document(path: Path, diags: Collector, pointer: str = "", file: str = "",
                  label: str | None = None) -> Any:
    """Parse one file (YAML or JSON). Returns None and reports on failure.

    Problems reaching the file are reported at `file#pointer` (where it was referenced from);
    problems with its content at `label#<pointer inside it>` (`label` defaults to the file name).
    """
    name = path.name if label is None else label
    try:
        info = path.stat()
    except FileNotFoundError:
        diags.error("file-not-found", pointer, f"no such file: {path}", file)
        return None
    except OSError as exc:
        diags.error("file-unreadable", pointer, f"cannot read {path}: {exc.strerror}", file)
        return None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        diags.error("file-unreadable", pointer, f"cannot read {path}: {kind}", file)
        return None
    try:
        text = path.read_bytes()
    except OSError as exc:
        diags.error("file-unreadable", pointer, f"cannot read {path}: {exc.strerror}", file)
        return None
    if path.suffix.lower() == ".json" or text.lstrip()[:1] in (b"{", b"["):
        data = _parse_json(text, diags, name)
        if data is not None and _SURROGATE_ESCAPE.search(text):
            data = _replace_surrogates(data, diags, name)
    else:
        data = yaml_parse.parse(text, diags, name)
        if data is not None and _has_anchor(text) and not _check_aliases(data, diags, name):
            return None
    if data is None and not diags.has_errors:
        diags.error("empty-document", "", "the document is empty", name)
    return data


def _has_anchor(text: bytes) -> bool:
    """Whether the YAML text may define an anchor (`&name` where a node may start: at the start,
    after white space, `:` or a flow indicator, followed by a name). Without one there can be no alias, so no alias
    bomb or recursive alias to look for. An `&` inside text (`a & b`, `?a=1&b=2`) does not count."""
    pos = text.find(b"&")
    while pos >= 0:
        if (pos == 0 or text[pos - 1] in b" \t\r\n:,[{") and text[pos + 1:pos + 2] not in b" \t\r\n,[]{}":
            return True
        pos = text.find(b"&", pos + 1)
    return False


def _parse_json(text: bytes, diags: Collector, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        diags.error("json-syntax", "", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", name)
    except UnicodeDecodeError as exc:
        diags.error("json-syntax", "", f"invalid JSON: not UTF-8/16/32 text ({exc.reason} at byte {exc.start})",
                    name)
    except RecursionError:
        diags.error("json-syntax", "", "invalid JSON: nested too deeply to parse", name)
    return None


def _children(node: Any, pointer: str) -> Iterator[tuple[Any, str]]:
    if isinstance(node, dict):
        return ((v, join_pointer(pointer, str(k))) for k, v in node.items())
    return ((v, f"{pointer}/{i}") for i, v in enumerate(node))


def _check_aliases(data: Any, diags: Collector, name: str) -> bool:
    """Reject YAML whose aliases make the tree recursive (`&a [*a]`) or expand it enormously
    (billion laughs). One iterative pass over the distinct nodes, so it is linear in the file."""
    if not isinstance(data, (dict, list)):
        return True
    expanded: dict[int, int] = {}  # id of a finished container -> nodes in its expanded tree
    on_path: set[int] = {id(data)}
    stack: list[tuple[Any, Iterator[tuple[Any, str]]]] = [(data, _children(data, ""))]
    sizes = [1]
    distinct = 1
    worst: tuple[int, str] = (0, "")
    while stack:
        node, children = stack[-1]
        step = next(children, None)
        if step is None:
            stack.pop()
            size = sizes.pop()
            expanded[id(node)] = size
            on_path.discard(id(node))
            if sizes:
                sizes[-1] += size
            continue
        child, ptr = step
        distinct += 1
        if not isinstance(child, (dict, list)):
            sizes[-1] += 1
            continue
        if id(child) in on_path:
            diags.error("yaml-recursive-alias", ptr, "a YAML alias refers to a node that contains it: "
                        "the document is infinitely deep", name)
            return False
        if id(child) in expanded:  # a second use of an anchored node
            sizes[-1] += expanded[id(child)]
            worst = max(worst, (expanded[id(child)], ptr))
            continue
        on_path.add(id(child))
        stack.append((child, _children(child, ptr)))
        sizes.append(1)
    total = expanded[id(data)]
    if total > MAX_ALIAS_NODES and total > MAX_ALIAS_EXPANSION * distinct:
        diags.error("yaml-alias-expansion", worst[1],
                    f"YAML aliases expand {distinct} nodes to {total}: refusing an alias bomb", name)
        return False
    return True


def _replace_surrogates(data: Any, diags: Collector, name: str) -> Any:
    """JSON `\\udXXX` escapes can encode lone surrogates, which are not text and cannot be
    written as UTF-8: they become U+FFFD, with a warning at the first place."""
    found: list[str] = []

    def fix(value: Any, pointer: str, depth: int) -> Any:
        if isinstance(value, str):
            if _SURROGATE.search(value):
                found.append(pointer)
                return _SURROGATE.sub("\ufffd", value)
            return value
        if depth > 10_000:
            return value
        if isinstance(value, dict):
            return {fix(k, pointer, depth + 1): fix(v, join_pointer(pointer, str(k)), depth + 1)
                    for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v, f"{pointer}/{i}", depth + 1) for i, v in enumerate(value)]
        return value

    try:
        data = fix(data, "", 0)
    except RecursionError:
        return data
    if found:
        diags.warning("invalid-unicode", found[0],
                      f"{len(found)} string(s) contain lone UTF-16 surrogates; replaced by U+FFFD", name)
    return data


def load(path: Path, diags: Collector, overlays: Sequence[Path] = ()) -> Loaded | None:
    """The document at `path`, with the `overlays` (generator.overlay) applied in order."""
    data = read_document(path, diags)
    if data is None:
        return None
    if not isinstance(data, dict):
        diags.error("not-openapi", "", f"the document is a {type(data).__name__}, not an OpenAPI object")
        return None
    if overlays:
        from generator import overlay

        data = overlay.apply(data, overlays, diags, read_document)
        if data is None:
            return None
    key = "openapi" if "openapi" in data else "swagger"
    version = data.get(key)
    if version is None:
        diags.error("not-openapi", "", "no 'openapi' (or 'swagger') field: this is not an OpenAPI document")
        return None
    version = str(version) if isinstance(version, (str, int, float)) else repr(version)
    if not (version == "2.0" and key == "swagger") and not (key == "openapi" and _VERSION_3.fullmatch(version)):
        diags.error(
            "unsupported-version",
            f"/{key}",
            f"OpenAPI version {version!r} is not supported (supported: swagger 2.0, openapi 3.0.x, 3.1.x)",
        )
        return None
    if not isinstance(data.get("paths", {}), dict) and data.get("paths") is not None:
        diags.error("invalid-structure", "/paths", "'paths' must be an object")
        return None
    return Loaded(path=path, data=data, version=version)
