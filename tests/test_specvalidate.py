"""The request validator used by the client tests must itself reject invalid requests."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.support.specvalidate import SpecValidator


def _post(body: Any) -> httpx.Request:
    return httpx.Request("POST", "https://api.test/v1/chat/completions", content=json.dumps(body),
                         headers={"content-type": "application/json"})


def test_valid_body_passes(chat_spec: dict[str, Any]) -> None:
    v = SpecValidator(chat_spec, base_path="/v1")
    assert v.validate(_post({"model": "m", "messages": [{"role": "user", "content": "x"}]})) == []


def test_invalid_bodies_are_reported(chat_spec: dict[str, Any]) -> None:
    v = SpecValidator(chat_spec, base_path="/v1")
    assert any("model" in p.message for p in v.validate(_post({"messages": [{"role": "user", "content": "x"}]})))
    assert v.validate(_post({"model": "m", "messages": []}))  # minItems 1
    assert v.validate(_post({"model": "m", "messages": [{"role": "robot", "content": "x"}]}))
    assert v.validate(_post({"model": "m", "messages": [{"role": "user", "content": "x"}], "temperature": 3}))


def test_query_and_path_checks(chat_spec: dict[str, Any]) -> None:
    v = SpecValidator(chat_spec, base_path="/v1")
    assert v.validate(httpx.Request("GET", "https://api.test/v1/chat/completions?order=sideways"))
    assert v.validate(httpx.Request("GET", "https://api.test/v1/chat/completions?limit=ten"))
    assert v.validate(httpx.Request("GET", "https://api.test/v1/chat/completions?limit=3&order=asc")) == []
    assert v.validate(httpx.Request("PUT", "https://api.test/v1/chat/completions"))
