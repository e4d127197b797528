"""Where generation time goes, without a profiler's overhead: runs the pipeline in-process with a
wall-clock timer around each stage function and prints one JSON object.

    .venv/bin/python bench/gen_stages.py SPEC OUTPUT PACKAGE

Stages are timed by wrapping the functions `generator.pipeline.build` calls (load.load, Document,
normalize, render.render, format_files, write.write); a stage whose function is not found (the
pipeline changed) is reported as missing rather than failing. "other" is the rest of the process:
interpreter start, imports, hashing, manifest, diagnostics.

It also times what a no-op regeneration would need at the least: hashing the spec and re-reading
and hashing every file the manifest lists (the check behind a "nothing changed" fast path).
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import functools  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

T_IMPORT = time.perf_counter()
from generator import pipeline  # noqa: E402
from generator.config import Config  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - T_IMPORT

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
times: dict[str, float] = {}
facts: dict[str, Any] = {}


def timed(stage: str, fn: Any) -> Any:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            times[stage] = times.get(stage, 0.0) + time.perf_counter() - start

    return wrapper


def patch(module: Any, attr: str, stage: str) -> bool:
    fn = getattr(module, attr, None)
    if fn is None:
        return False
    setattr(module, attr, timed(stage, fn))
    return True


def main() -> int:
    spec, output, package = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    import generator.load
    import generator.render
    import generator.write

    wanted = [
        (generator.load, "load", "load (read + YAML)"),
        (pipeline, "Document", "resolve ($refs)"),
        (pipeline, "normalize", "normalize (-> IR)"),
        (generator.render, "render", "render (Jinja: code + docs)"),
        (pipeline, "format_files", "format (ruff format subprocess)"),
        (generator.write, "write", "write (staged, unchanged files kept)"),
    ]
    missing = [stage for module, attr, stage in wanted if not patch(module, attr, stage)]
    loaded_fn = generator.load.load

    def counting_load(*args: Any, **kwargs: Any) -> Any:
        loaded = loaded_fn(*args, **kwargs)
        paths = (getattr(loaded, "data", None) or {}).get("paths") or {}
        facts["ops_in_spec"] = sum(1 for item in paths.values() if isinstance(item, dict)
                                   for m in METHODS if isinstance(item.get(m), dict))
        return loaded

    generator.load.load = counting_load

    config = Config(spec=spec, output=output, package_name=package).with_defaults()
    start = time.perf_counter()
    result = pipeline.run(config)
    run_seconds = time.perf_counter() - start
    api = result.api
    ops_generated = sum(len(r.operations) for r in api.resources) if api is not None else None

    # The least a "nothing changed" fast path has to do: hash the spec, re-hash the files listed.
    start = time.perf_counter()
    hashlib.sha256(spec.read_bytes()).hexdigest()
    manifest = json.loads((output / ".sdkforge-manifest.json").read_text(encoding="utf-8"))
    same = sum(1 for rel, digest in manifest.get("files", {}).items()
               if (output / rel).is_file() and hashlib.sha256((output / rel).read_bytes()).hexdigest() == digest)
    check_seconds = time.perf_counter() - start

    print(json.dumps({
        "ok": result.ok,
        "stages": times,
        "missing_stages": missing,
        "import_seconds": IMPORT_SECONDS,
        "run_seconds": run_seconds,
        "process_seconds": time.perf_counter() - T0,
        "files": len(result.files),
        "ops_in_spec": facts.get("ops_in_spec"),
        "ops_generated": ops_generated,
        "warnings": sum(1 for d in result.diagnostics if d.severity.name == "WARNING"),
        "noop_check_seconds": check_seconds,
        "noop_check_files_matching": same,
    }))
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
