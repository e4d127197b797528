"""Start parsing a big YAML spec before the rest of the generator is imported.

`sdkforge generate` knows its spec as soon as the command line and configuration are read; the
generator's own modules (Jinja, the renderer, the normaliser) take a fifth of a second more to
import. `start` forks the parse of the spec (its two halves, see generator.yaml_split, else the
whole file) into processes right then, so the parse runs on both cores while this process imports;
`load.read_document` then `take`s the result for that exact file content.

Nothing is started when it would be wasted: a small or JSON spec, a spec the parse cache holds, an
output whose manifest records this very spec (regeneration is then usually a no-op), or where
`generator.parallel` does not fork. Whatever is not taken is stopped by `cancel_all`.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import parallel, parse_cache, yaml_split


@dataclass
class _Started:
    text: bytes
    jobs: list[parallel.Job[Any]]
    depth: int  # ancestors of the cut; -1: one job parses the whole file


_started: dict[str, _Started] = {}


def _key(path: Path) -> str:
    return os.path.realpath(path)


def start(spec: Path, output: Path) -> None:
    from generator import load

    if not parallel.available() or _key(spec) in _started:
        return
    try:
        info = os.stat(spec)
        if not stat.S_ISREG(info.st_mode) or info.st_size < yaml_split.MIN_BYTES:
            return
        text = spec.read_bytes()
    except OSError:
        return
    if spec.suffix.lower() == ".json" or text.lstrip()[:1] in (b"{", b"[") or parse_cache.has(text):
        return
    if _recorded_spec_hash(output) == hashlib.sha256(text).hexdigest():
        return
    cut = yaml_split.find_cut(text)
    if cut is None:
        _started[_key(spec)] = _Started(text, [parallel.start(lambda: load.parse_whole_quietly(text))], -1)
        return
    head, tail, depth = cut
    jobs = [parallel.start(lambda: load.parse_half_quietly(head)),
            parallel.start(lambda: load.parse_half_quietly(tail))]
    _started[_key(spec)] = _Started(text, jobs, depth)


def _recorded_spec_hash(output: Path) -> str | None:
    from generator import manifest

    data = manifest.read(output)
    value = data.get("spec_sha256") if data is not None else None
    return value if isinstance(value, str) else None


def take(path: Path, text: bytes) -> Any | None:
    """The tree parsed for `path` when it was started for exactly these bytes, else None."""
    started = _started.pop(_key(path), None)
    if started is None:
        return None
    if started.text != text:
        for job in started.jobs:
            job.cancel()
        return None
    results = [job.result() for job in started.jobs]
    if started.depth < 0:
        return results[0]
    return yaml_split.joined(results[0], results[1], started.depth)


def cancel_all() -> None:
    """Stop every parse nobody took (the run stopped early, or did not need the spec)."""
    while _started:
        _, started = _started.popitem()
        for job in started.jobs:
            job.cancel()
