"""Generate the TypeScript SDK of every spec in ../shared/specs and run the tests it ships with (`npm test`:
`tsc --strict`, then `node --test`, with the dev tools of tests/node).

    .venv/bin/python bench/ts_generated_tests.py [--out build/ts-generated-tests] [--only NAME]

Prints per spec: passed, failed, seconds, and the failing tests' messages. Exit 1 when any suite fails.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.cli import main as sdkforge  # noqa: E402
from tests.support.corpus import SHARED_SPECS, discover, package_for  # noqa: E402
from tests.support.typescript import run_sdk_tests  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("build/ts-generated-tests"))
    parser.add_argument("--only", default="", help="only specs whose path contains this text")
    args = parser.parse_args()
    if not SHARED_SPECS.is_dir():
        print(f"{SHARED_SPECS} not found", file=sys.stderr)
        return 2
    failed_specs = 0
    for spec in discover():
        rel = spec.relative_to(SHARED_SPECS).as_posix()
        if args.only not in rel:
            continue
        out = args.out / package_for(spec)
        if sdkforge(["generate", str(spec), "--output", str(out), "--language", "typescript", "--package-name",
                     package_for(spec).replace("_", "-"), "-q"]) != 0:
            print(f"{rel:<55} generation failed")
            failed_specs += 1
            continue
        start = time.perf_counter()
        proc = run_sdk_tests(out)
        seconds = time.perf_counter() - start
        counts = {k: int(n) for k, n in re.findall(r"^# (pass|fail) (\d+)$", proc.stdout, re.M)}
        failed_specs += proc.returncode != 0
        print(f"{rel:<55} passed {counts.get('pass', 0):>5}  failed {counts.get('fail', 0):>3}  {seconds:6.1f} s",
              flush=True)
        if proc.returncode != 0:
            errors = [line for line in proc.stdout.splitlines() if ": error TS" in line or line.startswith("  error:")]
            print("\n".join("    " + line for line in errors[:20]) or proc.stdout[-1500:] + proc.stderr[-1500:])
    return 1 if failed_specs else 0


if __name__ == "__main__":
    sys.exit(main())
