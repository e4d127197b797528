"""Stage 5, render: IR -> {relative path: text}. One Jinja environment; user template folders are
searched before the built-in ones, so a fork overrides any template by its relative path.

Template -> output file (see also `templates/README.md`):
  package/**/X.jinja              -> <package>/**/X          (once each)
  package/models/model_module.py  -> <package>/models/<module>.py   (per model module)
  package/resources/resource.py   -> <package>/resources/<module>.py (per tag)
  package/params/params_module.py -> <package>/params/<module>.py   (per model module with request twins)
  runtime/X.py                    -> <package>/_runtime/X.py  (copied as it is, under the header)
  project/X.jinja                 -> X                        (pyproject.toml, README.md)
  tests/test_resource.py          -> tests/test_<module>.py   (per tag; the SDK's own tests)
  tests/X.jinja                   -> tests/X                  (mock API, clients, spec and replies)
  docs/...                        -> docs/...                 (see generator/render/docs.py)
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from generator import ir, naming
from generator.paths import builtin_templates
from generator.render import text

if TYPE_CHECKING:
    from generator.render.types import TypeRenderer

# The Python planners (generator.render.models, .params, .readme, .resources, .servers, .types) are
# imported where they are used: the TypeScript SDK needs only `environment` and `text` from here.


def _is_runtime_file(name: str) -> bool:
    """`runtime/X.py`: a file of the static runtime, copied into every SDK rather than rendered."""
    return name.startswith("runtime/") and name.endswith(".py") and "__pycache__" not in name


PER_ITEM = {"package/models/model_module.py.jinja", "package/resources/resource.py.jinja",
            "package/params/params_module.py.jinja", "tests/test_resource.py.jinja"}


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    from generator.parse_cache import folder

    root = folder()
    if root is None:
        return None
    try:
        (root / "jinja").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(root / "jinja")) if os.access(root / "jinja", os.W_OK) else None


def environment(user_dirs: Iterable[Path] = ()) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in user_dirs]
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        # Compiled templates are cached beside parsed specs (Jinja keys them by template source).
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=False,  # templates do not change during a run: no stat per get_template
    )
    env.filters.update(
        docstring=text.docstring,
        docstring_body=text.docstring_body,
        comment=text.comment,
        md=text.md_inline,
        md_block=text.md_block,
        anchor=text.anchor,
        first_sentence=text.first_sentence,
        api_name=text.api_name,
        pystr=lambda s: repr(str(s)),
        tomlstr=lambda s: json.dumps(text.clean(str(s))),
        isort_sorted=_isort_sorted,
    )
    return env


def _isort_sorted(names: Iterable[str]) -> list[str]:
    from generator.render.types import isort_key

    return sorted(names, key=isort_key)


@dataclass(frozen=True)
class SchemeView:
    name: str
    constructor: str
    credential: str


@dataclass(frozen=True)
class CredentialArg:
    name: str
    env: str
    doc: str


@dataclass(frozen=True)
class ResourceRef:
    name: str
    module: str
    class_name: str
    doc: str


@dataclass(frozen=True)
class ClientView:
    doc: str
    base_url: str
    servers: tuple[str, ...]  # source of each top-level `Server(...)`
    operation_servers: tuple[tuple[str, str], ...]  # (URL template, `Server(...)` source), with variables
    server_imports: str  # the names imported from `_runtime._servers`
    base_url_env: str
    log_env: str
    user_agent: str
    schemes: tuple[SchemeView, ...]
    scheme_classes: tuple[str, ...]
    credential_args: tuple[CredentialArg, ...]
    resources: tuple[ResourceRef, ...]


def plan_client(api: ir.Api) -> ClientView:
    from generator.render.servers import default_url, server_source

    schemes, args, classes = [], [], set()
    for s in api.security_schemes:
        if s.kind == "basic":
            user = f"{s.param}_username" if s.param else "username"
            password = f"{s.param}_password" if s.param else "password"
            env = s.env_var if s.param else api.package.env_prefix
            classes.add("HTTPBasic")
            args += [
                CredentialArg(user, f"{env}_USERNAME", "User name for HTTP basic auth."),
                CredentialArg(password, f"{env}_PASSWORD", "Password for HTTP basic auth."),
            ]
            ctor = (
                f"HTTPBasic({s.name!r}, client_arg={user!r}, env_var={env + '_USERNAME'!r}, "
                f"password_arg={password!r}, password_env_var={env + '_PASSWORD'!r})"
            )
            # Parenthesised: black wraps a long conditional in parentheses, ruff format keeps them.
            credential = f"(({user}, {password}) if {user} is not None and {password} is not None else None)"
            schemes.append(SchemeView(s.name, ctor, credential))
            continue
        if s.kind == "apikey":
            classes.add("APIKey")
            ctor = (
                f"APIKey({s.name!r}, location={s.location!r}, param_name={s.wire_name!r}, "
                f"client_arg={s.param!r}, env_var={s.env_var!r})"
            )
        else:
            classes.add("HTTPBearer")
            ctor = f"HTTPBearer({s.name!r}, client_arg={s.param!r}, env_var={s.env_var!r})"
        doc = text.docstring_body(text.first_sentence(s.description)) or s.fallback_doc()
        args.append(CredentialArg(s.param, s.env_var, doc))
        schemes.append(SchemeView(s.name, ctor, s.param))
    resources = tuple(
        ResourceRef(r.name, r.module, r.class_name, text.docstring_body(text.first_sentence(r.description) or r.title))
        for r in api.resources
        if len(r.path) <= 1
    )
    prefix = api.package.env_prefix
    servers = tuple(server_source(s) for s in api.servers or (ir.Server("http://localhost"),))
    op_servers = tuple(sorted(
        {op.server.url: server_source(op.server) for r in api.resources for op in r.operations
         if op.server is not None and op.server.variables}.items()))
    return ClientView(
        doc=text.docstring_body(f"Client for the {api.title}" + ("." if api.title.endswith("API") else " API.")),
        base_url=default_url(api.servers[0]) if api.servers else "http://localhost",
        servers=servers,
        operation_servers=op_servers,
        server_imports=", ".join(["Server"] + ["ServerVariable"] * any(
            "ServerVariable(" in src for src in (*servers, *(src for _, src in op_servers)))
            + ["check_server_variables", "select_server", "server_url"]),
        base_url_env=f"{prefix}_BASE_URL",
        log_env=f"{prefix}_LOG",
        user_agent=f"{api.package.project_name}/{api.package.version} (sdkforge)",
        schemes=tuple(schemes),
        scheme_classes=tuple(sorted(classes)),
        credential_args=tuple(args),
        resources=resources,
    )


@dataclass
class Renderer:
    """One render of one API: the code first (so it can be formatted while the docs render), then
    the docs. `render()` does both."""

    api: ir.Api
    env: jinja2.Environment
    tr: TypeRenderer
    base: dict[str, Any]
    tests_spec: dict[str, Any] | None = None  # `generator.bundle`'s subset of the spec; None: no tests/

    @classmethod
    def create(cls, api: ir.Api, user_dirs: Iterable[Path] = (), tests_spec: dict[str, Any] | None = None
               ) -> Renderer:
        from generator.render.types import TypeRenderer

        header = f"Generated by sdkforge from {text.comment(api.spec_name)}. Do not edit by hand."
        return cls(api, environment(user_dirs), TypeRenderer(api), {"api": api, "header": header}, tests_spec)

    def emit(self, out: dict[str, str], template: str, path: str, **extra: Any) -> None:
        out[path] = self.env.get_template(template).render(**self.base, **extra)

    def code(self) -> dict[str, str]:
        """The package and project files (everything but docs/)."""
        from generator.render.models import plan_models
        from generator.render.params import plan_params
        from generator.render.readme import plan_readme
        from generator.render.resources import plan_resource
        from generator.render.types import import_key, isort_key

        api, pkg = self.api, self.api.package.name
        out: dict[str, str] = {}
        suite = None
        if self.tests_spec is not None:
            from generator.render.tests import plan_tests

            creds = [(a.name, f"test-{a.name}") for a in plan_client(api).credential_args]
            suite = plan_tests(api, self.tests_spec, creds)
        names = sorted(self.env.list_templates(filter_func=lambda n: n.endswith(".jinja")))
        for name in names:
            stem = name[: -len(".jinja")]
            base_name = stem.rsplit("/", 1)[-1]
            if name in PER_ITEM or (base_name.startswith("_") and "." not in base_name):
                continue  # per-item templates are rendered below; `_name.jinja` files are macro libraries
            if name.startswith("package/"):
                extra: dict[str, Any] = {}
                if name == "package/_client.py.jinja":
                    extra["client"] = plan_client(api)
                if name == "package/models/__init__.py.jinja":
                    pairs = [(t.name, t.module) for t in api.named_types()]
                    extra["exports"] = sorted(pairs, key=lambda nm: isort_key(nm[0]))
                    extra["imports"] = sorted(pairs, key=lambda nm: (import_key(nm[1])[1], import_key(nm[0])))
                if name == "package/params/__init__.py.jinja":
                    twins = [(self.tr.twins[t.name], t.module) for t in api.named_types() if t.name in self.tr.twins]
                    extra["exports"] = sorted(twins, key=lambda nm: isort_key(nm[0]))
                    extra["imports"] = sorted(twins, key=lambda nm: (import_key(nm[1])[1], import_key(nm[0])))
                self.emit(out, name, f"{pkg}/{stem[len('package/') :]}", **extra)
            elif name.startswith("runtime/"):  # a fork's runtime file from before they were plain .py files
                path = f"{pkg}/_runtime/{stem[len('runtime/') :]}"
                self.emit(out, name, path)
                if path.endswith(".py"):
                    out[path] = f"# {self.base['header']}\n" + out[path]
            elif name.startswith("project/"):
                extra = {"tests": self.tests_spec is not None}
                if name == "project/README.md.jinja":
                    extra["readme"] = plan_readme(api)
                self.emit(out, name, stem[len("project/") :], **extra)
            elif name.startswith("tests/") and suite is not None:
                self.emit(out, name, stem, tests=suite)
        loader = self.env.loader
        assert loader is not None
        for name in sorted(self.env.list_templates(filter_func=_is_runtime_file)):
            path = f"{pkg}/_runtime/{name[len('runtime/') :]}"
            if path not in out:  # copied as it is (a fork's file first), under the header
                out[path] = f"# {self.base['header']}\n" + loader.get_source(self.env, name)[0]
        for module in plan_models(api, self.tr):
            self.emit(out, "package/models/model_module.py.jinja", f"{pkg}/models/{module.name}.py", module=module)
        for params in plan_params(api, self.tr):
            self.emit(out, "package/params/params_module.py.jinja", f"{pkg}/params/{params.name}.py", module=params)
        for res in api.resources:
            self.emit(out, "package/resources/resource.py.jinja", f"{pkg}/resources/{res.module}.py",
                      resource=plan_resource(res, self.tr, api.resources))
        for test_module in suite.modules if suite is not None else ():
            self.emit(out, "tests/test_resource.py.jinja", test_module.path, module=test_module)
        return out

    def docs(self, part: str = "all") -> dict[str, str]:
        """The docs/ pages; `part` as in `render_docs` ("models-head" and "rest" make up "all")."""
        from generator.render.docs import render_docs

        return render_docs(self.api, self.env, self.tr, self.base, part)


def render(api: ir.Api, user_dirs: Iterable[Path] = ()) -> dict[str, str]:
    r = Renderer.create(api, user_dirs)
    return {**r.code(), **r.docs()}


__all__ = ["Renderer", "render", "environment", "builtin_templates", "naming"]
