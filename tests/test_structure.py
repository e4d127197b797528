"""The structure check (openapi-pydantic): warnings with pointers into the data, quiet on real specs,
run beside the pipeline and cached by the spec's bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator import structure
from generator.cli import main
from generator.diagnostics import Collector
from tests.conftest import CHAT_SPEC, shared_or_skip

BROKEN = """\
openapi: 3.1.0
info: {title: Broken, version: "1"}
paths:
  /a:
    get:
      parameters:
        - name: q
          schema: {type: string}
      responses:
        200:
          description: ok
    post:
      responses: 5
"""


def test_problems_point_into_the_data() -> None:
    found = dict(structure.problems(yaml.safe_load(BROKEN)))
    assert found == {
        "/paths/~1a/get/parameters/0": "openapi-pydantic: in: Field required; or $ref: Field required",
        "/paths/~1a/post/responses": "openapi-pydantic: Input should be a valid dictionary",
    }  # the integer response key 200 is fine: JSON would have it as a string


@pytest.mark.parametrize("name", ["openai/openapi.latest.yaml", "asana/asana_oas.yaml", "mistral/openapi.yaml",
                                  "twilio/twilio_api_v2010.yaml", "petstore/swagger-petstore.v31.petstore.yaml"])
def test_real_specs_have_no_structure_problems(name: str) -> None:
    data = yaml.load(shared_or_skip("specs", *name.split("/")).read_bytes(), Loader=yaml.CSafeLoader)
    assert structure.problems(data) == []


def test_the_chat_spec_fits() -> None:
    assert structure.problems(yaml.safe_load(CHAT_SPEC.read_text(encoding="utf-8"))) == []


def test_a_validator_crash_is_a_warning_not_an_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    import openapi_pydantic

    def boom(data: object) -> None:
        raise RuntimeError("validator bug")

    monkeypatch.setattr(openapi_pydantic, "parse_obj", boom)
    assert structure.problems({"openapi": "3.1.0"}) == [
        ("", "openapi-pydantic could not check the document: RuntimeError: validator bug")]


def test_cli_warns_and_records_in_the_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDKFORGE_CACHE_DIR", str(tmp_path / "cache"))
    spec = tmp_path / "broken.yaml"
    spec.write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", "broken"]) == 0
    err = capsys.readouterr().err
    assert "warning: [spec-structure] #/paths/~1a/post/responses: openapi-pydantic: Input should be a valid" in err
    assert "[spec-structure] #/paths/~1a/post/responses" in (out / ".sdkforge-manifest.json").read_text()
    cached = list((tmp_path / "cache" / "structure").iterdir())
    assert len(cached) == 1  # the result is kept for these bytes
    (out / ".sdkforge-manifest.json").unlink()  # force a full run: the cached result gives the same warnings
    assert main(["generate", str(spec), "--output", str(out), "--package-name", "broken"]) == 0
    assert "[spec-structure] #/paths/~1a/post/responses" in capsys.readouterr().err


def test_swagger2_and_huge_documents_are_not_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(BROKEN, encoding="utf-8")
    diags = Collector()
    structure.StructureCheck(spec, yaml.safe_load(BROKEN), swagger2=True).report(diags)
    assert diags.sorted() == ()
    monkeypatch.setattr(structure, "MAX_BYTES", 10)
    structure.StructureCheck(spec, yaml.safe_load(BROKEN), swagger2=False).report(diags)
    assert diags.sorted() == ()
