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
