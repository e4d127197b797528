"""Benchmarks against peers: one table of our figure, the peer's and the ratio, for each target,
all measured in this one invocation. Writes bench/results.md.

    .venv/bin/python bench/run.py [--quick] [--only generation,import,call,stream]
                                  [--workdir DIR] [--upgrade-peers] [--no-profile] [--wait-idle SECONDS]

Peers are installed on first use into bench/.peers/ (see common.py). Nothing here asserts on
time: misses are reported in the table, never raised. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generation  # noqa: E402
import imports  # noqa: E402
import runtime_bench  # noqa: E402
from common import BENCH, ROOT, SPEC, dist_versions, log, machine_info, rmtree, spread  # noqa: E402

TARGETS = ("generation", "import", "call", "stream")


@dataclass
class Row:
    target: str
    ours: str
    peer: str
    ratio: str
    goal: str
    verdict: str


def times_faster(ours: float, peer: float) -> str:
    """Ratio of two durations, worded from our side."""
    if ours <= 0 or peer <= 0:
        return "-"
    return f"{peer / ours:.2f}x faster" if peer >= ours else f"{ours / peer:.2f}x slower"


def verdict(ok: bool, why: str = "") -> str:
    return "met" if ok else f"**MISSED**{' (' + why + ')' if why else ''}"


def table(rows: list[Row]) -> str:
    head = ["target", "ours", "peer", "ratio", "goal", "verdict"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    for r in rows:
        lines.append(f"| {r.target} | {r.ours} | {r.peer} | {r.ratio} | {r.goal} | {r.verdict} |")
    return "\n".join(lines)


def generation_rows(g: generation.GenerationResults) -> list[Row]:
    s = generation.summary(g)
    rows: list[Row] = []
    opc = f"openapi-python-client {g.opc_version}"
    if "ours_s" in s:
        ours, peer = s["ours_s"], s.get("opc_s")
        ratio = peer / ours if peer else None
        ok_time, ok_ratio = ours <= 2.0, ratio is not None and ratio >= 5
        why = [f"{ours:.2f} s > 2 s"] if not ok_time else []
        if ratio is not None and not ok_ratio:
            why.append(f"{ratio:.1f}x < 5x")
        rows.append(Row(
            f"Generation, full OpenAI spec, end to end (wall, median of {len(g.ours)})",
            f"{ours:.2f} s",
            f"{peer:.2f} s ({opc}, median of {len(g.opc)})" if peer else "n/a",
            times_faster(ours, peer) if peer else "-",
            "<= 2 s and >= 5x faster",
            verdict(ok_time and (ok_ratio or peer is None), "; ".join(why)),
        ))
        if "ours_cold_s" in s:
            cold = s["ours_cold_s"]
            rows.append(Row(
                f"Generation as above, cold: SDKFORGE_NO_CACHE=1, no structure-check or template cache (median of "
                f"{len(g.ours_cold)})",
                f"{cold:.2f} s",
                f"{peer:.2f} s" if peer else "n/a",
                times_faster(cold, peer) if peer else "-",
                "(the row above uses the caches a first run fills)",
                "context",
            ))
        rss, prss = s["ours_rss"], s.get("opc_rss")
        rows.append(Row(
            "Generation peak RSS (max over runs, incl. ruff subprocess)",
            f"{rss:.0f} MB",
            f"{prss:.0f} MB" if prss else "n/a",
            f"{rss / prss:.2f}x the peer's" if prss else "-",
            "<= 300 MB",
            verdict(rss <= 300, f"{rss:.0f} MB"),
        ))
    if "regen_s" in s:
        t, changed, ar = s["regen_s"], s["regen_changed"], s["regen_added_removed"]
        rows.append(Row(
            f"Regeneration of an unchanged spec over its output (wall, median of {len(g.regen)})",
            f"{t:.2f} s; {changed} files rewritten, {ar} added/removed (of {g.ours_files})",
            "-", "-",
            "<= 1 s, 0 files rewritten",
            verdict(t <= 1.0 and changed == 0 and ar == 0,
                    "; ".join(x for x in (f"{t:.2f} s > 1 s" if t > 1.0 else "",
                                          f"{changed} rewritten" if changed else "",
                                          f"{ar} added/removed" if ar else "") if x)),
        ))
    return rows


def import_rows(res: dict[str, imports.ImportResult]) -> list[Row]:
    rows: list[Row] = []
    ours = res.get("ours")
    if ours is None:
        return rows
    n = len(ours.import_s)
    for key, label, goal, check in (
        ("openai", "openai-python", "<= 0.30 s", True),
        ("opc", "openapi-python-client's output", "-", False),
        ("baseline", "`import httpx, pydantic` alone", "-", False),
        ("floor", "`import httpx; from pydantic import BaseModel, TypeAdapter` (pydantic's models loaded)", "-",
         False),
    ):
        peer = res.get(key)
        if peer is None:
            continue
        rows.append(Row(
            f"Import + `Client(api_key=...)`, fresh process (CPU s, median of {n}) vs {label}",
            f"{ours.median:.3f} s",
            f"{peer.median:.3f} s",
            times_faster(ours.median, peer.median),
            goal,
            verdict(ours.median <= 0.30, f"{ours.median:.3f} s") if check else "context",
        ))
    return rows


def runtime_rows(res: dict[str, dict]) -> list[Row]:
    rows: list[Row] = []
    ours, raw, oai = res.get("call:ours"), res.get("call:raw"), res.get("call:openai")
    if ours and raw:
        r = ours["median"] / raw["median"]
        rows.append(Row(
            f"Per-call overhead, chat completion via MockTransport (CPU µs/call, median of {len(ours['samples'])}"
            f" x {ours['items']} calls) vs raw httpx",
            f"{ours['median']:.0f} µs", f"{raw['median']:.0f} µs", f"{r:.2f}x raw httpx",
            "<= 1.5x raw httpx", verdict(r <= 1.5, f"{r:.2f}x")))
    if ours and oai:
        rows.append(Row(
            "Per-call overhead vs openai-python", f"{ours['median']:.0f} µs", f"{oai['median']:.0f} µs",
            times_faster(ours["median"], oai["median"]), "-", "context"))
    ours, raw, oai = res.get("stream:ours"), res.get("stream:raw"), res.get("stream:openai")
    if ours and oai:
        r = oai["median"] / ours["median"]
        rows.append(Row(
            f"Streaming, {ours['items']:,} SSE chunks into models (CPU µs/chunk, median of {len(ours['samples'])})"
            " vs openai-python",
            f"{ours['median']:.1f} µs", f"{oai['median']:.1f} µs", f"{r:.2f}x the throughput",
            ">= 4x openai-python throughput", verdict(r >= 4, f"{r:.2f}x")))
    if ours and raw:
        rows.append(Row(
            "Streaming vs raw `iter_lines` + `json.loads` (no models)", f"{ours['median']:.1f} µs",
            f"{raw['median']:.1f} µs", f"{ours['median'] / raw['median']:.2f}x raw's time per chunk", "-",
            "context"))
    return rows


def generation_details(g: generation.GenerationResults) -> list[str]:
    out = ["## Generation details", ""]
    if g.ours:
        out.append(f"- ours: wall {spread([m.seconds for m in g.ours], '{:.2f}')} s, CPU (incl. ruff) "
                   f"{spread([m.cpu_seconds for m in g.ours], '{:.2f}')} s; peak RSS "
                   f"{', '.join(f'{m.max_rss_mb:.0f}' for m in g.ours)} MB; {g.ours_files} files written"
                   + (f"; {g.stages.get('ops_generated')}/{g.stages.get('ops_in_spec')} operations generated"
                      if g.stages else ""))
    if g.regen:
        out.append(f"- unchanged regeneration: wall {spread([m.seconds for m in g.regen], '{:.2f}')} s, CPU "
                   f"{spread([m.cpu_seconds for m in g.regen], '{:.2f}')} s; files with a "
                   f"changed mtime or inode per run: {g.regen_changed}; added/removed: {g.regen_added_removed}")
    if g.opc:
        ops = g.stages.get("ops_in_spec") if g.stages else None
        out.append(f"- openapi-python-client {g.opc_version}: wall {spread([m.seconds for m in g.opc], '{:.2f}')} s, "
                   f"CPU {spread([m.cpu_seconds for m in g.opc], '{:.2f}')} s; "
                   f"peak RSS {', '.join(f'{m.max_rss_mb:.0f}' for m in g.opc)} MB; {g.opc_files} files; "
                   f"{g.opc_endpoints} endpoint modules" + (f" of {ops} operations" if ops else "")
                   + f"; {g.opc_warnings} warnings, {g.opc_skipped_endpoints} of them 'Endpoint will not be "
                   "generated' (the rest: responses or bodies dropped). Its time includes its own ruff post-hooks "
                   "(`ruff check --fix`, `ruff format`).")
    out.append("")
    return out


def profile_section(g: generation.GenerationResults) -> list[str]:
    out = ["## Where generation time goes", ""]
    if g.stages:
        st = g.stages
        out += [
            "Stage timer (`bench/gen_stages.py`: `sdkforge generate -v`, the pipeline's own wall clock per stage "
            "in the main process; one cold run (SDKFORGE_NO_CACHE=1) and one warm run):", "",
            "| stage | cold s | warm s |", "| --- | --- | --- |",
        ]
        cold, warm = st["cold"], st["warm"]
        labels = {
            "load": "load (the YAML parse: yaml_rs, libyaml for what it refuses)",
            "resolve+normalize": "resolve + normalize (-> IR)",
            "render": "render (code and half the model pages here, the other docs in a forked process)",
            "format": "format (waiting for ruff format)",
            "write": "write (staged, unchanged files kept)",
        }
        for name in cold["stages"]:
            out.append(f"| {labels.get(name, name)} | {cold['stages'][name]:.3f} | {warm['stages'].get(name, 0):.3f} |")
        out.append(f"| rest: interpreter start, imports, manifest, exit | {cold['rest']:.3f} | {warm['rest']:.3f} |")
        out.append(f"| **wall** | {cold['wall']:.3f} | {warm['wall']:.3f} |")
        out += ["", f"Hashing the spec and re-reading and hashing the {st.get('noop_check_files_matching')} files "
                f"the manifest lists took {st.get('noop_check_seconds', 0):.3f} s in-process: about what an "
                "unchanged-inputs check over an intact output costs, before interpreter start and imports.", ""]
    if g.profile_stages:
        out += [f"cProfile, one run (`{g.profile_command}`); profiler overhead inflates Python-heavy stages "
                f"(total {g.profile_total:.2f} s):", "", "| stage | cumulative s |", "| --- | --- |"]
        out += [f"| {label} | {sec:.3f} |" for label, sec in g.profile_stages]
        out += ["", "Top entries by cumulative time:", "", "```", g.profile_text, "```", "",
                "Top entries by own time (where the CPU goes inside the stages):", "", "```", g.profile_self_text,
                "```", ""]
    return out


def runtime_details(imp: dict[str, imports.ImportResult], startup: float, rt: dict[str, dict]) -> list[str]:
    out = ["## Runtime details", ""]
    if imp:
        out.append(f"Import (in-process CPU time, and wall time, from before `import` to after the client "
                   f"exists; interpreter start-up, {startup * 1000:.0f} ms wall, not included):")
        out.append("")
        for r in imp.values():
            extra = ""
            if r.case.extra != "pass":
                extra = f"; then `{r.case.extra}`: +{r.extra_median:.3f} s"
            out.append(f"- {r.case.label} [{r.case.venv} venv]: CPU {spread(r.import_s)} s, wall "
                       f"{spread(r.wall_s)} s{extra}")
        out += ["", "Ours and openai-python build their `httpx.Client` in the constructor; openapi-python-client's "
                "`AuthenticatedClient` builds it on first use, so its figure leaves that cost out (see the "
                "`httpx.Client()` line).", ""]
    if rt:
        out.append("Per-call and streaming (µs per call / per chunk of the worker's CPU time, and wall time; "
                   "median (min-max) over repeats):")
        out.append("")
        labels = {"ours": "ours (output/chat_sdk)", "raw": "raw httpx", "openai": "openai-python",
                  "raw2": "raw httpx2 (openai's HTTP library)"}
        for key, r in rt.items():
            target, impl = key.split(":")
            unit = r["unit"]
            what = (f"{r['items']} calls per repeat, {r['response_bytes']} B response" if target == "call"
                    else f"{r['items']} chunks per stream ({r['stream_bytes']:,} B), parsed into {r['item_type']}")
            out.append(f"- {target}: {labels[impl]}: CPU {spread(r['samples'], '{:.1f}')} {unit}, wall "
                       f"{spread(r['wall_samples'], '{:.1f}')}; {what}; "
                       f"{', '.join(f'{k} {v}' for k, v in r['versions'].items())}")
        out.append("")
    return out


def default_workdir() -> Path:
    """Memory-backed when possible: file creation there does not depend on what else is using the
    disk (other test runs on this machine make build/ and /tmp timings swing by seconds)."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return shm / "sdkforge-bench"
    return ROOT / "build" / "bench"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run, ~2 minutes)")
    parser.add_argument("--only", default=",".join(TARGETS), help=f"comma-separated subset of {','.join(TARGETS)}")
    parser.add_argument("--workdir", type=Path, default=default_workdir(),
                        help="where generated trees go: a fast folder, emptied first and removed after "
                             "(default /dev/shm/sdkforge-bench, else build/bench)")
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--upgrade-peers", action="store_true", help="pip install --upgrade the peers first")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile and stage-timer runs")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                        help="first wait (up to SECONDS) for the 1-minute load average to drop below 1")
    parser.add_argument("--keep", action="store_true", help="keep the generated trees in --workdir")
    parser.add_argument("--results", type=Path, default=BENCH / "results.md", help="report file ('-': none)")
    args = parser.parse_args()
    only = {t.strip() for t in args.only.split(",") if t.strip()}
    if only - set(TARGETS):
        parser.error(f"unknown targets: {', '.join(sorted(only - set(TARGETS)))}")
    if not args.spec.is_file():
        print(f"spec {args.spec} not found", file=sys.stderr)
        return 2
    if args.wait_idle > 0:
        deadline = time.monotonic() + args.wait_idle
        while os.getloadavg()[0] >= 1.0 and time.monotonic() < deadline:
            log(f"waiting for the machine to go idle (load average {os.getloadavg()[0]:.2f})")
            time.sleep(15)
    load_before = os.getloadavg()
    started = time.perf_counter()
    work = args.workdir.resolve()
    marker = work / ".sdkforge-bench"
    if work.exists() and any(work.iterdir()) and not marker.exists():
        print(f"--workdir {work} is not empty and was not made by bench/run.py: refusing to empty it",
              file=sys.stderr)
        return 2
    rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    marker.touch()
    errors: list[str] = []
    rows: list[Row] = []

    g = generation.GenerationResults()
    if "generation" in only:
        g = generation.run(args.spec, work, quick=args.quick, upgrade=args.upgrade_peers,
                           skip_profile=args.no_profile)
        rows += generation_rows(g)
        errors += g.errors
    elif "import" in only:  # the import target needs both generated trees: one untimed run each
        generation.compare(args.spec, work, ours_runs=1, opc_runs=1, regen_runs=0, upgrade=args.upgrade_peers,
                           res=g)
        g.ours, g.opc = [], []  # untimed here: only the trees are used
        errors += g.errors

    imp: dict[str, imports.ImportResult] = {}
    startup = 0.0
    if "import" in only:
        imp, _, startup, errs = imports.run(g.ours_output, g.opc_output, generation.PACKAGE, quick=args.quick,
                                            upgrade=args.upgrade_peers)
        rows += import_rows(imp)
        errors += errs

    rt: dict[str, dict] = {}
    if only & {"call", "stream"}:
        rt, errs = runtime_bench.run(quick=args.quick, upgrade=args.upgrade_peers, sdk_python=None,
                                     targets=tuple(t for t in ("call", "stream") if t in only))
        rows += runtime_rows(rt)
        errors += errs

    if not args.keep:
        rmtree(work)

    elapsed = time.perf_counter() - started
    load_after = os.getloadavg()[0]
    load = (f"{load_before[0]:.2f} before, {load_after:.2f} at the end (1-minute averages, the benchmark's own "
            f"process included at the end; {os.cpu_count()} cores)")
    if load_before[0] > 0.7 or load_after > 1.7:
        log(f"the machine was busy during this run (load average {load}): figures are noisier than usual")
        load += "; other work was running: expect noise"
    command = ".venv/bin/python bench/run.py" + "".join(f" {shlex.quote(a)}" for a in sys.argv[1:])
    report = table(rows)
    print()
    print(report)
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    if str(args.results) != "-":
        write_results(args.results, report, command, elapsed, args.quick, g, imp, startup, rt, errors, load,
                      work)
        shown = args.results.resolve()
        print(f"\nwrote {shown.relative_to(ROOT) if shown.is_relative_to(ROOT) else shown} ({elapsed:.0f} s)")
    return 1 if errors else 0


