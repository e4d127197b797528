"""Stage 6, format: generated Python through `ruff format` (black's style, ~100x faster), in one
process over a temporary tree; Markdown and other text normalised (LF, one trailing newline).

Black stays the authority: the test suite runs `black --check` on the output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.diagnostics import Collector

RUFF_CONFIG = """\
line-length = 88
target-version = "py310"

[format]
quote-style = "double"
"""


def _ruff() -> str:
    exe = Path(sys.executable).parent / ("ruff.exe" if os.name == "nt" else "ruff")
    if exe.exists():
        return str(exe)
    found = shutil.which("ruff")
    if found:
        return found
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        raise FileNotFoundError("ruff is not installed (pip install ruff)") from None


def normalise_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n" if any(lines) else ""


def format_files(files: dict[str, str], diags: Collector) -> dict[str, str]:
    out = {path: normalise_text(content) if not path.endswith(".py") else content
           for path, content in files.items()}
    py = sorted(p for p in files if p.endswith(".py"))
    if not py:
        return out
    # A memory-backed folder where there is one: formatting writes and reads every file once.
    shm = Path("/dev/shm")
    scratch = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="sdkforge-fmt-", dir=scratch) as tmp:
        root = Path(tmp)
        (root / "ruff.toml").write_text(RUFF_CONFIG, encoding="utf-8")
        for rel in py:
            target = root / "src" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[rel], encoding="utf-8")
        proc = subprocess.run(
            [_ruff(), "format", "--no-cache", "--config", str(root / "ruff.toml"), str(root / "src")],
            capture_output=True, text=True, check=False,
        )
        if proc.returncode != 0:
            problems = [line.replace(str(root / "src") + "/", "") for line in proc.stderr.splitlines()
                        if line.startswith("error")] or [proc.stderr.strip() or f"ruff exited with {proc.returncode}"]
            for line in problems[:20]:
                diags.error("format-failed", "", f"generated code does not parse (a template bug): {line}")
            return out
        for rel in py:
            out[rel] = (root / "src" / rel).read_text(encoding="utf-8")
    return out
