"""Stage 7, write: put the rendered files into the output folder without ever leaving it half-written.

The new tree is staged beside the output and swapped in (see `write`); files whose bytes are
unchanged keep their inode and mtime. Stale files are removed only when the previous manifest lists
them, so files a user keeps in the output folder are never deleted. `diff` compares instead of
writing (`--check`). Every path is checked to stay inside the output folder.

Symlinks in the output tree are never written through: a generated path that runs through a
symlink (to a file or a folder, pointing anywhere) is written as a real file in a real folder, and
the link itself is left where no generated file goes.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator import manifest
from generator.paths import UnsafePath, check_paths, is_unsafe, safe_relative

MANIFEST = manifest.NAME
__all__ = ["Changes", "UnsafePath", "WriteError", "check_paths", "diff", "recover", "safe_relative", "write"]


class WriteError(OSError):
    """The output folder cannot take the generated tree (it is a file, say); nothing was changed."""


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


def previous_files(output: Path) -> set[str]:
    data = manifest.read(output)
    files = data.get("files", {}) if data is not None else {}
    return {p for p in files if isinstance(p, str)} if isinstance(files, dict) else set()


class _Folders:
    """What each folder on the way to a generated file is, each looked at once (an lstat per
    folder, not per file): "dir" (a real folder inside `root`), "link" (a symlink, or inside one),
    "missing" (absent, or under a file). `root` itself is followed when it is a symlink."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.kinds: dict[str, str] = {}

    def kind(self, folder: str) -> str:
        known = self.kinds.get(folder)
        if known is not None:
            return known
        if not folder:
            kind = "dir" if os.path.isdir(self.root) else "missing"
        else:
            parent = self.kind(folder.rpartition("/")[0])
            if parent != "dir":
                kind = parent
            else:
                try:
                    mode = os.lstat(os.path.join(self.root, folder)).st_mode
                except (FileNotFoundError, NotADirectoryError):
                    mode = 0
                kind = ("link" if stat.S_ISLNK(mode) else "dir" if stat.S_ISDIR(mode) else "missing")
        self.kinds[folder] = kind
        return kind

    def through_symlink(self, rel: str) -> bool:
        """Whether `root/rel`, or a folder on the way to it inside `root`, is a symlink."""
        return self.kind(rel.rpartition("/")[0]) == "link" or os.path.islink(os.path.join(self.root, rel))


# O_NOFOLLOW (POSIX): a symlink as the last part of a path fails to open instead of being followed.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)  # Windows
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | _BINARY


