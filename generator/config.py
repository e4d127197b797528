"""Configuration: `[tool.sdkforge]` in pyproject.toml (or sdkforge.toml), overridden by CLI flags."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from generator import naming

KNOWN_KEYS = {
    "spec": str,
    "output": str,
    "package-name": str,
    "project-name": str,
    "client-name": str,
    "api-key-env": str,
    "templates": str,
    "version": str,
}


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
    extra: dict[str, Any] = field(default_factory=dict)

    def with_defaults(self) -> Config:
        package = self.package_name or naming.snake(self.spec.stem, empty="sdk") + "_sdk"
        if not package.isidentifier():
            raise ConfigError(f"package-name {package!r} is not a valid Python identifier")
        project = self.project_name or package.replace("_", "-")
        return replace(self, package_name=package, project_name=project)


def find_config_file(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        for name in ("sdkforge.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml" and b"[tool.sdkforge]" not in candidate.read_bytes():
                    continue
                return candidate
    return None


def read_table(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc
    table = data.get("tool", {}).get("sdkforge", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.sdkforge] must be a table")
    for key, value in table.items():
        expected = KNOWN_KEYS.get(key)
        if expected is None:
            raise ConfigError(
                f"{path}: unknown key {key!r} in [tool.sdkforge]; known: {', '.join(sorted(KNOWN_KEYS))}"
            )
        if not isinstance(value, expected):
            raise ConfigError(f"{path}: {key!r} must be a {expected.__name__}, got {value!r}")
    return table


def from_table(table: dict[str, Any], base: Path) -> dict[str, Any]:
    """Turn a config table into Config keyword arguments, paths relative to the file's folder."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        attr = key.replace("-", "_")
        if attr in ("spec", "output"):
            out[attr] = base / value
        elif attr == "templates":
            out[attr] = (base / value,)
        else:
            out[attr] = value
    return out
