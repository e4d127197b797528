"""The `sdkforge` command: exit codes, --check, diagnostics for bad input, output left untouched.

One broken spec per file, each rejected with exit 2 and one located diagnostic: tests/hostile/test_bad_specs.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import CHAT_SPEC, OUTPUT, ROOT


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, "PYTHONHASHSEED": "0"}, check=False)


def test_check_passes_on_committed_output() -> None:
    proc = run_cli("generate", "--check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "up to date" in proc.stdout


def test_check_fails_after_a_field_is_added(tmp_path: Path) -> None:
    spec = tmp_path / "chat.yaml"
    text = CHAT_SPEC.read_text(encoding="utf-8")
    marker = "    CreateChatCompletionRequest:\n"
    assert marker in text
    head, tail = text.split(marker, 1)
    # add a property right after the `properties:` line of CreateChatCompletionRequest
    props = "      properties:\n"
    idx = tail.index(props) + len(props)
    tail = tail[:idx] + "        brand_new_field:\n          type: string\n          description: New.\n" + tail[idx:]
    spec.write_text(head + marker + tail, encoding="utf-8")
    proc = run_cli("generate", str(spec), "--output", str(OUTPUT), "--package-name", "chat_sdk", "--check")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "chat_sdk/models/create_chat_completion_request.py" in proc.stdout
    assert "chat_sdk/resources/chat.py" in proc.stdout


def test_generate_writes_then_check_is_clean(tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    assert main(["generate", str(CHAT_SPEC), "--output", str(out), "--package-name", "chat_sdk", "-q"]) == 0
    assert (out / "chat_sdk" / "__init__.py").is_file()
    assert (out / ".sdkforge-manifest.json").is_file()
    assert main(["generate", str(CHAT_SPEC), "--output", str(out), "--package-name", "chat_sdk", "--check", "-q"]) == 0


def test_regeneration_rewrites_nothing(tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    args = ["generate", str(CHAT_SPEC), "--output", str(out), "--package-name", "chat_sdk", "-q"]
    assert main(args) == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert main(args) == 0
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert before == after


def test_stale_files_removed_but_user_files_kept(tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    args = ["generate", str(CHAT_SPEC), "--output", str(out), "--package-name", "chat_sdk", "-q"]
    assert main(args) == 0
    (out / "NOTES.md").write_text("mine\n")
    stale = out / "chat_sdk" / "models" / "old_model.py"
    stale.write_text("# generated once\n")
    manifest = out / ".sdkforge-manifest.json"
    listed = '"files": {\n    "chat_sdk/models/old_model.py": "x",'
    manifest.write_text(manifest.read_text().replace('"files": {', listed, 1))
    assert main(args) == 0
    assert not stale.exists()
    assert (out / "NOTES.md").read_text() == "mine\n"


def test_missing_spec_file_is_a_diagnostic(tmp_path: Path) -> None:
    proc = run_cli("generate", str(tmp_path / "nope.yaml"), "--output", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "[file-not-found]" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists()


def test_bad_config_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "sdkforge.toml").write_text('spec = "x.yaml"\nbogus = 1\n')
    proc = run_cli("generate", cwd=tmp_path)
    assert proc.returncode == 2
    assert "unknown key 'bogus'" in proc.stderr


def test_python_m_generator_and_console_script_agree() -> None:
    exe = shutil.which("sdkforge", path=str(Path(sys.executable).parent))
    assert exe is not None, "the sdkforge console script is not installed"
    proc = subprocess.run([exe, "generate", "--check"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_status_line_on_a_terminal_is_erased_and_threadless(tmp_path: Path) -> None:
    """On a terminal a status line shows while generating and is erased after; it is a plain line,
    not a spinner thread, so the parallel parts still fork (generator.parallel needs no threads)."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI on a terminal, as a person runs it
        env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
        os.execve(sys.executable, [sys.executable, "-c", "import threading, generator.cli as c, "
                                   "generator.pipeline as p; orig = p.run; "
                                   "p.run = lambda *a, **k: (print('threads', threading.active_count()), "
                                   "orig(*a, **k))[1]; raise SystemExit(c.main())",
                                   "generate", str(CHAT_SPEC), "--output", str(tmp_path / "out"),
                                   "--package-name", "chat_sdk"], {**env, "PYTHONPATH": str(ROOT)})
    chunks = []
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    _, status = os.waitpid(pid, 0)
    out = b"".join(chunks).decode()
    assert os.waitstatus_to_exitcode(status) == 0, out
    assert "threads 1" in out
    assert "sdkforge: generating" in out and "\r\x1b[K" in out
    assert out.index("\r\x1b[K") < out.index("files in")