def _same_bytes(path: str, data: bytes) -> bool | None:
    """Whether the file at `path` holds exactly `data`; None when there is no such file. The file
    itself is not followed if it is a symlink (that counts as different), a FIFO is not waited on,
    a folder is different."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:  # ELOOP: a symlink (O_NOFOLLOW); anything else unreadable: rewrite it
        return False
    try:
        chunks: list[bytes] = []
        want = len(data) + 1
        while want > 0:
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            want -= len(chunk)
        return b"".join(chunks) == data
    except OSError:  # EISDIR and the like
        return False
    finally:
        os.close(fd)


def diff(output: Path, files: dict[str, str]) -> Changes:
    """What `write` would change. Nothing is read through a symlink: a generated path that runs
    through one counts as modified (it will be replaced by a real file)."""
    check_paths(files)
    return _diff(output, files)


def _diff(output: Path, files: dict[str, str]) -> Changes:
    added: list[str] = []
    modified: list[str] = []
    folders = _Folders(output)
    for rel in sorted(files):
        kind = folders.kind(rel.rpartition("/")[0])
        if kind == "missing":
            added.append(rel)
            continue
        target = output / rel
        if kind == "link" or (os.path.islink(target) and not _NOFOLLOW):
            (modified if target.exists() or target.is_symlink() else added).append(rel)
            continue
        same = _same_bytes(str(target), files[rel].encode("utf-8"))
        if same is None:
            added.append(rel)
        elif not same:
            modified.append(rel)
    removed = []
    for rel in sorted(previous_files(output) - set(files)):
        if is_unsafe(rel):
            continue
        if not folders.through_symlink(rel) and (output / rel).is_file():
            removed.append(rel)
    return Changes(tuple(added), tuple(modified), tuple(removed))



def write(output: Path, files: dict[str, str]) -> Changes:
    """Write `files` (which include the manifest) into `output`, all at once or not at all.

    The new tree is built beside the output folder: unchanged files (and every file the user keeps
    there) are hard links to the current ones, so they keep their inode and mtime; changed files are
    written fresh. Then the two folders are swapped by renames. A run killed at any point leaves
    either the old tree or the new one in place (a later run finishes an interrupted swap).
    A lock file beside the output folder serialises concurrent runs. An output folder that is a
    symlink is followed (the tree is swapped at its target); one that is not a folder is refused.
    """
    if MANIFEST not in files:
        raise ValueError("refusing to write a generation without its manifest")
    check_paths(files)
    if output.is_symlink():
        output = output.resolve()
    with _locked(output):
        recover(output)
        if output.exists() and not output.is_dir():
            raise WriteError(f"{output} exists and is not a folder; nothing was written")
        changes = _diff(output, files)
        if not changes.any:
            return changes
        staging = _new_staging(output)
        try:
            if output.exists():  # the new tree keeps the old one's permissions
                os.chmod(staging, stat.S_IMODE(output.stat().st_mode))
            skip = set(changes.added) | set(changes.modified) | set(changes.removed)
            if output.exists():
                _mirror(str(output), str(staging), skip)
            real: set[str] = {""}  # folders of the staging tree known to be real folders
            root = str(staging)
            for rel in (*changes.added, *changes.modified):
                _real_folders(root, rel.rpartition("/")[0], real)
                _put(os.path.join(root, rel), files[rel].encode("utf-8"))
            for rel in changes.removed:
                _prune_empty(staging, (staging / rel).parent)
            _swap(output, staging)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    return changes


_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | _BINARY


def _put(path: str, data: bytes) -> None:
    """Write a new file at `path` in the staging tree. Whatever is there already (a link or file
    the old tree had, a folder where a file now goes) is removed first, never written through."""
    try:
        fd = os.open(path, _WRITE_FLAGS, 0o666)
    except FileExistsError:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)
        fd = os.open(path, _WRITE_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _new_staging(output: Path) -> Path:
    """A new, empty folder beside `output` (same file system, so the swap is a rename), made with
    the umask's permissions (not mkdtemp's private 0700: it becomes the output folder)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    while True:
        staging = output.parent / f".{output.name}.sdkforge-new-{secrets.token_hex(6)}"
        try:
            staging.mkdir()
            return staging
        except FileExistsError:
            continue


def _mirror(src: str, dst: str, skip: set[str], rel_folder: str = "") -> None:
    """Recreate the folder `src` as `dst` (which exists): folders made, files hard-linked (copied
    across devices), symlinks copied as links, paths (relative to the top) in `skip` left out."""
    with os.scandir(src) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        rel = f"{rel_folder}{entry.name}"
        target = os.path.join(dst, entry.name)
        if entry.is_symlink():
            if rel not in skip:
                os.symlink(os.readlink(entry.path), target)
        elif entry.is_dir():
            os.mkdir(target)
            shutil.copymode(entry.path, target)
            _mirror(entry.path, target, skip, rel + "/")
        elif rel not in skip:
            try:
                os.link(entry.path, target)
            except OSError:
                if entry.is_file(follow_symlinks=False):  # never open a FIFO or a device
                    shutil.copy2(entry.path, target)


def _real_folders(root: str, folder: str, real: set[str]) -> None:
    """Make `folder` (relative) and every folder on the way to it a real folder inside `root`: a
    symlink or file the old tree held there (a symlink could point anywhere) is replaced, so no
    write can leave the output folder. `real` holds the folders already made sure of."""
    if folder in real:
        return
    _real_folders(root, folder.rpartition("/")[0], real)
    path = os.path.join(root, folder)
    try:
        os.mkdir(path)
    except FileExistsError:
        mode = os.lstat(path).st_mode
        if not stat.S_ISDIR(mode):  # a symlink (to anything) or a file: replaced by a folder
            os.unlink(path)
            os.mkdir(path)
    real.add(folder)


def _old_name(output: Path) -> Path:
    return output.parent / f".{output.name}.sdkforge-old"


def _swap(output: Path, staging: Path) -> None:
    """Two renames: output -> old, staging -> output. Killed between them, `recover` puts the old
    tree back; failing between them (an exception), the old tree is put back here."""
    old = _old_name(output)
    if old.exists():
        shutil.rmtree(old)
    had_output = output.exists()
    if had_output:
        os.rename(output, old)
    try:
        os.rename(staging, output)
    except BaseException:
        if had_output and not output.exists():
            os.rename(old, output)
        raise
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
