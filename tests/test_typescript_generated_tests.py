"""Every generated TypeScript SDK ships its own tests (tests/*.test.ts, `npm test`: `tsc --strict` then
`node --test` against a mock `fetch` that checks requests against the spec): they pass for the committed
chat SDK and a corpus sample, and fail when the SDK is broken by hand (a wrong path, a wrong body field
name, a wrong response field type, a wrong content type)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import CHAT_SPEC, OUTPUT, shared_or_skip
from tests.support import typescript as ts

TS_OUTPUT = OUTPUT / "typescript"


def run_tests(sdk: Path) -> subprocess.CompletedProcess[str]:
    return ts.run_sdk_tests(sdk)


def copy(sdk: Path, to: Path) -> Path:
    shutil.copytree(sdk, to, ignore=shutil.ignore_patterns("node_modules", ".test-build", "dist"))
    return to


def test_committed_sdk_ships_tests_outside_the_package() -> None:
    pkg = json.loads((TS_OUTPUT / "package.json").read_text(encoding="utf-8"))
    assert "tests" not in pkg["files"] and all(not str(v).startswith("./tests") for v in pkg["exports"].values())
    assert pkg["scripts"]["test"].startswith("tsc -p tests/tsconfig.json && node --test ")
    assert "@types/node" in pkg["devDependencies"]
    text = (TS_OUTPUT / "tests" / "chat.test.ts").read_text(encoding="utf-8")
    for method in ("listChatCompletions", "createChatCompletion", "getChatCompletion", "updateChatCompletion",
                   "deleteChatCompletion", "getChatCompletionMessages"):
        assert f'test("chat.{method}"' in text, method
    assert 'test("chat.createChatCompletion streams"' in text
    assert 'test("chat.listChatCompletions walks the pages"' in text
    assert "retries after a 503" in text and "throws BadRequestError on 400" in text
    assert "npm test" in (TS_OUTPUT / "README.md").read_text(encoding="utf-8")


def test_committed_sdk_tests_pass(tmp_path: Path) -> None:
    proc = run_tests(copy(TS_OUTPUT, tmp_path / "sdk"))
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "# fail 0" in proc.stdout and "# pass 11" in proc.stdout, proc.stdout[-2000:]


@pytest.fixture(scope="module")
def chat_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ts-chat-mutants") / "sdk"
    assert main(["generate", str(CHAT_SPEC), "--output", str(out), "--language", "typescript", "--package-name",
                 "chat-sdk", "-q"]) == 0
    return out


MUTATIONS = [
    # (what is broken, file, text, replacement, what must show in the failure)
    ("wrong path", "src/resources/chat.ts", 'path: "/chat/completions/{completion_id}"',
     'path: "/chat/completion/{completion_id}"', 'does not match "/chat/completions/{completion_id}"'),
    ("wrong body field name", "src/resources/chat.ts", "  messages: Array<models.ChatCompletionRequestMessage>;",
     "  message: Array<models.ChatCompletionRequestMessage>;", "error TS2769: No overload matches this call"),
    ("wrong response field type", "src/models.ts", "  created: number;\n", "  created: string;\n",
     "error TS2322: Type 'number' is not assignable to type 'string'"),
    ("wrong content type", "src/resources/chat.ts", 'body: "json", contentType: "application/json"',
     'body: "json", contentType: "text/plain"', 'content type "text/plain" is not one of'),
]


@pytest.mark.parametrize("what, file, old, new, shows", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_generated_tests_catch_a_broken_sdk(chat_copy: Path, tmp_path: Path, what: str, file: str, old: str,
                                            new: str, shows: str) -> None:
    mutant = copy(chat_copy, tmp_path / "mutant")
    target = mutant / file
    text = target.read_text(encoding="utf-8")
    assert old in text, f"the mutation point for {what!r} moved: update this test"
    target.write_text(text.replace(old, new), encoding="utf-8")
    proc = run_tests(mutant)
    assert proc.returncode != 0, proc.stdout[-3000:]
    assert shows in proc.stdout, proc.stdout[-3000:]


def test_unmutated_copy_passes(chat_copy: Path, tmp_path: Path) -> None:
    proc = run_tests(copy(chat_copy, tmp_path / "sdk"))
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_tests_false_leaves_them_out(tmp_path: Path) -> None:
    (tmp_path / "sdkforge.toml").write_text(
        f'spec = "{CHAT_SPEC.as_posix()}"\noutput = "sdk"\nlanguage = "typescript"\npackage-name = "chat-sdk"\n'
        "tests = false\n", encoding="utf-8")
    assert main(["generate", "-q", "--config", str(tmp_path / "sdkforge.toml")]) == 0
    sdk = tmp_path / "sdk"
    assert not (sdk / "tests").exists()
    pkg = json.loads((sdk / "package.json").read_text(encoding="utf-8"))
    assert "test" not in pkg["scripts"] and "@types/node" not in pkg["devDependencies"]
    assert "npm test" not in (sdk / "README.md").read_text(encoding="utf-8")


CORPUS_SAMPLE = ["mistral/openapi.yaml", "asana/asana_oas.yaml"]


@pytest.mark.corpus
@pytest.mark.parametrize("name", CORPUS_SAMPLE)
def test_corpus_sdk_tests_pass(name: str, tmp_path: Path) -> None:
    spec = shared_or_skip("specs", *name.split("/"))
    out = tmp_path / "sdk"
    assert main(["generate", str(spec), "--output", str(out), "--language", "typescript", "--package-name",
                 "corpus-sdk", "-q"]) == 0
    proc = run_tests(out)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "# fail 0" in proc.stdout


SHELF_SPEC = """\
openapi: 3.0.3
info: {title: Shelf, version: "1.0"}
servers: [{url: "https://shelf.example.com/api"}]
security: [{keyAuth: []}, {basicAuth: []}]
paths:
  /books/{book_id}:
    get:
      operationId: getBook
      tags: [books]
      parameters:
        - {name: book_id, in: path, required: true, schema: {type: integer}, example: 7}
        - {name: view, in: query, required: true, schema: {type: string, enum: [short, full]}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Book"}}}}
        "404": {description: gone, content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}}
  /books/{book_id}#label:
    put:
      operationId: labelBook
      tags: [books]
      parameters:
        - {name: book_id, in: path, required: true, schema: {type: integer}}
        - {name: color, in: query, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [label], properties: {label: {type: string, minLength: 1}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Book"}}}}
  /books/{book_id}/events:
    get:
      operationId: watchBook
      tags: [books]
      parameters:
        - {name: book_id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: events
          content: {text/event-stream: {schema: {$ref: "#/components/schemas/Book"}}}
        "422": {description: bad, content: {application/json: {schema: {$ref: "#/components/schemas/Invalid"}}}}
  /uploads:
    post:
      operationId: startUpload
      tags: [uploads]
      servers: [{url: "https://upload.shelf.example.com/v2"}]
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses:
        "201": {description: made, content: {application/json: {schema: {type: object, required: [id],
                properties: {id: {type: string}}}}}}
components:
  securitySchemes:
    keyAuth: {type: apiKey, in: query, name: key}
    basicAuth: {type: http, scheme: basic}
  schemas:
    Book:
      type: object
      required: [id, title]
      properties: {id: {type: integer}, title: {type: string}, pages: {type: integer, nullable: true}}
    Invalid:
      type: object
      required: [fields]
      properties: {fields: {type: array, items: {type: string}}}
    Problem:
      type: object
      required: [code]
      properties: {code: {type: string}, detail: {type: string}}
"""


def test_inline_spec_fragments_operation_servers_and_auth(tmp_path: Path) -> None:
    """A path with a `#fragment` (never sent, so its query survives), an operation with its own server,
    API key in the query or basic auth, a form body, a stream-only operation and declared error bodies:
    every test passes."""
    spec = tmp_path / "shelf.yaml"
    spec.write_text(SHELF_SPEC, encoding="utf-8")
    out = tmp_path / "sdk"
    assert main(["generate", str(spec), "--output", str(out), "--language", "typescript", "--package-name",
                 "shelf-sdk", "-q"]) == 0
    text = (out / "tests" / "books.test.ts").read_text(encoding="utf-8")
    assert "throws NotFoundError on 404" in text and 'test("books.labelBook"' in text
    assert 'test("books.watchBook streams"' in text and "throws UnprocessableEntityError on 422" in text
    assert json.loads((out / "tests" / "spec.json").read_text())["operations"]["startUpload"]["servers"] == [
        "https://upload.shelf.example.com/v2"]
    proc = run_tests(out)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "# fail 0" in proc.stdout and "# pass 7" in proc.stdout, proc.stdout[-2000:]
    # The validator is not a rubber stamp: an empty label breaks `minLength`, and the test says so.
    test_file = out / "tests" / "books.test.ts"
    test_file.write_text(re.sub(r'label: "[^"]*"', 'label: ""', test_file.read_text(encoding="utf-8")),
                         encoding="utf-8")
    proc = run_tests(out)
    assert proc.returncode != 0 and "shorter than 1 characters" in proc.stdout, proc.stdout[-3000:]
