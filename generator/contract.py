"""The template contract: what every template receives, and a version forks can check against.

A template fork (a folder passed with `--templates`) declares the contract it was written for in
`sdkforge-templates.toml`:

    contract = "1.0"

Versions are MAJOR.MINOR. The generator refuses a fork written for another MAJOR (the context
changed incompatibly) or for a newer MINOR (it may use fields this generator lacks); an older
MINOR is compatible (fields were only added). A fork without the file gets a warning.

Bump MINOR when a field or template is added, MAJOR when one is renamed, removed or changes
meaning. `CONTEXT.md` in the templates folder is generated from the dataclasses below and the IR
(`sdkforge templates reference`); a test keeps it in sync.
"""

from __future__ import annotations

import dataclasses
import sys
import typing
from pathlib import Path

from generator.diagnostics import Collector

CONTRACT_VERSION = "1.7"  # 1.7: the TypeScript SDK's tests (typescript/tests/); 1.6: the TypeScript templates
FORK_FILE = "sdkforge-templates.toml"

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _parse(version: str) -> tuple[int, int]:
    major, _, minor = version.partition(".")
    return int(major), int(minor or 0)


def check_fork(folder: Path, diags: Collector) -> None:
    """Report whether a template fork fits this generator's contract."""
    declared = folder / FORK_FILE
    where = str(declared)
    if not declared.is_file():
        diags.warning("template-contract", "", f"{folder} does not declare the template contract it was written "
                      f"for; add {FORK_FILE} with contract = \"{CONTRACT_VERSION}\"")
        return
    try:
        data = tomllib.loads(declared.read_text(encoding="utf-8"))
        fork = _parse(str(data["contract"]))
    except (OSError, KeyError, ValueError, tomllib.TOMLDecodeError) as exc:
        diags.error("template-contract", "", f"{where}: cannot read `contract = \"MAJOR.MINOR\"`: {exc}")
        return
    ours = _parse(CONTRACT_VERSION)
    if fork[0] != ours[0]:
        diags.error("template-contract", "", f"{where}: templates written for contract {fork[0]}.{fork[1]}, "
                    f"this generator has {CONTRACT_VERSION} (incompatible major version); see templates/CONTEXT.md "
                    "and `sdkforge templates export` for the current templates")
    elif fork[1] > ours[1]:
        diags.error("template-contract", "", f"{where}: templates need contract {fork[0]}.{fork[1]}, this "
                    f"generator has {CONTRACT_VERSION}; upgrade sdkforge")
    elif fork[1] < ours[1]:
        diags.info("template-contract", "", f"{where}: written for contract {fork[0]}.{fork[1]}, compatible with "
                   f"{CONTRACT_VERSION}")


def export(destination: Path) -> list[Path]:
    """Copy the built-in templates into `destination` to start a fork (existing files are kept)."""
    from generator.paths import builtin_templates

    source = builtin_templates()
    written = []
    for path in sorted(source.rglob("*")):
        if path.is_dir() or any(part == "__pycache__" or part.startswith(".")
                                for part in path.relative_to(source).parts):
            continue
        target = destination / path.relative_to(source)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
        written.append(target)
    marker = destination / FORK_FILE
    if not marker.exists():
        marker.write_text(f'# The sdkforge template contract these templates were written for.\ncontract = '
                          f'"{CONTRACT_VERSION}"\n', encoding="utf-8")
        written.append(marker)
    return written


def _type_name(tp: object) -> str:
    text = str(tp) if not isinstance(tp, type) else tp.__name__
    return (text.replace("typing.", "").replace("generator.ir.", "").replace("generator.render.", "")
            .replace("generator.languages.typescript.", ""))


def _describe(cls: type) -> list[str]:
    hints = typing.get_type_hints(cls)
    lines = [f"### `{cls.__name__}`", ""]
    doc = (cls.__doc__ or "").strip().splitlines()
    if doc and not doc[0].startswith(cls.__name__ + "("):
        lines += [doc[0], ""]
    lines += ["| field | type |", "| --- | --- |"]
    for f in dataclasses.fields(cls):
        lines.append(f"| `{f.name}` | `{_type_name(hints.get(f.name, f.type))}` |")
    return [*lines, ""]


