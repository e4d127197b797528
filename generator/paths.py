"""Helpers every stage may import: whether a generated path is safe to write, and where the
built-in templates are. Nothing here imports another generator module."""

from __future__ import annotations

import unicodedata
from pathlib import Path, PurePosixPath


def builtin_templates() -> Path:
    """The templates folder shipped with sdkforge (in the wheel, or beside a source checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("sdkforge's built-in templates are missing from the installation")


class UnsafePath(Exception):
    """A generated path that could land outside the output folder, or collide with another."""


_UNSAFE_CHARS = frozenset('\\:<>"|?*') | {chr(c) for c in range(32)} | {"\x7f"}


def is_unsafe(path: str) -> bool:
    return (not path or path[0] == "/" or not _UNSAFE_CHARS.isdisjoint(path)
            or any(part in ("..", ".", "") or part[-1] in ". " for part in path.split("/")))


def safe_relative(path: str) -> PurePosixPath:
    """A generated path must be relative, normalised and stay inside the output folder, on every
    file system: no `..`, `.` or empty parts, no absolute path, no drive (`C:`), no backslash, no
    control character or NUL, none of `<>"|?*`, no part ending in a dot or a space (Windows drops
    those, so `a.` would be `a`)."""
    if is_unsafe(path):
        raise UnsafePath(path)
    return PurePosixPath(path)


def check_paths(paths: list[str] | set[str] | dict[str, str]) -> None:
    """Every path is safe, and no two differ only in case or Unicode normalisation (they would be
    one file on macOS and Windows), nor is one a file inside another."""
    seen: dict[str, str] = {}
    for rel in sorted(paths):
        if is_unsafe(rel):
            raise UnsafePath(rel)
        key = (rel if rel.isascii() else unicodedata.normalize("NFC", rel)).casefold()
        if key in seen:
            raise UnsafePath(f"{rel!r} and {seen[key]!r} are the same file on a case-insensitive file system")
        seen[key] = rel
    folders: set[str] = set()
    for key, rel in seen.items():
        parent = key.rpartition("/")[0]
        while parent and parent not in folders:
            if parent in seen:
                raise UnsafePath(f"{seen[parent]!r} is a file and the folder of {rel!r}")
            folders.add(parent)
            parent = parent.rpartition("/")[0]
