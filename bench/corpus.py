"""Generate every spec in ../shared/specs, check each SDK works, and print per-spec figures.

    .venv/bin/python bench/corpus.py [--mypy] [--out build/corpus]

Per spec: operations generated / in the spec, operations with a typed response (or typed stream
items), models, enums and aliases, resources, warnings by code, seconds to generate; then whether
the SDK works (every module imported, every model and alias built, every resource reached on the
sync and async clients) and, with --mypy, the `mypy --strict` error count and its seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.corpus import (  # noqa: E402
    SHARED_SPECS,
    check_package,
    discover,
    generate,
    mypy_errors,
    package_for,
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mypy", action="store_true", help="type-check every generated package (slow)")
    parser.add_argument("--out", type=Path, default=Path("build/corpus"))
    args = parser.parse_args()
    if not SHARED_SPECS.is_dir():
        print(f"{SHARED_SPECS} not found", file=sys.stderr)
        return 2
    print(f"{'spec':<52} {'ops':>9} {'typed':>5} {'models':>6} {'enum/alias':>10} {'res':>4} {'gen s':>6} "
          f"{'works':>5} {'mypy':>4} {'mypy s':>6}  warnings by code")
    rows, broken = [], []
    for spec in discover():
        package = package_for(spec)
        out = args.out / package
        figures, _ = generate(spec, out)
        works = "-"
        if not figures.errors:
            counts, failures = check_package(out, package)
            works = "yes" if counts else "NO"
            if not counts:
                broken.append((figures.spec, failures))
            if args.mypy:
                start = time.perf_counter()
                figures.mypy_errors, _ = mypy_errors(out, package)
                figures.mypy_seconds = time.perf_counter() - start
        rows.append(figures)
        codes = " ".join(f"{code}:{n}" for code, n in figures.by_code.items())
        mypy = "-" if figures.mypy_errors is None else str(figures.mypy_errors)
        mypy_s = "-" if figures.mypy_seconds is None else f"{figures.mypy_seconds:.1f}"
        print(f"{figures.spec:<52} {figures.ops_generated:>4}/{figures.ops_in_spec:<4} {figures.ops_typed:>5} "
              f"{figures.models:>6} {figures.enums_aliases:>10} {figures.resources:>4} {figures.seconds:>6.2f} "
              f"{works:>5} {mypy:>4} {mypy_s:>6}  {codes}", flush=True)
    dropped = sum(r.ops_in_spec - r.ops_generated for r in rows)
    failed = [r.spec for r in rows if r.errors]
    typing_errors = sum(r.mypy_errors or 0 for r in rows)
    print(f"\n{len(rows)} specs, {sum(r.ops_generated for r in rows)} operations generated "
          f"({sum(r.ops_typed for r in rows)} typed), {dropped} dropped, {len(failed)} failed "
          f"{failed if failed else ''}, {len(broken)} broken, {typing_errors} mypy errors")
    for spec_name, failures in broken:
        print(f"\n{spec_name} does not work:\n{failures[-2000:]}")
    return 1 if dropped or failed or broken or typing_errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