def reference() -> str:
    """CONTEXT.md: every template, the variables it receives, and the types behind them."""
    from generator import ir
    from generator.render import ClientView, CredentialArg, ResourceRef, SchemeView
    from generator.render.models import FieldView, ItemView, ModuleView
    from generator.render.params import KeyView, ParamsModuleView, TwinView
    from generator.render.resources import OpView, ResourceView, Signature
    from generator.render.tests import TestFunction, TestModule, TestSuite

    out = [
        "# Template context reference",
        "",
        f"Template contract version: **{CONTRACT_VERSION}** (see `generator/contract.py`). Generated by "
        "`sdkforge templates reference`; do not edit by hand.",
        "",
        "Every template receives `api` (`Api`, the whole IR) and `header` (the one-line provenance comment).",
        "",
        "| template | output | extra variables |",
        "| --- | --- | --- |",
        "| `package/__init__.py.jinja` | `<package>/__init__.py` | |",
        "| `package/_client.py.jinja` | `<package>/_client.py` | `client: ClientView` |",
        "| `package/models/__init__.py.jinja` | `<package>/models/__init__.py` | `exports`, `imports`: "
        "lists of (name, module) |",
        "| `package/models/model_module.py.jinja` | `<package>/models/<module>.py` | `module: ModuleView` |",
        "| `package/resources/resource.py.jinja` | `<package>/resources/<module>.py` | `resource: ResourceView` |",
        "| `package/params/__init__.py.jinja` | `<package>/params/__init__.py` | `exports`, `imports`: "
        "lists of (TypedDict name, module) |",
        "| `package/params/params_module.py.jinja` | `<package>/params/<module>.py` | `module: ParamsModuleView` |",
        "| `package/**/X.jinja` (others) | `<package>/**/X` | |",
        "| `runtime/X.py` | `<package>/_runtime/X.py` | none: copied as it is under the header (a fork's "
        "`runtime/X.py` replaces it; an older fork's `runtime/X.py.jinja` is still rendered) |",
        "| `project/X.jinja` | `X` (pyproject.toml, README.md) | `tests` (bool: tests/ is generated); `readme` for "
        "README.md |",
        "| `tests/test_resource.py.jinja` | `tests/test_<module>.py` | `module: TestModule` |",
        "| `tests/X.jinja` (others) | `tests/X` (mock API, clients, `_spec.json`, `_replies.json`) | "
        "`tests: TestSuite` |",
        "| `docs/sdks/sdk.md.jinja` | `docs/sdks/<resource>/README.md` | `page` |",
        "| `docs/models/*.md.jinja` | `docs/models/<name>.md` | `page` |",
        "",
        "Filters: `docstring`, `docstring_body`, `comment`, `md`, `md_block`, `anchor`, `first_sentence`, `api_name`, "
        "`pystr`, `tomlstr`, `isort_sorted`.",
        "",
        "## Render views",
        "",
    ]
    for cls in (ClientView, SchemeView, CredentialArg, ResourceRef, ModuleView, ItemView, FieldView,
                ResourceView, OpView, Signature, ParamsModuleView, TwinView, KeyView, TestSuite, TestModule,
                TestFunction):
        out += _describe(cls)
    from generator.languages import typescript

    out += typescript.reference_table()
    for view in typescript.view_classes():
        out += _describe(view)
    out += ["## IR (`generator/ir.py`)", ""]
    for name in ("Api", "PackageInfo", "Resource", "Operation", "Parameter", "RequestBody", "Response",
                 "StreamInfo", "Pagination", "SecurityScheme", "Model", "Field", "Enum", "EnumMember",
                 "Alias", "Value", "Scalar", "Constraints", "ListOf", "MapOf", "ModelRef", "EnumRef",
                 "AliasRef", "Const", "Union", "Discriminator", "AnyType", "Null"):
        out += _describe(getattr(ir, name))
    return "\n".join(out).rstrip() + "\n"
