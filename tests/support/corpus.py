"""The real-world spec corpus in ../shared/specs: discovery, generation and per-spec figures.

Used by tests/test_corpus.py (CI) and bench/corpus.py (the per-spec figures, with mypy on everything).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator import ir
from generator.config import Config
from generator.diagnostics import Severity
from generator.pipeline import run

ROOT = Path(__file__).resolve().parents[2]
SHARED_SPECS = Path(os.environ.get("SDKFORGE_SHARED") or ROOT.parent / "shared") / "specs"  # as tests/conftest.py
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def discover(root: Path = SHARED_SPECS) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() in (".yaml", ".yml", ".json") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            # a top-level `openapi:`/`swagger:` key (YAML at column 0, JSON at the first indent)
            if re.search(r'^(openapi|swagger):|^\s{0,4}"(openapi|swagger)"\s*:', text, re.M):
                found.append(path)
    return found


def package_for(spec: Path) -> str:
    rel = spec.relative_to(SHARED_SPECS).with_suffix("").as_posix()
    name = re.sub(r"[^a-z0-9]+", "_", rel.lower()).strip("_")
    return ("sdk_" + name)[:60]


def count_operations(spec: Path) -> int:
    text = spec.read_text(encoding="utf-8")
    data: Any = json.loads(text) if spec.suffix == ".json" else yaml.load(text, Loader=yaml.CSafeLoader)
    paths = data.get("paths") or {}
    return sum(1 for item in paths.values() if isinstance(item, dict)
               for m in METHODS if isinstance(item.get(m), dict))


@dataclass
class Figures:
    spec: str
    ops_in_spec: int
    ops_generated: int
    ops_typed: int  # operations whose success response (or stream item) has a type other than Any
    models: int
    enums_aliases: int
    resources: int
    warnings: int
    errors: int
    seconds: float
    files: int
    by_code: dict[str, int] = field(default_factory=dict)  # warnings by code
    mypy_errors: int | None = None
    mypy_seconds: float | None = None

    @property
    def schemas(self) -> int:
        return self.models + self.enums_aliases


def _typed(op: ir.Operation) -> bool:
    if op.stream is not None:
        return not isinstance(op.stream.item, ir.AnyType)
    t = op.response.type if op.response is not None else None
    return t is not None and not isinstance(t, ir.AnyType)


def generate(spec: Path, out: Path) -> tuple[Figures, Any]:
    package = package_for(spec)
    config = Config(spec=spec, output=out, package_name=package).with_defaults()
    start = time.perf_counter()
    result = run(config)
    seconds = time.perf_counter() - start
    api = result.api
    warnings = [d for d in result.diagnostics if d.severity is Severity.WARNING]
    ops = [op for r in api.resources for op in r.operations] if api else []
    figures = Figures(
        spec=spec.relative_to(SHARED_SPECS).as_posix(),
        ops_in_spec=count_operations(spec),
        ops_generated=len(ops),
        ops_typed=sum(1 for op in ops if _typed(op)),
        models=len(api.models) if api else 0,
        enums_aliases=len(api.enums) + len(api.aliases) if api else 0,
        resources=len(api.resources) if api else 0,
        warnings=len(warnings),
        errors=sum(1 for d in result.diagnostics if d.severity is Severity.ERROR),
        seconds=seconds,
        files=len(result.files),
        by_code=dict(sorted(Counter(d.code for d in warnings).items())),
    )
    return figures, result


def mypy_errors(out: Path, package: str, modules: list[str] | None = None) -> tuple[int, str]:
    targets = ["-p", package] if modules is None else [a for m in modules for a in ("-m", m)]
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null",
                           *targets],
                          cwd=out, capture_output=True, text=True, check=False)
    errors = len([ln for ln in proc.stdout.splitlines() if ": error:" in ln])
    if proc.returncode != 0 and not errors:  # mypy itself failed (a crash, a bad option): not a pass
        errors = 1
    return errors, (proc.stdout + proc.stderr)[-4000:]


CHECK = Path(__file__).with_name("corpus_check.py")


def check_package(out: Path, package: str) -> tuple[dict[str, Any], str]:
    """Import every module, build every model and alias, touch every resource of the sync and async
    clients (tests/support/corpus_check.py, in a fresh interpreter). Returns (counts, failures);
    counts is empty when the check could not run to its end."""
    proc = subprocess.run([sys.executable, str(CHECK), str(out), package], cwd=out, capture_output=True,
                          text=True, check=False)
    lines = proc.stdout.splitlines()
    counts: dict[str, Any] = json.loads(lines[0]) if lines and lines[0].startswith("{") else {}
    failures = "\n".join(lines[1:]) + proc.stderr[-3000:]
    return (counts if proc.returncode == 0 else {}), failures
