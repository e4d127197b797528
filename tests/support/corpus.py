"""The real-world spec corpus in ../shared/specs: discovery, generation and per-spec figures.

Used by tests/test_corpus.py (CI) and bench/corpus.py (full report with mypy on everything).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

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
    schemas: int
    warnings: int
    errors: int
    seconds: float
    files: int
    mypy_errors: int | None = None
    skipped: tuple[str, ...] = ()


def generate(spec: Path, out: Path) -> tuple[Figures, Any]:
    package = package_for(spec)
    config = Config(spec=spec, output=out, package_name=package).with_defaults()
    start = time.perf_counter()
    result = run(config)
    seconds = time.perf_counter() - start
    api = result.api
    warnings = [d for d in result.diagnostics if d.severity is Severity.WARNING]
    figures = Figures(
        spec=spec.relative_to(SHARED_SPECS).as_posix(),
        ops_in_spec=count_operations(spec),
        ops_generated=sum(len(r.operations) for r in api.resources) if api else 0,
        schemas=len(api.named_types()) if api else 0,
        warnings=len(warnings),
        errors=sum(1 for d in result.diagnostics if d.severity is Severity.ERROR),
        seconds=seconds,
        files=len(result.files),
        skipped=tuple(sorted({d.code for d in warnings})),
    )
    return figures, result


def mypy_errors(out: Path, package: str, modules: list[str] | None = None) -> tuple[int, str]:
    targets = ["-p", package] if modules is None else [a for m in modules for a in ("-m", m)]
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null",
                           *targets],
                          cwd=out, capture_output=True, text=True, check=False)
    errors = len([ln for ln in proc.stdout.splitlines() if ": error:" in ln])
    return errors, proc.stdout[-4000:]


def import_all(out: Path, package: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import importlib, pkgutil, sys\n"
        f"import {package} as pkg\n"
        f"mods = [m.name for m in pkgutil.walk_packages(pkg.__path__, '{package}.')]\n"
        "bad = []\n"
        "for m in mods:\n"
        "    try:\n"
        "        importlib.import_module(m)\n"
        "    except Exception as exc:\n"
        "        bad.append(f'{m}: {type(exc).__name__}: {exc}')\n"
        "print(len(mods))\n"
        "print('\\n'.join(bad[:20]))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True, text=True, check=False)
