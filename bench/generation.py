"""Target 1, generation: the full OpenAI spec end to end, ours vs openapi-python-client.

- ours: `sdkforge generate SPEC --output DIR --package-name openai_sdk -q` as a subprocess, into a
  fresh folder each run; wall time and peak RSS (wait4 rusage, which covers the ruff subprocess).
- unchanged regeneration: the same command over the last run's output; every file's mtime_ns and
  inode are compared before/after (a rewritten file changes at least one of them).
- openapi-python-client: `openapi-python-client generate --path SPEC --output-path DIR --overwrite`
  in its own venv (it runs its own ruff post-hooks); it skips part of this spec, and we report
  how many operations each tool generated next to the times.
- our generator is byte-compiled once first (`precompile`), as pip does when it installs a wheel.
- profile: one cProfile run of the CLI with SDKFORGE_SERIAL=1 (all work in one process), reduced to
  stages and the top entries, plus a stage timer without profiler overhead (gen_stages.py).
"""

from __future__ import annotations

import io
import os
import pstats
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import (
    BENCH,
    PEER_REQUIREMENTS,
    PROJECT_PY,
    ROOT,
    Measured,
    dist_versions,
    ensure_venv,
    log,
    median,
    rmtree,
    run_json,
    run_measured,
)

PACKAGE = "openai_sdk"
SDKFORGE = ROOT / ".venv" / "bin" / "sdkforge"


