"""`pip install ./output` in a fresh virtual environment gives a working, fully typed package."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import OUTPUT

pytestmark = pytest.mark.slow


def test_pip_install_output_in_fresh_venv(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    install = subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              str(OUTPUT)], capture_output=True, text=True, check=False)
    assert install.returncode == 0, install.stdout + install.stderr
    work = tmp_path / "elsewhere"  # not next to output/, so the installed copy is what gets imported
    work.mkdir()
    probe = subprocess.run(
        [str(py), "-c", "import chat_sdk, pathlib; c = chat_sdk.Client(api_key='x'); "
                        "print(pathlib.Path(chat_sdk.__file__).parent); print(type(c.chat).__name__)"],
        cwd=work, capture_output=True, text=True, check=False)
    assert probe.returncode == 0, probe.stderr
    location, resource = probe.stdout.split()
    assert str(env_dir) in location and resource == "ChatResource"
    typed = Path(location) / "py.typed"
    assert typed.is_file()
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           "--python-executable", str(py), "-p", "chat_sdk"],
                          cwd=work, capture_output=True, text=True, check=False)
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


def test_installed_wheel_finds_its_templates(tmp_path: Path) -> None:
    """sdkforge built as a wheel and installed elsewhere generates an SDK (templates are package data)."""
    from tests.conftest import CHAT_SPEC, ROOT

    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check",
                            "-w", str(wheels), str(ROOT)], capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stderr
    wheel = next(wheels.glob("sdkforge-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    install = subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet",
                              "--disable-pip-version-check", str(wheel)], capture_output=True, text=True, check=False)
    assert install.returncode == 0, install.stderr
    work = tmp_path / "work"
    work.mkdir()
    gen = subprocess.run([str(env_dir / "bin" / "sdkforge"), "generate", str(CHAT_SPEC), "--output", "sdk",
                          "--package-name", "chat_sdk", "--quiet"], cwd=work, capture_output=True, text=True,
                         check=False)
    assert gen.returncode == 0, gen.stdout + gen.stderr
    assert (work / "sdk" / "chat_sdk" / "_runtime" / "_base_client.py").is_file()
    assert (work / "sdk" / "docs" / "sdks" / "chat" / "README.md").is_file()
    ts_gen = subprocess.run([str(env_dir / "bin" / "sdkforge"), "generate", str(CHAT_SPEC), "--output", "ts-sdk",
                             "--language", "typescript", "--quiet"], cwd=work, capture_output=True, text=True,
                            check=False)
    assert ts_gen.returncode == 0, ts_gen.stdout + ts_gen.stderr
    assert (work / "ts-sdk" / "src" / "runtime" / "core.ts").is_file()  # the TypeScript runtime is package data
