"""Naming and behaviour extensions (x-speakeasy-*, x-fern-sdk-*) and the configuration over them:
config > extension > inferred. Each test generates a small spec and calls the SDK through httpx.MockTransport."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.cli import main

PETS = """
openapi: 3.1.0
info: {title: Pets, version: "1"}
servers: [{url: "https://pets.example.com"}]
x-speakeasy-name-override:
  - {operationId: "^fetch_", methodNameOverride: get}
  - {operationId: "^fetch_pet$", methodNameOverride: never}  # the first matching entry wins
paths:
  /pets:
    get:
      operationId: list_pets_pets_get
      tags: [pets]
      x-speakeasy-name-override: list
      parameters:
        - {name: page-size, in: query, schema: {type: integer}, x-speakeasy-name-override: limit}
        - {name: debug, in: query, schema: {type: boolean}, x-speakeasy-ignore: true}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}}}
    post:
      operationId: create_pet_pets_post
      tags: [pets]
      x-fern-sdk-method-name: create
      x-speakeasy-deprecation-message: Use pets.adopt instead.
      requestBody: {required: true, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}}
  /pets/{id}:
    get:
      operationId: fetch_pet
      tags: [pets]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}}
    delete:
      operationId: delete_pet
      x-speakeasy-group: admin.pets
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"204": {description: gone}}
  /internal:
    get:
      operationId: internal
      x-speakeasy-ignore: true
      responses: {"204": {description: none}}
  /toys:
    get:
      operationId: listToys
      x-fern-sdk-group-name: [shop, toys]
      x-fern-sdk-method-name: list
      deprecated: true
      responses: {"204": {description: none}}
components:
  schemas:
    Pet:
      type: object
      x-speakeasy-name-override: Animal
      required: [name]
      properties:
        name: {type: string}
        petKind:
          type: string
          x-speakeasy-name-override: species
          enum: [dog, cat]
          x-speakeasy-enums: [DOGGO, KITTY]
          x-speakeasy-unknown-values: allow
        secret: {type: string, x-speakeasy-ignore: true}
"""


def _generate(tmp_path: Path, spec_text: str, package: str, *extra: str) -> Path:
    spec = tmp_path / f"{package}.yaml"
    spec.write_text(spec_text)
    out = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", package, "-q", *extra]) == 0
    return out


def _run(out: Path, code: str) -> str:
    proc = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-c", code], cwd=out,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_naming_extensions(tmp_path: Path) -> None:
    out = _generate(tmp_path, PETS, "pets")
    code = (
        "import json, warnings, httpx, pets\n"
        "from pets.models import Animal\n"
        "seen = []\n"
        "def handler(request):\n"
        "    seen.append((request.method, str(request.url), request.content.decode()))\n"
        "    if request.method == 'DELETE' or request.url.path == '/toys':\n"
        "        return httpx.Response(204)\n"
        "    pet = {'name': 'Rex', 'petKind': 'dog', 'secret': 's'}\n"
        "    listing = request.url.path == '/pets' and request.method == 'GET'\n"
        "    return httpx.Response(200, json=[pet] if listing else pet)\n"
        "c = pets.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))\n"
        "rex = c.pets.list(limit=5)[0]\n"
        "assert isinstance(rex, Animal) and rex.species == 'dog' and 'secret' not in Animal.model_fields\n"
        "assert c.pets.get('7').name == 'Rex'\n"
        "c.admin.pets.delete_pet('7')\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    c.pets.create(name='Rex', species='cat')\n"
        "    c.shop.toys.list()\n"
        "print([str(w.message) for w in caught])\n"
        "print([w.category.__name__ for w in caught])\n"
        "assert not hasattr(c, 'default') and not hasattr(c.pets, 'internal')\n"
        "assert 'debug' not in c.pets.list.__code__.co_varnames\n"
        "print(seen)\n"
    )
    lines = _run(out, code).splitlines()
    assert lines[0] == ("['pets.create() is deprecated: Use pets.adopt instead.', 'shop.toys.list() is deprecated: "
                        "this operation may be removed in a future version of the API.']")
    assert lines[1] == "['DeprecationWarning', 'DeprecationWarning']"
    assert lines[2] == ("[('GET', 'https://pets.example.com/pets?page-size=5', ''), "
                        "('GET', 'https://pets.example.com/pets/7', ''), "
                        "('DELETE', 'https://pets.example.com/pets/7', ''), "
                        "('POST', 'https://pets.example.com/pets', '{\"name\":\"Rex\",\"petKind\":\"cat\"}'), "
                        "('GET', 'https://pets.example.com/toys', '')]")
    docs = (out / "docs" / "sdks" / "pets" / "README.md").read_text()
    assert "> :warning: **DEPRECATED**: Use pets.adopt instead." in docs
    shop_docs = (out / "docs" / "sdks" / "shop" / "toys" / "README.md").read_text()
    assert "> :warning: **DEPRECATED**: This will be removed in a future release" in shop_docs
    enum_doc = (out / "docs" / "models" / "species.md").read_text()
    assert "| `DOGGO` | `\"dog\"` |" in enum_doc and "| `KITTY` | `\"cat\"` |" in enum_doc


CONFIG = """
[tool.sdkforge]
spec = "pets.yaml"
output = "out"
package-name = "pets"

