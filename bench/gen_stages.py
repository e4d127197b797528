"""Where generation time goes, without a profiler's overhead: runs `sdkforge generate -v` (the real
command, with its forked processes) cold and warm, and prints one JSON object with the pipeline's
own per-stage wall clock for each.

    .venv/bin/python bench/gen_stages.py SPEC OUTPUT PACKAGE

The pipeline times its stages in the main process (`-v` prints them): load (the YAML
parse), resolve+normalize, render (the code
and half the model pages here; the other docs in a forked process meanwhile), format (waiting for
ruff), write. "Rest" is the wall time the stages do not cover: interpreter start, imports, hashing, the manifest, exit.

It also times what a no-op regeneration would need at the least: hashing the spec and re-reading
and hashing every file the manifest lists (the check behind a "nothing changed" fast path).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TIMINGS = re.compile(r"^sdkforge: ((?:[a-z+]+ [0-9.]+ s(?:, )?)+)$", re.M)


def run(spec: Path, output: Path, package: str, cold: bool) -> dict[str, Any]:
    shutil.rmtree(output, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k not in ("SDKFORGE_SERIAL", "SDKFORGE_NO_CACHE")}
    if cold:
        env["SDKFORGE_NO_CACHE"] = "1"
    cmd = [sys.executable, "-m", "generator", "generate", str(spec), "--output", str(output),
           "--package-name", package, "-v"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    match = TIMINGS.search(proc.stderr)
    stages: dict[str, float] = {}
    if match:
        for part in match.group(1).split(", "):
            name, seconds, _ = part.split(" ")
            stages[name] = float(seconds)
    return {"ok": proc.returncode == 0, "wall": wall, "stages": stages,
            "rest": max(0.0, wall - sum(stages.values())), "files": _files(output)}


def _files(output: Path) -> int:
    manifest = output / ".sdkforge-manifest.json"
    try:
        return len(json.loads(manifest.read_text(encoding="utf-8")).get("files", {}))
    except (OSError, ValueError):
        return 0


def noop_check(spec: Path, output: Path) -> tuple[float, int]:
    start = time.perf_counter()
    hashlib.sha256(spec.read_bytes()).hexdigest()
    manifest = json.loads((output / ".sdkforge-manifest.json").read_text(encoding="utf-8"))
    same = sum(1 for rel, digest in manifest.get("files", {}).items()
               if (output / rel).is_file() and hashlib.sha256((output / rel).read_bytes()).hexdigest() == digest)
    return time.perf_counter() - start, same


METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operation_counts(spec: Path, package: str) -> tuple[int, int]:
    """(operations in the spec, operations generated), from the loader and the IR."""
    sys.path.insert(0, str(ROOT))
    from generator import load
    from generator.config import Config
    from generator.diagnostics import Collector
    from generator.normalize import normalize
    from generator.resolve import Document

    diags = Collector()
    loaded = load.load(spec, diags)
    if loaded is None:
        return 0, 0
    paths = loaded.data.get("paths") or {}
    in_spec = sum(1 for item in paths.values() if isinstance(item, dict)
                  for m in METHODS if isinstance(item.get(m), dict))
    config = Config(spec=spec, output=Path("unused"), package_name=package).with_defaults()
    api = normalize(Document(spec, loaded.data, diags), config)
    return in_spec, sum(len(r.operations) for r in api.resources)


def main() -> int:
    spec, output, package = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    warm_fill = run(spec, output, package, cold=False)  # fills the structure-check cache if it was empty
    cold = run(spec, output, package, cold=True)
    warm = run(spec, output, package, cold=False)
    check_seconds, same = noop_check(spec, output)
    in_spec, generated = operation_counts(spec, package)
    print(json.dumps({
        "ops_in_spec": in_spec,
        "ops_generated": generated,
        "ok": warm_fill["ok"] and cold["ok"] and warm["ok"],
        "cold": cold,
        "warm": warm,
        "noop_check_seconds": check_seconds,
        "noop_check_files_matching": same,
    }))
    return 0 if cold["ok"] and warm["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
