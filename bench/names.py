"""Print the method surface of the SDK a spec generates: one `resource.method` per line.

    .venv/bin/python bench/names.py SPEC [--routes] [--fields]

`--routes` appends the HTTP method and path (so two runs can be paired by route to list renames);
`--fields` prints `Model.attribute wire_name` for every model field whose Python name differs from
its wire name instead. Reads the IR only (load -> resolve -> normalize), nothing is generated.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.diff import load_api  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path)
    parser.add_argument("--routes", action="store_true")
    parser.add_argument("--fields", action="store_true")
    args = parser.parse_args(argv)
    api, diags = load_api(args.spec)
    if api is None:
        for d in diags.sorted():
            print(d, file=sys.stderr)
        return 2
    lines = []
    if args.fields:
        for m in api.models:
            lines += [f"{m.name}.{f.name} {f.wire_name}" for f in m.fields if f.name != f.wire_name]
    else:
        for r in api.resources:
            for op in r.operations:
                prefix = f"{r.attr_path}." if r.attr_path else ""
                route = f"\t{op.method.upper()} {op.path}" if args.routes else ""
                lines.append(f"{prefix}{op.name}{route}")
    print("\n".join(sorted(lines)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
