"""Golden trees: regenerating from each case's spec must reproduce its committed output byte for byte.

A case is a folder `tests/golden/<name>/` with an `sdkforge.toml` (its `spec`, the golden tree as
`output`, and any other setting: package name, template fork, ...), so adding a case needs no Python
edit. `output/` is the golden tree of `specs/chat.yaml`, configured in pyproject.toml. Regenerate
with `pytest --update-golden` (or `make golden`): the same `sdkforge generate --config` the CLI runs.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import read_table, targets_from_table
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
CONFIGS = [ROOT / "pyproject.toml", *sorted(GOLDEN.glob("*/sdkforge.toml"))]


def case_name(config: Path) -> str:
    return "chat" if config.name == "pyproject.toml" else config.parent.name


def _cases() -> list[tuple[Path, str]]:
    """(config, target name) for every configured target ("" when a config has no targets)."""
    return [(config, str(t.get("name", ""))) for config in CONFIGS
            for t in targets_from_table(read_table(config), config.parent)]


CASES = _cases()


def golden_tree(config: Path, name: str = "") -> Path:
    (target,) = [t for t in targets_from_table(read_table(config), config.parent) if t.get("name", "") == name]
    output: Path = target["output"]
    return output


def tree(root: Path) -> dict[str, bytes]:
    skip = {".mypy_cache", "__pycache__", ".ruff_cache", ".pytest_cache"}
    # Another target's output inside this one (output/typescript) has its own manifest and golden test.
    nested = [m.parent for m in root.glob("*/**/.sdkforge-manifest.json")]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not skip & set(p.relative_to(root).parts) and not p.name.endswith(".pyc")
            and not any(n in p.parents for n in nested) and not p.name.endswith(".sdkforge-lock")}


def test_every_case_folder_is_a_case() -> None:
    folders = {p.name for p in GOLDEN.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    assert folders == {case_name(c) for c in CONFIGS[1:]}, "a folder in tests/golden/ without sdkforge.toml"


@pytest.mark.parametrize(("config", "name"), CASES,
                         ids=[case_name(c) + (f"-{n}" if n and n != "python" else "") for c, n in CASES])
def test_golden(tmp_path: Path, update_golden: bool, config: Path, name: str) -> None:
    golden = golden_tree(config, name)
    target = golden if update_golden else tmp_path / case_name(config)
    pick = ["--target", name] if name else []
    assert main(["generate", "--config", str(config), *pick, "--output", str(target), "-q"]) == 0
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
