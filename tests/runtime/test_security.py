"""Security schemes, credential selection, missing credentials and redaction."""

from __future__ import annotations

import base64
import logging
from typing import Any

import httpx
import pytest

OK = httpx.Response(200, json={})


def op(rt: Any, security: Any) -> Any:
    return rt.Operation(method="get", path="/me", security=security)


def schemes(rt: Any) -> dict[str, Any]:
    return {
        "bearer": rt.HTTPBearer("bearer", client_arg="api_token", env_var="ACME_TOKEN"),
        "basic": rt.HTTPBasic("basic"),
        "hkey": rt.APIKey(
            "hkey", "header", "X-API-Key", client_arg="api_key", env_var="ACME_KEY"
        ),
        "qkey": rt.APIKey("qkey", "query", "key"),
        "ckey": rt.APIKey("ckey", "cookie", "sid"),
    }


def test_bearer(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(
        OK, security_schemes=schemes(rt), credentials={"bearer": "tok"}
    )
    client.request(op(rt, (("bearer",),)))
    assert rec.requests[0].headers["authorization"] == "Bearer tok"


def test_basic(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(
        OK, security_schemes=schemes(rt), credentials={"basic": ("user", "p:w")}
    )
    client.request(op(rt, (("basic",),)))
    expected = "Basic " + base64.b64encode(b"user:p:w").decode()
    assert rec.requests[0].headers["authorization"] == expected


def test_api_keys_in_header_query_cookie(rt: Any, make_client: Any) -> None:
    creds = {"hkey": "H", "qkey": "Q", "ckey": "C"}
    client, rec, _ = make_client(OK, security_schemes=schemes(rt), credentials=creds)
    client.request(op(rt, (("hkey", "qkey", "ckey"),)))
    request = rec.requests[0]
    assert request.headers["x-api-key"] == "H"
    assert request.url.params["key"] == "Q"
    assert request.headers["cookie"] == "sid=C"


def test_first_satisfied_alternative_is_used(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(
        OK, security_schemes=schemes(rt), credentials={"qkey": "Q"}
    )
    client.request(op(rt, (("bearer",), ("hkey", "qkey"), ("qkey",))))
    request = rec.requests[0]
    assert request.url.params["key"] == "Q"
    assert "authorization" not in request.headers and "x-api-key" not in request.headers


def test_callable_credential(rt: Any, make_client: Any) -> None:
    tokens = iter(["t1", "t2"])
    client, rec, _ = make_client(
        OK, security_schemes=schemes(rt), credentials={"bearer": lambda: next(tokens)}
    )
    client.request(op(rt, (("bearer",),)))
    client.request(op(rt, (("bearer",),)))
    assert [r.headers["authorization"] for r in rec.requests] == [
        "Bearer t1",
        "Bearer t2",
    ]


def test_missing_credentials(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(
        OK, security_schemes=schemes(rt), credentials={"qkey": ""}
    )
    with pytest.raises(rt.MissingCredentialsError) as info:
        client.request(op(rt, (("hkey",), ("bearer", "qkey"))))
    message = str(info.value)
    assert "`api_key=...` (or `credentials={'hkey': ...}`)" in message
    assert "set the `ACME_KEY` environment variable" in message
    assert "api_token=" in message and "ACME_TOKEN" in message
    assert "'qkey': pass `credentials={'qkey': ...}` to the client" in message
    assert info.value.schemes == ("hkey", "bearer", "qkey")
    assert rec.count == 0


def test_optional_security(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(OK, security_schemes=schemes(rt))
    client.request(op(rt, (("bearer",), ())))
    client.request(op(rt, ()))
    assert all("authorization" not in r.headers for r in rec.requests)
    client, rec, _ = make_client(
        OK, security_schemes=schemes(rt), credentials={"bearer": "t"}
    )
    client.request(op(rt, ((), ("bearer",))))
    assert rec.requests[0].headers["authorization"] == "Bearer t"


def test_credentials_from_env(
    rt: Any, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_TOKEN", "from-env")
    client, rec, _ = make_client(OK, security_schemes=schemes(rt))
    client.request(op(rt, (("bearer",),)))
    assert rec.requests[0].headers["authorization"] == "Bearer from-env"
    client, rec, _ = make_client(
        OK, security_schemes=schemes(rt), credentials={"bearer": "explicit"}
    )
    client.request(op(rt, (("bearer",),)))
    assert rec.requests[0].headers["authorization"] == "Bearer explicit"


def test_client_repr_hides_credentials(rt: Any, make_client: Any) -> None:
    client, _, _ = make_client(
        OK, security_schemes=schemes(rt), credentials={"bearer": "SECRET-TOKEN"}
    )
    assert "SECRET" not in repr(client) and "SECRET" not in str(client)
    assert "https://api.example.com/v1" in repr(client)


def test_logs_are_redacted(
    rt: Any, make_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    creds = {"bearer": "SECRET-B", "qkey": "SECRET-Q", "hkey": "SECRET-H"}
    client, _, _ = make_client(
        httpx.Response(500), OK, security_schemes=schemes(rt), credentials=creds
    )
    with caplog.at_level(logging.DEBUG, logger=rt.package):
        client.request(
            op(rt, (("bearer", "qkey", "hkey"),)),
            extra_headers={"X-Custom-Token": "SECRET-X"},
        )
    assert "SECRET" not in caplog.text
    assert "Retrying GET" in caplog.text and "500" in caplog.text
    assert "/v1/me?key=REDACTED" in caplog.text
    assert all(r.name == rt.package for r in caplog.records)


def test_log_env_var_enables_logging(rt: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger(rt.package)
    monkeypatch.setenv("ACME_LOG", "info")
    with rt.base_client.SyncAPIClient(
        base_url="https://x.example", log_env_var="ACME_LOG"
    ):
        pass
    try:
        assert logger.level == logging.INFO and logger.handlers
    finally:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)


def test_redact_helpers(rt: Any) -> None:
    lg = rt.logging
    headers = {
        "Authorization": "Bearer x",
        "X-Api-Key": "k",
        "Accept": "a",
        "Custom": "c",
    }
    assert lg.redact_headers(headers, frozenset({"custom"})) == {
        "Authorization": "REDACTED",
        "X-Api-Key": "REDACTED",
        "Accept": "a",
        "Custom": "REDACTED",
    }
    url = httpx.URL("https://u:p@x.example/a?token=t&q=1&k=2")
    assert (
        lg.redact_url(url, frozenset({"k"}))
        == "https://x.example/a?token=REDACTED&q=1&k=REDACTED"
    )


def test_sdk_log_debug_and_unset(rt: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger(rt.package)
    monkeypatch.delenv("SDK_LOG", raising=False)
    with rt.base_client.SyncAPIClient(base_url="https://x.example"):
        pass
    assert logger.level == logging.NOTSET and not logger.handlers
    rt.logging._configured.clear()
    monkeypatch.setenv("SDK_LOG", "debug")
    with rt.base_client.SyncAPIClient(base_url="https://x.example"):
        pass
    try:
        assert logger.level == logging.DEBUG and len(logger.handlers) == 1
    finally:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)


def test_basic_missing_part_and_message(rt: Any, make_client: Any) -> None:
    basic = rt.HTTPBasic(
        "basic",
        client_arg="username",
        env_var="ACME_USERNAME",
        password_arg="password",
        password_env_var="ACME_PASSWORD",
    )
    client, rec, _ = make_client(
        OK, security_schemes={"basic": basic}, credentials={"basic": ("u", None)}
    )
    with pytest.raises(rt.MissingCredentialsError) as info:
        client.request(op(rt, (("basic",),)))
    message = str(info.value)
    assert "`username=...` and `password=...`" in message
    assert "`ACME_USERNAME` and `ACME_PASSWORD` environment variables" in message
    assert rec.count == 0
