"""No-loss writes: whatever fails or is killed, and wherever, the output folder holds the previous
tree or the new one, byte for byte, never a mix; concurrent runs serialise; symlinks in the output
tree never lead a write outside it.

`old` is a generation of spec v1 plus a file of the user's; `new` what a clean generation of v2 plus
that file looks like. v2 adds a model, drops one and changes another, so a write adds, modifies and
removes files.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import write
from tests.hostile.support import ROOT, SPECS, check_tree, cli, generate, tree

HERE = Path(__file__).resolve().parent
PKG = "small_sdk"
V2_EXTRA = """    Toy:
      type: object
      description: A toy.
      properties:
        squeaks: {type: boolean}
"""


@pytest.fixture
def specs(tmp_path: Path) -> tuple[Path, Path]:
    v1_dir, v2_dir = tmp_path / "v1", tmp_path / "v2"
    v1_dir.mkdir()
    v2_dir.mkdir()
    v1 = v1_dir / "api.yaml"
    v1.write_text((SPECS / "valid_small.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    text = v1.read_text(encoding="utf-8")
    text = text.replace('        owner: {$ref: "#/components/schemas/Owner"}\n',
                        '        toy: {$ref: "#/components/schemas/Toy"}\n')
    text = text.replace("        id: {type: string}\n", "        id: {type: string, description: Changed.}\n")
    head, _owner = text.split("    Owner:\n")
    v2 = v2_dir / "api.yaml"
    v2.write_text(head + V2_EXTRA, encoding="utf-8")
    return v1, v2


@pytest.fixture
def trees(tmp_path: Path, specs: tuple[Path, Path]) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(old, new): the expected trees, from clean generations of v1 and v2 (plus the user's file)."""
    out: list[dict[str, bytes]] = []
    for spec in specs:
        ref = tmp_path / f"clean-{spec.parent.name}" / "out"
        ref.parent.mkdir()
        code, err = generate(spec, ref, PKG)
        assert code == 0, err
        (ref / "NOTES.md").write_text("mine\n", encoding="utf-8")
        out.append(tree(ref))
    old, new = out
    assert old != new and set(old) - set(new) and set(new) - set(old)
    return old, new


@pytest.fixture
def out(tmp_path: Path, specs: tuple[Path, Path]) -> Path:
    """The output folder, holding the old tree."""
    target = tmp_path / "work" / "out"
    target.parent.mkdir()
    code, err = generate(specs[0], target, PKG)
    assert code == 0, err
    (target / "NOTES.md").write_text("mine\n", encoding="utf-8")
    return target


def leftovers(out: Path) -> list[str]:
    """Staging or old trees left beside the output folder (the lock file is expected)."""
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name.startswith(f".{out.name}.sdkforge-") and not p.name.endswith("-lock"))


# ------------------------------------------------------------------------ failing before the write


def test_failed_load_or_normalize_leaves_the_tree(out: Path, trees: Any) -> None:
    old, _ = trees
    for bad in ("yaml_syntax.yaml", "dangling_ref.yaml", "ref_cycle_schemas.yaml", "empty.yaml"):
        code, err = generate(SPECS / bad, out, PKG)
        assert code == 2, err
        assert tree(out) == old, bad


@pytest.mark.parametrize(("template", "code"), [
    ("{% if %}", "template-error"),  # syntax error
    ("{{ no_such_variable }}", "template-error"),  # StrictUndefined
    ("{{ api.nope.deeper }}", "template-error"),
])
def test_broken_user_template_leaves_the_tree(out: Path, specs: Any, trees: Any, tmp_path: Path,
                                              template: str, code: str) -> None:
    fork = tmp_path / "fork" / "package"
    fork.mkdir(parents=True)
    (fork / "__init__.py.jinja").write_text(template, encoding="utf-8")
    exit_code, err = generate(specs[1], out, PKG, "--templates", str(fork.parent))
    assert exit_code == 2, err
    assert f"error: [{code}] #: " in err, err
    assert tree(out) == trees[0]


