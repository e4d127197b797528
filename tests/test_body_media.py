"""A request body offered as JSON and as multipart: JSON is preferred, unless its schema declares a file (a JSON body
cannot carry one; OpenAI's createSkill offers both and the upload must go as multipart)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.support.generated import generate_and_import

SPEC = """
openapi: 3.1.0
info: {title: Library, version: "1"}
servers: [{url: "https://library.test"}]
paths:
  /skills:
    post:
      operationId: createSkill
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewSkill"}
          multipart/form-data:
            schema: {$ref: "#/components/schemas/NewSkill"}
      responses:
        "200":
          description: created
          content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}
  /notes:
    post:
      operationId: createNote
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {text: {type: string}}}
          multipart/form-data:
            schema: {type: object, properties: {text: {type: string}}}
      responses:
        "204": {description: stored}
components:
  schemas:
    NewSkill:
      type: object
      required: [files]
      properties:
        name: {type: string}
        files:
          oneOf:
            - {type: array, items: {type: string, format: binary}}
            - {type: string, format: binary}
"""


def test_a_body_with_files_goes_as_multipart_and_one_without_as_json(tmp_path: Path) -> None:
    sdk = generate_and_import(tmp_path, SPEC, "media_choice_sdk")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        if request.url.path == "/skills":
            return httpx.Response(200, json={"id": "skill_1"})
        return httpx.Response(204)

    client = sdk.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    assert client.skills.create_skill(name="summarize", files=[("a.md", b"# A"), ("b.md", b"# B")]).id == "skill_1"
    client.notes.create_note(text="hello")
    upload, note = seen
    assert upload.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert upload.content.count(b'name="files"') == 2 and b"# A" in upload.content and b"# B" in upload.content
    assert note.headers["content-type"] == "application/json"
    assert note.content == b'{"text":"hello"}'