[tool.sdkforge.operations.list_pets_pets_get]
method = "all"                 # over x-speakeasy-name-override: list
group = "animals"              # over the tag

[tool.sdkforge.operations.delete_pet]
ignore = true

[tool.sdkforge.operations.internal]
ignore = false                 # over x-speakeasy-ignore: true
group = "ops"
"""


def test_config_wins_over_extensions_which_win_over_inference(tmp_path: Path) -> None:
    (tmp_path / "pets.yaml").write_text(PETS)
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    assert main(["generate", "--config", str(tmp_path / "pyproject.toml"), "-q"]) == 0
    out = tmp_path / "out"
    code = (
        "import httpx, pets\n"
        "c = pets.Client(http_client=httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(204))))\n"
        "print(sorted(m for m in dir(c.animals) if not m.startswith('_')))\n"  # config: method and group
        "print(sorted(m for m in dir(c.pets) if not m.startswith('_')))\n"  # extensions: create, get
        "print(sorted(m for m in dir(c.ops) if not m.startswith('_')))\n"  # config un-ignores it
        "print(hasattr(c, 'admin'))\n"  # config ignores delete_pet
    )
    assert _run(out, code).splitlines() == [
        "['all', 'with_raw_response']",
        "['create', 'get', 'with_raw_response']",
        "['internal', 'with_raw_response']",
        "False",
    ]


CLASH = """
openapi: 3.1.0
info: {title: Clash, version: "1"}
servers: [{url: "https://clash.example.com"}]
paths:
  /a:
    get: {operationId: list, tags: [things], responses: {"204": {description: none}}}
  /b:
    get: {operationId: listB, tags: [things], x-speakeasy-name-override: list, responses: {"204": {description: none}}}
  /c:
    get: {operationId: listC, tags: [things], x-speakeasy-name-override: list, responses: {"204": {description: none}}}
  /d:
    get:
      operationId: badNames
      tags: [things]
      x-speakeasy-name-override: ["not", "a", "name"]
      x-speakeasy-group: 42
      x-speakeasy-retries: {strategy: sometimes}
      parameters:
        - {name: kind, in: query, required: true, x-speakeasy-ignore: true,
           schema: {type: string, enum: [a, b], x-speakeasy-enums: [ONLY_ONE]}}
      responses: {"204": {description: none}}
"""


def test_override_collisions_and_malformed_extensions_warn(tmp_path: Path) -> None:
    spec = tmp_path / "clash.yaml"
    spec.write_text(CLASH)
    proc = subprocess.run([sys.executable, "-m", "generator", "generate", str(spec), "--output", str(tmp_path / "o"),
                           "--package-name", "clash"], capture_output=True, text=True, check=False,
                          cwd=Path(__file__).resolve().parents[1])
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    assert ("warning: [duplicate-method-name] #/paths/~1a/get: method name 'list' of 'list' is taken in things; "
            "renamed 'list_3'") in err
    assert ("warning: [duplicate-method-name] #/paths/~1c/get: method name 'list' of 'listC' is taken in things; "
            "renamed 'list_2'") in err
    assert "warning: [invalid-extension] #/paths/~1d/get/x-speakeasy-name-override: x-speakeasy-name-override: " \
           "expected a method name, got ['not', 'a', 'name']; ignored" in err
    assert "warning: [invalid-extension] #/paths/~1d/get/x-speakeasy-group:" in err
    assert "warning: [invalid-extension] #/paths/~1d/get/x-speakeasy-retries:" in err
    assert ("warning: [invalid-extension] #/paths/~1d/get/parameters/0/x-speakeasy-ignore: x-speakeasy-ignore: "
            "the parameter 'kind' is required, so it cannot be left out; ignored") in err
    assert ("warning: [invalid-extension] #/paths/~1d/get/parameters/0/schema/x-speakeasy-enums: x-speakeasy-enums: "
            "1 names for 2 enum values; ignored") in err
    resource = (tmp_path / "o/clash/resources/things.py").read_text()
    for name in ("list", "list_2", "list_3", "bad_names"):
        assert f"    def {name}(\n" in resource
    assert "        kind: BadNamesKind,\n" in resource  # the required parameter stays


RETRIES = """
openapi: 3.1.0
info: {title: Flaky, version: "1"}
servers: [{url: "https://flaky.example.com"}]
x-speakeasy-retries:
  strategy: backoff
  backoff: {initialInterval: 1, maxInterval: 2, maxElapsedTime: 60000, exponent: 1.5}
  statusCodes: [503]
  retryConnectionErrors: false