@dataclass
class GenerationResults:
    ours: list[Measured] = field(default_factory=list)
    ours_cold: list[Measured] = field(default_factory=list)  # SDKFORGE_NO_CACHE=1: no structure-check or template cache
    regen: list[Measured] = field(default_factory=list)
    regen_changed: list[int] = field(default_factory=list)  # files whose mtime/inode changed, per run
    regen_added_removed: list[int] = field(default_factory=list)
    ours_files: int = 0
    opc: list[Measured] = field(default_factory=list)
    opc_files: int = 0
    opc_endpoints: int = 0
    opc_skipped_endpoints: int = 0
    opc_warnings: int = 0
    opc_version: str = "?"
    ours_output: Path | None = None  # kept for the import benchmark
    opc_output: Path | None = None
    stages: dict[str, Any] = field(default_factory=dict)
    profile_text: str = ""
    profile_self_text: str = ""
    profile_stages: list[tuple[str, float]] = field(default_factory=list)
    profile_total: float = 0.0
    profile_command: str = ""
    errors: list[str] = field(default_factory=list)


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """{relative path: (mtime_ns, inode)} of every file, bytecode caches excluded."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            path = Path(dirpath) / name
            st = path.stat()
            out[str(path.relative_to(root))] = (st.st_mtime_ns, st.st_ino)
    return out


def count_files(root: Path) -> int:
    return len(snapshot(root))


def ours_cmd(spec: Path, out: Path) -> list[str]:
    return [str(SDKFORGE), "generate", str(spec), "--output", str(out), "--package-name", PACKAGE, "-q"]


def _ours_once(spec: Path, out: Path, log_file: Path, res: GenerationResults, label: str,
               cold: bool = False) -> Measured | None:
    rmtree(out)
    env = dict(os.environ, SDKFORGE_NO_CACHE="1") if cold else None
    m = run_measured(ours_cmd(spec, out), output=log_file, env=env)
    log(f"generation: ours {label}: {m.seconds:.2f} s, {m.max_rss_mb:.0f} MB, exit {m.returncode}")
    if m.returncode != 0:
        res.errors.append(f"sdkforge generate exited {m.returncode}; see {log_file}")
        return None
    return m


def _opc_once(python: Path, spec: Path, out: Path, log_file: Path, res: GenerationResults,
              label: str) -> Measured | None:
    rmtree(out)
    exe = python.parent / "openapi-python-client"
    cmd = [exe, "generate", "--path", spec, "--output-path", out, "--overwrite"]
    # Its post-hooks call `ruff`, found on PATH: put its own venv first.
    env = dict(os.environ, PATH=f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    m = run_measured(cmd, output=log_file, env=env)
    log(f"generation: openapi-python-client {res.opc_version} {label}: {m.seconds:.2f} s, "
        f"{m.max_rss_mb:.0f} MB, exit {m.returncode}")
    if m.returncode != 0 or not out.is_dir():
        res.errors.append(f"openapi-python-client exited {m.returncode}; see {log_file}")
        return None
    return m


def _opc_facts(out: Path, log_file: Path, res: GenerationResults) -> None:
    res.opc_output = out
    res.opc_files = count_files(out)
    pkg_dirs = [p for p in out.iterdir() if (p / "api").is_dir()]
    if pkg_dirs:
        res.opc_endpoints = sum(1 for p in (pkg_dirs[0] / "api").rglob("*.py") if p.name != "__init__.py")
    text = log_file.read_text(errors="replace")
    res.opc_warnings = text.count("\nWARNING ")
    res.opc_skipped_endpoints = text.count("Endpoint will not be generated")


def regenerate(spec: Path, out: Path, runs: int, log_file: Path, res: GenerationResults) -> None:
    """Unchanged spec over its own output: time it and count files whose mtime or inode changed."""
    for i in range(runs):
        before = snapshot(out)
        m = run_measured(ours_cmd(spec, out), output=log_file)
        after = snapshot(out)
        changed = sum(1 for p, v in before.items() if p in after and after[p] != v)
        added_removed = len(set(before) ^ set(after))
        log(f"regeneration run {i + 1}/{runs}: {m.seconds:.2f} s, {changed} files rewritten, "
            f"{added_removed} added/removed")
        if m.returncode != 0:
            res.errors.append(f"sdkforge regeneration exited {m.returncode}; see {log_file}")
            return
        res.regen.append(m)
        res.regen_changed.append(changed)
        res.regen_added_removed.append(added_removed)


def compare(spec: Path, work: Path, *, ours_runs: int, opc_runs: int, regen_runs: int, upgrade: bool,
            res: GenerationResults) -> None:
    """Ours and openapi-python-client, runs interleaved (so that a busy moment on the machine hits
    both alike), each into a fresh folder; then unchanged regenerations over our last output."""
    ours_log, opc_log = work / "ours.log", work / "opc.log"
    python: Path | None = None
    if opc_runs:
        try:
            python = ensure_venv("opc", PEER_REQUIREMENTS["opc"], upgrade=upgrade)
            res.opc_version = dist_versions(python, ["openapi-python-client"]).get("openapi-python-client", "?")
        except RuntimeError as exc:
            res.errors.append(str(exc))
    warm = work / "ours-warmup"
    if _ours_once(spec, warm, ours_log, res, "warm-up run (not counted)") is None:
        return
    rmtree(warm)
    ours_last = opc_last = None
    ours_ok = opc_ok = True
    for i in range(max(ours_runs, opc_runs)):
        if ours_ok and i < ours_runs:
            cold = work / f"ours-cold-{i}"
            m = _ours_once(spec, cold, ours_log, res, f"cold run {i + 1}/{ours_runs} (no caches)", cold=True)
            if m is not None:
                res.ours_cold.append(m)
            rmtree(cold)
            out = work / f"ours-{i}"
            m = _ours_once(spec, out, ours_log, res, f"run {i + 1}/{ours_runs}")
            ours_ok = m is not None
            if m is not None:
                res.ours.append(m)
                if ours_last is not None:
                    rmtree(ours_last)
                ours_last = out
        if python is not None and opc_ok and i < opc_runs:
            out = work / f"opc-{i}"
            m = _opc_once(python, spec, out, opc_log, res, f"run {i + 1}/{opc_runs}")
            opc_ok = m is not None
            if m is not None:
                res.opc.append(m)
                if opc_last is not None:
                    rmtree(opc_last)
                opc_last = out
    if opc_last is not None:
        _opc_facts(opc_last, opc_log, res)
    if ours_last is not None:
        res.ours_output = ours_last
        res.ours_files = count_files(ours_last)
        regenerate(spec, ours_last, regen_runs, ours_log, res)


# Stage functions looked up in the cProfile output: (label, file suffix, function name).
PROFILE_STAGES = [
    ("load (read + YAML)", "generator/load.py", "load"),
    ("  of which yaml.load", "yaml/__init__.py", "load"),
    ("resolve ($refs)", "generator/resolve.py", "__init__"),
    ("normalize (-> IR)", "generator/normalize/__init__.py", "normalize"),
    ("render: code", "generator/render/__init__.py", "code"),
    ("render: docs", "generator/render/docs.py", "render_docs"),
    ("  of which waiting for ruff on the snippets", "generator/examples/snippets.py", "finish"),
    ("format: waiting for ruff on the code", "generator/format.py", "finish"),
    ("write (staged)", "generator/write.py", "write"),
]

# cProfile sees one process: SDKFORGE_SERIAL=1 keeps the docs and the YAML parse in it. The CLI's
# own entry point ends with os._exit, so the profile is taken around cli.main instead.
PROFILE_CODE = ("import cProfile, sys; from generator.cli import main; "
                "out = sys.argv.pop(1); cProfile.run('main(sys.argv[1:])', out)")


def profile(spec: Path, work: Path, res: GenerationResults) -> None:
    out = work / "profile-out"
    prof = work / "generate.prof"
    rmtree(out)
    cmd = [str(PROJECT_PY), "-c", PROFILE_CODE, str(prof), "generate", str(spec),
           "--output", str(out), "--package-name", PACKAGE, "-q"]
    res.profile_command = (f"SDKFORGE_SERIAL=1 .venv/bin/python -c \"{PROFILE_CODE}\" FILE generate {spec} "
                           f"--output DIR --package-name {PACKAGE} -q")
    log("profile: one cProfile run of sdkforge generate (SDKFORGE_SERIAL=1)")
    env = {**os.environ, "SDKFORGE_SERIAL": "1"}
    m = run_measured(cmd, cwd=ROOT, env=env, output=work / "profile.log")
    rmtree(out)
    if m.returncode != 0 or not prof.exists():
        res.errors.append(f"cProfile run exited {m.returncode}; see {work / 'profile.log'}")
        return
    stats = pstats.Stats(str(prof))
    raw: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    res.profile_total = stats.total_tt  # type: ignore[attr-defined]
    for label, suffix, func in PROFILE_STAGES:
        cum = sum(v[3] for (file, _line, name), v in raw.items() if file.endswith(suffix) and name == func)
        res.profile_stages.append((label, cum))
    res.profile_text = _top(prof, "cumulative", 25)
    res.profile_self_text = _top(prof, "tottime", 15)


WRAPPERS = ("{built-in method builtins.exec}", "(<module>)", "(run_module)", "(_run_code)")


def _top(prof: Path, key: str, n: int) -> str:
    """pstats' table sorted by `key`, the interpreter's own wrapper frames left out."""
    buf = io.StringIO()
    pstats.Stats(str(prof), stream=buf).strip_dirs().sort_stats(key).print_stats(n + len(WRAPPERS) + 1)
    lines = buf.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
    rows = [line.rstrip() for line in lines[start + 1:] if line.strip() and not line.rstrip().endswith(WRAPPERS)]
    return "\n".join([lines[start].rstrip(), *rows[:n]])


def stage_timer(spec: Path, work: Path, res: GenerationResults) -> None:
    out = work / "stages-out"
    rmtree(out)
    log("profile: in-process stage timer (no profiler)")
    try:
        res.stages = run_json([PROJECT_PY, BENCH / "gen_stages.py", spec, out, PACKAGE], cwd=ROOT)
    except RuntimeError as exc:
        res.errors.append(f"stage timer failed: {exc}")
    rmtree(out)


def precompile() -> None:
    """Byte-compile our generator once, as pip does for an installed wheel (the peers' code was
    compiled when pip installed it). Our checkout is an editable install; with
    PYTHONDONTWRITEBYTECODE set, every run would otherwise compile the generator's modules again."""
    import compileall

    compileall.compile_dir(str(ROOT / "generator"), quiet=1)


def run(spec: Path, work: Path, *, quick: bool, upgrade: bool, skip_profile: bool) -> GenerationResults:
    res = GenerationResults()
    work.mkdir(parents=True, exist_ok=True)
    precompile()
    compare(spec, work, ours_runs=2 if quick else 5, opc_runs=1 if quick else 3, regen_runs=1 if quick else 3,
            upgrade=upgrade, res=res)
    if not skip_profile:
        stage_timer(spec, work, res)
        profile(spec, work, res)
    return res


def summary(res: GenerationResults) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if res.ours:
        out["ours_s"] = median([m.seconds for m in res.ours])
        out["ours_rss"] = max(m.max_rss_mb for m in res.ours)
    if res.ours_cold:
        out["ours_cold_s"] = median([m.seconds for m in res.ours_cold])
    if res.opc:
        out["opc_s"] = median([m.seconds for m in res.opc])
        out["opc_rss"] = max(m.max_rss_mb for m in res.opc)
    if res.regen:
        out["regen_s"] = median([m.seconds for m in res.regen])
        out["regen_changed"] = max(res.regen_changed)
        out["regen_added_removed"] = max(res.regen_added_removed)
    return out