def write_results(path: Path, report: str, command: str, elapsed: float, quick: bool,
                  g: generation.GenerationResults, imp: dict[str, imports.ImportResult], startup: float,
                  rt: dict[str, dict], errors: list[str], load: str, work: Path) -> None:
    info = machine_info()
    info["load average"] = load
    info["generated into"] = f"`{work}` (fresh folder per run)"
    from common import PROJECT_PY, venv_python

    versions: dict[str, str] = {}
    versions.update(dist_versions(PROJECT_PY, ["ruff", "jinja2", "pyyaml"]))
    for venv, names in (("opc", ["openapi-python-client"]), ("openai", ["openai", "httpx2", "pydantic"]),
                        ("sdk", ["httpx", "pydantic"])):
        py = venv_python(venv)
        if py.exists():
            versions.update({f"{k} ({venv} venv)": v for k, v in dist_versions(py, names).items()})
    lines = [
        "# Benchmarks against peers",
        "",
        f"Latest {'**quick (smoke)** ' if quick else ''}run: {info['date']}, {elapsed:.0f} s. Generated by "
        "`bench/run.py`; do not edit by hand (see bench/README.md).",
        "",
        "```sh",
        command,
        "```",
        "",
        report,
        "",
        "Ratios are worded from our side (\"2.00x faster\": the peer takes twice as long). Every figure "
        "above was measured in this one invocation, one process at a time.",
        "",
    ]
    if errors:
        lines += ["## Errors", ""] + [f"- {e}" for e in errors] + [""]
    lines += ["## Machine", ""] + [f"- {k}: {v}" for k, v in info.items()]
    lines += [f"- spec: `{SPEC}` ({SPEC.stat().st_size / 1e6:.1f} MB)" if SPEC.exists() else "- spec: ?"]
    lines += ["- versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()), ""]
    lines += generation_details(g) if g.ours or g.opc else []
    lines += runtime_details(imp, startup, rt)
    lines += profile_section(g) if (g.stages or g.profile_stages) else []
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
