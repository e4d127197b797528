"""A cache of results that depend only on a spec file's bytes (the structure check's problems: see
generator.structure), keyed by those bytes. Parsed YAML trees are not cached: the fast parser
(generator.yaml_parse) reads a 3 MB spec in less than a tenth of a second.

Entries live in `$SDKFORGE_CACHE_DIR`, else `$XDG_CACHE_HOME/sdkforge`, else `~/.cache/sdkforge`;
`SDKFORGE_NO_CACHE=1` turns the cache off. A damaged entry is ignored.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

_VERSION = b"sdkforge-parse-cache-2"
MAX_BYTES = 16 * 1024 * 1024  # larger specs are parsed every time rather than filling the disk


def folder() -> Path | None:
    if os.environ.get("SDKFORGE_NO_CACHE"):
        return None
    explicit = os.environ.get("SDKFORGE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sdkforge"


def _entry(text: bytes, kind: str = "parsed", salt: str = "") -> Path | None:
    root = folder()
    if root is None or len(text) > MAX_BYTES:
        return None
    key = hashlib.sha256(_VERSION + f"\0{kind}\0{salt}\0".encode() + yaml.__version__.encode() + b"\0" + text)
    return root / kind / f"{key.hexdigest()}.marshal"


def has(text: bytes, kind: str = "parsed", salt: str = "") -> bool:
    """Whether an entry exists for `text` (without loading it)."""
    entry = _entry(text, kind, salt)
    return entry is not None and entry.is_file()


def get(text: bytes, kind: str = "parsed", salt: str = "") -> Any | None:
    """The `kind` of data stored for `text` (the parsed tree by default; `salt` names what else
    the data depends on, a validator's version say), or None."""
    entry = _entry(text, kind, salt)
    if entry is None:
        return None
    try:
        return marshal.loads(entry.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def put(text: bytes, data: Any, kind: str = "parsed", salt: str = "") -> None:
    entry = _entry(text, kind, salt)
    if entry is None:
        return
    try:
        payload = marshal.dumps(data)
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, entry)
    except (OSError, ValueError):
        return  # a cache that cannot be written is no cache
