"""Multi-file specs: relative-file $refs to whole path items, parameters and schemas resolve; a
missing file is a diagnostic naming the file and the pointer of the $ref."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

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


# ---------------------------------------------------------------- operation objects in other files
OPS_SPEC = SPECS / "multifile_ops" / "openapi.yaml"


def _generate(spec: Path, out: Path, package: str) -> Any:
    from generator.config import Config
    from generator.pipeline import run

    return run(Config(spec=spec, output=out, package_name=package).with_defaults())


def test_operation_refs_across_files_are_read_whole(tmp_path: Path) -> None:
    result = _generate(OPS_SPEC, tmp_path / "o", "workshop")
    assert result.ok
    warnings = [d.format() for d in result.diagnostics if d.severity.name == "WARNING"]
    assert warnings == ["warning: [ref-not-allowed] #/paths/~1v2~1widgets/get: OpenAPI does not allow $ref on "
                        "operations; this one (and 4 more) resolved as a reference all the same"]
    ops = {o.operation_id: o for r in result.api.resources for o in r.operations}
    assert sorted(ops) == ["createWidget", "deleteWidget", "getWidget", "listGadgets", "listWidgets"]
    assert {o.operation_id: o.tags for o in ops.values()} == {
        "createWidget": ("widgets",), "deleteWidget": ("widgets",), "getWidget": ("widgets",),
        "listGadgets": ("gadgets",), "listWidgets": ("widgets",)}
    assert [(p.location, p.wire_name) for p in ops["listWidgets"].parameters] == [("query", "colour"),
                                                                                ("query", "page")]
    assert [(p.location, p.wire_name) for p in ops["getWidget"].parameters] == [("path", "widget_id"),
                                                                              ("header", "X-Trace")]
    assert [(p.location, p.wire_name) for p in ops["listGadgets"].parameters] == [("query", "page"),
                                                                                ("header", "X-Trace")]
    assert [f.wire_name for f in ops["createWidget"].body.fields] == ["colour", "name"]
    assert ops["createWidget"].body.required
    typed = {o.operation_id: o.response.type for o in ops.values() if o.response and o.response.type}
    assert sorted(typed) == ["createWidget", "getWidget", "listGadgets", "listWidgets"]
    assert [e.status for e in ops["listWidgets"].errors] == ["404"] and ops["listWidgets"].errors[0].type
    assert ops["createWidget"].response.example is not None  # the example from its own file
    page = next(p for p in ops["listWidgets"].parameters if p.wire_name == "page")
    assert page.example is not None and page.example.json == 2  # a parameter's example, two files away
    assert sorted(m.name.rsplit(".", 1)[-1] for m in result.api.models) == [
        "Gadget", "Part", "Problem", "Widget", "WidgetNew", "WidgetPage"]
    assert sorted(r.name for r in result.api.resources) == ["gadgets", "widgets"]
    # Every referenced file was read: headers, links and examples included.
    names = sorted(p.relative_to(OPS_SPEC.parent).as_posix() for p in result.inputs)
    assert "components/headers/rate_remaining.yml" in names and "components/links/fetch_widget.yml" in names
    assert "components/examples/sprocket.yml" in names and "resources/gadgets/models/gadget.yml" in names


def test_operation_refs_across_files_call_through(tmp_path: Path) -> None:
    assert _generate(OPS_SPEC, tmp_path / "o", "workshop").ok
    code = (
        "import json, httpx, workshop\n"
        "seen = []\n"
        "def handler(request):\n"
        "    seen.append((request.method, request.url.path, dict(request.url.params), request.content,\n"
        "                 request.headers.get('x-trace')))\n"
        "    if request.url.path == '/v2/widgets' and request.method == 'GET':\n"
        "        return httpx.Response(200, json={'data': [{'id': 'w1', 'name': 'Cog', 'part': {'serial': 'S'}}],\n"
        "                                         'next_page': None})\n"
        "    if request.url.path == '/v2/gadgets':\n"
        "        return httpx.Response(200, json=[{'id': 'g1', 'part': {'serial': 'P'}}])\n"
        "    if request.method == 'DELETE':\n"
        "        return httpx.Response(204)\n"
        "    if request.url.path == '/v2/widgets/missing':\n"
        "        return httpx.Response(404, json={'detail': 'no such widget'})\n"
        "    return httpx.Response(200 if request.method == 'GET' else 201, json={'id': 'w2', 'name': 'Gear'})\n"
        "c = workshop.Client(api_key='k', http_client=httpx.Client(transport=httpx.MockTransport(handler)))\n"
        "page = c.widgets.list_widgets(page=2, colour='red')\n"
        "assert type(page).__name__ == 'WidgetPage' and type(page.data[0].part).__name__ == 'Part'\n"
        "assert seen[-1][2] == {'page': '2', 'colour': 'red'}\n"
        "made = c.widgets.create_widget(name='Gear')\n"
        "assert made.name == 'Gear' and json.loads(seen[-1][3]) == {'name': 'Gear'}\n"
        "assert c.widgets.get_widget('w2', x_trace='t-1').id == 'w2' and seen[-1][4] == 't-1'\n"
        "assert seen[-1][1] == '/v2/widgets/w2'\n"
        "try:\n"
        "    c.widgets.get_widget('missing')\n"
        "except workshop.NotFoundError as exc:\n"
        "    assert 'no such widget' in str(exc.body)\n"
        "else:\n"
        "    raise AssertionError('404 not raised')\n"
        "assert c.widgets.delete_widget('w2') is None\n"
        "gadgets = c.gadgets.list_gadgets(page=1, x_trace='g')\n"
        "assert seen[-1][2] == {'page': '1'} and seen[-1][4] == 'g'\n"
        "assert type(gadgets[0]).__name__ == 'Gadget' and gadgets[0].part.serial == 'P'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path / "o", capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr
