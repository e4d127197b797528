"""`tsc --strict --noEmit` on the TypeScript SDK of every spec in ../shared/specs (the full OpenAI spec
included), and every ```typescript snippet of their docs and READMEs compiles: 0 errors each."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import shared_or_skip
from tests.support import typescript as ts
from tests.support.corpus import SHARED_SPECS, discover, package_for

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


def _specs() -> list[Path]:
    return discover() if SHARED_SPECS.is_dir() else []


@pytest.mark.parametrize("spec", _specs(), ids=lambda p: p.relative_to(SHARED_SPECS).as_posix())
def test_typescript_sdk_compiles(spec: Path, tmp_path: Path) -> None:
    ts.tools()
    out = tmp_path / "sdk"
    name = package_for(spec).replace("_", "-")
    assert main(["generate", str(spec), "--output", str(out), "--language", "typescript", "--package-name", name,
                 "-q"]) == 0
    ts.assert_compiles(out)
    code = ts.snippets(out)
    assert code, "no TypeScript examples in the docs"
    ts.snippet_project(out, tmp_path / "snippets", code)
    ts.assert_compiles(tmp_path / "snippets")


def test_corpus_present_or_skipped() -> None:
    shared_or_skip("specs")
    assert len(_specs()) >= 10
