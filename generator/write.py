"""Stage 7, write: put the rendered files into the output folder without ever leaving it half-written.

Files are staged in a temporary folder beside the output, then moved in one by one with
`os.replace` (atomic per file); files whose bytes are unchanged are not touched (their mtimes
stay). Stale files are removed only when the previous manifest lists them, so files a user keeps in
the output folder are never deleted. `check` compares instead of writing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator import __version__

MANIFEST = ".sdkforge-manifest.json"


class UnsafePath(Exception):
    pass


@dataclass(frozen=True)
class Changes:
    added: tuple[str, ...]
    modified: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def any(self) -> bool:
        return bool(self.added or self.modified or self.removed)

    def lines(self) -> list[str]:
        return ([f"added:    {p}" for p in self.added] + [f"modified: {p}" for p in self.modified]
                + [f"removed:  {p}" for p in self.removed])


def safe_relative(path: str) -> PurePosixPath:
    """A generated path must be relative, normalised and stay inside the output folder."""
    p = PurePosixPath(path)
    if (not path or p.is_absolute() or "\\" in path or "\x00" in path or ":" in path
            or any(part in ("..", ".", "") for part in path.split("/"))):
        raise UnsafePath(path)
    return p


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_text(files: dict[str, str], spec_name: str, spec_hash: str, config_hash: str) -> str:
    data = {
        "generator": f"sdkforge {__version__}",
        "spec": spec_name,
        "spec_sha256": spec_hash,
        "config_sha256": config_hash,
        "files": {p: sha256(files[p].encode("utf-8")) for p in sorted(files)},
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def previous_files(output: Path) -> set[str]:
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
        files = data.get("files", {})
        return {p for p in files if isinstance(p, str)}
    except (OSError, ValueError, AttributeError):
        return set()


def diff(output: Path, files: dict[str, str]) -> Changes:
    added, modified = [], []
    for rel in sorted(files):
        safe_relative(rel)
        target = output / rel
        try:
            current = target.read_bytes()
        except FileNotFoundError:
            added.append(rel)
            continue
        except IsADirectoryError:
            modified.append(rel)
            continue
        if current != files[rel].encode("utf-8"):
            modified.append(rel)
    removed = []
    for rel in sorted(previous_files(output) - set(files)):
        try:
            safe_relative(rel)
        except UnsafePath:
            continue
        if (output / rel).is_file():
            removed.append(rel)
    return Changes(tuple(added), tuple(modified), tuple(removed))


def write(output: Path, files: dict[str, str]) -> Changes:
    """Write `files` (which include the manifest) into `output`."""
    for rel in files:
        safe_relative(rel)
    changes = diff(output, files)
    if not changes.any:
        return changes
    output.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".sdkforge-staging-", dir=output.parent))
    try:
        todo = [*changes.added, *changes.modified]
        for rel in todo:
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(files[rel].encode("utf-8"))
        # The manifest goes last, so a crash before it leaves the old manifest in charge.
        for rel in sorted(todo, key=lambda r: r == MANIFEST):
            dest = output / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.is_dir() and not dest.is_symlink():
                shutil.rmtree(dest)
            os.replace(staging / rel, dest)
        for rel in changes.removed:
            (output / rel).unlink(missing_ok=True)
            _prune_empty(output, (output / rel).parent)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return changes


def _prune_empty(root: Path, folder: Path) -> None:
    root = root.resolve()
    folder = folder.resolve()
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
