"""Helpers shared by the benchmark modules: peer venvs, measured subprocesses, statistics.

Everything the benchmarks install goes into bench/.peers/ (gitignored), one venv per peer:

    opc      openapi-python-client (the generator we compare generation with)
    opc-sdk  only the runtime dependencies of openapi-python-client's generated client
    openai   openai-python (the hand-written SDK we compare import, per-call and streaming with)
    sdk      only the runtime dependencies of our generated SDK (read from its pyproject.toml)

Runtime measurements run each SDK in a venv holding just what a user would install with it, so
that dev tools in the project venv (click, pygments, black, ...) do not inflate anyone's imports.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PEERS = BENCH / ".peers"
PROJECT_PY = ROOT / ".venv" / "bin" / "python"
SPEC = Path("/work/shared/specs/openai/openapi.latest.yaml")

# What each peer venv gets (the `sdk` venv's list comes from the generated pyproject.toml).
PEER_REQUIREMENTS: dict[str, list[str]] = {
    "opc": ["openapi-python-client"],
    "opc-sdk": ["httpx>=0.23.1,<0.29.0", "attrs>=22.2.0", "python-dateutil>=2.8.0"],
    "openai": ["openai"],
}
STAMP = ".bench-requirements.json"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def venv_python(name: str) -> Path:
    return PEERS / name / "bin" / "python"


def ensure_venv(name: str, requirements: Sequence[str], *, upgrade: bool = False) -> Path:
    """Create bench/.peers/NAME with `requirements` unless it already has exactly them.

    Uses the project interpreter's base Python (`python -m venv` from inside a venv makes a venv of
    the base interpreter), so every venv runs the same CPython.
    """
    venv = PEERS / name
    python = venv / "bin" / "python"
    stamp = venv / STAMP
    wanted = sorted(requirements)
    if not upgrade and python.exists() and stamp.exists():
        try:
            if json.loads(stamp.read_text()) == wanted:
                return python
        except ValueError:
            pass
    PEERS.mkdir(parents=True, exist_ok=True)
    logfile = PEERS / f"{name}.install.log"
    log(f"installing {' '.join(wanted)} into {venv.relative_to(ROOT)} (log: {logfile.relative_to(ROOT)})")
    with logfile.open("w") as out:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, stdout=out, stderr=out)
        cmd = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        cmd += (["--upgrade"] if upgrade else []) + wanted
        proc = subprocess.run(cmd, stdout=out, stderr=out)
    if proc.returncode != 0:
        tail = "\n".join(logfile.read_text().splitlines()[-20:])
        raise RuntimeError(f"pip install into {venv} failed:\n{tail}")
    stamp.write_text(json.dumps(wanted))
    return python


def dist_versions(python: Path, names: Sequence[str]) -> dict[str, str]:
    """Installed versions of distributions `names` in the venv of `python` (missing ones omitted)."""
    code = (
        "import importlib.metadata as m, json, sys\n"
        "out = {}\n"
        "for n in sys.argv[1:]:\n"
        "    try: out[n] = m.version(n)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run([str(python), "-c", code, *names], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


@dataclass
class Measured:
    returncode: int
    seconds: float
    max_rss_mb: float  # peak RSS of the process or of its largest descendant (e.g. a ruff subprocess)
    cpu_seconds: float = 0.0  # user + system time of the process and its waited-for descendants


def run_measured(cmd: Sequence[str | os.PathLike[str]], *, cwd: Path | None = None,
                 env: dict[str, str] | None = None, output: Path | None = None) -> Measured:
    """Run `cmd`, wall-clock it and read its peak RSS from wait4()'s rusage.

    wait4 on the child gives that child's own resource usage (ru_maxrss: the largest of it and its
    waited-for descendants), unlike RUSAGE_CHILDREN, which accumulates over every child so far.
    """
    with (output.open("wb") if output else open(os.devnull, "wb")) as out:
        start = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    # Linux: ru_maxrss is in KiB
    return Measured(proc.returncode, seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def run_json(cmd: Sequence[str | os.PathLike[str]], *, cwd: Path | None = None,
             env: dict[str, str] | None = None) -> dict:
    """Run a worker that prints one JSON object as its last stdout line."""
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        command = " ".join(map(str, cmd))
        raise RuntimeError(f"{command} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1])


def clean_env(**extra: str) -> dict[str, str]:
    """The environment minus what would change an interpreter's behaviour, plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "OPENAI_", "CHAT_SDK_"))}
    env.update(extra)
    return env


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def spread(values: Sequence[float], fmt: str = "{:.3f}") -> str:
    """"median (min-max, n=N)" for reports."""
    return f"{fmt.format(median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))}, n={len(values)})"


def rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def machine_info() -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True)
    head = commit.stdout.strip() or "?"
    if dirty.stdout.strip():
        head += f" + uncommitted changes in {len(dirty.stdout.strip().splitlines())} tracked files"
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": f"{cpu} ({os.cpu_count()} logical cores)",
        "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sdkforge commit": head,
    }
