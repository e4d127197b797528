"""Fixtures: the runtime's source files (``templates/runtime/*.py``), imported as they are.

Each test gets the sources under a fresh package name (``rtpkg_N._runtime``), so module state never
leaks from one test into another; nothing is rendered or copied for that. Tests that need a package
on disk (mypy on generated-style code, a subprocess) copy the files byte for byte with ``copy_runtime``.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

RUNTIME = Path(__file__).resolve().parents[2] / "templates" / "runtime"
MODULES = [
    "_types",
    "_models",
    "_lazy",
    "_exceptions",
    "_security",
    "_operation",
    "_qs",
    "_files",
    "_logging",
    "_retries",
    "_response",
    "_streaming",
    "_servers",
    "_pagination",
    "_engine",
    "_base_client",
]
_counter = itertools.count()


def runtime_files() -> list[Path]:
    return sorted(RUNTIME.glob("*.py"))


def copy_runtime(target: Path, package: str) -> Path:
    """Copy every runtime file into ``target/<package>/_runtime/``; return the package dir."""
    pkg = target / package
    runtime = pkg / "_runtime"
    runtime.mkdir(parents=True)
    (pkg / "__init__.py").write_text('"""Test package holding a copy of the runtime."""\n')
    for source in runtime_files():
        shutil.copyfile(source, runtime / source.name)
    return pkg


def import_runtime(package: str) -> None:
    """Import the runtime sources themselves as ``<package>._runtime``."""
    parent = ModuleType(package)
    parent.__path__ = []
    sys.modules[package] = parent
    spec = importlib.util.spec_from_file_location(
        f"{package}._runtime",
        RUNTIME / "__init__.py",
        submodule_search_locations=[str(RUNTIME)],
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)


class Runtime:
    """The imported runtime modules, e.g. ``rt.models.BaseModel``, ``rt.base_client``."""

    package: str

    def __init__(self, package: str) -> None:
        self.package = package
        for name in MODULES:
            module = importlib.import_module(f"{package}._runtime.{name}")
            setattr(self, name.lstrip("_"), module)

    def __getattr__(
        self, name: str
    ) -> Any:  # convenience: rt.NOT_GIVEN, rt.Operation...
        for module_name in MODULES:
            module: ModuleType = self.__dict__[module_name.lstrip("_")]
            if hasattr(module, name) and name in getattr(module, "__all__", ()):
                return getattr(module, name)
        raise AttributeError(name)


@pytest.fixture
def rt() -> Iterator[Runtime]:
    package = f"rtpkg_{next(_counter)}"
    import_runtime(package)
    try:
        yield Runtime(package)
    finally:
        for name in [
            m for m in sys.modules if m == package or m.startswith(package + ".")
        ]:
            del sys.modules[name]


class Recorder:
    """A MockTransport handler that answers from a list of responses and records requests."""

    def __init__(
        self, *responses: httpx.Response | Exception | Callable[[httpx.Request], Any]
    ):
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if not self.responses:
            raise AssertionError("unexpected extra request")
        item = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if callable(item) and not isinstance(item, httpx.Response):
            item = item(request)
        if isinstance(item, Exception):
            raise item
        assert isinstance(item, httpx.Response)
        return item

    @property
    def count(self) -> int:
        return len(self.requests)


class ARecorder(Recorder):
    async def handle(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self(request)


@pytest.fixture
def make_client(rt: Runtime) -> Iterator[Callable[..., Any]]:
    """``make_client(*responses, **client_kwargs) -> (client, recorder, sleeps)``."""
    clients: list[Any] = []

    def factory(*responses: Any, **kwargs: Any) -> tuple[Any, Recorder, list[float]]:
        recorder = Recorder(*responses)
        sleeps: list[float] = []
        kwargs.setdefault("base_url", "https://api.example.com/v1")
        kwargs.setdefault("_random", lambda: 0.0)
        client = rt.base_client.SyncAPIClient(
            http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
            _sleep=sleeps.append,
            **kwargs,
        )
        clients.append(client)
        return client, recorder, sleeps

    yield factory
    for client in clients:
        client._http_client.close()


@pytest.fixture
def make_async_client(rt: Runtime) -> Callable[..., Any]:
    """``make_async_client(*responses, **kwargs) -> (client, recorder, sleeps)`` (async client)."""

    def factory(*responses: Any, **kwargs: Any) -> tuple[Any, ARecorder, list[float]]:
        recorder = ARecorder(*responses)
        sleeps: list[float] = []

        async def sleep(seconds: float) -> None:
            sleeps.append(seconds)

        kwargs.setdefault("base_url", "https://api.example.com/v1")
        kwargs.setdefault("_random", lambda: 0.0)
        client = rt.base_client.AsyncAPIClient(
            http_client=httpx.AsyncClient(
                transport=httpx.MockTransport(recorder.handle)
            ),
            _sleep=sleep,
            **kwargs,
        )
        return client, recorder, sleeps

    return factory
