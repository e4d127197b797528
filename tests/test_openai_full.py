"""The SDK generated from the full OpenAI spec (288 operations) passes the same chat round trips as
output/: every chat operation against Prism serving the real spec, each request also validated
against the spec."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml

from generator.cli import main
from tests.conftest import SHARED, shared_or_skip
from tests.support.prism import Prism, prism_binary
from tests.support.specvalidate import SpecValidator
from tests.test_prism_chat import MESSAGES, Checked

pytestmark = [pytest.mark.prism, pytest.mark.corpus, pytest.mark.slow]
SPEC = SHARED / "specs" / "openai" / "openapi.latest.yaml"


@pytest.fixture(scope="module")
def openai_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    shared_or_skip("specs", "openai", "openapi.latest.yaml")
    out = tmp_path_factory.mktemp("openai-full")
    assert main(["generate", str(SPEC), "--output", str(out), "--package-name", "openai_full", "-q"]) == 0
    sys.path.insert(0, str(out))
    import openai_full

    yield openai_full
    sys.path.remove(str(out))


@pytest.fixture(scope="module")
def prism_openai(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prism]:
    shared_or_skip("specs", "openai", "openapi.latest.yaml")
    binary = prism_binary()
    if binary is None:
        pytest.skip("Prism is not installed; run `make setup`")
    with Prism(SPEC, binary, tmp_path_factory.mktemp("prism") / "prism.log") as server:
        yield server


@pytest.fixture(scope="module")
def validator() -> SpecValidator:
    shared_or_skip("specs", "openai", "openapi.latest.yaml")
    return SpecValidator(yaml.load(SPEC.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))


def test_full_sdk_has_every_operation(openai_sdk: Any) -> None:
    import functools
    import inspect

    client = openai_sdk.Client(api_key="x")
    names = [n for n, v in inspect.getmembers(type(client)) if isinstance(v, functools.cached_property)]
    methods = {(n, m) for n in names for m, f in inspect.getmembers(type(getattr(client, n)), inspect.isfunction)
               if not m.startswith("_")}
    assert len(methods) == 288
    assert ("chat", "create_chat_completion") in methods and ("files", "create_file") in methods


def test_chat_operations_against_prism(openai_sdk: Any, prism_openai: Prism, validator: SpecValidator) -> None:
    checked = Checked(validator)
    client = openai_sdk.Client(api_key="sk-test", base_url=prism_openai.url, max_retries=0,
                               http_client=httpx.Client(event_hooks={"request": [checked.sync_hook]}))
    created = client.chat.create_chat_completion(model="gpt-4o", messages=MESSAGES, temperature=0.5,
                                                 response_format={"type": "json_object"}, store=True)
    assert isinstance(created, openai_sdk.models.CreateChatCompletionResponse)
    assert created.choices and created.object == "chat.completion"
    first = next(iter(client.chat.list_chat_completions(limit=1)))
    assert isinstance(first, openai_sdk.models.CreateChatCompletionResponse)
    assert client.chat.get_chat_completion("chatcmpl-abc123").id
    assert client.chat.update_chat_completion("chatcmpl-abc123", metadata={"k": "v"}).id
    assert client.chat.delete_chat_completion("chatcmpl-abc123").deleted in (True, False)
    page = client.chat.get_chat_completion_messages("chatcmpl-abc123", limit=1)
    assert page.data is not None
    assert checked.count >= 6


def test_chat_operations_async(openai_sdk: Any, prism_openai: Prism, validator: SpecValidator) -> None:
    checked = Checked(validator)

    async def run() -> None:
        client = openai_sdk.AsyncClient(api_key="sk-test", base_url=prism_openai.url, max_retries=0,
                                        http_client=httpx.AsyncClient(event_hooks={"request": [checked.async_hook]}))
        created = await client.chat.create_chat_completion(model="gpt-4o", messages=MESSAGES)
        assert created.choices
        assert (await client.chat.get_chat_completion("chatcmpl-abc123")).id
        await client.close()

    asyncio.run(run())
    assert checked.count == 2


def test_invalid_chat_request_is_caught_by_validation(validator: SpecValidator) -> None:
    """Prism accepts a body without `model` on this spec; our validator must not."""
    import json

    bad = httpx.Request("POST", "https://api.openai.com/v1/chat/completions",
                        content=json.dumps({"messages": MESSAGES}), headers={"content-type": "application/json"})
    assert SpecValidator(validator.spec, base_path="/v1").validate(bad)


def test_discriminated_unions_parse_without_mapping(openai_sdk: Any) -> None:
    """107 discriminators in this spec have no mapping; the mapping is inferred from each variant's
    const, so a chat message list validates into the right variant classes."""
    from pydantic import TypeAdapter

    adapter = TypeAdapter(list[openai_sdk.models.ChatCompletionRequestMessage])
    parsed = adapter.validate_python([{"role": "system", "content": "a"}, {"role": "user", "content": "b"},
                                      {"role": "tool", "content": "c", "tool_call_id": "t1"}])
    assert [type(m).__name__ for m in parsed] == ["ChatCompletionRequestSystemMessage",
                                                  "ChatCompletionRequestUserMessage",
                                                  "ChatCompletionRequestToolMessage"]


def test_multipart_upload_and_binary_download(openai_sdk: Any, validator: SpecValidator) -> None:
    """Request and response kinds beyond JSON, through MockTransport: a multipart upload
    (createFile) and a binary response (createSpeech, audio bytes)."""
    import json

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        if request.url.path.endswith("/files"):
            return httpx.Response(200, json={"id": "file-1", "object": "file", "bytes": 5, "created_at": 1,
                                             "filename": "train.jsonl", "purpose": "fine-tune",
                                             "status": "uploaded"})
        return httpx.Response(200, content=b"ID3\x00audio", headers={"content-type": "audio/mpeg"})

    client = openai_sdk.Client(api_key="sk-test", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    created = client.files.create_file(file=("train.jsonl", b'{"a":1}\n', "application/jsonl"), purpose="fine-tune")
    assert created.id == "file-1"
    upload = seen[-1]
    assert upload.headers["content-type"].startswith("multipart/form-data; boundary=")
    body = upload.content
    assert b'name="purpose"' in body and b"fine-tune" in body
    assert b'name="file"; filename="train.jsonl"' in body and b'{"a":1}' in body
    speech = client.audio.create_speech(input="Hello", model="gpt-4o-mini-tts", voice="alloy")
    assert speech.content == b"ID3\x00audio"
    sent = json.loads(seen[-1].content)
    assert sent == {"input": "Hello", "model": "gpt-4o-mini-tts", "voice": "alloy"}
    assert not SpecValidator(validator.spec, base_path="/v1").validate(seen[-1])
