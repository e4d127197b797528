"""Run by the hostile tests in a fresh interpreter: `importcheck.py CHECK_FILE (OUT PACKAGE)...`.

Imports every module of each generated package (pkgutil.walk_packages, errors raised; packages may
share a name: each is forgotten before the next is imported), builds every
pydantic model and every type alias of its models package (models defer their build to first use,
so a broken annotation would otherwise go unnoticed), then executes CHECK_FILE with `pkg` bound to
the first package. Prints `imported N modules`.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import pydantic


def fail(name: str) -> None:
    raise ImportError(f"cannot import {name}")


def main(argv: list[str]) -> None:
    check_file, pairs = argv[0], argv[1:]
    count = 0
    first = None
    for out, package in zip(pairs[::2], pairs[1::2], strict=True):
        sys.path.insert(0, out)
        pkg = importlib.import_module(package)
        first = first or pkg
        for info in pkgutil.walk_packages(pkg.__path__, f"{package}.", onerror=fail):
            module = importlib.import_module(info.name)
            count += 1
            if ".models." not in info.name:
                continue
            for name in getattr(module, "__all__", ()):
                value = getattr(module, name)
                if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
                    value.model_rebuild(force=True)
                elif not isinstance(value, (type, str)):  # a type alias (union, list, enum Literal, ...)
                    pydantic.TypeAdapter(value)
        sys.path.remove(out)
        if (len(pairs) > 2) and package in pairs[3::2]:  # the same name again later: forget this one
            for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
                del sys.modules[name]
    with open(check_file, encoding="utf-8") as fh:
        source = fh.read()
    exec(compile(source, check_file, "exec"), {"pkg": first, "__name__": "__check__"})  # noqa: S102
    print(f"imported {count} modules")


if __name__ == "__main__":
    main(sys.argv[1:])