def test_template_raising_at_runtime_is_a_diagnostic(out: Path, specs: Any, trees: Any, tmp_path: Path) -> None:
    fork = tmp_path / "fork" / "package"
    fork.mkdir(parents=True)
    (fork / "__init__.py.jinja").write_text("{{ 1 // 0 }}", encoding="utf-8")
    proc = cli(specs[1], out, PKG, "--templates", str(fork.parent))
    assert tree(out) == trees[0]
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr


def test_format_stage_failure_leaves_the_tree(out: Path, specs: Any, trees: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.format
    import generator.pipeline

    class Reports(generator.format.FormatJob):
        def finish(self, diags: Any) -> dict[str, str]:
            files = super().finish(diags)
            diags.error("format-failed", "", "generated code does not parse (injected)")
            return files

    class Crashes(generator.format.FormatJob):
        def finish(self, diags: Any) -> dict[str, str]:
            super().finish(diags)  # let the formatter process end and its scratch folder go
            raise RuntimeError("ruff crashed")

    monkeypatch.setattr(generator.pipeline, "FormatJob", Reports)  # the pipeline's formatting stage only
    code, err = generate(specs[1], out, PKG)
    assert code == 2 and "[format-failed]" in err
    assert tree(out) == trees[0]
    monkeypatch.setattr(generator.pipeline, "FormatJob", Crashes)
    with pytest.raises(RuntimeError, match="ruff crashed"):
        generate(specs[1], out, PKG)
    assert tree(out) == trees[0]
    assert leftovers(out) == []


# --------------------------------------------------------------------- failing inside the write

# (what to break, at which call) -> the tree on disk right after, before any recovery
POINTS = [
    ("staging", 1, "old"),
    ("put", 1, "old"),
    ("put", 4, "old"),
    ("os.link", 1, "old"),
    ("os.link", 6, "old"),
    ("os.rename", 1, "old"),  # output -> .old
    ("os.rename", 2, "missing"),  # staging -> output: the output is away, the old tree beside it
    ("rmtree", 1, "new"),  # removing the old tree after the swap
]


def _patching(target: str, n: int, action: Callable[[], None]) -> Iterator[None]:
    owners: dict[str, tuple[Any, str]] = {
        "os.rename": (os, "rename"), "os.link": (os, "link"), "put": (write, "_put"),
        "rmtree": (shutil, "rmtree"), "staging": (write, "_new_staging"),
    }
    owner, attr = owners[target]
    real = getattr(owner, attr)
    calls = 0

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == n:
            action()
        return real(*args, **kwargs)

    setattr(owner, attr, wrapped)
    try:
        yield
    finally:
        setattr(owner, attr, real)


@pytest.mark.parametrize(("target", "n", "state"), POINTS, ids=[f"{t}-{n}" for t, n, _ in POINTS])
def test_exception_inside_write_leaves_old_or_new(out: Path, specs: Any, trees: Any, monkeypatch: pytest.MonkeyPatch,
                                                  target: str, n: int, state: str) -> None:
    old, new = trees
    real_write = write.write

    def fail() -> None:
        raise OSError(errno.ENOSPC, "No space left on device (injected)")

    def patched(output: Path, files: dict[str, str]) -> write.Changes:
        gen = _patching(target, n, fail)
        next(gen)
        try:
            return real_write(output, files)
        finally:
            next(gen, None)

    monkeypatch.setattr(write, "write", patched)
    if target == "os.link":  # a failed hard link falls back to a copy
        code, err = generate(specs[1], out, PKG)
        assert code == 0, err
        assert tree(out) == new and leftovers(out) == []
        return
    code, err = generate(specs[1], out, PKG)  # reported, not raised: exit 2 and a diagnostic
    assert code == 2 and "[write-failed]" in err and "injected" in err, err
    # An exception (unlike a kill) is cleaned up at once: only the post-swap cleanup can leave the
    # old tree beside the new one, for the next run to remove.
    assert tree(out) == (new if state == "new" else old)
    assert leftovers(out) == ([".out.sdkforge-old"] if state == "new" else [])
    monkeypatch.undo()
    write.recover(out)
    assert leftovers(out) == []
    code, err = generate(specs[1], out, PKG)
    assert code == 0, err
    assert tree(out) == new


@pytest.mark.parametrize(("target", "n", "state"), POINTS, ids=[f"{t}-{n}" for t, n, _ in POINTS])
def test_sigkill_inside_write_then_recover(out: Path, specs: Any, trees: Any, target: str, n: int, state: str) -> None:
    old, new = trees
    config = out.parent / "sdkforge.toml"
    proc = subprocess.run(
        [sys.executable, str(HERE / "killrun.py"), target, str(n), "--", "generate", str(specs[1]), "--output",
         str(out), "--package-name", PKG, "--config", str(config), "-q"],
        cwd=out.parent, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == -9, f"the kill point was never reached: {proc.returncode}\n{proc.stderr}"
    expected = {"old": old, "new": new, "missing": {}}[state]
    assert tree(out) == expected, "right after the kill"
    write.recover(out)
    assert tree(out) == (new if state == "new" else old), "after recover"
    assert leftovers(out) == []
    code, err = generate(specs[1], out, PKG)
    assert code == 0, err
    assert tree(out) == new
    check_tree(out, user_files={"NOTES.md"})


def test_sigkill_then_next_run_recovers_by_itself(out: Path, specs: Any, trees: Any) -> None:
    config = out.parent / "sdkforge.toml"
    proc = subprocess.run(
        [sys.executable, str(HERE / "killrun.py"), "os.rename", "2", "--", "generate", str(specs[1]), "--output",
         str(out), "--package-name", PKG, "--config", str(config), "-q"],
        cwd=out.parent, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == -9
    assert not out.exists()
    code, err = generate(specs[1], out, PKG)  # no explicit recover: the run does it under the lock
    assert code == 0, err
    assert tree(out) == trees[1] and leftovers(out) == []


# ------------------------------------------------------------------------------ concurrent runs


def test_concurrent_runs_serialise(out: Path, specs: Any, trees: Any) -> None:
    old, new = trees
    config = out.parent / "sdkforge.toml"

    def start(spec: Path) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "generator", "generate", str(spec), "--output", str(out), "--package-name", PKG,
             "--config", str(config), "-q"],
            cwd=out.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)})

    for round_ in range(3):  # the same spec from several processes at once
        procs = [start(specs[1]) for _ in range(3)]
        for p in procs:
            _, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
        assert tree(out) == new, f"round {round_}"
        assert leftovers(out) == []
    for _ in range(3):  # two specs racing: one of them wins, whole
        procs = [start(specs[0]), start(specs[1]), start(specs[0])]
        for p in procs:
            _, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
        assert tree(out) in (old, new)
        assert leftovers(out) == []
        check_tree(out, user_files={"NOTES.md"})


