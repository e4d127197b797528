"""`sdkforge watch`: regenerate whenever the spec, a file it references, an overlay or a template changes.

Polls modification times (no extra dependency), so it works the same on every platform and in
containers. Prints one line per run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from generator.config import Config
from generator.diagnostics import Severity
from generator.pipeline import Result, run


def snapshot(paths: Iterable[Path]) -> dict[Path, tuple[int, int]]:
    out: dict[Path, tuple[int, int]] = {}
    for path in paths:
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for p in candidates:
            try:
                st = p.stat()
            except OSError:
                out[p] = (-1, -1)
                continue
            out[p] = (st.st_mtime_ns, st.st_size)
    return out


def summary(config: Config, result: Result, seconds: float) -> str:
    stamp = time.strftime("%H:%M:%S")
    label = f"[{config.name}] " if config.name else ""
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if errors:
        return f"{stamp} {label}{len(errors)} error(s), output unchanged: {errors[0].format()}"
    changes = result.changes
    assert changes is not None
    warnings = sum(1 for d in result.diagnostics if d.severity is Severity.WARNING)
    return (f"{stamp} {label}{config.output}: {len(changes.added)} added, {len(changes.modified)} modified, "
            f"{len(changes.removed)} removed, {warnings} warnings ({seconds:.2f} s)")


def watch(configs: list[Config], interval: float = 0.5, max_runs: int | None = None,
          out: Callable[[str], None] = print) -> int:
    from generator.structure import preload

    preload()  # a long-lived process: import the structure check's validator once
    runs = 0
    watched: dict[int, list[Path]] = {}
    seen: dict[int, dict[Path, tuple[int, int]]] = {}
    while max_runs is None or runs < max_runs:
        for i, config in enumerate(configs):
            paths = watched.get(i, [config.spec, *config.overlays, *config.templates])
            current = snapshot(paths)
            if seen.get(i) == current:
                continue
            start = time.perf_counter()
            result = run(config)
            out(summary(config, result, time.perf_counter() - start))
            runs += 1
            watched[i] = sorted({*result.inputs, config.spec, *config.overlays, *config.templates})
            seen[i] = snapshot(watched[i])
            if max_runs is not None and runs >= max_runs:
                return 0
        time.sleep(interval)
    return 0
