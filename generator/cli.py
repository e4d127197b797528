"""Command line: parse arguments, call the pipeline, print diagnostics, set the exit code.

Exit codes: 0 ok, 1 `--check` found files that would change, 2 bad input or configuration.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator import __version__
from generator.config import Config, ConfigError, find_config_file, read_table, targets_from_table
from generator.diagnostics import Severity


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sdkforge", description="Generate a Python SDK and docs from OpenAPI.")
    parser.add_argument("--version", action="version", version=f"sdkforge {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="generate (or --check) an SDK from a spec")
    gen.add_argument("spec", nargs="?", type=Path, help="OpenAPI file (default: from [tool.sdkforge])")
    gen.add_argument("--output", "-o", type=Path, help="output folder")
    gen.add_argument("--package-name", help="import name of the generated package (npm name for TypeScript)")
    gen.add_argument("--language", "-l", choices=("python", "typescript"),
                     help="language of the generated SDK (default: from the configuration, else python)")
    gen.add_argument("--templates", type=Path, action="append", default=[],
                     help="folder of templates that override the built-in ones (repeatable)")
    gen.add_argument("--overlay", type=Path, action="append", default=[], dest="overlays",
                     help="OpenAPI Overlay (1.0) applied to the spec as it loads, after the configured "
                          "ones (repeatable, applied in order)")
    gen.add_argument("--check", action="store_true",
                     help="write nothing; exit 1 listing the files that would change")
    gen.add_argument("--config", type=Path, help="config file (default: sdkforge.toml or pyproject.toml)")
    gen.add_argument("--target", help="generate only this target of the configuration")
    gen.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    gen.add_argument("--verbose", "-v", action="store_true", help="also print seconds per stage")
    wat = sub.add_parser("watch", help="regenerate on every change of the spec, its files or the templates")
    wat.add_argument("spec", nargs="?", type=Path)
    wat.add_argument("--output", "-o", type=Path)
    wat.add_argument("--package-name")
    wat.add_argument("--language", "-l", choices=("python", "typescript"))
    wat.add_argument("--templates", type=Path, action="append", default=[])
    wat.add_argument("--overlay", type=Path, action="append", default=[], dest="overlays")
    wat.add_argument("--config", type=Path)
    wat.add_argument("--target")
    wat.add_argument("--interval", type=float, default=0.5, help="seconds between checks")
    wat.add_argument("--max-runs", type=int, help=argparse.SUPPRESS)
    wat.set_defaults(check=False, quiet=False)
    dif = sub.add_parser("diff", help="what changes in the generated SDK between two specs")
    dif.add_argument("old", type=Path)
    dif.add_argument("new", type=Path)
    dif.add_argument("--markdown", "-m", type=Path, help="also write a Markdown changelog to this file")
    dif.add_argument("--fail-on-breaking", action="store_true", help="exit 1 when a change is breaking")
    dif.add_argument("--overlay", type=Path, action="append", default=[], dest="overlays",
                     help="OpenAPI Overlay applied to both specs (repeatable)")
    dif.add_argument("--language", "-l", choices=("python", "typescript"), default="python",
                     help="compare the surface of this language's SDK (default: python)")
    tpl = sub.add_parser("templates", help="work with template forks")
    tsub = tpl.add_subparsers(dest="templates_command", required=True)
    exp = tsub.add_parser("export", help="copy the built-in templates into DIR to start a fork")
    exp.add_argument("dir", type=Path)
    ref = tsub.add_parser("reference", help="print the template context reference (CONTEXT.md)")
    ref.add_argument("--output", "-o", type=Path, help="write to a file instead of stdout")
    return parser


def _configs(args: argparse.Namespace) -> list[Config]:
    """One Config per target: config file targets (or the top-level table), CLI flags on top."""
    path = args.config or find_config_file(Path.cwd())
    table = read_table(path) if path else {}
    targets = targets_from_table(table, path.parent) if path else [{}]
    if getattr(args, "target", None):
        targets = [t for t in targets if t.get("name") == args.target]
        if not targets:
            raise ConfigError(f"no target named {args.target!r} in {path}")
    elif args.spec is not None and len(targets) > 1 and path is not None:
        # An explicit SPEC without --target: the top-level table's settings, not every target's.
        targets = targets_from_table({k: v for k, v in table.items() if k != "targets"}, path.parent)
    out = []
    for values in targets:
        values = dict(values)
        if args.spec is not None:
            values["spec"] = args.spec
        if args.output is not None:
            values["output"] = args.output
        if args.package_name:
            values["package_name"] = args.package_name
        if getattr(args, "language", None):
            values["language"] = args.language
        if args.templates:
            values["templates"] = tuple(args.templates)
        if args.overlays:
            values["overlays"] = (*values.get("overlays", ()), *args.overlays)
        if "spec" not in values:
            raise ConfigError("no spec given: pass SPEC or set `spec` in [tool.sdkforge]")
        if "output" not in values:
            raise ConfigError("no output folder given: pass --output or set `output` in [tool.sdkforge]")
        for folder in values.get("templates", ()):
            if not Path(folder).is_dir():
                raise ConfigError(f"templates folder {folder} does not exist")
        out.append(replace(Config(**values), check=args.check).with_defaults())
    return out


def _templates(args: argparse.Namespace) -> int:
    from generator import contract

    if args.templates_command == "export":
        written = contract.export(args.dir)
        print(f"sdkforge: {len(written)} files written to {args.dir} (template contract {contract.CONTRACT_VERSION}); "
              f"use them with --templates {args.dir}")
        return 0
    text = contract.reference()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _diff(args: argparse.Namespace) -> int:
    from generator.diff import compare, load_api

    apis = []
    for spec in (args.old, args.new):
        api, diags = load_api(spec, tuple(args.overlays))
        for d in diags.sorted():
            if d.severity is Severity.ERROR:
                print(f"{spec}: {d.format()}", file=sys.stderr)
        if api is None:
            return 2
        apis.append(api)
    if args.language == "typescript":
        from generator.languages.typescript.diff import compare as compare_ts

        report = compare_ts(apis[0], apis[1])
    else:
        report = compare(apis[0], apis[1])
    for change in report.changes:
        print(change.line())
    breaking = sum(1 for c in report.changes if c.breaking)
    print(f"sdkforge: {len(report.changes)} changes, {breaking} breaking; suggested version bump: {report.bump}")
    if args.markdown:
        args.markdown.write_text(report.markdown(args.old.name, args.new.name), encoding="utf-8")
    return 1 if args.fail_on_breaking and breaking else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "templates":
        return _templates(args)
    if args.command == "diff":
        return _diff(args)
    if args.command == "watch":
        from generator.watch import watch

        try:
            configs = _configs(args)
        except ConfigError as exc:
            print(f"error: [config] {exc}", file=sys.stderr)
            return 2
        try:
            return watch(configs, args.interval, args.max_runs, lambda line: print(line, flush=True))
        except KeyboardInterrupt:
            return 0
    try:
        configs = _configs(args)
    except ConfigError as exc:
        print(f"error: [config] {exc}", file=sys.stderr)
        return 2
    return max(generate_one(config, quiet=args.quiet, verbose=args.verbose) for config in configs)


def entry() -> None:
    """The `sdkforge` command: `main`, then an immediate exit. A generation leaves a large heap of
    IR and text behind; freeing it object by object at interpreter exit costs a tenth of a second
    and does nothing a process exit does not (every file is closed and flushed by then)."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # `sdkforge ... | head`: the reader went away
            stream.flush()
    os._exit(code)


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI") and not os.environ.get("NO_COLOR")


