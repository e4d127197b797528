"""Wires the stages: load -> resolve -> normalize -> render -> format -> (write | check).

`run` never raises for bad input: it returns the diagnostics, and stops after the first stage that
reported an error, before anything is written.
"""

from __future__ import annotations

import gc
import hashlib
import json
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from generator import ir, load, manifest, parallel, paths, render, write
from generator.bundle import bundle
from generator.config import Config
from generator.diagnostics import Collector, Diagnostic
from generator.format import FormatJob, normalise_all
from generator.normalize import normalize
from generator.resolve import Document
from generator.structure import StructureCheck


@dataclass
class Result:
    diagnostics: tuple[Diagnostic, ...]
    files: dict[str, str] = field(default_factory=dict)
    changes: write.Changes | None = None
    api: ir.Api | None = None
    inputs: tuple[Path, ...] = ()
    unchanged: bool = False  # the fast path: inputs and output as recorded in the manifest
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage

    @property
    def ok(self) -> bool:
        return not any(d.severity.name == "ERROR" for d in self.diagnostics)


def build(config: Config, diags: Collector, inputs: list[Path] | None = None,
          timings: dict[str, float] | None = None) -> tuple[ir.Api | None, dict[str, str]]:
    """Everything up to formatted files in memory; no filesystem writes. `inputs` receives the
    files the spec consists of (the spec and every file its $refs loaded)."""
    from generator.contract import check_fork

    for folder in config.templates:
        check_fork(folder, diags)
    if diags.has_errors:
        return None, {}
    clock = _Clock(timings)
    loaded = load.load(config.spec, diags, config.overlays)
    clock.lap("load")
    if loaded is None or diags.has_errors:
        return None, {}
    if loaded.version == "2.0":
        from generator.swagger2 import convert

        data = convert(loaded.data, diags)
    else:
        data = loaded.data
    check = StructureCheck(config.spec, loaded.data, loaded.version == "2.0",  # runs beside the pipeline
                           manifest.files_digest(config.overlays))
    try:
        return _build_checked(config, diags, inputs, clock, data, check)
    finally:
        check.cancel()  # when an earlier return left it running


def _build_checked(config: Config, diags: Collector, inputs: list[Path] | None, clock: _Clock,
                   data: dict[str, Any], check: StructureCheck) -> tuple[ir.Api | None, dict[str, str]]:
    doc = Document(config.spec, data, diags)
    api = normalize(doc, config)
    clock.lap("resolve+normalize")
    if inputs is not None:
        inputs.append(config.spec)
        inputs.extend(config.spec.parent / f for f in sorted(doc.files) if f)
        inputs.extend(config.overlays)
    if diags.has_errors:
        return api, {}
    if config.language == "typescript":
        return api, _typescript(config, api, doc, diags, check, clock)
    job: FormatJob | None = None
    docs_job: parallel.Job[dict[str, str]] | None = None
    try:
        tests_spec = bundle(doc, api) if config.tests else None
        renderer = render.Renderer.create(api, config.templates, tests_spec)
        # Most of the docs render on another core meanwhile; this one takes the code and half the model pages.
        docs_job = parallel.start(lambda: normalise_all(renderer.docs("rest")))
        code = renderer.code()
        _check_paths(code, diags)
        if diags.has_errors:
            docs_job.cancel()
            return api, {}
        job = FormatJob(code)  # ruff formats the code in another process while the docs render
        models_head = normalise_all(renderer.docs("models-head"))
        docs = {**docs_job.result(), **models_head}  # Markdown normalised where it was rendered
        clock.lap("render")
    except Exception as exc:  # noqa: BLE001 - template errors are reported, not raised
        import jinja2

        if docs_job is not None:
            docs_job.cancel()
        if job is not None:
            job.finish(Collector())  # wait for the formatter and drop its scratch folder
        if isinstance(exc, jinja2.TemplateSyntaxError):
            where = f"{exc.filename}:{exc.lineno}: "
        else:  # an error raised while a template ran: name the template line from the traceback
            where = next((f"{frame.filename}:{frame.lineno}: " for frame in reversed(traceback.extract_tb(
                exc.__traceback__)) if frame.filename.endswith(".jinja")), "")
        diags.error("template-error", "", f"{where}{type(exc).__name__}: {exc}")
        return api, {}
    _check_paths({**code, **docs}, diags)  # together: no two may be one file on case-insensitive systems
    if diags.has_errors:
        job.finish(diags)
        return api, {}
    files = {**job.finish(diags), **docs}
    clock.lap("format")
    if diags.has_errors:
        return api, {}
    return api, _finish(config, api, doc, files, diags, check)


