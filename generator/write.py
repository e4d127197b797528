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
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator import manifest

MANIFEST = manifest.NAME


class UnsafePath(Exception):
    """A generated path that could land outside the output folder, or collide with another."""


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


_UNSAFE_CHARS = frozenset('\\:<>"|?*') | {chr(c) for c in range(32)} | {"\x7f"}


def safe_relative(path: str) -> PurePosixPath:
    """A generated path must be relative, normalised and stay inside the output folder, on every
    file system: no `..`, `.` or empty parts, no absolute path, no drive (`C:`), no backslash, no
    control character or NUL, none of `<>"|?*`, no part ending in a dot or a space (Windows drops
    those, so `a.` would be `a`)."""
    p = PurePosixPath(path)
    if (not path or p.is_absolute() or not _UNSAFE_CHARS.isdisjoint(path)
            or any(part in ("..", ".", "") or part.endswith((".", " ")) for part in path.split("/"))):
        raise UnsafePath(path)
    return p


def check_paths(paths: list[str] | set[str] | dict[str, str]) -> None:
    """Every path is safe, and no two differ only in case or Unicode normalisation (they would be
    one file on macOS and Windows), nor is one a file inside another."""
    seen: dict[str, str] = {}
    for rel in sorted(paths):
        safe_relative(rel)
        key = unicodedata.normalize("NFC", rel).casefold()
        if key in seen:
            raise UnsafePath(f"{rel!r} and {seen[key]!r} are the same file on a case-insensitive file system")
        seen[key] = rel
    for key, rel in seen.items():
        parent = key.rpartition("/")[0]
        while parent:
            if parent in seen:
                raise UnsafePath(f"{seen[parent]!r} is a file and the folder of {rel!r}")
            parent = parent.rpartition("/")[0]


def previous_files(output: Path) -> set[str]:
    data = manifest.read(output)
    files = data.get("files", {}) if data is not None else {}
    return {p for p in files if isinstance(p, str)} if isinstance(files, dict) else set()


def _through_symlink(output: Path, rel: str) -> bool:
    """Whether `output/rel`, or a folder on the way to it inside `output`, is a symlink."""
    here = output
    for part in PurePosixPath(rel).parts:
        here = here / part
        if here.is_symlink():
            return True
    return False


def diff(output: Path, files: dict[str, str]) -> Changes:
    """What `write` would change. Nothing is read through a symlink: a generated path that runs
    through one counts as modified (it will be replaced by a real file)."""
    check_paths(files)
    added: list[str] = []
    modified: list[str] = []
    for rel in sorted(files):
        target = output / rel
        if _through_symlink(output, rel):
            (modified if target.exists() or target.is_symlink() else added).append(rel)
            continue
        try:
            current = target.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
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
        if not _through_symlink(output, rel) and (output / rel).is_file():
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
        changes = diff(output, files)
        if not changes.any:
            return changes
        staging = _new_staging(output)
        try:
            if output.exists():  # the new tree keeps the old one's permissions
                os.chmod(staging, stat.S_IMODE(output.stat().st_mode))
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
                if stat.S_ISREG(source.lstat().st_mode):  # never open a FIFO or a device
                    shutil.copy2(source, target)
        for d in dirs:
            if not (Path(folder) / d).is_symlink():
                (dst / rel_folder / d).mkdir(exist_ok=True)
                shutil.copymode(Path(folder) / d, dst / rel_folder / d)


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
