"""Multi-file specs: relative-file $refs to whole path items, parameters and schemas resolve; a
missing file is a diagnostic naming the file and the pointer of the $ref."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.cli import main
from tests.conftest import ROOT

SPECS = ROOT / "tests" / "specs"


def test_relative_refs_across_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["generate", str(SPECS / "multifile" / "api.yaml"), "--output", str(out), "--package-name", "mf",
                 "-q"]) == 0
    assert sorted(p.name for p in (out / "mf" / "models").glob("*.py")) == ["__init__.py", "owner.py", "pet.py"]
    code = (
        "import httpx, mf\n"
        "def handler(request):\n"
        "    if request.url.path.endswith('/pets'):\n"
        "        assert request.url.params['limit'] == '5'\n"
        "        return httpx.Response(200, json=[{'id': '1', 'name': 'Rex', 'owner': {'name': 'Ann'}}])\n"
        "    return httpx.Response(200, json={'id': request.url.path.rsplit('/', 1)[1], 'name': 'Rex'})\n"
        "c = mf.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))\n"
        "pets = c.pets.list_pets(limit=5)\n"
        "assert type(pets[0]).__name__ == 'Pet' and type(pets[0].owner).__name__ == 'Owner'\n"
        "assert c.pets.get_pet('7').id == '7'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_watch_inputs_include_referenced_files(tmp_path: Path) -> None:
    from generator.config import Config
    from generator.pipeline import run

    config = Config(spec=SPECS / "multifile" / "api.yaml", output=tmp_path / "o", package_name="mf")
    result = run(config.with_defaults())
    names = sorted(p.relative_to(SPECS / "multifile").as_posix() for p in result.inputs)
    assert names == ["api.yaml", "parameters.yaml", "paths/pets.yaml", "schemas/pet.yaml"]


def test_missing_file_names_file_and_pointer(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "generator", "generate", str(SPECS / "multifile_missing" / "api.yaml"),
                           "--output", str(tmp_path / "o"), "--package-name", "broken"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert ("error: [file-not-found] paths.yaml#/get/responses/200/content/application~1json/schema: "
            "no such file:") in proc.stderr
    assert "nowhere.yaml" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists()