def _typescript(config: Config, api: ir.Api, doc: Document, diags: Collector, check: StructureCheck,
                clock: _Clock) -> dict[str, str]:
    """The TypeScript SDK (generator/languages/typescript), then the same manifest as for Python."""
    from generator.languages.typescript import generate

    try:
        files = generate(api, config.templates, diags, package_name=config.package_name,
                         client_name=config.client_name, tests_spec=bundle(doc, api) if config.tests else None)
    except Exception as exc:  # noqa: BLE001 - template errors are reported, not raised
        diags.error("template-error", "", f"{_template_line(exc)}{type(exc).__name__}: {exc}")
        return {}
    clock.lap("render")
    _check_paths(files, diags)
    if diags.has_errors:
        return {}
    return _finish(config, api, doc, files, diags, check)


def _template_line(exc: Exception) -> str:
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{exc.filename}:{exc.lineno}: "
    return next((f"{frame.filename}:{frame.lineno}: " for frame in reversed(traceback.extract_tb(
        exc.__traceback__)) if frame.filename.endswith(".jinja")), "")


def _finish(config: Config, api: ir.Api, doc: Document, files: dict[str, str], diags: Collector,
            check: StructureCheck) -> dict[str, str]:
    """The manifest (with the recorded warnings) added to the formatted files."""
    from generator.preserve import apply

    check.report(diags)  # its warnings go into the manifest
    files = apply(config.output, files)  # text users wrote around generated sections stays
    spec_hash = hashlib.sha256(config.spec.read_bytes()).hexdigest()
    config_hash = config_digest(config)
    rel_inputs = [config.spec.name, *(f for f in sorted(doc.files) if f)]
    digest = manifest.inputs_digest(config.spec.parent, rel_inputs, config_hash, list(config.templates),
                                    config.overlays)
    files[manifest.NAME] = manifest.text(files, api.spec_name, spec_hash, config_hash, rel_inputs, digest,
                                         diags.sorted(), manifest.overlay_names(config.spec.parent, config.overlays))
    return files


class _Clock:
    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[stage] = now - self.last
        self.last = now


def config_digest(config: Config) -> str:
    return hashlib.sha256(json.dumps(_config_dict(config), sort_keys=True).encode()).hexdigest()


def _check_paths(files: dict[str, str], diags: Collector) -> None:
    """Every path stays inside the output folder and no two collide (paths.check_paths)."""
    try:
        paths.check_paths(files)
    except paths.UnsafePath as exc:
        diags.error("unsafe-path", "", f"a template produced an unsafe or colliding output path: {exc}")

def _config_dict(config: Config) -> dict[str, object]:
    data = asdict(config)
    if data.get("language") == "python":  # the default: Python manifests stay as they were before languages
        del data["language"]
    # Overlays count by their names and bytes (manifest.inputs_digest), not by where they are.
    # The target's name labels messages only; the same settings under another name make the same files.
    return {k: str(v) for k, v in data.items()
            if k not in ("spec", "output", "check", "templates", "overlays", "name")}


def run(config: Config) -> Result:
    """Generate (or check). When the manifest shows the output is what these exact inputs produce,
    nothing is parsed or written: the recorded warnings are replayed."""
    current = manifest.up_to_date(config.output, config.spec, config_digest(config), list(config.templates),
                                  config.overlays)
    if current is not None:
        replay = tuple(_replayed(line) for line in current.get("warnings", []) if isinstance(line, str))
        return Result(replay, {rel: "" for rel in current["files"]}, write.Changes((), (), ()), None,
                      (*(config.spec.parent / i for i in current.get("inputs", [])), *config.overlays),
                      unchanged=True)
    diags = Collector()
    inputs: list[Path] = []
    timings: dict[str, float] = {}
    collecting = gc.isenabled()
    gc.disable()  # the IR and texts are acyclic and live to the end: cycle collection would only re-scan them
    try:
        api, files = build(config, diags, inputs, timings)
    finally:
        if collecting:
            gc.enable()
    if diags.has_errors:
        return Result(diags.sorted(), api=api, inputs=tuple(inputs), timings=timings)
    start = time.perf_counter()
    try:
        changes = write.diff(config.output, files) if config.check else write.write(config.output, files)
    except (OSError, paths.UnsafePath) as exc:
        diags.error("write-failed", "", f"cannot write {config.output}: {exc}")
        return Result(diags.sorted(), api=api, inputs=tuple(inputs), timings=timings)
    timings["check" if config.check else "write"] = time.perf_counter() - start
    return Result(diags.sorted(), files, changes, api, tuple(inputs), timings=timings)


def _replayed(line: str) -> Diagnostic:
    """A warning line recorded in the manifest, as a Diagnostic again (for printing)."""
    from generator.diagnostics import Severity

    _, _, rest = line.partition(": [")
    code, _, rest = rest.partition("] ")
    where, _, message = rest.partition(": ")
    file, _, pointer = where.partition("#")
    return Diagnostic(pointer, code, Severity.WARNING, message, file)

