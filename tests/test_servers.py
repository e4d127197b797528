"""Servers: the top-level one is the default; path/operation servers are used for their
operations (Twilio-style specs declare servers per path only); a chosen base_url applies to all."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.cli import main
from tests.support.generated import generate_and_import

SPEC = """
openapi: 3.0.3
info: {title: Split, version: "1"}
paths:
  /a:
    servers: [{url: "https://api.example.com"}]
    get: {operationId: getA, responses: {"204": {description: none}}}
  /b:
    servers: [{url: "https://api.example.com"}]
    get: {operationId: getB, responses: {"204": {description: none}}}
  /upload:
    servers: [{url: "https://uploads.example.com/v2"}]
    post: {operationId: upload, responses: {"204": {description: none}}}
"""

PROGRAM = """
import httpx, split_sdk
seen = []
def handler(request):
    seen.append(str(request.url))
    return httpx.Response(204)
t = httpx.MockTransport(handler)
c = split_sdk.Client(http_client=httpx.Client(transport=t))
c.a.get_a(); c.upload.upload()
mine = split_sdk.Client(base_url="http://127.0.0.1:9", http_client=httpx.Client(transport=t))
mine.b.get_b(); mine.upload.upload()
print("\\n".join(seen))
"""


def test_per_path_servers(tmp_path: Path) -> None:
    spec = tmp_path / "split.yaml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(out), "--package-name", "split_sdk", "-q"]) == 0
    assert 'DEFAULT_BASE_URL = "https://api.example.com"' in (out / "split_sdk" / "_client.py").read_text()
    proc = subprocess.run([sys.executable, "-c", PROGRAM], cwd=out, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [
        "https://api.example.com/a",
        "https://uploads.example.com/v2/upload",
        "http://127.0.0.1:9/b",
        "http://127.0.0.1:9/upload",
    ]


# ------------------------------------------------------------------------------ server variables

VARIABLES_SPEC = """
openapi: 3.1.0
info: {title: Regions, version: "1"}
servers:
  - url: "https://{region}.api.example.com/{version}"
    description: Production
    variables:
      region: {default: us, enum: [us, eu], description: Where the data lives}
      version: {default: v2}
  - url: "https://sandbox.example.com"
    description: Whatever this one is called
    x-acme-server-id: sandbox
  - url: "http://localhost:{port}"
    description: Local development
    variables:
      port: {default: "8080"}
paths:
  /ping:
    get: {operationId: ping, responses: {"204": {description: none}}}
  /files:
    servers: [{url: "https://{tenant}.files.example.com", variables: {tenant: {default: acme}}}]
    get: {operationId: listFiles, responses: {"204": {description: none}}}
  /blobs:
    get:
      operationId: listBlobs
      servers: [{url: "https://blobs.{region}.example.com"}]
      responses: {"204": {description: none}}
