"""Defects a demanding new user met on small specs that mimic common real-world patterns: a required
`readOnly` id on a model sent back with PUT, an operation documented by a `default` response only,
`text/plain` and `application/xml` request bodies, and generated test modules with no extra imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.cli import main
from tests.support.generated import generate_and_import

SPEC = """\
openapi: 3.0.3
info: {title: Gizmo Shelf, version: "1"}
servers: [{url: https://gizmos.test}]
paths:
  /gizmos/{gizmo_id}:
    put:
      operationId: replaceGizmo
      tags: [gizmos]
      parameters:
        - {name: gizmo_id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Gizmo"}
      responses:
        default:
          description: the stored gizmo, or an error
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Gizmo"}
  /memos:
    post:
      operationId: writeMemo
      tags: [memos]
      requestBody:
        required: true
        content:
          text/plain:
            schema: {type: string}
      responses:
        "204": {description: stored}
  /memos/feed:
    put:
      operationId: putMemoFeed
      tags: [memos]
      requestBody:
        required: true
        content:
          application/xml:
            schema: {type: string}
      responses:
        "204": {description: stored}
  /memos/blob:
    put:
      operationId: putMemoBlob
      tags: [memos]
      requestBody:
        required: true
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses:
        "204": {description: stored}
components:
  schemas:
    Gizmo:
      type: object
      required: [id, label]
      properties:
        id: {type: string, readOnly: true}
        label: {type: string}
"""


def _client(pkg: Any, seen: list[httpx.Request], reply: httpx.Response) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return reply

    return pkg.Client(base_url="https://gizmos.test", http_client=httpx.Client(transport=httpx.MockTransport(handler)))


def test_default_only_response_is_the_success_type(tmp_path: Path) -> None:
    pkg = generate_and_import(tmp_path, SPEC, "qa_default_only")
    seen: list[httpx.Request] = []
    client = _client(pkg, seen, httpx.Response(200, json={"id": "g1", "label": "blue"}))
    got = client.gizmos.replace_gizmo("g1", label="blue")
    assert type(got).__name__ == "Gizmo" and got.id == "g1" and got.label == "blue"
    assert seen[0].method == "PUT" and seen[0].content == b'{"label":"blue"}'
    source = (tmp_path / "out" / "qa_default_only" / "resources" / "gizmos.py").read_text(encoding="utf-8")
    assert ") -> Gizmo:" in source


def test_text_bodies_take_a_str(tmp_path: Path) -> None:
    pkg = generate_and_import(tmp_path, SPEC, "qa_text_bodies")
    seen: list[httpx.Request] = []
    client = _client(pkg, seen, httpx.Response(204))
    client.memos.write_memo(body="héllo")
    client.memos.put_memo_feed(body="<memo/>")
    assert [(r.headers["content-type"], r.content) for r in seen] == [
        ("text/plain", "héllo".encode()), ("application/xml", b"<memo/>")]
    source = (tmp_path / "out" / "qa_text_bodies" / "resources" / "memos.py").read_text(encoding="utf-8")
    assert source.count("body: str | bytes | FileTypes,") == 4  # sync and async, text and xml
    assert source.count("body: bytes | FileTypes,") == 2  # a binary body stays bytes
    user = tmp_path / "out" / "use_text.py"
    user.write_text("from qa_text_bodies import Client\n\nClient().memos.write_memo(body='hi')\n"
                    "Client().memos.put_memo_blob(body='not bytes')\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "use_text.py"],
                          cwd=user.parent, capture_output=True, text=True, check=False)
    assert "use_text.py:3" not in proc.stdout, proc.stdout
    assert "use_text.py:4: error" in proc.stdout, proc.stdout  # a str for a binary body is still a type error


def test_generated_tests_pass_and_lint_with_read_only_required_ids(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", "qa_shelf", "-q"]) == 0
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=out,
                          capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:]
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "tests"], cwd=out,
                          capture_output=True, text=True, check=False)
    assert ruff.returncode == 0, ruff.stdout  # test_memos.py imports nothing of the package


def test_typescript_text_bodies_take_a_string(tmp_path: Path) -> None:
    from tests.support.typescript import assert_compiles, tsc

    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    out = tmp_path / "ts"
    assert main(["generate", str(spec), "--output", str(out), "--language", "typescript", "-q"]) == 0
    (out / "src" / "use.ts").write_text(
        'import { Client } from "./index.js";\n'
        'const c = new Client({ baseURL: "https://gizmos.test" });\n'
        'export async function run(): Promise<void> {\n'
        '  await c.memos.writeMemo({ body: "hi" });\n'
        '  await c.memos.putMemoFeed({ body: "<memo/>" });\n'
        '}\n', encoding="utf-8")
    assert_compiles(out)
    docs = (out / "docs" / "sdks" / "memos" / "README.md").read_text(encoding="utf-8")
    assert "*string \\| Uploadable*" in docs
    (out / "src" / "bad.ts").write_text(
        'import { Client } from "./index.js";\n'
        'export const p = new Client({}).memos.putMemoBlob({ body: "not bytes" });\n', encoding="utf-8")
    assert "bad.ts(2," in tsc(out).stdout  # a binary body still takes no string


AUTH_SPEC = """\
openapi: 3.0.3
info: {title: Lantern, version: "1"}
servers: [{url: https://lantern.test}]
security: [{token: []}, {session: []}, {key: []}]
paths:
  /lamps:
    get:
      operationId: listLamps
      responses:
        "204": {description: none}
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
    session: {type: apiKey, in: cookie, name: sid}
    key: {type: apiKey, in: header, name: X-Key}
"""


def test_credential_docs_say_what_each_credential_is(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(AUTH_SPEC, encoding="utf-8")
    assert main(["generate", str(spec), "--output", str(tmp_path / "py"), "--package-name", "qa_lantern", "-q"]) == 0
    client = (tmp_path / "py" / "qa_lantern" / "_client.py").read_text(encoding="utf-8")
    assert "token: Your access token, sent as a bearer token." in client
    assert "session: The value of the `sid` cookie (for example a session id)." in client
    assert "key: Your API key." in client
    assert client.count("Your API key.") == client.count("key: Your API key.")  # the API key only
    assert "token: str | None = None," in client and "token_token" not in client  # not `token_token`
    assert main(["generate", str(spec), "--output", str(tmp_path / "ts"), "--language", "typescript", "-q"]) == 0
    ts = "\n".join(p.read_text(encoding="utf-8") for p in sorted((tmp_path / "ts" / "src").rglob("*.ts")))
    assert "Your access token, sent as a bearer token." in ts and "The value of the `sid` cookie" in ts


def test_words_keep_digits_with_the_letters_after_them(tmp_path: Path) -> None:
    from generator import naming

    cases = {"io.k8s.api.core.v1.Pod": ("io_k8s_api_core_v1_pod", "IoK8sApiCoreV1Pod"),
             "K8sCluster": ("k8s_cluster", "K8sCluster"), "Gpt4oMini": ("gpt4o_mini", "Gpt4oMini"),
             "apiV1beta1Pods": ("api_v1beta1_pods", "ApiV1beta1Pods"), "B64Json": ("b64_json", "B64Json"),
             "HTTP2Settings": ("http2_settings", "HTTP2Settings"), "getV2Users": ("get_v2_users", "GetV2Users")}
    assert {k: (naming.snake(k), naming.pascal(k)) for k in cases} == cases
    spec = """\
openapi: 3.0.3
info: {title: Pods, version: "1"}
paths:
  /pods:
    get:
      operationId: listPods
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/io.k8s.api.core.v1.Pod"}
components:
  schemas:
    io.k8s.api.core.v1.Pod:
      type: object
      properties: {name: {type: string}}
"""
    pkg = generate_and_import(tmp_path, spec, "qa_pods")
    assert (tmp_path / "out" / "qa_pods" / "models" / "io_k8s_api_core_v1_pod.py").is_file()
    assert pkg.models.IoK8sApiCoreV1Pod(name="p").name == "p"


def test_discriminator_on_a_base_model_is_not_silently_ignored(tmp_path: Path, capsys: Any) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("""\
openapi: 3.0.3
info: {title: Zoo, version: "1"}
paths:
  /animals:
    get:
      operationId: listAnimals
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Animal"}}
  /shapes:
    get:
      operationId: listShapes
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Shape"}
components:
  schemas:
    Animal:
      type: object
      required: [kind]
      discriminator: {propertyName: kind, mapping: {owl: "#/components/schemas/Owl"}}
      properties: {kind: {type: string}}
    Owl:
      allOf:
        - $ref: "#/components/schemas/Animal"
        - type: object
          properties: {hoots: {type: integer}}
    Shape:
      oneOf: [{$ref: "#/components/schemas/Circle"}, {$ref: "#/components/schemas/Square"}]
      discriminator: {propertyName: kind}
    Circle:
      type: object
      required: [kind]
      properties: {kind: {type: string, enum: [Circle]}, r: {type: number}}
    Square:
      type: object
      required: [kind]
      properties: {kind: {type: string, enum: [Square]}, side: {type: number}}
""", encoding="utf-8")
    assert main(["generate", str(spec), "--output", str(tmp_path / "out"), "--package-name", "qa_zoo"]) == 0
    err = capsys.readouterr().err
    assert "[discriminator-base] #/components/schemas/Animal/discriminator" in err
    assert err.count("discriminator-base") == 1  # the oneOf discriminator of Shape is used, not reported


def test_missing_credentials_message_says_which_go_together(tmp_path: Path) -> None:
    spec = """\
openapi: 3.0.3
info: {title: Twin Keys, version: "1"}
servers: [{url: https://twin.test}]
security: [{appKey: [], appSecret: []}, {bearer: []}]
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "204": {description: none}
components:
  securitySchemes:
    appKey: {type: apiKey, in: header, name: X-App-Key}
    appSecret: {type: apiKey, in: query, name: app_secret}
    bearer: {type: http, scheme: bearer}
"""
    pkg = generate_and_import(tmp_path, spec, "qa_twin_keys")
    seen: list[httpx.Request] = []
    client = pkg.Client(app_key="K", http_client=httpx.Client(transport=httpx.MockTransport(
        lambda r: seen.append(r) or httpx.Response(204))))
    with pytest.raises(Exception, match="it needs 'appKey' and 'appSecret', or 'bearer'") as caught:
        client.things.list_things()
    assert type(caught.value).__name__ == "MissingCredentialsError"
    assert not seen
    client = pkg.Client(app_key="K", app_secret="S", http_client=httpx.Client(transport=httpx.MockTransport(
        lambda r: seen.append(r) or httpx.Response(204))))
    client.things.list_things()
    assert seen[0].headers["x-app-key"] == "K" and seen[0].url.params["app_secret"] == "S"


def test_a_lone_bearer_scheme_is_documented_as_the_api_key(tmp_path: Path) -> None:
    spec = AUTH_SPEC.replace("security: [{token: []}, {session: []}, {key: []}]", "security: [{token: []}]").replace(
        "    session: {type: apiKey, in: cookie, name: sid}\n    key: {type: apiKey, in: header, name: X-Key}\n", "")
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    assert main(["generate", str(tmp_path / "spec.yaml"), "--output", str(tmp_path / "py"), "--package-name",
                 "qa_lone", "-q"]) == 0
    client = (tmp_path / "py" / "qa_lone" / "_client.py").read_text(encoding="utf-8")
    assert "api_key: Your API key, sent as a bearer token." in client


def test_operations_without_operation_id_get_rest_names(tmp_path: Path) -> None:
    spec = """\
openapi: 3.0.3
info: {title: Depot, version: "1"}
servers: [{url: https://depot.test}]
paths:
  /v1/crates:
    get:
      responses: {"200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}}
    post:
      responses: {"201": {description: made}}
  /v1/crates/{crate-id}:
    parameters: [{name: crate-id, in: path, required: true, schema: {type: string}}]
    get:
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
    put:
      responses: {"204": {description: ok}}
    patch:
      responses: {"204": {description: ok}}
    delete:
      responses: {"204": {description: ok}}
  /v1/crates/{crate-id}/archive:
    post:
      parameters: [{name: crate-id, in: path, required: true, schema: {type: string}}]
      responses: {"204": {description: ok}}
  /v1/crates/{crate-id}/labels:
    get:
      parameters: [{name: crate-id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}}
  /v1/status:
    get:
      responses: {"200": {description: ok, content: {text/plain: {schema: {type: string}}}}}
  /v2/status:
    get:
      responses: {"200": {description: ok, content: {text/plain: {schema: {type: string}}}}}
  /v3/status:
    get:
      operationId: getStatus
      responses: {"200": {description: ok, content: {text/plain: {schema: {type: string}}}}}
"""
    pkg = generate_and_import(tmp_path, spec, "qa_rest_names")
    seen: list[httpx.Request] = []
    client = _client(pkg, seen, httpx.Response(204))
    methods = {name for name in dir(client.crates) if not name.startswith("_") and name != "with_raw_response"}
    assert methods == {"list_crates", "create_crate", "get_crate", "replace_crate", "update_crate", "delete_crate",
                       "archive_crate", "list_labels"}
    client.crates.archive_crate("c 1")
    client.crates.update_crate("c1")
    assert [(r.method, r.url.raw_path.decode()) for r in seen] == [
        ("POST", "/v1/crates/c%201/archive"), ("PATCH", "/v1/crates/c1")]
    # A REST name that an operationId (`/v3/status`) already has, or that another operation got first:
    # the operation is named after its whole path.
    status = {name for name in dir(client.status) if not name.startswith("_") and name != "with_raw_response"}
    assert status == {"get_status", "get_v1_status", "get_v2_status"}
    client.status.get_status()
    assert seen[-1].url.path == "/v3/status"


def test_a_wildcard_request_media_type_with_an_object_schema_sends_json(tmp_path: Path) -> None:
    spec = """\
openapi: 3.0.3
info: {title: Pods, version: "1"}
servers: [{url: https://pods.test}]
paths:
  /pods:
    post:
      operationId: createPod
      requestBody:
        required: true
        content:
          "*/*":
            schema: {$ref: "#/components/schemas/Pod"}
      responses:
        "201": {description: made, content: {application/json: {schema: {$ref: "#/components/schemas/Pod"}}}}
  /blobs:
    post:
      operationId: putBlob
      requestBody:
        required: true
        content:
          "*/*":
            schema: {type: string, format: binary}
      responses:
        "204": {description: stored}
components:
  schemas:
    Pod:
      type: object
      required: [name]
      properties: {name: {type: string}, labels: {type: object, additionalProperties: {type: string}}}
"""
    pkg = generate_and_import(tmp_path, spec, "qa_wildcard_body")
    seen: list[httpx.Request] = []
    client = _client(pkg, seen, httpx.Response(201, json={"name": "p"}))
    got = client.pods.create_pod(name="p", labels={"app": "web"})
    assert got.name == "p"
    assert seen[0].headers["content-type"] == "application/json"
    assert seen[0].content == b'{"labels":{"app":"web"},"name":"p"}'
    client.blobs.put_blob(body=b"\x00\x01")  # a binary schema stays a raw body
    assert seen[1].content == b"\x00\x01"
    assert main(["generate", str(tmp_path / "spec.yaml"), "--output", str(tmp_path / "ts"), "--language",
                 "typescript", "-q"]) == 0
    ts = (tmp_path / "ts" / "src" / "resources" / "pods.ts").read_text(encoding="utf-8")
    assert 'body: "json", contentType: "application/json"' in ts


def test_typescript_generated_tests_pass_with_read_only_required_ids(tmp_path: Path) -> None:
    from tests.support.typescript import run_sdk_tests

    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    out = tmp_path / "ts"
    assert main(["generate", str(spec), "--output", str(out), "--language", "typescript", "-q"]) == 0
    proc = run_sdk_tests(out)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


def test_imports_are_in_ruffs_order_when_case_and_digits_disagree(tmp_path: Path) -> None:
    """ruff's isort orders imported names case-insensitively and naturally: `AudioPcma` before
    `AudioPcm`'s twin `AudioPcmParam`... and `StatusesList` before `StatusReport`."""
    spec = """\
openapi: 3.0.3
info: {title: Orders, version: "1"}
servers: [{url: https://orders.test}]
paths:
  /report:
    get:
      operationId: getStatusReport
      tags: [status]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/StatusReport"}}}
  /list:
    get:
      operationId: getStatusesList
      tags: [status]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/StatusesList"}}}
  /audio:
    post:
      operationId: sendAudio
      tags: [status]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                a: {$ref: "#/components/schemas/AudioPcm"}
                b: {$ref: "#/components/schemas/AudioPcma"}
                c: {$ref: "#/components/schemas/Model2"}
                d: {$ref: "#/components/schemas/Model10"}
      responses: {"204": {description: ok}}
components:
  schemas:
    StatusReport: {type: object, properties: {id: {type: string}}}
    StatusesList: {type: object, properties: {ids: {type: array, items: {type: string}}}}
    AudioPcm: {type: object, properties: {rate: {type: integer}}}
    AudioPcma: {type: object, properties: {rate: {type: integer}}}
    Model2: {type: object, properties: {x: {type: integer}}}
    Model10: {type: object, properties: {x: {type: integer}}}
"""
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(tmp_path / "spec.yaml"), "--output", str(out), "--package-name", "qa_orders",
                 "-q"]) == 0
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=out,
                          capture_output=True, text=True, check=False)
    assert ruff.returncode == 0, ruff.stdout


def test_black_accepts_long_alias_names_long_calls_and_basic_auth(tmp_path: Path) -> None:
    """Where black and ruff format disagree: a `Name: TypeAlias = ...` line longer than 88 characters
    (a long operationId's inline enum), `res = a.very.long.chain()` in the generated tests, and the
    credentials of HTTP basic auth in the client."""
    long_id = "listEveryLabelThatBelongsToTheCurrentlyAuthenticatedUserAcrossAllOfTheirRepositories"
    spec = f"""\
openapi: 3.0.3
info: {{title: Labels, version: "1"}}
servers: [{{url: https://labels.test}}]
security: [{{basicAuthenticationForTheLabelService: []}}]
paths:
  /labels:
    get:
      operationId: {long_id}
      tags: [labels]
      parameters:
        - {{name: state, in: query, schema: {{type: string, enum: [open, closed]}}}}
        - {{name: sort, in: query, schema: {{type: string, enum: [created, updated, comments, reactions, a, b, c]}}}}
        - {{name: kind, in: query, schema: {{type: string}}}}
      responses:
        "200":
          description: ok
          content: {{application/json: {{schema: {{type: array, items: {{type: string}}}}}}}}
  /deeply/nested/resource/with/a/long/chain:
    get:
      operationId: getTheVeryLongNamedThingOfTheDeeplyNestedResourceChain
      tags: [deeply.nested.resource.with.long.chain]
      responses:
        "200": {{description: ok, content: {{application/json: {{schema: {{type: string}}}}}}}}
components:
  securitySchemes:
    basicAuthenticationForTheLabelService: {{type: http, scheme: basic}}
"""
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(tmp_path / "spec.yaml"), "--output", str(out), "--package-name", "qa_labels",
                 "-q"]) == 0
    models = "\n".join(p.read_text(encoding="utf-8") for p in (out / "qa_labels" / "models").glob("*.py"))
    assert ": (\n    TypeAlias\n) = " in models  # the case is exercised
    black = subprocess.run([sys.executable, "-m", "black", "--check", "."], cwd=out, capture_output=True,
                           text=True, check=False)
    assert black.returncode == 0, black.stderr
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=out,
                          capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:]
