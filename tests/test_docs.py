"""The Markdown docs (`docs/`): the seed's layout, working anchors and links, padded tables,
escaped spec text, and byte-identical output. Snippets are checked in test_examples.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import ir
from generator.config import Config
from generator.pipeline import Result, run
from generator.render import Renderer
from generator.render.docs import table
from tests.conftest import CHAT_SPEC

# Edge cases the chat spec lacks: untagged and deprecated operations, escaping, a keyword field name,
# a wrong-typed example, a recursive model, and a union alias of a model, an enum and a recursive model.
PETS_YAML = r"""openapi: 3.1.0
info:
  title: Pet Store
  version: "1.0"
  description: A tiny store of pets.
servers:
  - url: https://pets.example.com/api
security:
  - ApiKey: []
tags:
  - name: Pets
    description: "Pets by ID. Pipes | and <tags> must be escaped."
paths:
  /pets:
    get:
      operationId: listPets
      summary: List all pets
      parameters:
        - name: limit
          in: query
          description: "How many | at most.\nSecond line <b>bold</b>."
          schema: {type: integer, minimum: 1, maximum: 50}
          example: 10
        - name: kind
          in: query
          required: true
          schema: {$ref: "#/components/schemas/Kind"}
      responses:
        "200":
          description: The pets.
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/Pet"}
    post:
      operationId: createPet
      summary: Create a pet
      deprecated: true
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewPet"}
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
        "422":
          description: Invalid.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Problem"}
  /pets/{pet_id}:
    parameters:
      - name: pet_id
        in: path
        required: true
        schema: {type: string, format: uuid}
    get:
      operationId: getPet
      tags: [Pets]
      summary: Get one pet
      description: "Fetches one pet. Pipes | and <script>alert(1)</script> stay text."
      responses:
        "200":
          description: The pet.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
        "404":
          description: Not found.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Problem"}
    delete:
      operationId: deletePet
      tags: [Pets]
      summary: Delete a pet
      responses:
        "204":
          description: Deleted.
  /tree:
    get:
      operationId: getTree
      tags: [Pets]
      summary: Get the family tree
      responses:
        "200":
          description: The tree.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Node"}
components:
  securitySchemes:
    ApiKey: {type: apiKey, in: header, name: X-API-Key}
  schemas:
    Kind:
      type: string
      enum: [dog, cat]
      description: What kind of animal.
    NewPet:
      type: object
      required: [name, kind, born]
      properties:
        name: {type: string, description: "Name | nickname", example: Rex}
        kind: {$ref: "#/components/schemas/Kind"}
        born: {type: string, format: date-time}
        class: {type: string, description: A Python keyword as a field name.}
        weight: {type: number, example: "heavy"}
        tags: {type: array, items: {type: string}, example: [good, small]}
    Pet:
      type: object
      required: [id, name, kind, born]
      properties:
        id: {type: integer, format: int64}
        name: {type: string}
        kind: {$ref: "#/components/schemas/Kind"}
        born: {type: string, format: date-time}
        home: {type: string, format: uri}
        owner_email: {type: string, format: email}
        class: {type: string, deprecated: true, description: Legacy class.}
        parent: {$ref: "#/components/schemas/Pet"}
    Node:
      type: object
      required: [name, children]
      properties:
        name: {type: string}
        children:
          type: array
          items: {$ref: "#/components/schemas/Node"}
    Problem:
      type: object
      required: [detail]
      properties:
        detail: {type: string}
    PetOrKind:
      description: Either a whole pet or just its kind.
      oneOf:
        - $ref: "#/components/schemas/Pet"
        - $ref: "#/components/schemas/Kind"
        - $ref: "#/components/schemas/Node"
"""
LINK = re.compile(r"\]\(([^)\s]+)\)")


@dataclass(frozen=True)
class Generated:
    root: Path
    result: Result

    @property
    def api(self) -> ir.Api:
        assert self.result.api is not None
        return self.result.api

    def docs(self) -> dict[str, str]:
        return {p: t for p, t in self.result.files.items() if p.startswith("docs/")}


def generate(spec: Path, out: Path, package: str) -> Generated:
    config = Config(spec=spec, output=out, package_name=package, api_key_env="OPENAI_API_KEY").with_defaults()
    result = run(config)
    assert result.ok, [d.format() for d in result.diagnostics]
    return Generated(out, result)


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return generate(CHAT_SPEC, tmp_path_factory.mktemp("docs") / "chat", "chat_sdk")


@pytest.fixture(scope="module")
def pets(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return generate_pets(tmp_path_factory.mktemp("docs"))


def generate_pets(folder: Path) -> Generated:
    spec = folder / "pets.yaml"
    spec.write_text(PETS_YAML, encoding="utf-8")
    return generate(spec, folder / "pets", "pets_sdk")


def headings(page: str) -> list[str]:
    out, fenced = [], False
    for line in page.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            out.append(line)
    return out


def github_slug(heading: str) -> str:
    """GitHub's heading anchor, written independently of generator.render.text.anchor."""
    title = heading.lstrip("#").strip().lower()
    return "".join(ch for ch in title if ch.isalnum() or ch in "-_ ").replace(" ", "-")