def _run_with_status(config: Config, run: Any, quiet: bool) -> Any:
    """On an interactive terminal, a status line while the run lasts (erased after); nothing in CI.
    A plain line rather than an animated spinner: a spinner needs a thread, and with another thread
    running the generator does not fork its parallel work (generator.parallel)."""
    if quiet or not _interactive():
        return run(config)
    sys.stderr.write(f"sdkforge: generating {config.output} from {config.spec.name} ...")
    sys.stderr.flush()
    try:
        return run(config)
    finally:
        sys.stderr.write("\r\033[K")  # back to the start of the line, and clear it
        sys.stderr.flush()


def generate_one(config: Config, quiet: bool = False, verbose: bool = False) -> int:
    from generator.pipeline import run

    label = f"[{config.name}] " if config.name else ""
    result = _run_with_status(config, run, quiet)
    if verbose and result.timings:
        print("sdkforge: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in result.timings.items()),
              file=sys.stderr)
    for d in result.diagnostics:
        if d.severity is Severity.ERROR or (not quiet and d.severity is Severity.WARNING):
            print(label + d.format(), file=sys.stderr)
    if not result.ok:
        errors = sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)
        print(f"sdkforge: {label}{errors} error(s); nothing was written", file=sys.stderr)
        return 2
    changes = result.changes
    assert changes is not None
    if config.check:
        if changes.any:
            print(f"sdkforge: {label}{config.output} is out of date ({len(changes.lines())} files would change):")
            for line in changes.lines():
                print(f"  {line}")
            return 1
        if not quiet:
            print(f"sdkforge: {label}{config.output} is up to date")
        return 0
    if not quiet and result.unchanged:
        print(f"sdkforge: {label}{config.output} is up to date (inputs unchanged since the manifest)")
    elif not quiet:
        n = len(result.files)
        print(f"sdkforge: {label}{n} files in {config.output} ({len(changes.added)} added, "
              f"{len(changes.modified)} modified, {len(changes.removed)} removed)")
    return 0
