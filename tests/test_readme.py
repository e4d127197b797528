"""The README's commands work as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def block(name: str) -> list[str]:
    m = re.search(rf"<!-- readme-test: {name} -->\n```sh\n(.*?)```", README, re.S)
    assert m, f"README block {name!r} is missing"
    return [line for line in m.group(1).splitlines() if line.strip() and not line.startswith("#")]


def run(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "sdkforge"
    args = line.split()
    assert args[0] == "sdkforge"
    return subprocess.run([str(exe), *args[1:]], cwd=cwd, capture_output=True, text=True, check=False)


def test_first_two_commands_are_make_setup_and_make_test() -> None:
    m = re.search(r"```sh\n(.*?)```", README, re.S)
    assert m is not None
    commands = [line.split("#")[0].strip() for line in m.group(1).splitlines() if line.strip()]
    assert commands == ["make setup", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make setup" in ci and "make test" in ci
    makefile = (ROOT / "Makefile").read_text()
    assert "test:" in makefile and "$(PY) -m pytest" in makefile


def test_regenerating_in_ci_commands() -> None:
    for line in block("ci"):
        proc = run(line, ROOT)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_customizing_templates_commands(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    for line in block("customizing"):
        proc = run(line, tmp_path)
        assert proc.returncode == 0, f"{line}\\n{proc.stdout}{proc.stderr}"
    assert (tmp_path / "my-templates" / "sdkforge-templates.toml").is_file()
    assert "Template context reference" in (tmp_path / "my-templates" / "CONTEXT.md").read_text()
    assert (tmp_path / "build" / "custom-sdk" / "chat_sdk" / "_client.py").is_file()


def test_pre_commit_hook_runs_the_check() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "sdkforge-check"
    assert hooks[0]["entry"].startswith("sdkforge generate --check")
    proc = run(hooks[0]["entry"], ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
