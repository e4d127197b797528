"""Generate an SDK from an inline spec into a temporary folder and import it in this process."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

from generator.cli import main


def generate_and_import(tmp_path: Path, spec_text: str, package: str) -> ModuleType:
    """The generated package `package` (unique per test: it stays in `sys.modules`)."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", package, "-q"]) == 0
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(out))