# ------------------------------------------------------------------------------------ symlinks


def test_symlinked_folder_in_output_is_never_written_through(out: Path, specs: Any, trees: Any,
                                                             tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    models = out / PKG / "models"
    shutil.copytree(models, outside / "models")
    shutil.rmtree(models)
    models.symlink_to(outside / "models", target_is_directory=True)  # pkg/models -> outside
    (outside / "models" / "pet.py").write_text("# someone else's file\n", encoding="utf-8")
    (outside / "secret.txt").write_text("keep\n", encoding="utf-8")
    (out / PKG / "__init__.py").unlink()
    os.symlink(outside / "secret.txt", out / PKG / "__init__.py")  # a generated file -> outside
    (out / "data").symlink_to(outside, target_is_directory=True)  # a link of the user's
    before = tree(outside)
    code, err = generate(specs[1], out, PKG)
    assert code == 0, err
    assert tree(outside) == before, "a write went through a symlink"
    assert not models.is_symlink() and models.is_dir()
    assert not (out / PKG / "__init__.py").is_symlink()
    assert (out / "data").is_symlink(), "the user's own link is kept"
    expected = {**trees[1], "data": b"-> " + str(outside).encode()}
    assert tree(out) == expected
    assert main_check(specs[1], out) == 0


def test_symlinked_manifest_entries_are_not_deleted_outside(out: Path, specs: Any, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "old_model.py").write_text("# not ours\n", encoding="utf-8")
    (out / PKG / "extra").symlink_to(outside, target_is_directory=True)
    manifest = out / write.MANIFEST
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        '"files": {', f'"files": {{\n    "{PKG}/extra/old_model.py": "x",\n    "../outside/old_model.py": "x",', 1),
        encoding="utf-8")
    code, err = generate(specs[1], out, PKG)
    assert code == 0, err
    assert (outside / "old_model.py").read_text(encoding="utf-8") == "# not ours\n"


