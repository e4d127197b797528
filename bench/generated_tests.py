"""Generate the SDK of every spec in ../shared/specs and run the test suite it ships with.

    .venv/bin/python bench/generated_tests.py [--out build/generated-tests]

Prints per spec: generated test count, passed, failed, seconds. Exit 1 when any suite fails.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.corpus import SHARED_SPECS, discover, generate, package_for  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("build/generated-tests"))
    args = parser.parse_args()
    if not SHARED_SPECS.is_dir():
        print(f"{SHARED_SPECS} not found", file=sys.stderr)
        return 2
    failed_specs = 0
    for spec in discover():
        out = args.out / package_for(spec)
        figures, _ = generate(spec, out)
        if figures.errors:
            print(f"{figures.spec:<55} generation failed")
            failed_specs += 1
            continue
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=out,
                              capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        counts = {k: int(n) for n, k in re.findall(r"(\d+) (passed|failed|error)", proc.stdout)}
        failed_specs += proc.returncode != 0
        print(f"{figures.spec:<55} passed {counts.get('passed', 0):>5}  failed {counts.get('failed', 0):>3}  "
              f"errors {counts.get('error', 0):>3}  {seconds:6.1f} s", flush=True)
        if proc.returncode != 0:
            print("\n".join("    " + line for line in proc.stdout.splitlines() if line.startswith("FAILED")))
    return 1 if failed_specs else 0


if __name__ == "__main__":
    sys.exit(main())
