"""Stage 6, format: generated Python through `ruff format` (black's style, ~100x faster), in one
process over a temporary tree; Markdown and other text normalised (LF, one trailing newline).

Black stays the authority: the test suite runs `black --check` on the output.
"""

from __future__ import annotations

import os
import re
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


_LONG_ALIAS = re.compile(r"^(\w+): TypeAlias = (.*)$")


def black_long_aliases(source: str) -> str:
    """Where black and `ruff format` disagree: an alias whose `Name: TypeAlias = X[` line is longer
    than 88 characters. Black parenthesises the annotation (`Name: (`, `    TypeAlias`, `) = X[...]`);
    ruff leaves the long line. Rewritten to black's form when the joined value fits on the `) = ` line."""
    if ": TypeAlias = " not in source:
        return source
    lines = source.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = _LONG_ALIAS.match(lines[i])
        if m is None or len(lines[i]) <= 88:
            out.append(lines[i])
            i += 1
            continue
        name, first = m.groups()
        head = [f"{name}: (", "    TypeAlias"]
        balanced = first.count("[") == first.count("]") and first.count("(") == first.count(")")
        closing = {"[": "]", "(": ")"}.get(first[-1:], "")
        three = bool(closing) and i + 2 < len(lines) and lines[i + 2] == closing \
            and lines[i + 1].startswith("    ") and not lines[i + 1].rstrip().endswith(",")
        if balanced:  # the value on one line: black moves it after `) = `
            out += [*head, f") = {first}"]
            i += 1
        elif three and len(head[0]) <= 88 and len(f") = {first}{lines[i + 1].strip()}{closing}") <= 88:
            out += [*head, f") = {first}{lines[i + 1].strip()}{closing}"]  # the value fits once the name moved
            i += 3
        elif first.endswith(("[", "(")):  # black keeps ruff's split of the value
            out += [*head, f") = {first}"]
            i += 1
        else:
            out.append(lines[i])
            i += 1
    return "\n".join(out)


_LONG_ASSIGN = re.compile(r"^(\s*)([\w.]+) = ((?:await )?[\w.]+\(\))$")


def black_long_calls(source: str) -> str:
    """Another disagreement: `x = a.very.long.chain()` longer than 88 characters with nothing to split
    at. Black wraps the value in parentheses on lines of its own; ruff leaves the long line."""
    lines = source.split("\n")
    out: list[str] = []
    for line in lines:
        m = _LONG_ASSIGN.match(line)
        if m is not None and len(line) > 88:
            indent, target, value = m.groups()
            out += [f"{indent}{target} = (", f"{indent}    {value}", f"{indent})"]
        else:
            out.append(line)
    return "\n".join(out)


def normalise_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n" if any(lines) else ""


def normalise_all(files: dict[str, str]) -> dict[str, str]:
    """`normalise_text` over files that are not Python (Python goes through `FormatJob`)."""
    return {path: normalise_text(content) if not path.endswith(".py") else content
            for path, content in files.items()}


class FormatJob:
    """`ruff format` over the Python files, started at once in a background process so other work
    (rendering the docs) runs meanwhile; `finish` waits and returns the formatted files."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = files
        self.py = sorted(p for p in files if p.endswith(".py"))
        self.tmp: tempfile.TemporaryDirectory[str] | None = None
        self.proc: subprocess.Popen[str] | None = None
        if not self.py:
            return
        # A memory-backed folder where there is one: formatting writes and reads every file once.
        shm = Path("/dev/shm")
        scratch = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
        self.tmp = tempfile.TemporaryDirectory(prefix="sdkforge-fmt-", dir=scratch)
        self.root = Path(self.tmp.name)
        (self.root / "ruff.toml").write_text(RUFF_CONFIG, encoding="utf-8")
        src = str(self.root / "src")
        made: set[str] = set()
        for rel in self.py:  # plain os calls: thousands of files, pathlib's overhead shows
            folder = rel.rpartition("/")[0]
            if folder not in made:
                os.makedirs(os.path.join(src, folder), exist_ok=True)
                made.add(folder)
            with open(os.path.join(src, rel), "w", encoding="utf-8") as fh:
                fh.write(files[rel])
        self.proc = subprocess.Popen(
            [_ruff(), "format", "--no-cache", "--config", str(self.root / "ruff.toml"), str(self.root / "src")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    def finish(self, diags: Collector) -> dict[str, str]:
        out = normalise_all(self.files)
        if self.proc is None or self.tmp is None:
            return out
        try:
            _, stderr = self.proc.communicate()
            if self.proc.returncode != 0:
                src = str(self.root / "src") + "/"
                problems = [line.replace(src, "") for line in stderr.splitlines() if line.startswith("error")]
                for line in (problems or [stderr.strip() or f"ruff exited with {self.proc.returncode}"])[:20]:
                    diags.error("format-failed", "", f"generated code does not parse (a template bug): {line}")
                return out
            src = str(self.root / "src")
            for rel in self.py:
                with open(os.path.join(src, rel), encoding="utf-8") as fh:
                    out[rel] = black_long_calls(black_long_aliases(fh.read()))
            return out
        finally:
            self.tmp.cleanup()
