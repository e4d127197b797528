"""TypeScript generation benchmark: sdkforge's TypeScript SDK of the full OpenAI spec against
`@hey-api/openapi-ts` (types + SDK) and `openapi-typescript` (types alone), cold, in one run; then
what the output costs users: `tsc --noEmit` on our SDK and on @hey-api's, with the same tsconfig.

    .venv/bin/python bench/typescript.py [--runs N] [--spec PATH] [--workdir DIR]

Peers come from npm, pinned in bench/typescript-peers/package.json (+ lockfile), installed on first
use with `npm ci`. Writes bench/results-typescript.md. Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH, ROOT, SPEC, log, machine_info, rmtree, spread  # noqa: E402

PEERS = BENCH / "typescript-peers"
PEER_BIN = PEERS / "node_modules" / ".bin"
OUR_TSC = ROOT / "tests" / "node" / "node_modules" / ".bin" / "tsc"
TSCONFIG = {
    "compilerOptions": {
        "target": "ES2022", "module": "ESNext", "moduleResolution": "Bundler", "lib": ["ES2022", "DOM", "DOM.Iterable"],
        "types": [], "strict": True, "noEmit": True, "skipLibCheck": True,
    },
    "include": ["**/*.ts"],
}


def timed(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds (user + system, children included), peak RSS MB) of one command, which
    must succeed; measured by GNU time around it."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "@@time %U %S %M", *cmd], env=env, cwd=cwd, capture_output=True,
                          text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    line = next(ln for ln in reversed(proc.stderr.splitlines()) if ln.startswith("@@time "))
    user, system, rss_kb = line.split()[1:]
    return wall, float(user) + float(system), int(rss_kb) / 1024


def ensure_peers() -> dict[str, str]:
    if not (PEER_BIN / "openapi-ts").exists() or not (PEER_BIN / "openapi-typescript").exists():
        log("installing the TypeScript peers (npm ci in bench/typescript-peers)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PEERS, check=True)
    versions = {}
    for name in ("@hey-api/openapi-ts", "openapi-typescript", "typescript"):
        versions[name] = json.loads((PEERS / "node_modules" / name / "package.json").read_text())["version"]
    versions["typescript (ours, tests/node)"] = json.loads(
        (ROOT / "tests/node/node_modules/typescript/package.json").read_text())["version"]
    return versions


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--workdir", type=Path, default=Path("/dev/shm/sdkforge-bench-ts")
                        if Path("/dev/shm").is_dir() else Path("/tmp/sdkforge-bench-ts"))
    args = parser.parse_args()
    if not args.spec.is_file():
        log(f"{args.spec} is missing (../shared); nothing to measure")
        return 0
    versions = ensure_peers()
    work: Path = args.workdir
    rmtree(work)
    work.mkdir(parents=True)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    env = {**os.environ, "SDKFORGE_NO_CACHE": "1"}
    sdkforge = str(ROOT / ".venv" / "bin" / "sdkforge")
    ours, hey, oat = [], [], []
    for i in range(args.runs):  # interleaved, so load changes hit every tool alike
        out = work / f"ours-{i}"
        ours.append(timed([sdkforge, "generate", str(args.spec), "--output", str(out), "--language", "typescript",
                           "--package-name", "openai-sdk", "-q"], env=env))
        log(f"ours {ours[-1][0]:.2f} s ({ours[-1][1]:.2f} s CPU)")
        hey.append(timed([str(PEER_BIN / "openapi-ts"), "-i", str(args.spec), "-o", str(work / f"hey-{i}")]))
        log(f"@hey-api/openapi-ts {hey[-1][0]:.2f} s ({hey[-1][1]:.2f} s CPU)")
        oat.append(timed([str(PEER_BIN / "openapi-typescript"), str(args.spec), "-o",
                          str(work / f"oat-{i}" / "schema.ts")]))
        log(f"openapi-typescript {oat[-1][0]:.2f} s ({oat[-1][1]:.2f} s CPU)")
    # Type-checking cost: the same tsconfig over both outputs (ours: its src/ only, as the package builds it).
    tsc_rows = []
    for label, compiler in (("ours", OUR_TSC), ("peers' typescript", PEER_BIN / "tsc")):
        ours_dir, hey_dir = work / "ours-0" / "src", work / "hey-0"
        for folder in (ours_dir, hey_dir):
            (folder / "tsconfig.bench.json").write_text(json.dumps(TSCONFIG))
        ours_tsc = [timed([str(compiler), "-p", str(ours_dir / "tsconfig.bench.json")])[0] for _ in range(args.runs)]
        hey_tsc = [timed([str(compiler), "-p", str(hey_dir / "tsconfig.bench.json")])[0] for _ in range(args.runs)]
        tsc_rows.append((label, ours_tsc, hey_tsc))
        log(f"tsc ({label}): ours {median(ours_tsc):.2f} s, @hey-api {median(hey_tsc):.2f} s")
    total = time.perf_counter() - started
    write_report(args, versions, ours, hey, oat, tsc_rows, total, load_before)
    return 0


def _ratio(ours: float, peer: float) -> str:
    return f"{peer / ours:.2f}x faster" if peer >= ours else f"{ours / peer:.2f}x slower"


def write_report(args: argparse.Namespace, versions: dict[str, str], ours: list[tuple[float, float]],
                 hey: list[tuple[float, float]], oat: list[tuple[float, float]],
                 tsc_rows: list[tuple[str, list[float], list[float]]], total: float, load_before: float) -> None:
    o, h, t = median(w for w, _, _ in ours), median(w for w, _, _ in hey), median(w for w, _, _ in oat)
    oc, hc, tc = median(c for _, c, _ in ours), median(c for _, c, _ in hey), median(c for _, c, _ in oat)
    n = args.runs
    rows = [
        ("Generation, full OpenAI spec, TypeScript SDK, cold (SDKFORGE_NO_CACHE=1; wall, median of "
         f"{n}) vs @hey-api/openapi-ts (types + SDK)", f"{o:.2f} s", f"{h:.2f} s", _ratio(o, h), ">= 5x faster",
         "met" if h / o >= 5 else f"**MISSED** ({h / o:.1f}x)"),
        ("Generation as above vs openapi-typescript (types alone)", f"{o:.2f} s", f"{t:.2f} s", _ratio(o, t),
         "faster", "met" if o < t else "**MISSED**"),
        ("Generation as above, CPU time (user + system, children included) vs @hey-api/openapi-ts",
         f"{oc:.2f} s", f"{hc:.2f} s", _ratio(oc, hc), "-", "context"),
        ("Generation as above, CPU time vs openapi-typescript", f"{oc:.2f} s", f"{tc:.2f} s", _ratio(oc, tc), "-",
         "context"),
    ]
    for label, ours_tsc, hey_tsc in tsc_rows:
        a, b = median(ours_tsc), median(hey_tsc)
        rows.append((f"`tsc --noEmit` ({label}, same tsconfig) on our SDK vs @hey-api's output (wall, median of {n})",
                     f"{a:.2f} s", f"{b:.2f} s", _ratio(a, b), "no slower" if label == "ours" else "-",
                     ("met" if a <= b else "**MISSED**") if label == "ours" else "context"))
    info = machine_info()
    lines = [
        "# TypeScript benchmarks", "",
        f"Latest run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {total:.0f} s. Generated by "
        "`bench/typescript.py`; do not edit by hand.", "",
        "```sh", ".venv/bin/python bench/typescript.py", "```", "",
        "| target | ours | peer | ratio | goal | verdict |", "| --- | --- | --- | --- | --- | --- |",
        *(f"| {' | '.join(r)} |" for r in rows), "",
        "## Details", "",
        *(f"- {name}: wall {spread([w for w, _, _ in runs], '{:.2f}')} s, CPU "
          f"{spread([c for _, c, _ in runs], '{:.2f}')} s, peak RSS {max(r for _, _, r in runs):.0f} MB"
          for name, runs in (("ours (whole process, interpreter start included)", ours),
                             ("@hey-api/openapi-ts", hey), ("openapi-typescript", oat))),
        *(f"- tsc ({label}): ours {spread(a, '{:.2f}')} s, @hey-api {spread(b, '{:.2f}')} s"
          for label, a, b in tsc_rows),
        f"- tsconfig for both: `{json.dumps(TSCONFIG['compilerOptions'])}`",
        f"- versions: {', '.join(f'{k} {v}' for k, v in versions.items())}",
        f"- machine: {info.get('cpu', '?')}; load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} at the "
        "end (other work on the machine adds noise to every figure alike: the runs are interleaved)",
        f"- spec: `{args.spec}`; output into `{args.workdir}` (fresh folders)", "",
    ]
    (BENCH / "results-typescript.md").write_text("\n".join(lines), encoding="utf-8")
    log("wrote bench/results-typescript.md")


if __name__ == "__main__":
    raise SystemExit(main())
