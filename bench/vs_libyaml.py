"""The whole `sdkforge generate` process against libyaml alone reading the same spec, side by side.

    .venv/bin/python bench/vs_libyaml.py [--spec FILE] [--runs N] [--workdir DIR]

Each round runs, one after the other, `python -c` loading SPEC with PyYAML's CSafeLoader (nothing
else) and `sdkforge generate SPEC` cold (SDKFORGE_NO_CACHE=1: no structure-check or template cache)
into a fresh folder on a RAM file system (`/dev/shm`, so disk speed does not count). Rounds are
interleaved so both see the same machine load. Prints the medians, their ratio (generate / libyaml:
the goal is <= 1), the same for CPU time (user + system, children included: what a busy machine
cannot hide) and sdkforge's peak RSS (wait4's rusage: the process or its largest child), as
one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PROJECT_PY, ROOT, SPEC, clean_env, log, median, rmtree, run_measured, spread  # noqa: E402

SDKFORGE = ROOT / ".venv" / "bin" / "sdkforge"
LIBYAML = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("/dev/shm/sdkforge-vs-libyaml"))
    args = parser.parse_args(argv)
    if not args.spec.is_file():
        print(f"no spec at {args.spec}", file=sys.stderr)
        return 1
    import compileall

    compileall.compile_dir(str(ROOT / "generator"), quiet=1)  # as pip does for an installed wheel
    env = clean_env(SDKFORGE_NO_CACHE="1")
    out = args.workdir / "out"
    libyaml_s: list[float] = []
    generate_s: list[float] = []
    rss_mb: list[float] = []
    libyaml_cpu: list[float] = []
    generate_cpu: list[float] = []
    for i in range(args.runs + 1):  # the first round warms the page cache and is not counted
        base = run_measured([PROJECT_PY, "-c", LIBYAML, args.spec], env=env)
        rmtree(out)
        ours = run_measured([SDKFORGE, "generate", args.spec, "--output", out, "--package-name", "openai_sdk", "-q"],
                            env=env)
        if base.returncode or ours.returncode:
            print(f"a run failed: libyaml exit {base.returncode}, sdkforge exit {ours.returncode}", file=sys.stderr)
            return 1
        log(f"round {i}: libyaml {base.seconds:.2f} s, sdkforge generate {ours.seconds:.2f} s, "
            f"{ours.max_rss_mb:.0f} MB")
        if i:
            libyaml_s.append(base.seconds)
            generate_s.append(ours.seconds)
            rss_mb.append(ours.max_rss_mb)
            libyaml_cpu.append(base.cpu_seconds)
            generate_cpu.append(ours.cpu_seconds)
    rmtree(args.workdir)
    ratio = median(generate_s) / median(libyaml_s)
    print(f"libyaml CSafeLoader load alone : {spread(libyaml_s)} s")
    print(f"sdkforge generate (cold, shm)  : {spread(generate_s)} s")
    print(f"ratio generate / libyaml       : {ratio:.2f} (goal <= 1)")
    cpu_ratio = median(generate_cpu) / median(libyaml_cpu)
    print(f"CPU time (user+sys, children)  : libyaml {spread(libyaml_cpu)} s, generate {spread(generate_cpu)} s, "
          f"ratio {cpu_ratio:.2f}")
    print(f"sdkforge peak RSS              : {spread(rss_mb, '{:.0f}')} MB (goal <= 150)")
    print(json.dumps({"spec": str(args.spec), "libyaml_s": libyaml_s, "generate_s": generate_s,
                      "ratio": round(ratio, 3), "libyaml_cpu_s": libyaml_cpu, "generate_cpu_s": generate_cpu,
                      "cpu_ratio": round(cpu_ratio, 3), "peak_rss_mb": max(rss_mb)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
