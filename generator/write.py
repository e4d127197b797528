"""Stage 7, write: put the rendered files into the output folder without ever leaving it half-written.

The new tree is staged beside the output and swapped in (see `write`); files whose bytes are
unchanged keep their inode and mtime. Stale files are removed only when the previous manifest lists
them, so files a user keeps in the output folder are never deleted. `diff` compares instead of
writing (`--check`). Every path is checked to stay inside the output folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
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
    """Write `files` (which include the manifest) into `output`, all at once or not at all.

    The new tree is built beside the output folder: unchanged files (and every file the user keeps
    there) are hard links to the current ones, so they keep their inode and mtime; changed files are
    written fresh. Then the two folders are swapped by renames. A run killed at any point leaves
    either the old tree or the new one in place (a later run finishes an interrupted swap).
    A lock file beside the output folder serialises concurrent runs.
    """
    for rel in files:
        safe_relative(rel)
    with _locked(output):
        recover(output)
        changes = diff(output, files)
        if not changes.any:
            return changes
        parent = output.parent
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.sdkforge-new-", dir=parent))
        try:
            skip = set(changes.added) | set(changes.modified) | set(changes.removed)
            if output.exists():
                _mirror(output, staging, skip)
            for rel in (*changes.added, *changes.modified):
                target = staging / rel
                if target.is_symlink() or (target.exists() and not target.is_dir()):
                    target.unlink()
                elif target.is_dir():
                    shutil.rmtree(target)
                _real_folders(staging, rel)
                target.write_bytes(files[rel].encode("utf-8"))
            for rel in changes.removed:
                _prune_empty(staging, (staging / rel).parent)
            _swap(output, staging)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    return changes


def _mirror(src: Path, dst: Path, skip: set[str]) -> None:
    """Recreate `src` under `dst`: folders made, files hard-linked (copied across devices),
    symlinks copied as links, paths in `skip` left out."""
    for folder, dirs, names in os.walk(src):
        rel_folder = Path(folder).relative_to(src)
        (dst / rel_folder).mkdir(parents=True, exist_ok=True)
        for name in [*names, *(d for d in dirs if (Path(folder) / d).is_symlink())]:
            rel = (rel_folder / name).as_posix()
            if rel in skip:
                continue
            source, target = Path(folder) / name, dst / rel_folder / name
            if source.is_symlink():
                target.symlink_to(os.readlink(source))
                continue
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)


def _real_folders(root: Path, rel: str) -> None:
    """Make every folder on the way to `rel` a real folder inside `root`: a symlink the output tree
    held there (which could point anywhere) is replaced, so no write can leave the output folder."""
    here = root
    for part in PurePosixPath(rel).parts[:-1]:
        here = here / part
        if here.is_symlink() or (here.exists() and not here.is_dir()):
            here.unlink()
        here.mkdir(exist_ok=True)


def _old_name(output: Path) -> Path:
    return output.parent / f".{output.name}.sdkforge-old"


def _swap(output: Path, staging: Path) -> None:
    old = _old_name(output)
    if old.exists():
        shutil.rmtree(old)
    if output.exists():
        os.rename(output, old)
    os.rename(staging, output)
    shutil.rmtree(old, ignore_errors=True)


def recover(output: Path) -> None:
    """Finish what a killed run left: the previous tree is restored if the new one never landed."""
    old = _old_name(output)
    if old.exists():
        if output.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(old, output)
    for leftover in output.parent.glob(f".{output.name}.sdkforge-new-*") if output.parent.exists() else ():
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def _locked(output: Path) -> Iterator[None]:
    output.parent.mkdir(parents=True, exist_ok=True)
    lock = output.parent / f".{output.name}.sdkforge-lock"
    with open(lock, "a+b") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory lock, runs are not serialised
            yield
            return
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _prune_empty(root: Path, folder: Path) -> None:
    root = root.resolve()
    folder = folder.resolve()
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
