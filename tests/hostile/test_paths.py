"""Path safety: every output path stays inside the output folder, whatever the spec names things,
and no two generated files collide on a case-insensitive or normalising file system."""

from __future__ import annotations

import keyword
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import naming, write
from generator.config import Config
from generator.diagnostics import Collector
from generator.pipeline import build
from tests.hostile.support import SPECS, cli, generate

UNSAFE = ["", "/etc/passwd", "../evil", "a/../../evil", "a/./b", "a//b", "a/", "C:/x", "C:x", "a\\b", "\\\\srv\\x",
          "a\x00b", "a\nb", "a\rb", "a\tb", "x/<script>", 'a"b', "a|b", "a?b", "a*b", "dir./x", "x/name ", "..",
          ".", "a\x7fb"]
SAFE = ["a.py", "pkg/models/pet.py", ".sdkforge-manifest.json", "docs/models/pet2.md", "a b/c.md", "ü/x.py"]


@pytest.mark.parametrize("path", UNSAFE)
def test_safe_relative_refuses(path: str) -> None:
    with pytest.raises(write.UnsafePath):
        write.safe_relative(path)


@pytest.mark.parametrize("path", SAFE)
def test_safe_relative_accepts(path: str) -> None:
    assert write.safe_relative(path).as_posix() == path


@pytest.mark.parametrize("paths", [
    ["pkg/models/Pet.py", "pkg/models/pet.py"],
    ["Docs/a.md", "docs/b.md", "docs/a.md"],
    ["pkg/\u00fc.py", "pkg/u\u0308.py"],  # NFC and NFD spellings of the same name
    ["pkg/models", "pkg/models/pet.py"],  # a file and a folder of the same name
    ["A", "a/b"],
])
def test_check_paths_refuses_collisions(paths: list[str]) -> None:
    with pytest.raises(write.UnsafePath):
        write.check_paths(paths)


def test_write_refuses_colliding_paths_before_touching_anything(tmp_path: Path) -> None:
    files = {write.MANIFEST: "{}\n", "pkg/Pet.py": "", "pkg/pet.py": ""}
    with pytest.raises(write.UnsafePath):
        write.write(tmp_path / "out", files)
    with pytest.raises(write.UnsafePath):
        write.diff(tmp_path / "out", files)
    assert not (tmp_path / "out").exists()


def _build(spec: Path, package: str, tmp_path: Path) -> tuple[Collector, dict[str, str]]:
    diags = Collector()
    config = Config(spec=spec, output=tmp_path / "out", package_name=package).with_defaults()
    _, files = build(config, diags)
    return diags, files


@pytest.mark.parametrize("spec", ["hostile_names.yaml", "text_injection.json", "enum_values.json"])
def test_hostile_names_give_safe_distinct_paths(spec: str, tmp_path: Path) -> None:
    diags, files = _build(SPECS / spec, "hostile_sdk", tmp_path)
    assert not diags.has_errors, diags.sorted()
    write.check_paths(files)  # safe, and distinct case-insensitively
    for rel in files:
        assert rel.isascii() and rel.isprintable(), rel
        if rel.endswith(".py"):
            for part in rel[: -len(".py")].split("/"):
                assert part.isidentifier() and not keyword.iskeyword(part), rel
    modules = [rel for rel in files if "/models/" in rel or "/resources/" in rel]
    assert len({m.lower() for m in modules}) == len(modules)


def test_hostile_names_land_where_expected(tmp_path: Path) -> None:
    diags, files = _build(SPECS / "hostile_names.yaml", "hostile_sdk", tmp_path)
    models = sorted(rel.rsplit("/", 1)[1] for rel in files if rel.startswith("hostile_sdk/models/"))
    assert models == sorted([
        "__init__.py", "ab.py", "base_model_model.py", "c_evil.py", "class_.py", "con.py", "etc_passwd.py",
        "evil.py", "init.py", "model.py", "model1st.py", "model2.py", "none_model.py", "nul_name.py",
        "operation_model.py", "pet.py", "pet2.py", "pet3.py", "self.py", "sync_api_resource_model.py", "u.py",
        "u2.py"])
    resources = sorted(rel.rsplit("/", 1)[1] for rel in files if rel.startswith("hostile_sdk/resources/"))
    assert resources == ["__init__.py", "c_windows_system32.py", "close_.py", "evil.py", "request_.py"]


def test_template_producing_an_unsafe_path_is_a_diagnostic(tmp_path: Path) -> None:
    fork = tmp_path / "fork" / "package"
    fork.mkdir(parents=True)
    (fork / "bad:name.py.jinja").write_text("x = 1\n", encoding="utf-8")
    out = tmp_path / "out"
    code, err = generate(SPECS / "valid_small.yaml", out, "small_sdk", "--templates", str(fork.parent))
    assert code == 2, err
    assert "error: [unsafe-path] #: " in err, err
    assert not out.exists()


IDENTIFIER_FUNCTIONS = [naming.class_name, naming.snake, naming.field_name, naming.param_name, naming.method_name]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_every_python_name_is_a_safe_ascii_identifier(text: str) -> None:
    for fn in IDENTIFIER_FUNCTIONS:
        name = fn(text)
        assert name.isascii() and name.isidentifier(), (fn.__name__, text, name)
        assert not keyword.iskeyword(name) and name not in {"_", "case", "match"}, (fn.__name__, text, name)
        assert not name.startswith("_"), (fn.__name__, text, name)
        write.safe_relative(f"pkg/models/{name}.py")
    assert naming.class_name(text) not in naming.RESERVED_CLASS_NAMES
    assert naming.method_name(text) not in naming.CLIENT_ATTRIBUTES | naming.CALL_OPTIONS
    assert naming.field_name(text) not in naming.PYDANTIC_RESERVED


def test_names_do_not_depend_on_the_python_version() -> None:
    # 3.12 made `type` a soft keyword; a field named `type` must stay `type` on every version.
    assert naming.field_name("type") == "type"
    assert naming.field_name("match") == "match_"
    assert naming.snake("class") == "class_"


def test_template_paths_colliding_by_case_are_a_diagnostic(tmp_path: Path) -> None:
    fork = tmp_path / "fork" / "package"
    fork.mkdir(parents=True)
    (fork / "PY.typed.jinja").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    proc = cli(SPECS / "valid_small.yaml", out, "small_sdk", "--templates", str(fork.parent))
    assert not out.exists()
    assert proc.returncode == 2 and "[unsafe-path]" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
