"""OpenAPI Overlays (the OAI Overlay Specification 1.0): ordered `update` / `remove` actions whose
`target` is an RFC 9535 JSONPath query, applied to the loaded document before anything else reads it.

    overlay: 1.0.0
    info: {title: Our names, version: 1.0.0}
    actions:
      - target: $.paths['/v1/chat/completions'].post
        update: {x-speakeasy-name-override: complete}
      - target: $.paths['/internal']
        remove: true

Semantics (Overlay 1.0, section "Action Object"):
- `update` on an object node deep-merges: the update's properties replace the node's, objects are merged
  recursively (other values, arrays included, are replaced); on an array node the update is appended.
  A target that selects a primitive value cannot be updated: a warning, and the action skips that node.
- `remove: true` removes each selected node from the object or array that holds it (`update` is then
  ignored); the document root cannot be removed.
- Actions run in order, each on the result of the ones before; a target that selects nothing is a
  warning (`overlay-target-unmatched`) naming the action, with a pointer into the overlay file.

A malformed overlay (unreadable, not YAML/JSON, not an overlay object, an `overlay` version other
than 1.0.x, no `actions`, an action without a valid JSONPath `target`) is an error with a pointer
into the overlay file; nothing is applied then. The loaded document is never changed in place (it
may be shared with the parse cache): the containers on the way to a changed node are copied.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Collector

_VERSION = re.compile(r"1\.0\.\d+")


@dataclass(frozen=True)
class _Action:
    index: int
    query: Any  # jsonpath_rfc9535.JSONPathQuery
    target: str
    description: str
    update: Any
    has_update: bool
    remove: bool


@dataclass(frozen=True)
class Overlay:
    path: Path
    label: str  # file name in diagnostics
    title: str
    actions: tuple[_Action, ...]


Reader = Callable[..., Any]  # generator.load.read_document


def read(path: Path, diags: Collector, read_document: Reader) -> Overlay | None:
    """Parse and check one overlay file; None (with errors reported) when it is malformed."""
    label = path.name
    data = read_document(path, diags, label=label)
    if data is None:
        return None
    before = sum(1 for d in diags.sorted() if d.severity.name == "ERROR")

    def error(pointer: str, message: str) -> None:
        diags.error("invalid-overlay", pointer, message, label)

    if not isinstance(data, dict) or "overlay" not in data:
        error("", "not an OpenAPI Overlay document (no top-level 'overlay' field)")
        return None
    version = data.get("overlay")
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        error("/overlay", f"overlay version {version!r} is not supported (supported: 1.0.x)")
    info = data.get("info")
    if not isinstance(info, dict) or not isinstance(info.get("title"), str):
        error("/info", "'info' must be an object with a 'title' (and a 'version')")
        info = {}
    raw_actions = data.get("actions")
    if not isinstance(raw_actions, list) or not raw_actions:
        error("/actions", "'actions' must be a non-empty list of action objects")
        raw_actions = []
    actions = [a for i, raw in enumerate(raw_actions) if (a := _action(i, raw, error)) is not None]
    if sum(1 for d in diags.sorted() if d.severity.name == "ERROR") > before:
        return None
    return Overlay(path, label, str(info.get("title", "")), tuple(actions))


def _action(i: int, raw: Any, error: Any) -> _Action | None:
    import jsonpath_rfc9535

    where = f"/actions/{i}"
    if not isinstance(raw, dict):
        error(where, "an action must be an object with a 'target'")
        return None
    target = raw.get("target")
    if not isinstance(target, str) or not target.startswith("$"):
        error(f"{where}/target", "'target' must be a JSONPath query (RFC 9535) starting with '$'")
        return None
    try:
        query = jsonpath_rfc9535.compile(target)
    except jsonpath_rfc9535.JSONPathError as exc:
        error(f"{where}/target", f"invalid JSONPath {target!r}: {exc}")
        return None
    remove = raw.get("remove", False)
    if not isinstance(remove, bool):
        error(f"{where}/remove", f"'remove' must be true or false, got {remove!r}")
        return None
    if not remove and "update" not in raw:
        error(where, "an action needs 'update' or 'remove: true'")
        return None
    description = raw.get("description")
    return _Action(i, query, target, description if isinstance(description, str) else "",
                   raw.get("update"), "update" in raw, remove)


def apply(data: dict[str, Any], overlays: Sequence[Path], diags: Collector, read_document: Reader
          ) -> dict[str, Any] | None:
    """`data` with every overlay applied in order; None when an overlay is malformed (errors reported).
    `read_document` parses a file (the load stage's reader, passed in: this module does not import it)."""
    parsed = [read(path, diags, read_document) for path in overlays]
    if any(o is None for o in parsed):
        return None
    doc = _Doc(data)
    for overlay in parsed:
        assert overlay is not None
        for action in overlay.actions:
            _run(doc, overlay, action, diags)
    return doc.root


class _Doc:
    """The document being overlaid: containers are copied (once) before they are changed."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.owned: set[int] = set()

    def writable(self, location: Sequence[str | int]) -> Any:
        """The container at `location`, with it and every container above it owned by this document."""
        if id(self.root) not in self.owned:
            self.root = dict(self.root)
            self.owned.add(id(self.root))
        node: Any = self.root
        for key in location:
            child = node[key]
            if isinstance(child, (dict, list)) and id(child) not in self.owned:
                child = dict(child) if isinstance(child, dict) else list(child)
                self.owned.add(id(child))
                node[key] = child
            node = child
        return node


def _describe(overlay: Overlay, action: _Action) -> str:
    text = f"action {action.index} (target {action.target!r}"
    if action.description:
        text += f", {action.description.strip().splitlines()[0]!r}"
    return text + ")"


def _run(doc: _Doc, overlay: Overlay, action: _Action, diags: Collector) -> None:
    nodes = list(action.query.find(doc.root))
    pointer = f"/actions/{action.index}/target"
    if not nodes:
        diags.warning("overlay-target-unmatched", pointer,
                      f"{_describe(overlay, action)} selects nothing in the document; skipped", overlay.label)
        return
    if action.remove:
        # Deepest and last first, so removing one node never shifts the index of another.
        for node in sorted(nodes, key=lambda n: (len(n.location), n.location), reverse=True):
            location = tuple(node.location)
            if not location:
                diags.warning("overlay-invalid-action", pointer,
                              f"{_describe(overlay, action)}: the document root cannot be removed", overlay.label)
                continue
            parent = doc.writable(location[:-1])
            key = location[-1]
            present = key in parent if isinstance(parent, dict) else isinstance(key, int) and key < len(parent)
            if present:
                del parent[key]
        return
    for node in nodes:
        location = tuple(node.location)
        value = node.value
        if isinstance(value, dict):
            if not isinstance(action.update, dict):
                diags.warning("overlay-invalid-action", pointer,
                              f"{_describe(overlay, action)} selects an object, but 'update' is not an object; "
                              "skipped", overlay.label)
                continue
            _merge(doc, location, action.update)
        elif isinstance(value, list):
            doc.writable(location).append(copy.deepcopy(action.update))
        else:
            diags.warning("overlay-invalid-action", pointer,
                          f"{_describe(overlay, action)} selects a {type(value).__name__} value, which cannot be "
                          "updated (select the object that holds it); skipped", overlay.label)


def _merge(doc: _Doc, location: tuple[str | int, ...], update: dict[str, Any]) -> None:
    target = doc.writable(location)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(doc, (*location, key), value)
        else:
            target[key] = copy.deepcopy(value)