paths:
  /global:
    get: {operationId: useGlobal, tags: [calls], responses: {"204": {description: none}}}
  /own:
    get:
      operationId: useOwn
      tags: [calls]
      x-speakeasy-retries: {strategy: backoff, backoff: {initialInterval: 1, maxInterval: 1}, statusCodes: [5XX]}
      responses: {"204": {description: none}}
  /none:
    get:
      operationId: useNone
      tags: [calls]
      x-speakeasy-retries: {strategy: none}
      responses: {"204": {description: none}}
"""


def test_retries_global_and_per_operation(tmp_path: Path) -> None:
    out = _generate(tmp_path, RETRIES, "flaky")
    code = (
        "import httpx, flaky\n"
        "script = {}\n"
        "calls = []\n"
        "def handler(request):\n"
        "    calls.append(request.url.path)\n"
        "    return httpx.Response(script[request.url.path].pop(0))\n"
        "def run(path, statuses, call):\n"
        "    script[path] = list(statuses); calls.clear()\n"
        "    try:\n"
        "        call()\n"
        "        return ('ok', len(calls))\n"
        "    except flaky.APIStatusError as e:\n"
        "        return (e.status_code, len(calls))\n"
        "c = flaky.Client(max_retries=3, http_client=httpx.Client(transport=httpx.MockTransport(handler)))\n"
        "print(run('/global', [503, 503, 204], c.calls.use_global))\n"  # 503 is in the global policy
        "print(run('/global', [500, 204], c.calls.use_global))\n"  # 500 is not: no retry
        "print(run('/own', [500, 502, 204], c.calls.use_own))\n"  # its own policy: 5XX
        "print(run('/none', [503, 204], c.calls.use_none))\n"  # strategy none
        "def down(request):\n"
        "    raise httpx.ConnectError('down', request=request)\n"
        "d = flaky.Client(max_retries=3, http_client=httpx.Client(transport=httpx.MockTransport(down)))\n"
        "try:\n"
        "    d.calls.use_global()\n"
        "except flaky.APIConnectionError:\n"
        "    print('connection error not retried')\n"
    )
    assert _run(out, code).splitlines() == ["('ok', 3)", "(500, 1)", "('ok', 3)", "(503, 1)",
                                            "connection error not retried"]
    text = (out / "flaky/resources/calls.py").read_text()
    assert "retries=RetryPolicy(" in text


PAGES = (Path(__file__).parent / "specs" / "pages.yaml")


def test_speakeasy_pagination_kinds(tmp_path: Path) -> None:
    out = _generate(tmp_path, PAGES.read_text(), "pages_sdk")
    code = (
        "import json, httpx, pages_sdk\n"
        "seen = []\n"
        "ITEMS = [{'id': str(i)} for i in range(5)]\n"
        "def handler(request):\n"
        "    q = dict(request.url.params)\n"
        "    seen.append(request.url.path + ('?' + str(request.url.query.decode()) if q else '')\n"
        "                + (' ' + request.content.decode() if request.content else ''))\n"
        "    path = request.url.path\n"
        "    if path == '/v1/by-offset':\n"
        "        start, limit = int(q.get('offset', 0)), int(q['limit'])\n"
        "        return httpx.Response(200, json={'data': {'rows': ITEMS[start:start + limit]}})\n"
        "    if path == '/v1/by-page':\n"
        "        page = int(q.get('page', 1))\n"
        "        return httpx.Response(200, json={'items': ITEMS[(page - 1) * 2:page * 2], 'pages': 3})\n"
        "    if path == '/v1/by-cursor':\n"
        "        after = json.loads(request.content).get('cursor')\n"
        "        start = 0 if after is None else int(after) + 1\n"
        "        return httpx.Response(200, json={'items': ITEMS[start:start + 2]})\n"
        "    page = int(q.get('p', 0))\n"
        "    nxt = None if page == 2 else ('https://api.example.com/v1/by-url?q=x&p=%d' % (page + 1) if page == 0\n"
        "                                  else '/v1/by-url?q=x&p=2')\n"
        "    return httpx.Response(200, json={'items': ITEMS[page * 2:page * 2 + 2], 'next': nxt})\n"
        "c = pages_sdk.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))\n"
        "page = c.items.list_by_offset(limit=2)\n"
        "assert type(page).__name__ == 'SyncOffsetPage', type(page)\n"
        "print([i.id for i in page])\n"
        "print([i.id for i in c.items.list_by_page()])\n"
        "print([i.id for i in c.items.search_items(query='a')])\n"
        "url_page = c.items.list_by_url(q='x')\n"
        "assert type(url_page).__name__ == 'SyncUrlPage'\n"
        "print([i.id for i in url_page])\n"
        "for line in seen:\n"
        "    print(line)\n"
    )
    lines = _run(out, code).splitlines()
    assert lines[:4] == ["['0', '1', '2', '3', '4']"] * 2 + ["['0', '1', '2', '3', '4']"] * 2
    assert lines[4:] == [
        "/v1/by-offset?limit=2",
        "/v1/by-offset?limit=2&offset=2",
        "/v1/by-offset?limit=2&offset=4",  # one item < limit: the last page
        "/v1/by-page",
        "/v1/by-page?page=2",
        "/v1/by-page?page=3",  # page 4 > pages: stop
        '/v1/by-cursor {"query":"a"}',
        '/v1/by-cursor {"cursor":"1","query":"a"}',
        '/v1/by-cursor {"cursor":"3","query":"a"}',
        '/v1/by-cursor {"cursor":"4","query":"a"}',  # an empty page ends it
        "/v1/by-url?q=x",
        "/v1/by-url?q=x&p=1",
        "/v1/by-url?q=x&p=2",
    ]
    assert "pages_sdk.SyncOffsetPage[" in (out / "docs/sdks/items/README.md").read_text()


def test_configured_pagination_wins_over_the_extension(tmp_path: Path) -> None:
    (tmp_path / "pages.yaml").write_text(PAGES.read_text())
    (tmp_path / "sdkforge.toml").write_text(
        'spec = "pages.yaml"\noutput = "out"\npackage-name = "pages_sdk"\n'
        '[pagination.listByUrl]\ncursor-param = "q"\nitems = "items"\nnext-cursor = "next"\n')
    assert main(["generate", "--config", str(tmp_path / "sdkforge.toml"), "-q"]) == 0
    text = (tmp_path / "out/pages_sdk/resources/items.py").read_text()
    by_url = text[text.index("def list_by_url("):]
    by_url = by_url[:by_url.index("\n    def ")]
    assert "-> SyncCursorPage[Item]:" in by_url and "CursorPagination(" in by_url and "UrlPagination" not in by_url


def test_diff_reports_an_override_as_a_breaking_rename(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(PAGES.read_text())
    overlay = tmp_path / "rename.yaml"
    overlay.write_text("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n"
                       "  - target: $.paths['/by-page'].get\n    update: {x-speakeasy-name-override: pages}\n")
    new = tmp_path / "new.yaml"
    new.write_text(PAGES.read_text().replace("      operationId: listByPage\n",
                                             "      operationId: listByPage\n      x-speakeasy-name-override: pages\n"))
    renamed_id = tmp_path / "renamed-id.yaml"  # the operationId changes, the overlay pins the method name
    renamed_id.write_text(PAGES.read_text().replace("operationId: listByPage", "operationId: listPagesV2"))
    root = Path(__file__).resolve().parents[1]

    def diff(*args: str) -> str:
        proc = subprocess.run([sys.executable, "-m", "generator", "diff", *args], cwd=root, capture_output=True,
                              text=True, check=False)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    assert ("[BREAKING] operation renamed: client.items.list_by_page() (now client.items.pages())"
            in diff(str(old), str(new)))
    assert "0 changes" not in diff(str(old), str(renamed_id))
    assert "0 changes" in diff(str(old), str(renamed_id), "--overlay", str(overlay))
