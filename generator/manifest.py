"""The manifest (`.sdkforge-manifest.json`): provenance of a generated tree, and the fast path.

It records the generator version, the hashes of the spec and configuration, the files the spec is
made of, the overlays applied to it, one hash over every input (spec files, overlays, configuration,
built-in and user templates,
the generator's version and code), the warnings of the run, and every generated file with its hash. When the
inputs hash is unchanged and every listed file still has its hash, regeneration is skipped (and
`--check` answers) without parsing the spec; the recorded warnings are replayed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator import __version__
from generator.diagnostics import Diagnostic, Severity
from generator.jsontext import dumps_sorted
from generator.paths import UnsafePath, builtin_templates, safe_relative

NAME = ".sdkforge-manifest.json"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _template_files(folder: Path) -> list[Path]:
    """The files of a templates folder; bytecode and tool caches (`__pycache__`, `.mypy_cache`) are not
    templates (the runtime's sources are imported and type-checked where they lie)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not any(
        part == "__pycache__" or part.startswith(".") for part in p.relative_to(folder).parts))


def files_digest(paths: Sequence[Path]) -> str:
    """A hash over the names and bytes of `paths`, in order ("" for none; unreadable files count as empty)."""
    if not paths:
        return ""
    h = hashlib.sha256()
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0unreadable"
        h.update(path.name.encode() + b"\0" + data + b"\0")
    return h.hexdigest()


def overlay_names(spec_dir: Path, overlays: Sequence[Path]) -> list[str]:
    """The overlays as recorded in the manifest: relative to the spec's folder, `/`-separated."""
    out = []
    for path in overlays:
        try:
            out.append(Path(os.path.relpath(path, spec_dir)).as_posix())
        except ValueError:  # another drive (Windows): no relative path exists
            out.append(path.name)
    return out


def inputs_digest(spec_dir: Path, inputs: list[str], config_hash: str, template_dirs: list[Path],
                  overlays: Sequence[Path] = ()) -> str | None:
    """One hash over everything that decides the output; None when an input cannot be read."""
    h = hashlib.sha256(f"sdkforge {__version__}\0{config_hash}\0".encode())
    try:
        for rel in inputs:
            h.update(rel.encode() + b"\0" + (spec_dir / rel).read_bytes() + b"\0")
        for path in overlays:
            h.update(b"overlay\0" + path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        code = Path(__file__).resolve().parent  # the generator's own code: a change regenerates
        for path in sorted(code.rglob("*.py")):
            h.update(path.relative_to(code).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        for folder in [builtin_templates(), *template_dirs]:
            for path in _template_files(folder):
                h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return h.hexdigest()


def text(files: dict[str, str], spec_name: str, spec_hash: str, config_hash: str, inputs: list[str],
         digest: str | None, diagnostics: tuple[Diagnostic, ...], overlays: Sequence[str] = ()) -> str:
    data: dict[str, Any] = {
        "generator": f"sdkforge {__version__}",
        "spec": spec_name,
        "spec_sha256": spec_hash,
        "config_sha256": config_hash,
        "inputs": inputs,
        "inputs_sha256": digest or "",
        "warnings": [d.format() for d in diagnostics if d.severity is Severity.WARNING],
        "files": {p: _sha(files[p].encode("utf-8")) for p in sorted(files)},
    }
    if overlays:
        data["overlays"] = list(overlays)
    return dumps_sorted(data, indent=2) + "\n"


def read(output: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((output / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def up_to_date(output: Path, spec: Path, config_hash: str, template_dirs: list[Path],
               overlays: Sequence[Path] = ()) -> dict[str, Any] | None:
    """The manifest, when the output is exactly what these inputs generate; else None."""
    data = read(output)
    if data is None or not data.get("inputs_sha256") or not isinstance(data.get("files"), dict):
        return None
    inputs = data.get("inputs")
    if not isinstance(inputs, list) or not inputs or not all(isinstance(i, str) for i in inputs):
        return None
    if inputs[0] != spec.name:  # made from another spec (in the same folder)
        return None
    spec_dir = spec.parent
    try:  # only regular files inside the spec's folder and the output are ever read
        for rel in [*inputs, *data["files"]]:
            safe_relative(rel)
    except UnsafePath:
        return None
    if not all((spec_dir / rel).is_file() for rel in inputs):
        return None
    if data.get("overlays", []) != overlay_names(spec_dir, overlays):
        return None
    if inputs_digest(spec_dir, inputs, config_hash, template_dirs, overlays) != data["inputs_sha256"]:
        return None
    for rel, digest in data["files"].items():
        if not (output / rel).is_file() or (output / rel).is_symlink():
            return None
        try:
            if _sha((output / rel).read_bytes()) != digest:
                return None
        except OSError:
            return None
    return data
