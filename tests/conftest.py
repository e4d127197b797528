from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.prism import Prism, prism_binary
from tests.support.specvalidate import SpecValidator

ROOT = Path(__file__).resolve().parents[1]
# ../shared holds the real-world specs (CI has it; a fresh clone does not). SDKFORGE_SHARED points elsewhere,
# e.g. at a missing folder to check that every test needing it skips with its reason (.ci/run does that).
SHARED = Path(os.environ.get("SDKFORGE_SHARED") or ROOT.parent / "shared")
CHAT_SPEC = ROOT / "specs" / "chat.yaml"
OUTPUT = ROOT / "output"
# Golden trees are generated SDKs, and those ship test suites of their own: not part of this one.
collect_ignore = ["golden"]


def pytest_configure(config: pytest.Config) -> None:
    from generator.structure import preload

    preload()  # tests generate in-process hundreds of times: the structure check forks with it loaded


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="regenerate golden trees (and output/) instead of comparing")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def shared_or_skip(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared holds the real-world specs; CI has it)")
    return path


@pytest.fixture(scope="session")
def chat_sdk() -> Any:
    """The committed generated SDK in output/, imported as a package."""
    if str(OUTPUT) not in sys.path:
        sys.path.insert(0, str(OUTPUT))
    import chat_sdk as pkg

    return pkg


@pytest.fixture(scope="session")
def chat_spec() -> dict[str, Any]:
    return yaml.load(CHAT_SPEC.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


@pytest.fixture(scope="session")
def chat_validator(chat_spec: dict[str, Any]) -> SpecValidator:
    return SpecValidator(chat_spec, base_path="")


@pytest.fixture(scope="session")
def prism_chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prism]:
    binary = prism_binary()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("Prism is not installed; `make setup` installs it (npm ci in tests/prism)")
        pytest.skip("Prism is not installed; run `make setup` (npm ci in tests/prism)")
    log = tmp_path_factory.mktemp("prism") / "prism.log"
    with Prism(CHAT_SPEC, binary, log) as server:
        yield server