"""


def _recorder() -> tuple[list[str], httpx.MockTransport]:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(204)

    return seen, httpx.MockTransport(handler)


def test_server_variables_defaults_overrides_and_choice(tmp_path: Path) -> None:
    sdk = generate_and_import(tmp_path, VARIABLES_SPEC, "regions_sdk")
    seen, transport = _recorder()

    def calls(**kwargs: Any) -> list[str]:
        seen.clear()
        client = sdk.Client(http_client=httpx.Client(transport=transport), **kwargs)
        client.ping.ping()
        client.files.list_files()
        return list(seen)

    assert calls() == ["https://us.api.example.com/v2/ping", "https://acme.files.example.com/files"]
    assert sdk._client.DEFAULT_BASE_URL == "https://us.api.example.com/v2"
    assert calls(server_variables={"region": "eu", "tenant": "zeta"}) == [
        "https://eu.api.example.com/v2/ping", "https://zeta.files.example.com/files"]
    assert calls(server=1)[0] == "https://sandbox.example.com/ping"
    assert calls(server="sandbox")[0] == "https://sandbox.example.com/ping"
    assert calls(server="local_development", server_variables={"port": "9000"})[0] == "http://localhost:9000/ping"
    assert calls(server="production", server_variables={"version": "v3"})[0] == "https://us.api.example.com/v3/ping"
    # A base URL of your own applies to every operation; its placeholders are filled too.
    assert calls(base_url="https://{region}.proxy.test", server_variables={"region": "eu"}) == [
        "https://eu.proxy.test/ping", "https://eu.proxy.test/files"]


def test_server_variables_are_checked(tmp_path: Path) -> None:
    sdk = generate_and_import(tmp_path, VARIABLES_SPEC, "regions_check_sdk")
    with pytest.raises(ValueError, match=r"'region' must be one of 'us', 'eu', not 'mars'"):
        sdk.Client(server_variables={"region": "mars"})
    with pytest.raises(ValueError, match="Unknown server variable 'regoin'"):
        sdk.Client(server_variables={"regoin": "eu"})
    with pytest.raises(ValueError, match="out of range"):
        sdk.Client(server=3)
    with pytest.raises(ValueError, match=r"Unknown server 'prod'.*'production', 'sandbox', 'local_development'"):
        sdk.Client(server="prod")
    with pytest.raises(ValueError, match="either `base_url` or `server`"):
        sdk.Client(base_url="https://x.test", server=1)


def test_no_url_is_sent_with_a_placeholder(tmp_path: Path) -> None:
    """`{region}` of /blobs's server is declared nowhere (a warning): the call refuses to send
    `https://blobs.{region}.example.com` unless the variable is given."""
    sdk = generate_and_import(tmp_path, VARIABLES_SPEC, "regions_placeholder_sdk")
    seen, transport = _recorder()
    client = sdk.Client(http_client=httpx.Client(transport=transport))
    with pytest.raises(ValueError, match="needs a value for the variable 'region'"):
        client.blobs.list_blobs()
    assert seen == []
    client = sdk.Client(http_client=httpx.Client(transport=transport), server_variables={"region": "eu"})
    client.blobs.list_blobs()
    assert seen == ["https://blobs.eu.example.com/blobs"]


def test_server_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(VARIABLES_SPEC)
    assert main(["generate", str(spec), "--output", str(tmp_path / "out"), "--package-name", "w_sdk"]) == 0
    err = capsys.readouterr().err
    assert "server-variable-undeclared" in err and "/paths/~1blobs/get/servers/0" in err


def test_readme_documents_servers(tmp_path: Path) -> None:
    generate_and_import(tmp_path, VARIABLES_SPEC, "regions_doc_sdk")
    readme = (tmp_path / "out" / "README.md").read_text()
    assert "server_variables=" in readme and "`local_development`" in readme
    assert "`region`" in readme and "`us`, `eu`" in readme


# ------------------------------------------------------------------------ path query, responses

RESPONSES_SPEC = """
openapi: 3.1.0
info: {title: Answers, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /things/{id}?beta=true:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: q, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
        "202": {description: pending, content: {application/json: {schema: {$ref: "#/components/schemas/Pending"}}}}
  /lines:
    get:
      operationId: lines
      responses:
        "200": {description: ok, content: {application/x-ndjson: {schema: {$ref: "#/components/schemas/Thing"}}}}
  /speech:
    post:
      operationId: speech
      requestBody: {content: {application/json: {schema: {type: object, properties: {text: {type: string}}}}}}
      responses:
        "200":
          description: audio, or events when asked for
          content:
            application/octet-stream: {schema: {type: string, format: binary}}
            text/event-stream: {schema: {$ref: "#/components/schemas/Thing"}}
components:
  schemas:
    Thing: {type: object, required: [id], properties: {id: {type: string}}}
    Pending: {type: object, required: [status], properties: {status: {type: string}}}
"""


class _Answers:
    """The generated SDK and a transport answering each path with `replies[path]`."""

    def __init__(self, tmp_path: Path, package: str) -> None:
        self.sdk = generate_and_import(tmp_path, RESPONSES_SPEC, package)
        self.seen: list[httpx.Request] = []
        self.replies: dict[str, httpx.Response] = {}

        def handler(request: httpx.Request) -> httpx.Response:
            self.seen.append(request)
            return self.replies[request.url.path]

        self.transport = httpx.MockTransport(handler)


def test_query_in_the_path_is_kept_and_first(tmp_path: Path) -> None:
    a = _Answers(tmp_path, "answers_query_sdk")
    sdk, seen, replies = a.sdk, a.seen, a.replies
    replies["/things/a/b"] = httpx.Response(200, json={"id": "x"})
    client = sdk.Client(http_client=httpx.Client(transport=a.transport))
    client.things.get_thing("a/b")
    client.things.get_thing("a/b", q="1 2", extra_query={"z": "y"})
    assert [str(r.url) for r in seen] == [
        "https://api.example.com/things/a%2Fb?beta=true",
        "https://api.example.com/things/a%2Fb?beta=true&q=1%202&z=y",
    ]


def test_second_success_status_parses_into_its_own_type(tmp_path: Path) -> None:
    a = _Answers(tmp_path, "answers_status_sdk")
    sdk, _, replies = a.sdk, a.seen, a.replies
    client = sdk.Client(http_client=httpx.Client(transport=a.transport), strict_response_validation=True)
    replies["/things/1"] = httpx.Response(200, json={"id": "1"})
    assert type(client.things.get_thing("1")).__name__ == "Thing"
    replies["/things/1"] = httpx.Response(202, json={"status": "queued"})
    pending = client.things.get_thing("1")
    assert type(pending).__name__ == "Pending" and pending.status == "queued"
    source = (tmp_path / "out" / "answers_status_sdk" / "resources" / "things.py").read_text()
    assert ") -> Thing | Pending:" in source


def test_json_lines_stream_sync_and_async(tmp_path: Path) -> None:
    a = _Answers(tmp_path, "answers_lines_sdk")
    sdk, seen, replies = a.sdk, a.seen, a.replies
    body = b'{"id": "a"}\n\n{"id": "b"}\r\n{"id": "c"}'
    replies["/lines"] = httpx.Response(200, content=body, headers={"content-type": "application/x-ndjson"})
    client = sdk.Client(http_client=httpx.Client(transport=a.transport), strict_response_validation=True)
    with client.lines.lines() as stream:
        assert [t.id for t in stream] == ["a", "b", "c"]
    assert seen[0].headers["accept"] == "application/x-ndjson"

    async def run() -> list[str]:
        replies["/lines"] = httpx.Response(200, content=body, headers={"content-type": "application/x-ndjson"})
        aclient = sdk.AsyncClient(http_client=httpx.AsyncClient(transport=a.transport))
        return [t.id async for t in await aclient.lines.lines()]

    assert asyncio.run(run()) == ["a", "b", "c"]
    replies["/lines"] = httpx.Response(200, content=b'{"id": 1}\n', headers={"content-type": "application/jsonl"})
    with pytest.raises(sdk.APIResponseValidationError):
        list(client.lines.lines())


def test_typed_stream_next_to_binary_is_chosen_by_content_type(tmp_path: Path) -> None:
    a = _Answers(tmp_path, "answers_speech_sdk")
    sdk, seen, replies = a.sdk, a.seen, a.replies
    client = sdk.Client(http_client=httpx.Client(transport=a.transport))
    replies["/speech"] = httpx.Response(200, content=b"RIFF....", headers={"content-type": "application/octet-stream"})
    audio = client.speech.speech(text="hi")
    assert type(audio).__name__ == "BinaryResponse" and audio.read() == b"RIFF...."
    replies["/speech"] = httpx.Response(200, content=b'data: {"id": "e1"}\n\ndata: {"id": "e2"}\n\n',
                                        headers={"content-type": "text/event-stream"})
    assert [e.id for e in client.speech.speech(text="hi")] == ["e1", "e2"]
    assert seen[0].headers["accept"] == "text/event-stream, application/octet-stream"


def test_generated_test_suite_passes_for_streams_and_unions(tmp_path: Path) -> None:
    """The SDK's own tests (its mock API answers JSON lines for a JSON-lines stream) pass."""
    generate_and_import(tmp_path, RESPONSES_SPEC, "answers_suite_sdk")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                          cwd=tmp_path / "out", capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "test_lines_stream_async" in (tmp_path / "out" / "tests" / "test_lines.py").read_text()


def test_docs_show_each_possible_return(tmp_path: Path) -> None:
    generate_and_import(tmp_path, RESPONSES_SPEC, "answers_docs_sdk")
    sdks = tmp_path / "out" / "docs" / "sdks"  # untagged operations: one page per first path segment
    assert ("**[models.Thing](../../models/thing.md)** (200) or "
            "**[models.Pending](../../models/pending.md)** (202)") in (sdks / "things" / "README.md").read_text()
    assert ("**answers_docs_sdk.Stream[[models.Thing](../../models/thing.md)]** or "
            "**answers_docs_sdk.BinaryResponse** (by the response's content type)") in (sdks / "speech" / "README.md"
                                                                                         ).read_text()


def test_credential_named_like_a_client_argument(tmp_path: Path) -> None:
    spec = """
openapi: 3.1.0
info: {title: Clash, version: "1"}
servers: [{url: "https://{server}.example.com", variables: {server: {default: eu}}}]
security: [{server: []}, {base_url: []}]
paths:
  /x: {get: {operationId: getX, responses: {"204": {description: none}}}}
components:
  securitySchemes:
    server: {type: apiKey, in: header, name: X-Server-Key}
    base_url: {type: http, scheme: bearer}
"""
    sdk = generate_and_import(tmp_path, spec, "clash_sdk")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    client = sdk.Client(server_="k", server_variables={"server": "us"},
                        http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    client.x.get_x()
    assert str(seen[0].url) == "https://us.example.com/x" and seen[0].headers["x-server-key"] == "k"
