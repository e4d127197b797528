"""Regeneration workflow: config targets and hints, template forks with a contract version, the
manifest, watch, and `sdkforge diff`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import contract
from generator.cli import main
from tests.conftest import CHAT_SPEC, ROOT, SHARED

NOTES = ROOT / "tests" / "golden" / "fork" / "spec.yaml"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          check=False)


# ---------------------------------------------------------------------------------------- config


def test_config_targets_generate_all_or_one(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(f"""
[tool.sdkforge]
spec = "{CHAT_SPEC}"
client-name = "Chat"
api-key-env = "MY_KEY"

[tool.sdkforge.targets.chat]
output = "out/chat"
package-name = "chat_a"

[tool.sdkforge.targets.notes]
spec = "{NOTES}"
output = "out/notes"
package-name = "notes_b"
client-name = "Notes"
""")
    proc = cli("generate", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    client_a = (tmp_path / "out/chat/chat_a/_client.py").read_text()
    assert "class Chat(SyncAPIClient)" in client_a and "class AsyncChat(AsyncAPIClient)" in client_a
    assert '"MY_KEY"' in client_a
    assert "class Notes(SyncAPIClient)" in (tmp_path / "out/notes/notes_b/_client.py").read_text()
    proc = cli("generate", "--target", "notes", "--check", cwd=tmp_path)
    assert proc.returncode == 0 and "[notes]" in proc.stdout and "[chat]" not in proc.stdout
    proc = cli("generate", "--target", "nope", cwd=tmp_path)
    assert proc.returncode == 2 and "no target named 'nope'" in proc.stderr


@pytest.mark.parametrize(("toml", "message"), [
    ('spec = 3\n', "'spec' must be a str"),
    ('[targets.x]\nbogus = "y"\n', "unknown key 'bogus'"),
    ('[pagination.listThings]\nitems = "data"\n', "must be a table with at least cursor-param"),
    ('package-name = "not a name"\nspec = "a.yaml"\noutput = "o"\n', "not a valid Python package name"),
])
def test_config_validation(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "sdkforge.toml").write_text(toml)
    proc = cli("generate", cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr


def test_cli_flags_override_config(tmp_path: Path) -> None:
    (tmp_path / "sdkforge.toml").write_text(f'spec = "{CHAT_SPEC}"\noutput = "cfg-out"\npackage-name = "cfg_pkg"\n')
    proc = cli("generate", "--output", "flag-out", "--package-name", "flag_pkg", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "flag-out" / "flag_pkg").is_dir() and not (tmp_path / "cfg-out").exists()


def test_pagination_hint_from_config(tmp_path: Path) -> None:
    spec = tmp_path / "chat.yaml"
    spec.write_text(CHAT_SPEC.read_text().replace("x-sdkforge-pagination:", "x-other:"))
    (tmp_path / "sdkforge.toml").write_text(f"""spec = "{spec}"
