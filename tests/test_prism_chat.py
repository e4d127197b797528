"""The generated chat SDK against a real mock server (Prism), every operation, sync and async,
JSON and streaming. Prism answers from the spec's examples and rejects invalid requests (422); as
Prism misses some invalid bodies on complex 3.1 specs, every request is also validated here."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.support.prism import Prism
from tests.support.specvalidate import SpecValidator

pytestmark = pytest.mark.prism

MESSAGES = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Hello"}]


class Checked:
    """httpx event hooks that validate every outgoing request against the spec."""

    def __init__(self, validator: SpecValidator) -> None:
        self.validator = validator
        self.count = 0

    def sync_hook(self, request: httpx.Request) -> None:
        request.read()
        self._check(request)

    async def async_hook(self, request: httpx.Request) -> None:
        await request.aread()
        self._check(request)

    def _check(self, request: httpx.Request) -> None:
        self.count += 1
        problems = self.validator.validate(request)
        assert not problems, f"{request.method} {request.url}: {[str(p) for p in problems]}"


@pytest.fixture
def checked(chat_spec: dict[str, Any]) -> Checked:
    return Checked(SpecValidator(chat_spec))


def sync_client(chat_sdk: Any, prism: Prism, checked: Checked) -> Any:
    http = httpx.Client(event_hooks={"request": [checked.sync_hook]})
    return chat_sdk.Client(api_key="sk-test", base_url=prism.url, http_client=http, max_retries=0)


def async_client(chat_sdk: Any, prism: Prism, checked: Checked) -> Any:
    http = httpx.AsyncClient(event_hooks={"request": [checked.async_hook]})
    return chat_sdk.AsyncClient(api_key="sk-test", base_url=prism.url, http_client=http, max_retries=0)


def test_every_operation_sync(chat_sdk: Any, prism_chat: Prism, checked: Checked) -> None:
    client = sync_client(chat_sdk, prism_chat, checked)
    created = client.chat.create_chat_completion(model="gpt-4o", messages=MESSAGES, temperature=0.7, n=1,
                                                 stop=["\n\n"], store=True, metadata={"k": "v"})
    assert isinstance(created, chat_sdk.models.CreateChatCompletionResponse)
    assert created.object == "chat.completion" and created.choices
    page = client.chat.list_chat_completions(limit=2, order="desc", metadata={"k": "v"})
    first = next(iter(page))
    assert isinstance(first, chat_sdk.models.CreateChatCompletionResponse)
    got = client.chat.get_chat_completion("chatcmpl-abc123")
    assert got.id
    updated = client.chat.update_chat_completion("chatcmpl-abc123", metadata={"reviewed": "yes"})
    assert updated.object == "chat.completion"
    deleted = client.chat.delete_chat_completion("chatcmpl-abc123")
    assert deleted.deleted is True
    messages = client.chat.get_chat_completion_messages("chatcmpl-abc123", limit=1)
    assert next(iter(messages)).id
    assert checked.count >= 6


def test_streaming_sync(chat_sdk: Any, prism_chat: Prism, checked: Checked) -> None:
    client = sync_client(chat_sdk, prism_chat, checked)
    with client.chat.create_chat_completion(model="gpt-4o", messages=MESSAGES, stream=True) as stream:
        chunks = list(stream)
    assert [type(c).__name__ for c in chunks] == ["CreateChatCompletionStreamResponse"] * 3
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == "Hello"
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_every_operation_async_and_streaming(chat_sdk: Any, prism_chat: Prism, checked: Checked) -> None:
    async def main() -> None:
        client = async_client(chat_sdk, prism_chat, checked)
        created = await client.chat.create_chat_completion(model="gpt-4o", messages=MESSAGES)
        assert created.choices[0].message.role == "assistant"
        stream = await client.chat.create_chat_completion(model="gpt-4o", messages=MESSAGES, stream=True)
        chunks = [c async for c in stream]
        assert len(chunks) == 3
        page = await client.chat.list_chat_completions(limit=1)
        assert [c.id async for c in page]
        assert (await client.chat.get_chat_completion("chatcmpl-abc123")).id
        assert (await client.chat.update_chat_completion("chatcmpl-abc123", metadata=None)).id
        assert (await client.chat.delete_chat_completion("chatcmpl-abc123")).deleted
        msgs = await client.chat.get_chat_completion_messages("chatcmpl-abc123")
        assert [m.id async for m in msgs]
        await client.close()

    asyncio.run(main())
    assert checked.count >= 7


def test_prism_rejects_what_the_spec_forbids(chat_sdk: Any, prism_chat: Prism) -> None:
    """The mock is a real check: a body the spec forbids gets 422, which the SDK raises as such."""
    client = chat_sdk.Client(api_key="sk-test", base_url=prism_chat.url, max_retries=0)
    with pytest.raises(chat_sdk.UnprocessableEntityError) as info:
        client.chat.create_chat_completion(model="gpt-4o", messages=[])  # minItems: 1
    assert info.value.status_code == 422


def test_missing_auth_is_rejected_by_prism(chat_sdk: Any, prism_chat: Prism) -> None:
    with httpx.Client() as http:
        r = http.get(prism_chat.url + "/chat/completions/chatcmpl-abc123")
    assert r.status_code == 401
