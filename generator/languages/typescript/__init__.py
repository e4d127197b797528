"""The TypeScript SDK: lower the IR into a TypeScript plan and render it.

`OUTPUTS` is the one output table: each entry names a template (under `templates/typescript/`), the
files it makes and what it receives; it drives `generate` and `sdkforge templates reference`. The
runtime (`templates/typescript/runtime/*.ts`, real TypeScript, no Jinja) is copied to `src/runtime/`
byte for byte under the header line.

A template folder given with `--templates` is searched first, so a fork overrides any template by its
relative path (`typescript/src/client.ts.jinja`), runtime files included (`typescript/runtime/core.ts`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import ir, parallel
from generator.diagnostics import Collector
from generator.format import normalise_text
from generator.render import builtin_templates, environment
from generator.render.text import comment


def runtime_files(user_dirs: Iterable[Path], header: str, folder: str = "runtime") -> dict[str, str]:
    """The runtime's `.ts` files (`templates/typescript/runtime/` -> `src/runtime/`), or the tests' support
    module (`templates/typescript/tests/*.ts` -> `tests/`), each from the first template folder that has
    `typescript/<folder>/<name>`."""
    out: dict[str, str] = {}
    dirs = [d / "typescript" / folder for d in user_dirs]
    target = "src/runtime" if folder == "runtime" else folder
    for source in sorted((builtin_templates() / "typescript" / folder).glob("*.ts")):
        chosen = next((d / source.name for d in dirs if (d / source.name).is_file()), source)
        out[f"{target}/{source.name}"] = f"// {header}\n" + chosen.read_text(encoding="utf-8")
    return out


@dataclass(frozen=True)
class Plan:
    """Everything the templates receive, planned once per API."""

    api: ir.Api
    client: Any  # plan.ClientPlan
    package: Any  # project.PackagePlan
    resources: list[Any]  # plan.ResourcePlan
    decls: list[Any]  # plan.TypeDecl
    readme: Any  # project.ReadmePlan
    docs: Any  # docs.DocsPlan
    tests: Any = None  # tests.TsTestSuite; None: no tests/ (`tests = false`)


@dataclass(frozen=True)
class Entry:
    template: str  # under templates/typescript/
    output: str  # the files it makes (pattern)
    receives: str  # its variables besides `api` and `header`
    files: Callable[[Plan], Iterable[tuple[str, dict[str, Any]]]]


def _uses_binary(decls: list[Any]) -> bool:
    return any("Uploadable" in d.type or any("Uploadable" in p.type for p in d.props) for d in decls)


def _has(p: Plan) -> int:
    return int(p.tests is not None)


def _files(p: Plan) -> tuple[Any, ...]:
    return p.tests.files if p.tests is not None else ()


MODEL_PAGES = Entry("docs/models/model.md.jinja", "docs/models/<name>.md (per named type)", "`page: ModelPage`",
                    lambda p: _model_pages(p.docs))


def _model_pages(docs: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(page.path, {"page": page}) for page in docs.model_pages()]


OUTPUTS: tuple[Entry, ...] = (
    Entry("package.json.jinja", "package.json", "`package: PackagePlan`",
          lambda p: [("package.json", {"package": p.package})]),
    Entry("tsconfig.json.jinja", "tsconfig.json", "", lambda p: [("tsconfig.json", {})]),
    Entry("README.md.jinja", "README.md", "`readme: ReadmePlan`, `client: ClientPlan`, `package: PackagePlan`",
          lambda p: [("README.md", {"readme": p.readme, "client": p.client, "package": p.package})]),
    Entry("src/index.ts.jinja", "src/index.ts", "`client: ClientPlan`",
          lambda p: [("src/index.ts", {"client": p.client})]),
    Entry("src/client.ts.jinja", "src/client.ts", "`client: ClientPlan`",
          lambda p: [("src/client.ts", {"client": p.client})]),
    Entry("src/models.ts.jinja", "src/models.ts", "`decls: list[TypeDecl]`, `uses_binary: bool`",
          lambda p: [("src/models.ts", {"decls": p.decls, "uses_binary": _uses_binary(p.decls)})]),
    Entry("src/resources/resource.ts.jinja", "src/resources/<path>.ts (per resource)", "`resource: ResourcePlan`",
          lambda p: [(f"src/resources/{r.file}.ts", {"resource": r}) for r in p.resources]),
    Entry("tests/resource.test.ts.jinja", "tests/<path>.test.ts (per resource; unless `tests = false`)",
          "`file: TsTestFile`, `tests: TsTestSuite`, `client: ClientPlan`",
          lambda p: [(f.path, {"file": f, "tests": p.tests, "client": p.client}) for f in _files(p)]),
    Entry("tests/tsconfig.json.jinja", "tests/tsconfig.json", "", lambda p: [("tests/tsconfig.json", {})] * _has(p)),
    Entry("tests/spec.json.jinja", "tests/spec.json", "`tests: TsTestSuite`",
          lambda p: [("tests/spec.json", {"tests": p.tests})] * _has(p)),
    Entry("tests/replies.json.jinja", "tests/replies.json", "`tests: TsTestSuite`",
          lambda p: [("tests/replies.json", {"tests": p.tests})] * _has(p)),
    Entry("docs/sdks/sdk.md.jinja", "docs/sdks/<path>/README.md (per resource)", "`page: SdkPage`",
          lambda p: [(page.path, {"page": page}) for page in p.docs.sdk_pages()]),
    MODEL_PAGES,
)


def generate(api: ir.Api, user_dirs: Iterable[Path], diags: Collector, *, package_name: str,
             client_name: str, tests_spec: dict[str, Any] | None = None) -> dict[str, str]:
    """Every file of the TypeScript SDK of `api`: {relative path: text}."""
    from generator.languages.typescript.docs import DocsPlan
    from generator.languages.typescript.plan import Planner
    from generator.languages.typescript.project import package_plan, readme_plan

    dirs = list(user_dirs)
    env = environment(dirs)
    header = f"Generated by sdkforge from {comment(api.spec_name)}. Do not edit by hand."
    planner = Planner(api, client_name)
    client = planner.client(client_name)
    resources = planner.resources()
    docs = DocsPlan(api, planner, package_name, client, resources)
    # The model pages (a third of the work for a big spec) need only the docs plan: they render on
    # another core while this one plans and renders the rest (generator.parallel; the same bytes).
    pages = parallel.start(lambda: _render(env, MODEL_PAGES.template, _model_pages(docs), header, api))
    try:
        suite = None
        if tests_spec is not None:
            from generator.languages.typescript.tests import plan_tests

            suite = plan_tests(docs, resources, tests_spec)
        plan = Plan(api, client, package_plan(api, package_name, suite.command if suite else ""), resources,
                    planner.model_decls(), readme_plan(api, docs), docs, suite)
        out: dict[str, str] = {}
        for entry in OUTPUTS:
            if entry is not MODEL_PAGES:
                out.update(_render(env, entry.template, entry.files(plan), header, api))
        copied = {**runtime_files(dirs, header), **(runtime_files(dirs, header, "tests") if suite is not None else {})}
        out.update((path, normalise_text(text)) for path, text in copied.items())
    except BaseException:
        pages.cancel()
        raise
    out.update(pages.result())
    return dict(sorted(out.items()))


def _render(env: Any, name: str, files: Iterable[tuple[str, dict[str, Any]]], header: str,
            api: ir.Api) -> dict[str, str]:
    """Render one template (under `typescript/`) for each (path, context): {path: normalised text}."""
    template = env.get_template(f"typescript/{name}")
    return {path: normalise_text(template.render(header=header, api=api, **context)) for path, context in files}


def reference_table() -> list[str]:
    """The TypeScript part of `sdkforge templates reference` (CONTEXT.md): the output table."""
    lines = ["## TypeScript templates (`typescript/`)", "",
             "Every template receives `api` and `header`, as above. Macros: `typescript/_macros.jinja`.", "",
             "| template | output | extra variables |", "| --- | --- | --- |"]
    lines += [f"| `typescript/{e.template}` | `{e.output}` | {e.receives} |" for e in OUTPUTS]
    return [*lines, "| `typescript/runtime/X.ts` (no Jinja) | `src/runtime/X.ts` | none (copied under the header) |",
            "| `typescript/tests/X.ts` (no Jinja) | `tests/X.ts` (mock fetch and validator) | none (copied under the "
            "header; unless `tests = false`) |",
            "", "## TypeScript plan views", ""]


def view_classes() -> tuple[type, ...]:
    """The dataclasses the TypeScript templates receive, for the reference."""
    from generator.languages.typescript import docs, project, tests, views

    return (project.PackagePlan, project.ReadmePlan, project.OpLink, views.ClientPlan, views.Credential,
            tests.TsTestSuite, tests.TsTestFile, tests.TsTest,
            views.ChildRef, views.ResourcePlan, views.Method, views.TypeDecl, views.Prop, docs.SdkPage,
            docs.OperationDoc, docs.ModelPage)