def tables(page: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in [*page.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return blocks


def split_row(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line)
    assert cells[0] == "" and cells[-1] == "", line
    return cells[1:-1]


# ----------------------------------------------------------------------------------- layout


def test_chat_page_follows_the_seed_layout(chat: Generated) -> None:
    page = chat.docs()["docs/sdks/chat/README.md"]
    lines = page.splitlines()
    assert lines[:5] == ["<!-- Generated by sdkforge from chat.yaml. Do not edit by hand. -->",
                         "# Chat", "(*chat*)", "", "## Overview"]
    ops = chat.api.resources[0].operations
    expected = ["# Chat", "## Overview", "### Available Operations"]
    for op in ops:
        expected += [f"## {op.name}", "### Example Usage"]
        if op.stream is not None and op.stream.flag is not None:
            expected.append("### Example Usage (streaming)")
        expected += ["### Parameters", "### Response", "### Errors"]
    assert headings(page) == expected
    assert "**[models.CreateChatCompletionResponse](../../models/createchatcompletionresponse.md)**" in page
    assert "With `stream=True`: **chat_sdk.Stream[[models.CreateChatCompletionStreamResponse]" in page
    assert "**chat_sdk.SyncCursorPage[[models.CreateChatCompletionResponse]" in page


def test_every_operation_is_listed_with_a_working_anchor(chat: Generated, pets: Generated) -> None:
    for gen in (chat, pets):
        for path, page in gen.docs().items():
            if not path.startswith("docs/sdks/"):
                continue
            slugs = {github_slug(h) for h in headings(page)}
            listed = re.findall(r"^\* \[([^\]]+)\]\(#([^)]+)\) - \S", page, flags=re.M)
            assert listed, path
            for name, anchor in listed:
                assert anchor in slugs, f"{path}: #{anchor} matches no heading"
                assert anchor == github_slug(f"## {name}")
        documented = {name for p, t in gen.docs().items() if p.startswith("docs/sdks/")
                      for name in re.findall(r"^## (\w+)$", t, flags=re.M)}
        assert documented >= {op.name for r in gen.api.resources for op in r.operations}


def test_parameters_and_errors_tables(chat: Generated) -> None:
    page = chat.docs()["docs/sdks/chat/README.md"]
    section = page.split("## create_chat_completion", 1)[1].split("\n## ", 1)[0]
    params, errors = (t for t in tables(section))
    assert [c.strip() for c in split_row(params[0])] == ["Parameter", "Type", "Required", "Description", "Example"]
    rows = {split_row(r)[0].strip(): [c.strip() for c in split_row(r)] for r in params[2:]}
    assert rows["`messages`"][1] == (
        "list[[models.ChatCompletionRequestMessage](../../models/chatcompletionrequestmessage.md)]")
    assert rows["`messages`"][2] == ":heavy_check_mark:"
    assert rows["`temperature`"][1:3] == ["*float \\| None*", ":heavy_minus_sign:"]
    assert rows["`model`"][4] == "gpt-4o"
    assert rows["`max_tokens`"][3].startswith(":warning: **DEPRECATED**")
    error_rows = [[c.strip() for c in split_row(r)] for r in errors[2:]]
    assert error_rows == [["chat_sdk.APIStatusError", "4XX", "application/json"],
                          ["chat_sdk.InternalServerError", "5XX", "application/json"],
                          ["chat_sdk.APIStatusError", "4XX, 5XX", "\\*/\\*"]]


def test_model_enum_and_alias_pages(chat: Generated) -> None:
    docs = chat.docs()
    names = {t.name for t in (*chat.api.models, *chat.api.enums, *chat.api.aliases)}
    assert {p for p in docs if p.startswith("docs/models/")} == {f"docs/models/{n.lower()}.md" for n in names}
    model = docs["docs/models/responseformatjsonschemajsonschema.md"]
    assert headings(model) == ["# ResponseFormatJsonSchemaJsonSchema", "## Fields"]
    assert "Sent as `schema`." in model
    enum = docs["docs/models/reasoningeffort.md"]
    assert "## Values" in enum and '| `"minimal"` ' in enum
    union = docs["docs/models/chatcompletionrequestmessage.md"]
    assert "## Supported Types" in union
    assert union.count("```python") == 6
    assert "role=\"developer\"" in union
    alias = docs["docs/models/metadata.md"]
    assert "## Type\n\n*dict[str, str]*" in alias


# ----------------------------------------------------------------------------------- formatting


def test_tables_are_padded_to_one_width(chat: Generated, pets: Generated) -> None:
    count = 0
    for gen in (chat, pets):
        for path, page in gen.docs().items():
            for block in tables(page):
                count += 1
                assert len({len(line) for line in block}) == 1, f"{path}: ragged table {block[0][:60]}"
                widths = {len(c) for line in block for c in split_row(line)}
                assert len(widths) == 1, f"{path}: columns of unequal width in {block[0][:60]}"
                assert set(split_row(block[1])[0].strip()) == {"-"}
    assert count > 80


def test_every_relative_link_resolves(chat: Generated, pets: Generated) -> None:
    checked = 0
    for gen in (chat, pets):
        for path, page in gen.docs().items():
            for target in LINK.findall(page):
                if target.startswith(("http://", "https://", "#")):
                    continue
                resolved = (gen.root / path).parent / target.split("#")[0]
                assert resolved.is_file(), f"{path}: broken link {target}"
                checked += 1
    assert checked > 100


def test_spec_text_is_escaped(pets: Generated) -> None:
    docs = pets.docs()
    # the untagged /pets operations join the `Pets` tag: the resource of their first path segment
    untagged = docs["docs/sdks/pets/README.md"]
    assert "docs/sdks/pets_sdk/README.md" not in docs
    row = next(line for line in untagged.splitlines() if line.startswith("| `limit`"))
    assert "How many \\| at most.<br/>Second line &lt;b&gt;bold&lt;/b&gt;." in row
    assert len(split_row(row)) == 5
    tagged = docs["docs/sdks/pets/README.md"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in tagged and "<script>" not in tagged
    assert "> :warning: **DEPRECATED**" in untagged.split("## create_pet", 1)[1]
    assert "[create_pet](#create_pet) - Create a pet :warning: **Deprecated**" in untagged
    assert "pets_sdk.NotFoundError | 404" in re.sub(r" +", " ", tagged)


def test_wrong_spec_examples_are_not_used(pets: Generated) -> None:
    page = pets.docs()["docs/models/newpet.md"]
    weight = next(line for line in page.splitlines() if line.startswith("| `weight`"))
    assert split_row(weight)[4].strip() == ""  # `example: heavy` does not fit `type: number`
    assert "weight=" not in pets.docs()["docs/sdks/pets/README.md"]


def test_docs_are_byte_identical_across_runs(chat: Generated, tmp_path: Path) -> None:
    again = generate(CHAT_SPEC, tmp_path / "again", "chat_sdk")
    assert again.docs() == chat.docs()
    for path, content in chat.docs().items():
        assert (chat.root / path).read_text(encoding="utf-8") == content


# ----------------------------------------------------------------------------------- table helper


def test_table_pads_every_column_to_the_widest_cell() -> None:
    out = table(["A", "Long header"], [["x", "y"], ["wider cell", ""]])
    assert out.splitlines() == [
        "| A           | Long header |",
        "| ----------- | ----------- |",
        "| x           | y           |",
        "| wider cell  |             |",
    ]


def test_table_rejects_multiline_cells_and_ragged_rows() -> None:
    with pytest.raises(ValueError):
        table(["A"], [["two\nlines"]])
    with pytest.raises(ValueError):
        table(["A", "B"], [["only one"]])


def test_the_two_docs_parts_make_up_all_pages(chat: Generated) -> None:
    """The pipeline renders "rest" in a forked process and "models-head" here; together they are "all"."""
    renderer = Renderer.create(chat.api)
    whole = renderer.docs()
    head, rest = renderer.docs("models-head"), renderer.docs("rest")
    assert head and rest and not head.keys() & rest.keys()
    assert {**head, **rest} == whole
    assert all(p.startswith("docs/models/") for p in head)
    with pytest.raises(ValueError, match="unknown docs part"):
        renderer.docs("models")