output = "out"
package-name = "hinted"
[pagination.listChatCompletions]
cursor-param = "after"
items = "data"
has-more = "has_more"
next-cursor = "first_id"
""")
    assert cli("generate", "-q", cwd=tmp_path).returncode == 0
    chat = (tmp_path / "out/hinted/resources/chat.py").read_text()
    list_method = chat.split("def list_chat_completions", 1)[1].split("def ", 1)[0]
    assert "next_cursor='first_id'" in list_method.replace('"', "'")  # the hint, not the convention
    messages_method = chat.split("def get_chat_completion_messages", 1)[1].split("def ", 1)[0]
    # no hint, no extension: the after/data/has_more/last_id convention is recognised
    assert "next_cursor='last_id'" in messages_method.replace('"', "'")
    plain = cli("generate", str(spec), "--output", str(tmp_path / "plain"), "--package-name", "plain")
    assert "pagination-inferred" not in plain.stderr  # an info, not printed as a warning


# --------------------------------------------------------------------------------------- manifest


def test_manifest_records_provenance_and_hashes(tmp_path: Path) -> None:
    assert main(["generate", str(NOTES), "--output", str(tmp_path), "--package-name", "notes", "-q"]) == 0
    manifest = json.loads((tmp_path / ".sdkforge-manifest.json").read_text())
    assert manifest["generator"].startswith("sdkforge ")
    assert manifest["spec"] == "spec.yaml"
    assert len(manifest["spec_sha256"]) == 64 and len(manifest["config_sha256"]) == 64
    import hashlib

    for rel, digest in manifest["files"].items():
        assert hashlib.sha256((tmp_path / rel).read_bytes()).hexdigest() == digest, rel
    on_disk = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert on_disk - set(manifest["files"]) == {".sdkforge-manifest.json"}


# ---------------------------------------------------------------------------------------- forks


def test_templates_export_then_fork_changes_output(tmp_path: Path) -> None:
    fork = tmp_path / "fork"
    assert main(["templates", "export", str(fork)]) == 0
    assert (fork / contract.FORK_FILE).read_text().strip().endswith(f'"{contract.CONTRACT_VERSION}"')
    module = fork / "package" / "models" / "model_module.py.jinja"
    module.write_text(module.read_text().replace("class {{ item.name }}(BaseModel):",
                                                 "# forked\nclass {{ item.name }}(BaseModel):"))
    out = tmp_path / "out"
    assert main(["generate", str(NOTES), "--output", str(out), "--package-name", "notes", "--templates", str(fork),
                 "-q"]) == 0
    assert "# forked\nclass Note(BaseModel):" in (out / "notes/models/note.py").read_text()


def _fork_with(tmp_path: Path, version: str | None) -> Path:
    fork = tmp_path / "fork"
    fork.mkdir()
    if version is not None:
        (fork / contract.FORK_FILE).write_text(f'contract = "{version}"\n')
    return fork


@pytest.mark.parametrize(("version", "code", "text"), [
    (None, 0, "does not declare the template contract"),
    (contract.CONTRACT_VERSION, 0, ""),
    ("0.9", 2, "incompatible major version"),
    ("1.99", 2, "upgrade sdkforge"),
    ("2.0", 2, "incompatible major version"),
])
def test_fork_contract_version(tmp_path: Path, version: str | None, code: int, text: str) -> None:
    fork = _fork_with(tmp_path, version)
    proc = cli("generate", str(NOTES), "--output", str(tmp_path / "out"), "--package-name", "notes",
               "--templates", str(fork))
    assert proc.returncode == code, proc.stderr
    assert text in proc.stderr
    if code == 2:
        assert not (tmp_path / "out").exists()


def test_broken_fork_template_is_a_diagnostic(tmp_path: Path) -> None:
    fork = _fork_with(tmp_path, contract.CONTRACT_VERSION)
    (fork / "package").mkdir()
    (fork / "package" / "__init__.py.jinja").write_text("{{ api.no_such_field }}\n")
    proc = cli("generate", str(NOTES), "--output", str(tmp_path / "out"), "--package-name", "notes",
               "--templates", str(fork))
    assert proc.returncode == 2 and "[template-error]" in proc.stderr and "no_such_field" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_context_reference_is_current() -> None:
    committed = (ROOT / "templates" / "CONTEXT.md").read_text()
    assert committed == contract.reference(), "run `sdkforge templates reference -o templates/CONTEXT.md`"


# ---------------------------------------------------------------------------------------- watch


def test_watch_regenerates_on_spec_change(tmp_path: Path) -> None:
    spec = tmp_path / "notes.yaml"
    spec.write_text(NOTES.read_text())
    proc = subprocess.Popen([sys.executable, "-m", "generator", "watch", str(spec), "--output", str(tmp_path / "o"),
                             "--package-name", "notes", "--interval", "0.1", "--max-runs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert "added" in first, first + (proc.stderr.read() if proc.stderr else "")
    time.sleep(0.3)
    spec.write_text(NOTES.read_text().replace("Paper color.", "Paper colour."))
    second = proc.stdout.readline()
    assert proc.wait(timeout=30) == 0
    assert re.search(r"0 added, [1-9][0-9]* modified, 0 removed", second), second
    assert "Paper colour." in (tmp_path / "o/notes/models/new_note.py").read_text()


# ----------------------------------------------------------------------------------------- diff


def _spec(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_diff_classifies_changes(tmp_path: Path) -> None:
    old = _spec(tmp_path, "old.yaml", NOTES.read_text())
    new_text = (NOTES.read_text()
                .replace("enum: [yellow, blue]", "enum: [yellow, green]")
                .replace("          example: note_1\n", "          example: note_1\n        - name: verbose\n"
                         "          in: query\n          schema: {type: string}\n", 1))
    new = _spec(tmp_path, "new.yaml", new_text)
    md = tmp_path / "CHANGES.md"
    proc = cli("diff", str(old), str(new), "--markdown", str(md), "--fail-on-breaking")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert "[BREAKING] enum value removed: models.NewNoteColor ('blue')" in lines
    assert "[added] enum value added: models.NewNoteColor ('green')" in lines
    assert "[added] optional argument added: client.notes.get_note(verbose=)" in lines
    assert lines[-1].endswith("suggested version bump: major")
    assert "Suggested version bump: **major**" in md.read_text()
    same = cli("diff", str(old), str(old))
    assert same.returncode == 0 and "0 changes" in same.stdout and "bump: none" in same.stdout


def test_diff_additive_change_is_minor(tmp_path: Path) -> None:
    old = _spec(tmp_path, "old.yaml", NOTES.read_text())
    new = _spec(tmp_path, "new.yaml", NOTES.read_text().replace(
        "        id: {type: string, description: Identifier., example: note_1}\n",
        "        id: {type: string, description: Identifier., example: note_1}\n        pinned: {type: boolean}\n"))
    proc = cli("diff", str(old), str(new))
    assert proc.returncode == 0
    assert "[added] field added: models.Note.pinned" in proc.stdout
    assert proc.stdout.strip().endswith("suggested version bump: minor")


def test_diff_on_openai_history() -> None:
    folder = SHARED / "specs" / "openai"
    if not folder.is_dir():
        pytest.skip(f"{folder} is not available (../shared holds the real-world specs; CI has it)")
    jul, oct_, latest = (folder / "openapi.2023-07-03.204e9ea.yaml", folder / "openapi.2023-10-19.84e9aa6.yaml",
                         folder / "openapi.latest.yaml")
    first = cli("diff", str(jul), str(oct_))
    assert first.returncode == 0, first.stderr
    assert ("[BREAKING] operation renamed: client.open_ai.list_models() (now client.models.list_models())"
            in first.stdout)
    assert "suggested version bump: major" in first.stdout
    second = cli("diff", str(oct_), str(latest))
    assert second.returncode == 0, second.stderr
    assert "[BREAKING] return type changed: client.audio.create_transcription()" in second.stdout
    assert "[added] operation added: client.chat.create_chat_completion()" not in second.stdout  # it existed


def test_check_exit_codes_for_ci_usage(tmp_path: Path) -> None:
    """The documented CI step: `sdkforge generate --check` fails (1) on drift, listing files."""
    out = tmp_path / "sdk"
    assert main(["generate", str(NOTES), "--output", str(out), "--package-name", "notes", "-q"]) == 0
    (out / "notes" / "_client.py").write_text("# edited by hand\n")
    proc = cli("generate", str(NOTES), "--output", str(out), "--package-name", "notes", "--check")
    assert proc.returncode == 1 and "modified: notes/_client.py" in proc.stdout
    env = {**os.environ, "NO_COLOR": "1"}
    quiet = subprocess.run([sys.executable, "-m", "generator", "generate", str(NOTES), "--output", str(out),
                            "--package-name", "notes", "-q"], capture_output=True, text=True, env=env, check=False)
    assert quiet.returncode == 0 and quiet.stdout == ""


def test_hand_written_text_around_generated_sections_survives(tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    args = ["generate", str(NOTES), "--output", str(out), "--package-name", "notes", "-q"]
    assert main(args) == 0
    readme = out / "README.md"
    text = readme.read_text()
    assert "<!-- sdkforge:begin quickstart -->" in text
    text = text.replace("## Quick start", "## Our team's notes\n\nAsk #notes-sdk for help.\n\n## Quick start")
    text = text.replace("<!-- sdkforge:end quickstart -->", "<!-- sdkforge:end quickstart -->\nHand-written tip.")
    readme.write_text(text)
    assert main(args) == 0  # regenerate: user text kept
    kept = readme.read_text()
    assert "Ask #notes-sdk for help." in kept and "Hand-written tip." in kept
    assert main([*args, "--check"]) == 0
    spec = tmp_path / "notes.yaml"
    spec.write_text(NOTES.read_text().replace("title: Notes", "title: Notebook"))
    assert main(["generate", str(spec), "--output", str(out), "--package-name", "notes", "-q"]) == 0
    changed = readme.read_text()
    assert "Ask #notes-sdk for help." in changed and "Notebook" in changed


def test_preserve_merge_inserts_new_sections_and_drops_old() -> None:
    from generator.preserve import merge

    existing = ("intro\n<!-- sdkforge:begin a -->\nold a\n<!-- sdkforge:end a -->\nmine\n"
                "<!-- sdkforge:begin gone -->\nx\n<!-- sdkforge:end gone -->\n")
    generated = ("<!-- sdkforge:begin a -->\nnew a\n<!-- sdkforge:end a -->\n"
                 "<!-- sdkforge:begin b -->\nnew b\n<!-- sdkforge:end b -->\n")
    merged = merge(existing, generated)
    assert merged.startswith("intro\n<!-- sdkforge:begin a -->\nnew a\n")
    assert "mine" in merged and "gone" not in merged and "new b" in merged
    assert merged.index("new a") < merged.index("new b")


def test_fast_path_replays_warnings_and_notices_template_changes(tmp_path: Path) -> None:
    spec = tmp_path / "notes.yaml"
    spec.write_text(NOTES.read_text() + "webhooks:\n  noteAdded:\n    post:\n      responses:\n        '200':\n"
                    "          description: ok\n")
    fork = _fork_with(tmp_path, contract.CONTRACT_VERSION)
    args = ("generate", str(spec), "--output", str(tmp_path / "out"), "--package-name", "notes",
            "--templates", str(fork))
    first = cli(*args)
    assert first.returncode == 0 and "[webhooks-skipped]" in first.stderr
    second = cli(*args)
    assert "inputs unchanged" in second.stdout
    assert second.stderr == first.stderr  # the same warnings, replayed from the manifest
    (fork / "package").mkdir()
    (fork / "package" / "extra.txt.jinja").write_text("fork {{ api.title }}\n")
    third = cli(*args)
    assert third.returncode == 0 and "1 added" in third.stdout
    assert (tmp_path / "out" / "notes" / "extra.txt").read_text() == "fork Notes\n"
