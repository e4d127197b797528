"""Stage 2, resolve: `$ref` lookup across the root document and the files it references.

A location is (file, JSON pointer). `deref` follows a chain of `$ref`s to the node they end at,
reporting dangling references, missing files and cycles as diagnostics with the pointer of the
`$ref` itself. Files are loaded once; `$id`/`$anchor` (JSON Schema 2020-12) are indexed on demand.

A reference may name only files inside the root document's folder (after following symlinks):
a spec cannot make the generator read `/etc/passwd`, `~/.netrc` or a device, and copy it into an
SDK. Each `$ref` cycle is reported once, at the first place (in walk order) it is found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.diagnostics import Collector
from generator.load import read_document


@dataclass(frozen=True, slots=True)
class Loc:
    file: str  # "" for the root document, else a path relative to the root's folder
    pointer: str

    def child(self, *tokens: str | int) -> Loc:
        out = self.pointer
        for t in tokens:
            out += "/" + str(t).replace("~", "~0").replace("/", "~1")
        return Loc(self.file, out)

    def __str__(self) -> str:
        return f"{self.file}#{self.pointer}" if self.file else f"#{self.pointer}"


class UnresolvedRef(Exception):
    pass


@dataclass
class Document:
    root_path: Path
    root: dict[str, Any]
    diags: Collector
    files: dict[str, Any] = field(default_factory=dict)
    _anchors: dict[str, dict[str, str]] = field(default_factory=dict)
    _ids: dict[str, dict[str, str]] = field(default_factory=dict)
    _cycles: set[frozenset[Loc]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.files[""] = self.root

    # ------------------------------------------------------------------ lookups
    def node(self, loc: Loc) -> Any:
        doc = self._file(loc.file, loc)
        return self._walk(doc, loc.pointer, loc)

    def deref(self, node: Any, loc: Loc) -> tuple[Any, Loc]:
        """Follow `$ref`s from `node` (found at `loc`); returns the target node and its location."""
        seen: list[Loc] = []
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str):
                hint = (" (in YAML an unquoted # starts a comment: quote the reference)"
                        if ref is None else "")
                self.diags.warning("invalid-ref", loc.child("$ref").pointer,
                                   f"$ref must be a string, got {ref!r}{hint}; typed as Any", loc.file)
                raise UnresolvedRef(str(loc))
            target = self.target_of(ref, loc)
            if target in seen or target == loc:
                cycle = frozenset([*seen[seen.index(target):], loc] if target in seen else [loc])
                if cycle not in self._cycles:
                    self._cycles.add(cycle)
                    chain = " -> ".join(str(s) for s in [*seen, target])
                    self.diags.error("ref-cycle", loc.pointer, f"$ref cycle: {chain}", loc.file)
                raise UnresolvedRef(str(loc))
            seen.append(target)
            node = self.node_at_ref(target, loc)
            loc = target
        return node, loc

    def target_of(self, ref: str, loc: Loc) -> Loc:
        file_part, _, fragment = ref.partition("#")
        file = loc.file
        fragment = unquote(fragment)
        if file_part and "://" not in file_part and file_part in self._index(file, loc)[1]:
            # A JSON Schema `$id` of a schema in this document (e.g. `/components/schemas/tag`).
            id_base = self._index(file, loc)[1][file_part]
            if fragment and not fragment.startswith("/"):
                return Loc(file, self._anchor(file, fragment, loc))
            return Loc(file, id_base + fragment)
        if file_part:
            if "://" in file_part:
                self.diags.error("remote-ref", loc.pointer,
                                 f"remote $ref {ref!r} is not supported (only local files)", loc.file)
                raise UnresolvedRef(ref)
            file = self._file_of(file_part, ref, loc)
        if fragment and not fragment.startswith("/"):
            # A plain-name fragment: a JSON Schema $anchor (or $id) in that file.
            pointer = self._anchor(file, fragment, loc)
            return Loc(file, pointer)
        return Loc(file, fragment)

    def follow_dynamic(self, schema: dict[str, Any], loc: Loc) -> tuple[Any, Loc] | None:
        """The schema a `$recursiveRef` / `$dynamicRef` at `loc` names (through further references), or
        None, with a warning, when it names nothing or a chain of references back to itself."""
        node: Any = schema
        at, seen = loc, [loc]
        while isinstance(node, dict):
            keyword = "$ref" if "$ref" in node else "$dynamicRef" if "$dynamicRef" in node else "$recursiveRef"
            ref = node.get(keyword)
            if not isinstance(ref, str):
                break
            target: Any = None
            tloc: Loc | None = None
            try:
                if keyword == "$ref":
                    target, tloc = self.deref(node, at)
                else:
                    tloc = self.dynamic_target(keyword, ref, at)
                    target = self.node(tloc) if tloc is not None else None
            except UnresolvedRef:
                return None
            if tloc is None or tloc in seen:
                what = "a reference back to itself" if tloc is not None else "no enclosing schema or anchor"
                self.diags.warning("unresolved-dynamic-ref", at.child(keyword).pointer,
                                   f"{keyword} {ref!r} names {what}; typed as Any", at.file)
                return None
            seen.append(tloc)
            if not (isinstance(target, dict) and any(k in target for k in ("$ref", "$dynamicRef", "$recursiveRef"))):
                return target, tloc
            node, at = target, tloc
        return None

    def dynamic_target(self, keyword: str, ref: str, loc: Loc) -> Loc | None:
        """Where a `$recursiveRef` (2019-09) or `$dynamicRef` (2020-12) at `loc` leads, read lexically: the
        enclosing schema resource (the nearest schema with `$id` or `$recursiveAnchor`, else the component)
        for `$recursiveRef: "#"`, the enclosing `$dynamicAnchor` of that name for `$dynamicRef: "#name"`.
        Any other form means what `$ref` would. None when nothing of that name encloses it."""
        file_part, _, fragment = ref.partition("#")
        if file_part or fragment.startswith("/") or (keyword == "$dynamicRef" and not fragment):
            return self.target_of(ref, loc)
        chain = self._ancestors(loc)
        if keyword == "$recursiveRef":
            if fragment:
                return None
            marked: Loc | None = next((at for at, node in chain if "$recursiveAnchor" in node or "$id" in node),
                                      None)
            return marked if marked is not None else _resource_root(chain)
        name = unquote(fragment)
        found = next((at for at, node in chain if node.get("$dynamicAnchor") == name), None)
        if found is None:  # an anchor elsewhere in the enclosing resource (its `$defs`, say)
            resource = next((at for at, node in chain if "$id" in node), None) or _resource_root(chain)
            if resource is not None:
                found = _find_anchor(self.node(resource), resource, name)
        if found is None and name in self._index(loc.file, loc)[0]:
            found = Loc(loc.file, self._index(loc.file, loc)[0][name])
        return found

    def _ancestors(self, loc: Loc) -> list[tuple[Loc, dict[str, Any]]]:
        """The objects that contain the node at `loc` (itself included), nearest first."""
        node = self._file(loc.file, loc)
        tokens = loc.pointer.split("/")[1:] if loc.pointer not in ("", "/") else []
        chain: list[tuple[Loc, dict[str, Any]]] = []
        pointer = ""
        if isinstance(node, dict):
            chain.append((Loc(loc.file, ""), node))
        for raw in tokens:
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                break
            pointer += "/" + raw
            if isinstance(node, dict):
                chain.append((Loc(loc.file, pointer), node))
        return chain[::-1]

    def node_at_ref(self, target: Loc, origin: Loc) -> Any:
        doc = self._file(target.file, origin)
        return self._walk(doc, target.pointer, origin, ref=True)

    # ---------------------------------------------------------------- internals
    def _file_of(self, file_part: str, ref: str, loc: Loc) -> str:
        """The file a reference names, relative to the root document's folder ("" for the root)."""
        root_dir = self.root_path.parent.resolve()
        base = (root_dir / loc.file).parent if loc.file else root_dir
        name = unquote(file_part)
        if "\x00" in name:
            self.diags.error("ref-outside-root", loc.pointer, f"$ref {ref!r} names an invalid file", loc.file)
            raise UnresolvedRef(ref)
        resolved = (base / name).resolve()
        if resolved == self.root_path.resolve():
            return ""
        try:
            return resolved.relative_to(root_dir).as_posix()
        except ValueError:
            self.diags.error("ref-outside-root", loc.pointer,
                             f"$ref {ref!r} names a file outside the spec's folder {root_dir}; "
                             "only files beside or below the spec are read", loc.file)
            raise UnresolvedRef(ref) from None

    def _file(self, file: str, origin: Loc) -> Any:
        if file in self.files:
            return self.files[file]
        path = self.root_path.parent / file
        before = self.diags.has_errors
        data = read_document(path, self.diags, origin.pointer, origin.file, label=file)
        if data is None:
            if not before and not self.diags.has_errors:  # pragma: no cover - defensive
                self.diags.error("file-not-found", origin.pointer, f"cannot load {file}", origin.file)
            raise UnresolvedRef(file)
        self.files[file] = data
        return data

    def _walk(self, doc: Any, pointer: str, origin: Loc, ref: bool = False) -> Any:
        node = doc
        if pointer in ("", "/"):
            return node
        for raw in pointer.lstrip("/").split("/"):
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            elif isinstance(node, dict) and token.isdigit() and int(token) in node:
                node = node[int(token)]  # YAML integer keys such as response codes
            else:
                code = "unresolved-ref" if ref else "missing-node"
                where = f"{origin.file}#{pointer}" if origin.file else f"#{pointer}"
                self.diags.error(code, origin.pointer, f"$ref target {where} does not exist", origin.file)
                raise UnresolvedRef(pointer)
        if node is None and ref:
            where = f"{origin.file}#{pointer}" if origin.file else f"#{pointer}"
            self.diags.error("unresolved-ref", origin.pointer, f"$ref target {where} is empty (null)",
                             origin.file)
            raise UnresolvedRef(pointer)
        return node

    def _index(self, file: str, origin: Loc) -> tuple[dict[str, str], dict[str, str]]:
        """(`$anchor` name -> pointer, `$id` -> pointer) for one file, built on first use."""
        if file not in self._anchors:
            anchors: dict[str, str] = {}
            ids: dict[str, str] = {}
            stack: list[tuple[Any, str]] = [(self._file(file, origin), "")]
            while stack:
                node, ptr = stack.pop()
                if isinstance(node, dict):
                    for key in ("$anchor", "$dynamicAnchor"):
                        if isinstance(node.get(key), str):
                            anchors.setdefault(node[key], ptr)
                    if isinstance(node.get("$id"), str):
                        ids.setdefault(node["$id"], ptr)
                        anchors.setdefault(node["$id"].lstrip("#"), ptr)
                    for k, v in node.items():
                        if isinstance(v, (dict, list)):
                            stack.append((v, ptr + "/" + str(k).replace("~", "~0").replace("/", "~1")))
                elif isinstance(node, list):
                    stack.extend((v, f"{ptr}/{i}") for i, v in enumerate(node) if isinstance(v, (dict, list)))
            self._anchors[file] = anchors
            self._ids[file] = ids
        return self._anchors[file], self._ids[file]

    def _anchor(self, file: str, name: str, origin: Loc) -> str:
        anchors = self._index(file, origin)[0]
        if name not in anchors:
            self.diags.error("unresolved-ref", origin.pointer, f"no $anchor or $id named {name!r}", origin.file)
            raise UnresolvedRef(name)
        return anchors[name]


