"""Broken and hostile specs that must be rejected: exit 2, one clear diagnostic with a code and a
JSON pointer, no traceback, and the previous output left byte for byte as it was.

The table is the contract: spec file -> (diagnostic code, where). `where` is what the diagnostic
prints before the message: `#/pointer` for the root document, `file#/pointer` for the content of
another file (a parse error is located at the document, `file#`).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.hostile.support import SPECS, cli, generate, tree

BAD = {
    # file: (code, where the diagnostic points)
    "yaml_syntax.yaml": ("yaml-syntax", "yaml_syntax.yaml#"),
    "json_syntax.json": ("json-syntax", "json_syntax.json#"),
    "json_too_deep.json": ("json-syntax", "json_too_deep.json#"),
    "invalid_utf8.yaml": ("yaml-syntax", "invalid_utf8.yaml#"),
    "empty.yaml": ("empty-document", "empty.yaml#"),
    "not_openapi.yaml": ("not-openapi", "#"),
    "not_openapi_list.yaml": ("not-openapi", "#"),
    "unknown_version.yaml": ("unsupported-version", "#/openapi"),
    "unknown_version_310.yaml": ("unsupported-version", "#/openapi"),
    "dangling_ref.yaml": ("unresolved-ref", "#/components/schemas/Pet/properties/owner"),
    "missing_file.yaml": ("file-not-found", "#/components/schemas/Pet"),
    "external_syntax.yaml": ("yaml-syntax", "ext_broken/pet.yaml#"),
    "ref_outside_root.yaml": ("ref-outside-root", "#/components/schemas/Pet"),
    "ref_absolute_path.yaml": ("ref-outside-root", "#/components/schemas/Q"),
    "ref_self.yaml": ("ref-cycle", "#/components/schemas/Pet"),
    "ref_cycle_schemas.yaml": ("ref-cycle", "#/components/schemas/A"),
    "ref_cycle_parameters.yaml": ("ref-cycle", "#/components/parameters/B"),
    "yaml_alias_bomb.yaml": ("yaml-alias-expansion", "yaml_alias_bomb.yaml#/components/schemas/S/example"),
    "yaml_recursive_alias.yaml": ("yaml-recursive-alias", "yaml_recursive_alias.yaml#/components/schemas/S/example/0"),
}

# severity: [code] where: message    (where = optional file, '#', optional pointer)
DIAGNOSTIC = re.compile(r"^(error|warning|info): \[[a-z0-9-]+\] (\S*#(/[^\n]*?)?): \S")


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated tree (plus a file of the user's) that a failed run must leave untouched."""
    folder = tmp_path_factory.mktemp("previous")
    spec = folder / "previous_api.yaml"  # a name no bad spec has: see test_writes FAST_PATH_BUG
    spec.write_bytes((SPECS / "valid_small.yaml").read_bytes())
    out = folder / "out"
    code, err = generate(spec, out, "small_sdk")
    assert code == 0, err
    (out / "NOTES.md").write_text("mine\n", encoding="utf-8")
    return out


def assert_diagnostics_located(stderr: str) -> None:
    for line in stderr.splitlines():
        if line.startswith("sdkforge: "):
            continue
        assert DIAGNOSTIC.match(line), f"not a located diagnostic: {line!r}"


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_spec_exits_2_with_a_located_diagnostic(name: str, previous: Path, tmp_path: Path) -> None:
    code, where = BAD[name]
    out = tmp_path / "out"
    shutil.copytree(previous, out, symlinks=True)
    before = tree(out)
    proc = cli(SPECS / name, out, "small_sdk", timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert_diagnostics_located(proc.stderr)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, f"expected exactly one error:\n{proc.stderr}"
    assert errors[0].startswith(f"error: [{code}] {where}: "), errors[0]
    assert tree(out) == before, "a failed run changed the output folder"


def test_every_bad_spec_file_is_in_the_table() -> None:
    on_disk = {p.name for p in SPECS.iterdir() if p.is_file()} - set(BAD)
    from tests.hostile.test_generates import CASES

    assert on_disk - set(CASES) - {"valid_small.yaml"} == set()


def test_a_folder_or_fifo_as_spec_is_a_diagnostic(tmp_path: Path) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)  # opening it would block forever
    for spec in (fifo, SPECS):
        code, err = generate(spec, tmp_path / "out", "x_sdk")
        assert code == 2, err
        assert "[file-unreadable] #: cannot read" in err, err
    assert not (tmp_path / "out").exists()


def test_external_ref_to_a_fifo_is_a_diagnostic(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pet.yaml")
    spec = tmp_path / "api.yaml"
    spec.write_text('openapi: 3.1.0\ninfo: {title: x, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n'
                    '    Pet: {$ref: "pet.yaml"}\n', encoding="utf-8")
    code, err = generate(spec, tmp_path / "out", "x_sdk")
    assert code == 2
    assert "error: [file-unreadable] #/components/schemas/Pet: cannot read" in err, err


def test_symlink_out_of_the_spec_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "token.yaml").write_text("Token: {type: string, description: s3cr3t}\n", encoding="utf-8")
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "shared").symlink_to(secret)
    spec = specs / "api.yaml"
    spec.write_text('openapi: 3.1.0\ninfo: {title: x, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n'
                    '    T: {$ref: "shared/token.yaml#/Token"}\n', encoding="utf-8")
    code, err = generate(spec, tmp_path / "out", "x_sdk")
    assert code == 2
    assert "error: [ref-outside-root] #/components/schemas/T:" in err, err


def test_external_ref_to_the_root_document_is_the_root(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text('openapi: 3.1.0\ninfo: {title: x, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n'
                    '    A: {type: object, properties: {b: {$ref: "api.yaml#/components/schemas/B"}}}\n'
                    '    B: {type: object, properties: {c: {type: string}}}\n', encoding="utf-8")
    code, err = generate(spec, tmp_path / "out", "x_sdk")
    assert code == 0, err
    models = sorted(p.name for p in (tmp_path / "out" / "x_sdk" / "models").glob("*.py"))
    assert models == ["__init__.py", "a.py", "b.py"]  # not a second copy of B
