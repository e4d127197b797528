"""Command line: parse arguments, call the pipeline, print diagnostics, set the exit code.

Exit codes: 0 ok, 1 `--check` found files that would change, 2 bad input or configuration.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from generator import __version__
from generator.config import Config, ConfigError, find_config_file, from_table, read_table
from generator.diagnostics import Severity


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sdkforge", description="Generate a Python SDK and docs from OpenAPI.")
    parser.add_argument("--version", action="version", version=f"sdkforge {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="generate (or --check) an SDK from a spec")
    gen.add_argument("spec", nargs="?", type=Path, help="OpenAPI file (default: from [tool.sdkforge])")
    gen.add_argument("--output", "-o", type=Path, help="output folder")
    gen.add_argument("--package-name", help="import name of the generated package")
    gen.add_argument("--templates", type=Path, action="append", default=[],
                     help="folder of templates that override the built-in ones (repeatable)")
    gen.add_argument("--check", action="store_true",
                     help="write nothing; exit 1 listing the files that would change")
    gen.add_argument("--config", type=Path, help="config file (default: sdkforge.toml or pyproject.toml)")
    gen.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    return parser


def _config(args: argparse.Namespace) -> Config:
    path = args.config or find_config_file(Path.cwd())
    values = from_table(read_table(path), path.parent) if path else {}
    if args.spec is not None:
        values["spec"] = args.spec
    if args.output is not None:
        values["output"] = args.output
    if args.package_name:
        values["package_name"] = args.package_name
    if args.templates:
        values["templates"] = tuple(args.templates)
    if "spec" not in values:
        raise ConfigError("no spec given: pass SPEC or set `spec` in [tool.sdkforge]")
    if "output" not in values:
        raise ConfigError("no output folder given: pass --output or set `output` in [tool.sdkforge]")
    for folder in values.get("templates", ()):
        if not Path(folder).is_dir():
            raise ConfigError(f"templates folder {folder} does not exist")
    return replace(Config(**values), check=args.check).with_defaults()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = _config(args)
    except ConfigError as exc:
        print(f"error: [config] {exc}", file=sys.stderr)
        return 2
    from generator.pipeline import run

    result = run(config)
    for d in result.diagnostics:
        if d.severity is Severity.ERROR or (not args.quiet and d.severity is Severity.WARNING):
            print(d.format(), file=sys.stderr)
    if not result.ok:
        errors = sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)
        print(f"sdkforge: {errors} error(s); nothing was written", file=sys.stderr)
        return 2
    changes = result.changes
    assert changes is not None
    if config.check:
        if changes.any:
            print(f"sdkforge: {config.output} is out of date ({len(changes.lines())} files would change):")
            for line in changes.lines():
                print(f"  {line}")
            return 1
        if not args.quiet:
            print(f"sdkforge: {config.output} is up to date")
        return 0
    if not args.quiet:
        n = len(result.files)
        print(f"sdkforge: {n} files in {config.output} ({len(changes.added)} added, "
              f"{len(changes.modified)} modified, {len(changes.removed)} removed)")
    return 0