def _resource_root(chain: list[tuple[Loc, dict[str, Any]]]) -> Loc | None:
    """The outermost schema of the chain: the one directly in a `schemas`/`definitions`/`$defs` map, or a
    whole file that is one schema."""
    for entry in reversed(chain):
        at: Loc = entry[0]
        container = at.pointer.rsplit("/", 2)[-2] if at.pointer.count("/") >= 1 and at.pointer else ""
        if container in ("schemas", "definitions", "$defs"):
            return at
    outer = chain[-1] if chain else None
    if outer is not None and outer[0].file and any(k in outer[1] for k in ("type", "properties", "allOf",
                                                                             "oneOf", "anyOf", "items")):
        return outer[0]
    return None


def _find_anchor(root: Any, at: Loc, name: str) -> Loc | None:
    """The first (keys in sorted order) schema under `root` whose `$dynamicAnchor` or `$anchor` is `name`."""
    stack: list[tuple[Any, Loc]] = [(root, at)]
    while stack:
        node, here = stack.pop()
        if isinstance(node, dict):
            if name in (node.get("$dynamicAnchor"), node.get("$anchor")):
                return here
            stack.extend((node[k], here.child(str(k))) for k in sorted(node, key=str, reverse=True)
                         if isinstance(node[k], (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, here.child(i)) for i, v in reversed(list(enumerate(node))) if isinstance(v, (dict, list)))
    return None
