"""Target 2, import time: `import pkg; pkg.Client(api_key="x")` in a fresh interpreter.

Each SDK runs in a venv holding only its runtime dependencies (see common.py). The figure is the
CPU time (`time.process_time`) from before the import to after the client is constructed,
measured inside the subprocess: on an idle machine it equals the wall time (reported too), and it
does not grow when other processes compete for the cores. Interpreter start-up, the same for
everyone, is reported separately. Two warm-up runs first, so
that bytecode caches are written and the page cache is warm for every package alike.

Rows: our generated full-OpenAI SDK, openai-python, openapi-python-client's output for the same
spec, `import httpx, pydantic` alone (pydantic imports its parts lazily, so this skips what any
pydantic model needs), `import httpx; from pydantic import BaseModel, TypeAdapter` (the floor of
any httpx + pydantic SDK); and for context, the cost of the first resource access
(ours: `client.chat`, which imports the models it needs; openai: `client.chat.completions`) and of
importing all of openapi-python-client's models.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import tomllib
from common import PEER_REQUIREMENTS, clean_env, ensure_venv, log, median, run_json

SNIPPET = """
import json, time
c0, t0 = time.process_time(), time.perf_counter()
{setup}
c1, t1 = time.process_time(), time.perf_counter()
{extra}
c2 = time.process_time()
print(json.dumps({{"import_s": c1 - c0, "import_wall_s": t1 - t0, "extra_s": c2 - c1}}))
"""


@dataclass
class ImportCase:
    key: str
    label: str
    venv: str
    setup: str
    extra: str = "pass"
    pythonpath: Path | None = None
    runs_scale: float = 1.0


@dataclass
class ImportResult:
    case: ImportCase
    import_s: list[float]  # CPU time (process_time) of import + client construction
    extra_s: list[float]
    wall_s: list[float]

    @property
    def median(self) -> float:
        return median(self.import_s)

    @property
    def extra_median(self) -> float:
        return median(self.extra_s)


def sdk_requirements(sdk_root: Path) -> list[str]:
    """The runtime dependencies our generated pyproject.toml declares."""
    data = tomllib.loads((sdk_root / "pyproject.toml").read_text(encoding="utf-8"))
    return list(data["project"]["dependencies"])


def _once(python: Path, case: ImportCase) -> dict[str, float]:
    code = SNIPPET.format(setup=case.setup, extra=case.extra)
    env = clean_env(**({"PYTHONPATH": str(case.pythonpath)} if case.pythonpath else {}))
    return run_json([python, "-c", code], env=env)


def measure(pythons: dict[str, Path], cases: list[ImportCase], runs: int) -> tuple[dict[str, ImportResult], list[str]]:
    """Two warm-up runs of each case (.pyc written, files in the page cache), then the runs
    interleaved case by case, so that a busy moment on the machine hits every case alike."""
    errors: list[str] = []
    live: list[ImportCase] = []
    for case in cases:
        try:
            for _ in range(2):
                _once(pythons[case.venv], case)
            live.append(case)
        except RuntimeError as exc:
            errors.append(f"import {case.label}: {exc}")
    results = {case.key: ImportResult(case, [], [], []) for case in live}
    counts = {case.key: max(3, round(runs * case.runs_scale)) for case in live}
    for i in range(runs):
        for case in live:
            if i >= counts[case.key] or case.key not in results:
                continue
            try:
                out = _once(pythons[case.venv], case)
            except RuntimeError as exc:
                errors.append(f"import {case.label}: {exc}")
                del results[case.key]
                continue
            results[case.key].import_s.append(out["import_s"])
            results[case.key].extra_s.append(out["extra_s"])
            results[case.key].wall_s.append(out["import_wall_s"])
    return results, errors


def startup(python: Path, runs: int) -> float:
    """Interpreter start-up alone (wall time of `python -c pass`), for context."""
    import subprocess
    import time

    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(python), "-c", "pass"], check=True)
        samples.append(time.perf_counter() - start)
    return median(samples)


def run(ours_output: Path | None, opc_output: Path | None, ours_package: str, *, quick: bool,
        upgrade: bool) -> tuple[dict[str, ImportResult], dict[str, str], float, list[str]]:
    runs = 5 if quick else 15
    errors: list[str] = []
    results: dict[str, ImportResult] = {}
    versions: dict[str, str] = {}
    cases: list[ImportCase] = []
    pythons: dict[str, Path] = {}
    if ours_output is not None:
        pythons["sdk"] = ensure_venv("sdk", sdk_requirements(ours_output), upgrade=upgrade)
        cases.append(ImportCase("ours", "ours (generated full-OpenAI SDK)", "sdk",
                                f"import {ours_package}\nclient = {ours_package}.Client(api_key='x')",
                                "client.chat", pythonpath=ours_output))
    else:
        errors.append("import: no generated SDK (generation failed)")
    pythons["openai"] = ensure_venv("openai", PEER_REQUIREMENTS["openai"], upgrade=upgrade)
    cases.append(ImportCase("openai", "openai-python", "openai",
                            "import openai\nclient = openai.OpenAI(api_key='x')", "client.chat.completions"))
    if opc_output is not None:
        pkg = next((p.name for p in opc_output.iterdir() if (p / "client.py").is_file()), None)
        if pkg:
            pythons["opc-sdk"] = ensure_venv("opc-sdk", PEER_REQUIREMENTS["opc-sdk"], upgrade=upgrade)
            cases.append(ImportCase(
                "opc", "openapi-python-client output", "opc-sdk",
                f"import {pkg}\nclient = {pkg}.AuthenticatedClient(base_url='https://api.openai.com/v1', token='x')",
                f"import {pkg}.models", pythonpath=opc_output, runs_scale=1 / 3))
    if "sdk" not in pythons:
        from common import ROOT

        pythons["sdk"] = ensure_venv("sdk", sdk_requirements(ROOT / "output"), upgrade=upgrade)
    cases.append(ImportCase("baseline", "import httpx, pydantic", "sdk", "import httpx, pydantic"))
    cases.append(ImportCase("floor", "import httpx; from pydantic import BaseModel, TypeAdapter", "sdk",
                            "import httpx\nfrom pydantic import BaseModel, TypeAdapter"))
    cases.append(ImportCase("floor_client", "the same + `httpx.Client()` (SSL context, CA bundle)", "sdk",
                            "import httpx\nfrom pydantic import BaseModel, TypeAdapter\nhttpx.Client()"))
    cases.append(ImportCase("baseline2", "import httpx2, pydantic (openai's stack)", "openai",
                            "import httpx2, pydantic"))
    log(f"import: {', '.join(c.label for c in cases)}; {runs} runs each, interleaved")
    results, errs = measure(pythons, cases, runs)
    errors += errs
    versions.update(("openai", v) for v in [dist_versions_safe(pythons["openai"], "openai")] if v)
    start = startup(pythons["sdk"], runs)
    return results, versions, start, errors


def dist_versions_safe(python: Path, name: str) -> str | None:
    from common import dist_versions

    return dist_versions(python, [name]).get(name)
