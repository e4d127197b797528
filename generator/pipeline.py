"""Wires the stages: load -> resolve -> normalize -> render -> format -> (write | check).

`run` never raises for bad input: it returns the diagnostics, and stops after the first stage that
reported an error, before anything is written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generator import ir, load, render, write
from generator.config import Config
from generator.diagnostics import Collector, Diagnostic
from generator.format import format_files
from generator.normalize import normalize
from generator.resolve import Document


@dataclass
class Result:
    diagnostics: tuple[Diagnostic, ...]
    files: dict[str, str] = field(default_factory=dict)
    changes: write.Changes | None = None
    api: ir.Api | None = None
    inputs: tuple[Path, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(d.severity.name == "ERROR" for d in self.diagnostics)


def build(config: Config, diags: Collector, inputs: list[Path] | None = None
          ) -> tuple[ir.Api | None, dict[str, str]]:
    """Everything up to formatted files in memory; no filesystem writes. `inputs` receives the
    files the spec consists of (the spec and every file its $refs loaded)."""
    from generator.contract import check_fork

    for folder in config.templates:
        check_fork(folder, diags)
    if diags.has_errors:
        return None, {}
    loaded = load.load(config.spec, diags)
    if loaded is None or diags.has_errors:
        return None, {}
    if loaded.version == "2.0":
        from generator.swagger2 import convert

        data = convert(loaded.data, diags)
    else:
        data = loaded.data
    doc = Document(config.spec, data, diags)
    api = normalize(doc, config)
    if inputs is not None:
        inputs.append(config.spec)
        inputs.extend(config.spec.parent / f for f in sorted(doc.files) if f)
    if diags.has_errors:
        return api, {}
    try:
        files = render.render(api, config.templates)
    except Exception as exc:  # noqa: BLE001 - template errors are reported, not raised
        import jinja2

        if isinstance(exc, (jinja2.TemplateError,)):
            where = f"{exc.filename}:{exc.lineno}: " if isinstance(exc, jinja2.TemplateSyntaxError) else ""
            diags.error("template-error", "", f"{where}{type(exc).__name__}: {exc}")
            return api, {}
        raise
    for rel in files:
        try:
            write.safe_relative(rel)
        except write.UnsafePath:
            diags.error("unsafe-path", "", f"a template produced a path outside the output folder: {rel!r}")
            return api, {}
    files = format_files(files, diags)
    if diags.has_errors:
        return api, {}
    from generator.preserve import apply

    files = apply(config.output, files)  # text users wrote around generated sections stays
    spec_hash = hashlib.sha256(config.spec.read_bytes()).hexdigest()
    config_hash = hashlib.sha256(json.dumps(_config_dict(config), sort_keys=True).encode()).hexdigest()
    files[write.MANIFEST] = write.manifest_text(files, api.spec_name, spec_hash, config_hash)
    return api, files


def _config_dict(config: Config) -> dict[str, object]:
    data = asdict(config)
    return {k: str(v) for k, v in data.items() if k not in ("spec", "output", "check", "templates")}


def run(config: Config) -> Result:
    diags = Collector()
    inputs: list[Path] = []
    api, files = build(config, diags, inputs)
    if diags.has_errors:
        return Result(diags.sorted(), api=api, inputs=tuple(inputs))
    changes = write.diff(config.output, files) if config.check else write.write(config.output, files)
    return Result(diags.sorted(), files, changes, api, tuple(inputs))
