"""Run in a fresh interpreter by tests/support/corpus.py: `corpus_check.py OUT PACKAGE`.

"Generates" must mean "works": an SDK whose import succeeds but whose first model, alias or
resource fails is broken. So this imports every module of the package, builds every model
(`model_rebuild(force=True)`) and every alias and enum (a `TypeAdapter` each), reached through the
lazy `models` package as a user would, then creates the sync and the async client and touches every
resource attribute, nested ones included, and every method on them. Prints one JSON line of counts;
exits 1 after listing what failed.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import pkgutil
import sys
from functools import cached_property
from typing import Any

import pydantic


def _attributes(obj: object) -> list[str]:
    """Properties (resources are cached properties) and public methods of obj's class."""
    names = []
    for klass in type(obj).__mro__:
        if klass.__module__.startswith(("builtins", "pydantic")):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or name in names:
                continue
            if isinstance(value, (cached_property, property)) or callable(value):
                names.append(name)
    return sorted(names)


def _touch(obj: object, package: str, bases: tuple[type, ...], seen: dict[int, object], errors: list[str],
           path: str) -> int:
    """Every attribute of a resource; recurses into the resources (and raw-response views) it holds."""
    count = 0
    for name in _attributes(obj):
        try:
            value = getattr(obj, name)
        except Exception as exc:  # noqa: BLE001 - every failure is reported
            errors.append(f"{path}.{name}: {type(exc).__name__}: {exc}")
            continue
        if id(value) in seen or not type(value).__module__.startswith(package + "."):
            continue
        seen[id(value)] = value  # kept alive: a temporary's id could be reused by the next one
        if isinstance(value, bases):
            count += 1
        count += _touch(value, package, bases, seen, errors, f"{path}.{name}")
    return count


def main(out: str, package: str) -> int:
    sys.path.insert(0, out)
    errors: list[str] = []
    pkg = importlib.import_module(package)
    modules = [m.name for m in pkgutil.walk_packages(pkg.__path__, f"{package}.")]
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001
            errors.append(f"import {name}: {type(exc).__name__}: {exc}")
    models = importlib.import_module(f"{package}.models")
    built = {"models": 0, "aliases": 0}
    for name in models.__all__:
        try:
            value = getattr(models, name)
            if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
                value.model_rebuild(force=True)
                built["models"] += 1
            else:
                pydantic.TypeAdapter(value)
                built["aliases"] += 1
        except Exception as exc:  # noqa: BLE001
            errors.append(f"build {name}: {type(exc).__name__}: {exc}")
    client_module = importlib.import_module(f"{package}._client")
    base_client = importlib.import_module(f"{package}._runtime._base_client")
    bases = (base_client.SyncAPIResource, base_client.AsyncAPIResource)
    resources: dict[str, int] = {}
    for label, cls_name in (("sync", "Client"), ("async", "AsyncClient")):
        client: Any = getattr(client_module, cls_name)(base_url="http://127.0.0.1:9")
        resources[label] = _touch(client, package, bases, {}, errors, cls_name)
        if label == "sync":
            client.close()
        else:
            asyncio.run(client.close())
    print(json.dumps({"modules": len(modules), **built, "resources": resources}))
    for line in errors[:40]:
        print(line)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
