"""Stage 1, load: a spec file -> a JSON-compatible dict, checked to be an OpenAPI document.

YAML goes through libyaml's CSafeLoader (timestamps are kept as strings, as JSON would have them);
JSON through the json module. openapi-pydantic validates the structure: what it rejects is reported
as warnings with JSON pointers (real specs often bend the schema), never as a crash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Collector, join_pointer

try:
    _BaseLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):  # type: ignore[misc]
    pass


def _timestamp_as_string(loader: Any, node: Any) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_string)

SUPPORTED = ("3.0", "3.1")


@dataclass(frozen=True)
class Loaded:
    path: Path
    data: dict[str, Any]
    version: str  # "2.0", "3.0.x", "3.1.x"


def read_document(path: Path, diags: Collector, pointer: str = "", file: str = "") -> Any:
    """Parse one file (YAML or JSON). Returns None and reports on failure."""
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        diags.error("file-not-found", pointer, f"no such file: {path}", file)
        return None
    except OSError as exc:
        diags.error("file-unreadable", pointer, f"cannot read {path}: {exc.strerror}", file)
        return None
    if path.suffix.lower() == ".json" or text.lstrip()[:1] in (b"{", b"["):
        try:
            return json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            where = f" at line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
            diags.error("json-syntax", "", f"{path.name}: invalid JSON{where}: {exc}", path.name)
            return None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        diags.error("yaml-syntax", "", f"{path.name}: invalid YAML{where}: {exc.problem}", path.name)
        return None
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as exc:
        diags.error("yaml-syntax", "", f"{path.name}: invalid YAML: {exc}", path.name)
        return None


def load(path: Path, diags: Collector) -> Loaded | None:
    data = read_document(path, diags)
    if data is None:
        return None
    if not isinstance(data, dict):
        diags.error("not-openapi", "", f"the document is a {type(data).__name__}, not an OpenAPI object")
        return None
    version = data.get("openapi", data.get("swagger"))
    if version is None:
        diags.error("not-openapi", "", "no 'openapi' (or 'swagger') field: this is not an OpenAPI document")
        return None
    version = str(version)
    key = "openapi" if "openapi" in data else "swagger"
    if version != "2.0" and not version.startswith(SUPPORTED):
        diags.error(
            "unsupported-version",
            f"/{key}",
            f"OpenAPI version {version!r} is not supported (supported: 2.0, 3.0.x, 3.1.x)",
        )
        return None
    if not isinstance(data.get("paths", {}), dict):
        diags.error("invalid-structure", "/paths", "'paths' must be an object")
        return None
    return Loaded(path=path, data=data, version=version)


def validate_structure(data: dict[str, Any], diags: Collector) -> None:
    """Check the document against openapi-pydantic's model; mismatches become warnings."""
    from openapi_pydantic import parse_obj  # imported here: it costs ~0.3 s to import
    from pydantic import ValidationError

    try:
        parse_obj(data)
    except ValidationError as exc:
        for err in exc.errors()[:20]:
            loc = [str(p) for p in err["loc"] if not str(p).startswith(("OpenAPI", "function-", "union"))]
            diags.warning("spec-structure", join_pointer("", *loc), f"openapi-pydantic: {err['msg']}")
    except Exception as exc:  # noqa: BLE001 - a validator crash must not stop generation
        diags.warning("spec-structure", "", f"openapi-pydantic could not validate the spec: {exc}")
