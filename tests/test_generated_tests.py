"""Every generated SDK ships its own test suite (tests/ beside the package): it passes out of the box,
runs from a fresh virtual environment with only the package and its test extra, and fails when the
SDK is broken by hand (a wrong path, a wrong body field name, a wrong response field type)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import CHAT_SPEC, OUTPUT, shared_or_skip


def run_generated_tests(folder: Path, python: str = sys.executable) -> subprocess.CompletedProcess[str]:
    return subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=folder,
                          capture_output=True, text=True, check=False, timeout=600)


def test_output_ships_a_sync_and_an_async_test_per_operation() -> None:
    tree = ast.parse((OUTPUT / "tests" / "test_chat.py").read_text(encoding="utf-8"))
    names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    methods = ("list_chat_completions", "create_chat_completion", "get_chat_completion", "update_chat_completion",
               "delete_chat_completion", "get_chat_completion_messages")
    for method in methods:
        assert {f"test_{method}", f"test_{method}_async"} <= names, method
    assert {"test_create_chat_completion_stream", "test_create_chat_completion_stream_async"} <= names
    assert {"test_list_chat_completions_walks_pages", "test_list_chat_completions_walks_pages_async"} <= names
    assert any(n.startswith("test_") and "_error_" in n for n in names)
    assert any(n.endswith("_retries_after_503") for n in names)
    assert (OUTPUT / "tests" / "_spec.json").is_file() and (OUTPUT / "tests" / "_replies.json").is_file()
    assert 'test = ["pytest>=8"]' in (OUTPUT / "pyproject.toml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_generated_tests_pass_from_a_fresh_venv(tmp_path: Path) -> None:
    """`pip install -e .[test] && pytest` in a copy of output/, in a venv holding nothing else."""
    sdk = tmp_path / "sdk"
    shutil.copytree(OUTPUT, sdk, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = str(env_dir / "bin" / "python")
    install = subprocess.run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e",
                              f"{sdk}[test]"], capture_output=True, text=True, check=False)
    assert install.returncode == 0, install.stdout + install.stderr
    proc = run_generated_tests(sdk, py)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout and "failed" not in proc.stdout


@pytest.fixture(scope="module")
def chat_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("chat-mutants") / "sdk"
    assert main(["generate", str(CHAT_SPEC), "--output", str(out), "--package-name", "chat_sdk", "-q"]) == 0
    return out


MUTATIONS = [
    # (what is broken, file, text, replacement, a test that must fail)
    ("wrong path", "chat_sdk/resources/chat.py", 'path="/chat/completions/{completion_id}",',
     'path="/chat/completion/{completion_id}",', "test_get_chat_completion"),
    ("wrong body field name", "chat_sdk/resources/chat.py", '"messages": messages,', '"message": messages,',
     "test_create_chat_completion"),
    ("wrong response field type", "chat_sdk/models/create_chat_completion_response.py", "    created: int\n",
     "    created: str\n", "test_create_chat_completion"),
]


@pytest.mark.parametrize("what, file, old, new, failing", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_generated_tests_catch_a_broken_sdk(chat_copy: Path, tmp_path: Path, what: str, file: str, old: str,
                                            new: str, failing: str) -> None:
    mutant = tmp_path / "mutant"
    shutil.copytree(chat_copy, mutant, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    target = mutant / file
    text = target.read_text(encoding="utf-8")
    assert old in text, f"the mutation point for {what!r} moved: update this test"
    target.write_text(text.replace(old, new), encoding="utf-8")
    proc = run_generated_tests(mutant)
    assert proc.returncode == 1, proc.stdout[-3000:]
    assert f"::{failing} " in proc.stdout or f"::{failing}\n" in proc.stdout or f"{failing} -" in proc.stdout, \
        proc.stdout[-3000:]


def test_unmutated_copy_passes(chat_copy: Path) -> None:
    proc = run_generated_tests(chat_copy)
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_tests_false_leaves_them_out(tmp_path: Path) -> None:
    (tmp_path / "sdkforge.toml").write_text(
        f'spec = "{CHAT_SPEC.as_posix()}"\noutput = "sdk"\npackage-name = "chat_sdk"\ntests = false\n',
        encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "generator", "generate", "-q"], cwd=tmp_path, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not (tmp_path / "sdk" / "tests").exists()
    assert "[test]" not in (tmp_path / "sdk" / "README.md").read_text(encoding="utf-8")
    assert "optional-dependencies" not in (tmp_path / "sdk" / "pyproject.toml").read_text(encoding="utf-8")


CORPUS_SAMPLE = ["petstore/swagger-petstore.openapi.yaml", "mistral/openapi.yaml", "asana/asana_oas.yaml"]


@pytest.mark.corpus
@pytest.mark.parametrize("name", CORPUS_SAMPLE)
def test_corpus_sdk_tests_pass(name: str, tmp_path: Path) -> None:
    """A sample of ../shared/specs in CI; `bench/generated_tests.py` runs every spec's suite."""
    spec = shared_or_skip("specs", *name.split("/"))
    out = tmp_path / "sdk"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", "corpus_sdk", "-q"]) == 0
    proc = run_generated_tests(out)
    assert proc.returncode == 0, proc.stdout[-4000:]
