"""The generated chat SDK (output/chat_sdk) through httpx.MockTransport: each of the six operations
sends exactly the request the spec describes and parses the response into the spec's models."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from tests.support.specvalidate import SpecValidator

COMPLETION = {
    "id": "chatcmpl-abc123",
    "object": "chat.completion",
    "created": 1730000000,
    "model": "gpt-4o-2024-08-06",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Hello!", "refusal": None},
            "finish_reason": "stop",
            "logprobs": None,
        }
    ],
    "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11},
}
ERROR = {"error": {"message": "No such completion", "type": "invalid_request_error", "param": None, "code": None}}


class Recorder:
    def __init__(self, validator: SpecValidator, routes: dict[tuple[str, str], httpx.Response]) -> None:
        self.requests: list[httpx.Request] = []
        self.validator = validator
        self.routes = routes

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        problems = self.validator.validate(request)
        assert not problems, [str(p) for p in problems]
        key = (request.method, request.url.path)
        if key not in self.routes:
            return httpx.Response(404, json=ERROR, headers={"x-request-id": "req_404"})
        return self.routes[key]

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def make(chat_sdk: Any, recorder: Recorder, is_async: bool = False) -> Any:
    transport = httpx.MockTransport(recorder)
    if is_async:
        return chat_sdk.AsyncClient(api_key="sk-test", base_url="https://api.test/v1",
                                    http_client=httpx.AsyncClient(transport=transport))
    return chat_sdk.Client(api_key="sk-test", base_url="https://api.test/v1",
                           http_client=httpx.Client(transport=transport))


def routes() -> dict[tuple[str, str], httpx.Response]:
    listing = {"object": "list", "data": [COMPLETION], "first_id": "chatcmpl-abc123",
               "last_id": "chatcmpl-abc123", "has_more": False}
    messages = {"object": "list", "data": [{"id": "msg_1", "role": "assistant", "content": "Hello!",
                                            "refusal": None}],
                "first_id": "msg_1", "last_id": "msg_1", "has_more": False}
    return {
        ("POST", "/v1/chat/completions"): httpx.Response(200, json=COMPLETION),
        ("GET", "/v1/chat/completions"): httpx.Response(200, json=listing),
        ("GET", "/v1/chat/completions/chatcmpl-abc123"): httpx.Response(200, json=COMPLETION),
        ("POST", "/v1/chat/completions/chatcmpl-abc123"): httpx.Response(200, json=COMPLETION),
        ("DELETE", "/v1/chat/completions/chatcmpl-abc123"): httpx.Response(
            200, json={"object": "chat.completion.deleted", "id": "chatcmpl-abc123", "deleted": True}),
        ("GET", "/v1/chat/completions/chatcmpl-abc123/messages"): httpx.Response(200, json=messages),
    }


@pytest.fixture
def recorder(chat_spec: dict[str, Any]) -> Recorder:
    return Recorder(SpecValidator(chat_spec, base_path="/v1"), routes())


def test_create_sends_exact_json_body_and_auth(chat_sdk: Any, recorder: Recorder) -> None:
    client = make(chat_sdk, recorder)
    res = client.chat.create_chat_completion(
        model="gpt-4o",
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
        temperature=0.2,
        stop=None,
        logit_bias={"50256": -100},
        response_format={"type": "json_object"},
    )
    req = recorder.last
    assert req.method == "POST"
    assert req.url == "https://api.test/v1/chat/completions"
    assert req.headers["authorization"] == "Bearer sk-test"
    assert req.headers["content-type"] == "application/json"
    assert json.loads(req.content) == {
        "model": "gpt-4o",
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
        "temperature": 0.2,
        "stop": None,  # None is sent as null; arguments not given are not sent at all
        "logit_bias": {"50256": -100},
        "response_format": {"type": "json_object"},
    }
    assert isinstance(res, chat_sdk.models.CreateChatCompletionResponse)
    assert res.id == "chatcmpl-abc123"
    assert res.choices[0].message.content == "Hello!"
    assert res.choices[0].finish_reason == "stop"
    assert res.usage is not None and res.usage.total_tokens == 11


def test_create_accepts_models_as_well_as_dicts(chat_sdk: Any, recorder: Recorder) -> None:
    models = chat_sdk.models
    client = make(chat_sdk, recorder)
    client.chat.create_chat_completion(
        model="gpt-4o",
        messages=[models.ChatCompletionRequestUserMessage(role="user", content="Hi", name="ann")],
        tools=[models.ChatCompletionTool(type="function", function=models.FunctionObject(name="get_weather"))],
    )
    body = json.loads(recorder.last.content)
    assert body["messages"] == [{"role": "user", "content": "Hi", "name": "ann"}]
    assert body["tools"] == [{"type": "function", "function": {"name": "get_weather"}}]


def test_list_sends_query_and_parses_page(chat_sdk: Any, recorder: Recorder) -> None:
    client = make(chat_sdk, recorder)
    page = client.chat.list_chat_completions(limit=5, order="desc", metadata={"team": "a b"}, model="gpt-4o")
    url = recorder.last.url
    assert url.path == "/v1/chat/completions"
    assert dict(url.params) == {"limit": "5", "order": "desc", "metadata[team]": "a b", "model": "gpt-4o"}
    items = list(page)
    assert [i.id for i in items] == ["chatcmpl-abc123"]
    assert isinstance(items[0], chat_sdk.models.CreateChatCompletionResponse)
    assert page.has_next_page() is False


def test_get_update_delete_and_messages(chat_sdk: Any, recorder: Recorder) -> None:
    client = make(chat_sdk, recorder)
    got = client.chat.get_chat_completion("chatcmpl-abc123")
    assert recorder.last.method == "GET" and recorder.last.url.path == "/v1/chat/completions/chatcmpl-abc123"
    assert got.model == "gpt-4o-2024-08-06"

    client.chat.update_chat_completion("chatcmpl-abc123", metadata={"topic": "greeting"})
    assert recorder.last.method == "POST"
    assert json.loads(recorder.last.content) == {"metadata": {"topic": "greeting"}}

    deleted = client.chat.delete_chat_completion("chatcmpl-abc123")
    assert recorder.last.method == "DELETE"
    assert deleted.deleted is True and deleted.object == "chat.completion.deleted"

    msgs = list(client.chat.get_chat_completion_messages("chatcmpl-abc123", limit=10))
    assert recorder.last.url.path == "/v1/chat/completions/chatcmpl-abc123/messages"
    assert dict(recorder.last.url.params) == {"limit": "10"}
    assert [m.id for m in msgs] == ["msg_1"]


def test_error_raises_typed_exception_with_parsed_body(chat_sdk: Any, recorder: Recorder) -> None:
    client = make(chat_sdk, recorder)
    with pytest.raises(chat_sdk.NotFoundError) as info:
        client.chat.get_chat_completion("missing")
    err = info.value
    assert err.status_code == 404
    assert err.request_id == "req_404"
    assert isinstance(err.body, chat_sdk.models.ErrorResponse)
    assert err.body.error.message == "No such completion"
    assert isinstance(err, chat_sdk.APIStatusError)


def test_path_parameter_is_percent_encoded(chat_sdk: Any, recorder: Recorder) -> None:
    client = make(chat_sdk, recorder)
    with pytest.raises(chat_sdk.NotFoundError):
        client.chat.get_chat_completion("../admin?x=1")
    assert recorder.last.url.raw_path == b"/v1/chat/completions/..%2Fadmin%3Fx%3D1"


def test_api_key_from_environment(chat_sdk: Any, recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    client = chat_sdk.Client(base_url="https://api.test/v1",
                             http_client=httpx.Client(transport=httpx.MockTransport(recorder)))
    client.chat.get_chat_completion("chatcmpl-abc123")
    assert recorder.last.headers["authorization"] == "Bearer sk-from-env"
    assert "sk-from-env" not in repr(client)


def test_async_client_all_operations(chat_sdk: Any, recorder: Recorder) -> None:
    async def main() -> None:
        client = make(chat_sdk, recorder, is_async=True)
        res = await client.chat.create_chat_completion(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])
        assert res.choices[0].message.content == "Hello!"
        assert json.loads(recorder.last.content) == {"model": "gpt-4o",
                                                     "messages": [{"role": "user", "content": "Hi"}]}
        page = await client.chat.list_chat_completions(limit=1)
        assert [i.id async for i in page] == ["chatcmpl-abc123"]
        got = await client.chat.get_chat_completion("chatcmpl-abc123")
        assert got.id == "chatcmpl-abc123"
        await client.chat.update_chat_completion("chatcmpl-abc123", metadata=None)
        assert json.loads(recorder.last.content) == {"metadata": None}
        deleted = await client.chat.delete_chat_completion("chatcmpl-abc123")
        assert deleted.deleted
        msgs = await client.chat.get_chat_completion_messages("chatcmpl-abc123")
        assert [m.id async for m in msgs] == ["msg_1"]
        with pytest.raises(chat_sdk.NotFoundError):
            await client.chat.get_chat_completion("nope")
        await client.close()

    asyncio.run(main())
    assert [r.method for r in recorder.requests] == ["POST", "GET", "GET", "POST", "DELETE", "GET", "GET"]
