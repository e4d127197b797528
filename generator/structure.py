"""The load stage's structure check: the document against openapi-pydantic's model of OpenAPI
3.0/3.1. Real specs often bend the schema, so what does not fit is a warning (`spec-structure`)
with a JSON pointer, never an error; the generator goes on with what it understands.

Importing openapi-pydantic (and pydantic) takes about 0.3 s and checking a 3 MB spec 0.1 s, so the
check runs beside the pipeline: `StructureCheck.start` forks it (generator.parallel) right after
the load, and the pipeline collects it when it writes the manifest; the result is cached by the
spec file's bytes and the validator's version (generator.parse_cache), so an unchanged spec is not
checked again. Swagger 2.0 (checked as its conversion, which is ours) and documents over
MAX_BYTES (a pydantic model of every node) are not checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator import parallel, parse_cache
from generator.diagnostics import Collector, join_pointer

MAX_BYTES = 20 * 1024 * 1024
CHECK_VERSION = "2"  # part of the cache key: bump when `problems` reports differently
Problems = list[tuple[str, str]]  # (JSON pointer, message)


def problems(data: dict[str, Any]) -> Problems:
    """Where the document does not fit openapi-pydantic's model; empty when it fits. Pure, returns
    plain data and never raises (it may run in another process).

    Object keys are checked as the strings JSON would have (YAML reads `200:` as an integer). A
    place that fails every alternative of a union (a parameter or a `$ref`) is one problem listing
    each alternative's complaint."""
    try:
        from openapi_pydantic import parse_obj
        from pydantic import ValidationError

        document = _string_keys(data)
        try:
            parse_obj(document)
        except ValidationError as exc:
            found: dict[str, list[str]] = {}
            for err in exc.errors():
                pointer, field = _data_pointer(document, tuple(err["loc"]))
                if _is_reference(document, pointer):
                    continue  # a `$ref` (an operation's, say) is read where it points; normalize reports it
                text = f"{field}: {err['msg']}" if field else err["msg"]
                if text not in found.setdefault(pointer, []):
                    found[pointer].append(text)
            return [(pointer, "openapi-pydantic: " + "; or ".join(texts[:4]))
                    for pointer, texts in sorted(found.items())[:20]]
    except Exception as exc:  # noqa: BLE001 - a validator crash must not stop generation
        return [("", f"openapi-pydantic could not check the document: {type(exc).__name__}: {exc}")]
    return []


def _is_reference(document: Any, pointer: str) -> bool:
    """Whether the node at `pointer`, or one on the way to it, is a `$ref` object."""
    node = document
    for raw in pointer.split("/")[1:]:
        if isinstance(node, dict) and "$ref" in node:
            return True
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return isinstance(node, dict) and "$ref" in node


def _string_keys(node: Any) -> Any:
    if isinstance(node, dict):
        return {k if isinstance(k, str) else str(k): _string_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_string_keys(v) for v in node]
    return node


def _data_pointer(document: Any, loc: tuple[Any, ...]) -> tuple[str, str]:
    """The pointer to the deepest node of `document` on pydantic's error path (which also holds
    the version tag and union-member model names, none of them in the data), and the field below
    it that is missing or wrong when the path ends outside the data."""
    node, parts = document, []
    for step in loc:
        if isinstance(node, dict) and isinstance(step, str) and step in node:
            node = node[step]
            parts.append(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            parts.append(str(step))
    last = loc[-1] if loc else ""
    outside = isinstance(last, str) and (not parts or parts[-1] != last)
    field = last if outside and last[:1] and not last[:1].isupper() and not last[:1].isdigit() else ""
    return join_pointer("", *parts), field


def _validator_version() -> str:
    """What the cached results depend on besides the spec: the installed validator's files (their
    path, size and time change whenever the package is reinstalled or upgraded). Cheaper than
    importlib.metadata, and nothing is imported."""
    from importlib.util import find_spec

    parts = []
    for name in ("openapi_pydantic", "pydantic"):
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        try:
            info = Path(origin).stat() if origin else None
        except OSError:
            info = None
        parts.append(f"{name}={origin}:{info.st_size}:{info.st_mtime_ns}" if info else f"{name}=?")
    return ";".join(parts)


def preload() -> None:
    """Import the validator now, in a process that will generate many times (watch mode, a test
    session): each check then forks with it loaded instead of importing it again."""
    import openapi_pydantic  # noqa: F401


class StructureCheck:
    """One check of one spec file, started at once, collected by `report`."""

    def __init__(self, spec: Path, data: dict[str, Any], swagger2: bool, overlays: str = "") -> None:
        """`overlays`: a digest of the overlays applied to `data` (part of the cache key)."""
        self.cached: Problems | None = None
        self.job: parallel.Job[Problems] | None = None
        self.text = b""
        self.salt = ""
        try:
            if swagger2 or spec.stat().st_size > MAX_BYTES:
                self.cached = []
                return
            self.text = spec.read_bytes()
        except OSError:
            self.cached = []
            return
        self.salt = _validator_version() + ";" + CHECK_VERSION + overlays
        found = parse_cache.get(self.text, "structure", self.salt)
        if isinstance(found, list):
            self.cached = [(str(p), str(m)) for p, m in found]
            return
        self.job = parallel.start(lambda: problems(data))

    def report(self, diags: Collector) -> None:
        """Add the problems as warnings (waiting for the check if it is still running)."""
        if self.cached is None:
            assert self.job is not None
            self.cached = self.job.result()
            self.job = None
            if not any(m.startswith("openapi-pydantic could not") for _, m in self.cached):
                parse_cache.put(self.text, self.cached, "structure", self.salt)
        for pointer, message in self.cached:
            diags.warning("spec-structure", pointer, message)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job = None
