"""The templates are plain Python: rendering is the identity, and the result passes the linters."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import MODULES, TEMPLATES, render_runtime, template_files


def test_every_module_has_a_template() -> None:
    names = {p.name.removesuffix(".py.jinja") for p in template_files()}
    assert names == {*MODULES, "__init__"}


@pytest.mark.parametrize("template", template_files(), ids=lambda p: p.name)
def test_rendered_file_equals_source(tmp_path: Path, template: Path) -> None:
    source = template.read_text()
    for delimiter in ("{{", "{%", "{#"):
        assert (
            delimiter not in source
        ), f"{template.name} contains Jinja delimiter {delimiter!r}"
    pkg = render_runtime(tmp_path, "rtpkg")
    rendered = (pkg / "_runtime" / template.name.removesuffix(".jinja")).read_text()
    assert rendered == source


def test_runtime_only_uses_relative_imports_and_allowed_dependencies() -> None:
    allowed_third_party = {"httpx", "pydantic", "pydantic_core", "typing_extensions"}
    stdlib = set(sys.stdlib_module_names)
    for template in template_files():
        for line in template.read_text().splitlines():
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")) and not stripped.startswith(
                "from ."
            ):
                top = stripped.split()[1].split(".")[0]
                assert top in stdlib or top in allowed_third_party, (
                    template.name,
                    line,
                )
                if top == "typing_extensions":  # only for type checking
                    assert line.startswith("    "), (template.name, line)


# A miniature of what the generator emits; type-checked against the runtime with ``--strict``.
CONSUMER = """\
from __future__ import annotations

from typing import Annotated, Literal, cast

from ._runtime._base_client import AsyncAPIClient, AsyncAPIResource, SyncAPIClient, SyncAPIResource
from ._runtime._models import BaseModel, OpenEnum
from ._runtime._operation import CursorPagination, Operation
from ._runtime._pagination import AsyncCursorPage, SyncCursorPage
from ._runtime._response import (
    APIResponse,
    AsyncAPIResponse,
    async_to_raw_response_wrapper,
    to_raw_response_wrapper,
)
from ._runtime._security import APIKey
from ._runtime._streaming import Stream
from ._runtime._types import NOT_GIVEN, Body, Headers, NotGiven, Query, Timeout


class Pet(BaseModel):
    id: str
    kind: Annotated[Literal["cat", "dog"], OpenEnum]


class Pets(SyncAPIResource):
    def retrieve(
        self,
        pet_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Pet:
        return cast(
            Pet,
            self._client.request(
                Operation(
                    method="get",
                    path="/pets/{pet_id}",
                    path_params={"pet_id": pet_id},
                    query_styles={"tags": "form"},
                    security=(("ApiKey",),),
                    cast_to=Pet,
                    errors=(("4XX", Pet),),
                ),
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def list(self, *, after: str | NotGiven = NOT_GIVEN) -> SyncCursorPage[Pet]:
        return cast(
            SyncCursorPage[Pet],
            self._client.request(
                Operation(
                    method="get",
                    path="/pets",
                    query={"after": after},
                    pagination=CursorPagination(cursor_param="after", items="data",
                                                has_more="has_more", next_cursor=None,
                                                cursor_from_last_item="id"),
                    page_item=Pet,
                )
            ),
        )

    def watch(self) -> Stream[Pet]:
        return cast(Stream[Pet], self._client.request(Operation(method="get", path="/w",
                                                                stream=True, stream_item=Pet)))


class AsyncPets(AsyncAPIResource):
    async def list(self) -> AsyncCursorPage[Pet]:
        return cast(AsyncCursorPage[Pet], await self._client.request(
            Operation(method="get", path="/pets",
                      pagination=CursorPagination("after", "data", None, "next", None))))


def use(client: SyncAPIClient) -> list[str]:
    pets = Pets(client)
    raw: APIResponse[Pet] = to_raw_response_wrapper(pets.retrieve)("p1", timeout=3.0)
    kinds: list[str] = [raw.parse().kind]
    kinds.extend(p.id for p in pets.list())
    with pets.watch() as stream:
        kinds.extend(p.kind for p in stream)
    return kinds


async def ause(client: AsyncAPIClient) -> list[str]:
    pets = AsyncPets(client)
    raw: AsyncAPIResponse[AsyncCursorPage[Pet]] = await async_to_raw_response_wrapper(pets.list)()
    page = await raw.parse()
    return [p.id async for p in page]


def make() -> SyncAPIClient:
    return SyncAPIClient(
        base_url="https://x.example",
        security_schemes={"ApiKey": APIKey("ApiKey", "header", "X-Key", env_var="X_KEY")},
        credentials={"ApiKey": "k"},
    )
"""


@pytest.fixture(scope="module")
def rendered_pkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lint")
    render_runtime(root, "rtpkg")
    return root


def _tool(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed in {sys.executable}")


def _run(args: list[str], cwd: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert (
        proc.returncode == 0
    ), f"{' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"


def test_mypy_strict(rendered_pkg: Path) -> None:
    _tool("mypy")
    _run(
        ["mypy", "--strict", "--no-incremental", "--python-version", "3.10", "rtpkg"],
        rendered_pkg,
    )


def test_mypy_strict_generated_style_consumer(tmp_path: Path) -> None:
    _tool("mypy")
    pkg = render_runtime(tmp_path, "consumerpkg")
    (pkg / "consumer.py").write_text(CONSUMER)
    _run(
        [
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-version",
            "3.10",
            "consumerpkg",
        ],
        tmp_path,
    )


def test_import_is_cheap(rendered_pkg: Path) -> None:
    code = (
        "import sys, httpx, pydantic\n"
        "before = set(sys.modules)\n"
        "import rtpkg._runtime._base_client\n"
        "new = set(sys.modules) - before\n"
        "heavy = {'asyncio', 'anyio', 'trio', 'multiprocessing', 'email.utils'} & new\n"
        "assert not heavy, heavy\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=rendered_pkg, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_ruff_check(rendered_pkg: Path) -> None:
    _tool("ruff")
    _run(
        ["ruff", "check", "--no-cache", "--target-version", "py310", "rtpkg"],
        rendered_pkg,
    )
    _run(
        ["ruff", "check", "--no-cache", "--isolated", "--target-version", "py310",
         "--select", "E,F,W,I,UP,B,SIM", "--line-length", "100", "rtpkg"],
        rendered_pkg,
    )  # fmt: skip


def test_black_check(rendered_pkg: Path) -> None:
    _tool("black")
    _run(["black", "--check", "--target-version", "py310", "rtpkg"], rendered_pkg)


def test_templates_dir_is_the_source() -> None:
    assert (TEMPLATES / "README.md").exists()
