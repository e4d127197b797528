"""Configuration: `[tool.sdkforge]` in pyproject.toml (or a `sdkforge.toml`), overridden by CLI flags.

    [tool.sdkforge]                      # keys here apply to every target
    spec = "specs/chat.yaml"
    output = "output"
    package-name = "chat_sdk"
    client-name = "Client"               # the async client is "Async" + this
    api-key-env = "OPENAI_API_KEY"       # environment variable of the (first) bearer/API key
    templates = "my-templates"           # a template fork (see `sdkforge templates export`)
    version = "0.1.0"                    # version of the generated package
    overlays = ["overlays/names.yaml"]   # OpenAPI Overlays (1.0) applied in order to the spec as it loads
    tests = false                        # leave out the SDK's own test suite (tests/; on by default)
    language = "typescript"              # the SDK's language: "python" (default) or "typescript";
                                         # for TypeScript, package-name is the npm name (@scope/name allowed)

    [tool.sdkforge.operations.listThings]  # per operationId; wins over x-speakeasy-*/x-fern-* extensions
    method = "list"                      # method name
    group = "things"                     # resource (dotted = nested: "admin.things")
    ignore = false                       # true: no method for this operation

    [tool.sdkforge.pagination.listThings]  # wins over x-sdkforge-pagination / x-speakeasy-pagination
    cursor-param = "after"
    items = "data"
    has-more = "has_more"
    next-cursor = "last_id"              # or: cursor-from-last-item = "id"

    [tool.sdkforge.targets.admin]        # more targets: each table overrides the keys above
    spec = "specs/admin.yaml"
    output = "admin-sdk"
    package-name = "admin_sdk"

A bare `sdkforge generate` generates every target (just the top-level one when there are none).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from generator import naming

KNOWN_KEYS: dict[str, type] = {
    "spec": str,
    "output": str,
    "package-name": str,
    "project-name": str,
    "client-name": str,
    "api-key-env": str,
    "templates": str,
    "version": str,
    "tests": bool,
    "language": str,
    "pagination": dict,
    "overlays": list,
    "operations": dict,
    "targets": dict,
}
OPERATION_KEYS: dict[str, type] = {"method": str, "group": str, "ignore": bool}
LANGUAGES = ("python", "typescript")
NPM_NAME = re.compile(r"^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$")
IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
PAGINATION_KEYS = {"cursor-param", "items", "has-more", "next-cursor", "cursor-from-last-item", "style"}


class ConfigError(Exception):
    """A configuration file or flag is invalid; the message says which key and why."""


@dataclass(frozen=True)
class Config:
    spec: Path
    output: Path
    package_name: str = ""
    project_name: str = ""
    client_name: str = "Client"
    api_key_env: str = ""
    templates: tuple[Path, ...] = ()
    version: str = "0.1.0"
    check: bool = False
    pagination: dict[str, dict[str, str]] = field(default_factory=dict)
    overlays: tuple[Path, ...] = ()
    operations: dict[str, dict[str, str | bool]] = field(default_factory=dict)
    name: str = ""  # target name ("" for the top-level table)
    tests: bool = True  # generate the SDK's own tests/ (mock API checking requests against the spec)
    language: str = "python"  # "python" or "typescript"

    def with_defaults(self) -> Config:
        if self.language not in LANGUAGES:
            raise ConfigError(f"language {self.language!r} is not supported; choose one of {', '.join(LANGUAGES)}")
        if self.language == "typescript":
            return self._typescript_defaults()
        package = self.package_name or naming.snake(self.spec.stem, empty="sdk") + "_sdk"
        if not package.isidentifier() or package.startswith("_"):
            raise ConfigError(f"package-name {package!r} is not a valid Python package name")
        if not self.client_name.isidentifier():
            raise ConfigError(f"client-name {self.client_name!r} is not a valid Python class name")
        project = self.project_name or package.replace("_", "-")
        return replace(self, package_name=package, project_name=project)


    def _typescript_defaults(self) -> Config:
        package = self.package_name or "-".join(naming.snake(self.spec.stem, empty="sdk").split("_")) + "-sdk"
        if not NPM_NAME.match(package) or len(package) > 214:
            raise ConfigError(f"package-name {package!r} is not a valid npm package name (lower case, "
                              "optionally scoped as @scope/name)")
        if not IDENTIFIER.match(self.client_name):
            raise ConfigError(f"client-name {self.client_name!r} is not a valid TypeScript class name")
        return replace(self, package_name=package, project_name=self.project_name or package)


def find_config_file(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        for name in ("sdkforge.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml" and b"[tool.sdkforge" not in candidate.read_bytes():
                    continue
                return candidate
    return None


def _check_table(table: dict[str, Any], where: str) -> None:
    for key, value in table.items():
        expected = KNOWN_KEYS.get(key)
        if expected is None:
            raise ConfigError(f"{where}: unknown key {key!r}; known: {', '.join(sorted(KNOWN_KEYS))}")
        if not isinstance(value, expected):
            raise ConfigError(f"{where}: {key!r} must be a {expected.__name__}, got {value!r}")
    for op_id, hint in table.get("pagination", {}).items():
        if not isinstance(hint, dict) or "cursor-param" not in hint:
            raise ConfigError(f"{where}: pagination.{op_id} must be a table with at least cursor-param")
        unknown = set(hint) - PAGINATION_KEYS
        if unknown:
            raise ConfigError(f"{where}: pagination.{op_id}: unknown keys {sorted(unknown)}")
    if not all(isinstance(o, str) and o for o in table.get("overlays", [])):
        raise ConfigError(f"{where}: 'overlays' must be a list of file paths")
    for op_id, settings in table.get("operations", {}).items():
        if not isinstance(settings, dict):
            raise ConfigError(f"{where}: operations.{op_id} must be a table")
        for key, value in settings.items():
            if key not in OPERATION_KEYS:
                raise ConfigError(f"{where}: operations.{op_id}: unknown key {key!r}; "
                                  f"known: {', '.join(sorted(OPERATION_KEYS))}")
            if not isinstance(value, OPERATION_KEYS[key]) or value == "":
                raise ConfigError(f"{where}: operations.{op_id}.{key} must be a "
                                  f"{'non-empty ' if OPERATION_KEYS[key] is str else ''}"
                                  f"{OPERATION_KEYS[key].__name__}, got {value!r}")


def read_table(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc
    table = data.get("tool", {}).get("sdkforge", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.sdkforge] must be a table")
    _check_table(table, f"{path} [tool.sdkforge]")
    for name, target in table.get("targets", {}).items():
        if not isinstance(target, dict):
            raise ConfigError(f"{path}: targets.{name} must be a table")
        if "targets" in target:
            raise ConfigError(f"{path}: targets.{name} cannot have targets of its own")
        _check_table(target, f"{path} [tool.sdkforge.targets.{name}]")
    return table


def _values(table: dict[str, Any], base: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        attr = key.replace("-", "_")
        if attr == "targets":
            continue
        if attr in ("spec", "output"):
            out[attr] = base / value
        elif attr == "templates":
            out[attr] = (base / value,)
        elif attr == "overlays":
            out[attr] = tuple(base / v for v in value)
        elif attr == "operations":
            out[attr] = {str(k): dict(v) for k, v in value.items()}
        elif attr == "pagination":
            out[attr] = {str(k): {str(hk): str(hv) for hk, hv in v.items()} for k, v in value.items()}
        else:
            out[attr] = value
    return out


def targets_from_table(table: dict[str, Any], base: Path) -> list[dict[str, Any]]:
    """Config keyword arguments for each target (the top-level table alone when there are none)."""
    top = _values(table, base)
    targets = table.get("targets") or {}
    if not targets:
        return [top]
    out = []
    for name in sorted(targets):
        merged = {**top, **_values(targets[name], base), "name": name}
        for key in ("pagination", "operations"):
            if key in top and key in targets[name]:
                merged[key] = {**top[key], **_values(targets[name], base)[key]}
        out.append(merged)
    return out
