"""Generate every spec in ../shared/specs and print per-spec figures.

    .venv/bin/python bench/corpus.py [--mypy] [--out build/corpus]

Columns: operations generated / in the spec, named schemas (models, enums, aliases), warnings
(codes of what was skipped), seconds to generate, files, and with --mypy the `mypy --strict`
error count over the whole generated package.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.corpus import SHARED_SPECS, discover, generate, mypy_errors, package_for  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mypy", action="store_true", help="type-check every generated package (slow)")
    parser.add_argument("--out", type=Path, default=Path("build/corpus"))
    args = parser.parse_args()
    if not SHARED_SPECS.is_dir():
        print(f"{SHARED_SPECS} not found", file=sys.stderr)
        return 2
    rows = []
    for spec in discover():
        out = args.out / package_for(spec)
        figures, _ = generate(spec, out)
        if args.mypy and not figures.errors:
            figures.mypy_errors, _ = mypy_errors(out, package_for(spec))
        rows.append(figures)
        print(f"{figures.spec:<55} ops {figures.ops_generated:>4}/{figures.ops_in_spec:<4} "
              f"schemas {figures.schemas:>5}  warnings {figures.warnings:>3}  {figures.seconds:6.2f} s  "
              f"files {figures.files:>5}  mypy {figures.mypy_errors if figures.mypy_errors is not None else '-'}"
              f"  {' '.join(figures.skipped)}", flush=True)
    dropped = sum(r.ops_in_spec - r.ops_generated for r in rows)
    failed = [r.spec for r in rows if r.errors]
    print(f"\n{len(rows)} specs, {sum(r.ops_generated for r in rows)} operations generated, "
          f"{dropped} dropped, {len(failed)} failed {failed if failed else ''}")
    return 1 if dropped or failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