def test_output_folder_that_is_a_symlink_is_written_at_its_target(specs: Any, trees: Any, tmp_path: Path) -> None:
    real = tmp_path / "real" / "out"
    real.parent.mkdir()
    link = tmp_path / "link"
    link.mkdir()
    (link / "out").symlink_to(real, target_is_directory=True)
    code, err = generate(specs[1], link / "out", PKG)
    assert code == 0, err
    assert (link / "out").is_symlink()
    assert tree(real) == {k: v for k, v in trees[1].items() if k != "NOTES.md"}


def test_output_that_is_a_file_is_refused_and_kept(tmp_path: Path, specs: Any) -> None:
    target = tmp_path / "out"
    target.write_text("precious\n", encoding="utf-8")
    files = {write.MANIFEST: "{}\n", "a.py": "x = 1\n"}
    with pytest.raises(write.WriteError):
        write.write(target, files)
    assert target.read_text(encoding="utf-8") == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.sdkforge-lock", "out", "v1", "v2"]


def test_output_that_is_a_file_exits_2(tmp_path: Path, specs: Any) -> None:
    target = tmp_path / "out"
    target.write_text("precious\n", encoding="utf-8")
    proc = cli(specs[1], target, PKG)
    assert target.read_text(encoding="utf-8") == "precious\n"
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr


def test_new_output_folder_follows_the_umask(tmp_path: Path, specs: Any) -> None:
    old = os.umask(0o027)
    try:
        code, err = generate(specs[1], tmp_path / "fresh", PKG)
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE((tmp_path / "fresh").stat().st_mode) == 0o750  # not mkdtemp's 0700


def test_write_keeps_folder_permissions(out: Path, specs: Any) -> None:
    os.chmod(out, 0o751)
    os.chmod(out / PKG, 0o750)
    code, err = generate(specs[1], out, PKG)
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o751
    assert stat.S_IMODE((out / PKG).stat().st_mode) == 0o750


def test_write_refuses_a_generation_without_manifest(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="manifest"):
        write.write(tmp_path / "out", {})
    assert not (tmp_path / "out").exists()


def main_check(spec: Path, out: Path) -> int:
    code, _ = generate(spec, out, PKG, "--check")
    return code


def test_another_spec_in_the_same_folder_is_not_up_to_date(tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "a.yaml").write_bytes((SPECS / "valid_small.yaml").read_bytes())
    (folder / "b.yaml").write_text('openapi: 3.1.0\ninfo: {title: Other, version: "1"}\npaths: {}\n', encoding="utf-8")
    out = tmp_path / "out"
    assert generate(folder / "a.yaml", out, PKG)[0] == 0
    assert generate(folder / "b.yaml", out, PKG, "--check")[0] == 1, "--check: the tree is a's, not b's"
    assert generate(folder / "b.yaml", out, PKG)[0] == 0
    assert not (out / PKG / "models" / "pet.py").exists()
