"""Helpers of the hostile-spec tests: generate (in-process or as a subprocess), then prove that the
output stays inside its folder, compiles, and imports in a fresh interpreter without running any
of the text the spec smuggled in."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import tomllib

from generator.cli import main

HERE = Path(__file__).resolve().parent
SPECS = HERE / "specs"
ROOT = HERE.parents[1]
IMPORT_CHECK = HERE / "importcheck.py"
CANARY_MARKER = "SDKFORGE-PWNED"  # printed by payloads that would run
CANARY_FILE = "PWNED"  # created (in the working folder) by payloads that would run


def _config(tmp: Path) -> Path:
    """An empty config file, so the repository's own [tool.sdkforge] never leaks into a test."""
    path = tmp / "sdkforge.toml"
    if not path.exists():
        path.write_text("", encoding="utf-8")
    return path


def generate(spec: Path, out: Path, package: str, *extra: str) -> tuple[int, str]:
    """`sdkforge generate` in this process; returns (exit code, stderr)."""
    err = io.StringIO()
    argv = ["generate", str(spec), "--output", str(out), "--package-name", package,
            "--config", str(_config(out.parent)), *extra]
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, err.getvalue()


def cli(spec: Path, out: Path, package: str, *extra: str, cwd: Path | None = None,
        env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`python -m generator generate ...` as a subprocess (what a user runs)."""
    cwd = cwd or out.parent
    argv = [sys.executable, "-m", "generator", "generate", str(spec), "--output", str(out),
            "--package-name", package, "--config", str(_config(cwd)), *extra]
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (symlinks as `-> target`), by POSIX relative path."""
    out: dict[str, bytes] = {}
    if not root.exists():
        return out
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            out[rel] = path.read_bytes()
    return out


def check_tree(out: Path, user_files: Iterable[str] = ()) -> list[str]:
    """Assert the generated tree is sane; returns its files (relative POSIX paths).

    Every path is a real file or folder inside `out` (no symlinks, nothing resolving outside), made
    of safe parts; no two paths differ only in case; every .py compiles; pyproject.toml and the
    manifest parse, and the manifest lists exactly the files there are, `user_files` aside.
    """
    real_out = out.resolve()
    files: list[str] = []
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        assert not path.is_symlink(), f"generated a symlink: {rel}"
        assert path.resolve().is_relative_to(real_out), f"{rel} resolves outside {out}"
        for part in rel.split("/"):
            assert part not in ("", ".", "..") and "\\" not in part and "\x00" not in part, rel
            assert part.isascii() and part.isprintable(), f"non-ASCII or unprintable path part: {rel!r}"
        if path.is_file():
            files.append(rel)
    lowered: dict[str, str] = {}
    for rel in files:
        other = lowered.setdefault(rel.lower(), rel)
        assert other == rel, f"{rel} and {other} collide on a case-insensitive file system"
    for rel in files:
        if rel.endswith(".py"):
            source = (out / rel).read_text(encoding="utf-8")
            compile(source, rel, "exec", dont_inherit=True)
    tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))
    manifest = json.loads((out / ".sdkforge-manifest.json").read_text(encoding="utf-8"))
    generated = sorted(f for f in files if f != ".sdkforge-manifest.json" and f not in set(user_files))
    assert sorted(manifest["files"]) == generated
    return files


def only_child(parent: Path, child: str) -> None:
    """Nothing but `child` (and its lock file) was created in `parent`: no write escaped."""
    allowed = {child, f".{child}.sdkforge-lock", "sdkforge.toml"}
    extra = sorted(p.name for p in parent.iterdir() if p.name not in allowed)
    assert not extra, f"files written beside the output folder: {extra}"


def import_check(packages: Iterable[tuple[Path, str]], work: Path, check: str = "",
                 timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Import every module of every (output folder, package) in one fresh interpreter, build every
    model and alias, then run `check` (Python source; `pkg` is the first package). Asserts the
    subprocess succeeded and that no payload ran (no marker printed, no canary file created)."""
    args: list[str] = []
    for out, package in packages:
        args += [str(out), package]
    check_file = work / "check_snippet.py"
    check_file.write_text(check, encoding="utf-8")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "SDKFORGE_CANARY": str(work / "canary")}
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([sys.executable, "-X", "warn_default_encoding", "-W", "error::SyntaxWarning",
                           str(IMPORT_CHECK), str(check_file), *args],
                          cwd=work, capture_output=True, text=True, timeout=timeout, check=False, env=env)
    assert proc.returncode == 0, f"import check failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    assert CANARY_MARKER not in proc.stdout + proc.stderr, "an injected print() ran"
    assert "sh: " not in proc.stderr, f"an injected os.system() ran: {proc.stderr[-2000:]}"
    assert not (work / CANARY_FILE).exists(), "an injected command created the canary file"
    assert not (work / "canary").exists(), "an injected statement wrote the canary"
    return proc


_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_CELL_SEP = re.compile(r"(?<!\\)\|")


def rendered_text(markdown: str) -> str:
    """The Markdown that would be rendered (not shown literally): fenced blocks and code spans removed."""
    return _CODE_SPAN.sub("", without_code_fences(markdown))


def broken_tables(markdown: str) -> list[str]:
    """Table rows whose number of cells (unescaped pipes, as GFM counts them) differs from their header."""
    bad: list[str] = []
    width = None
    for line in without_code_fences(markdown).split("\n"):
        if not line.startswith("|"):
            width = None
            continue
        cells = len(_CELL_SEP.findall(line))
        if width is None:
            width = cells
        elif cells != width:
            bad.append(line)
    return bad


def without_code_fences(markdown: str) -> str:
    """Markdown outside fenced code blocks (where text would be rendered, not shown)."""
    out: list[str] = []
    fence = ""
    for line in markdown.split("\n"):
        stripped = line.lstrip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        out.append(line)
    return "\n".join(out)


def shown(values: Sequence[object]) -> str:
    return ", ".join(repr(v) for v in values)
