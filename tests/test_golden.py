"""Golden trees: regenerating from each case's spec must reproduce its committed output byte for byte.

`output/` is the golden tree of `specs/chat.yaml`. Regenerate with `pytest --update-golden` (or
`make golden`), which goes through the same code path as the CLI.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import CHAT_SPEC, OUTPUT, ROOT

GOLDEN = ROOT / "tests" / "golden"
# (name, spec, golden tree, package, template fork or None)
CASES = [
    ("chat", CHAT_SPEC, OUTPUT, "chat_sdk", None),
    # A fork that overrides a model template and a docs template (see tests/golden/fork/templates).
    ("fork", GOLDEN / "fork" / "spec.yaml", GOLDEN / "fork" / "expected", "notes_sdk", GOLDEN / "fork" / "templates"),
]


def tree(root: Path) -> dict[str, bytes]:
    skip = {".mypy_cache", "__pycache__", ".ruff_cache", ".pytest_cache"}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not skip & set(p.relative_to(root).parts) and not p.name.endswith(".pyc")}


@pytest.mark.parametrize(("name", "spec", "golden", "package", "templates"), CASES, ids=[c[0] for c in CASES])
def test_golden(tmp_path: Path, update_golden: bool, name: str, spec: Path, golden: Path, package: str,
                templates: Path | None) -> None:
    target = golden if update_golden else tmp_path / name
    fork = ["--templates", str(templates)] if templates else []
    assert main(["generate", str(spec), "--output", str(target), "--package-name", package, "-q", *fork]) == 0
    if update_golden:
        return
    expected, actual = tree(golden), tree(target)
    assert sorted(actual) == sorted(expected), "file lists differ (run `pytest --update-golden`)"
    for rel in sorted(expected):
        if expected[rel] != actual[rel]:
            diff = "".join(difflib.unified_diff(
                expected[rel].decode(errors="replace").splitlines(True),
                actual[rel].decode(errors="replace").splitlines(True),
                f"golden/{rel}", f"generated/{rel}"))
            pytest.fail(f"{rel} differs from the golden tree:\n{diff[:5000]}")
