"""Retries: which failures are retried, how long we wait, idempotency keys, timeouts."""

from __future__ import annotations

import email.utils
import time
from typing import Any

import httpx
import pytest

OK = httpx.Response(200, json={"ok": True})


def op(rt: Any, method: str = "post") -> Any:
    return rt.Operation(method=method, path="/things", cast_to=dict)


def test_retries_on_500_with_exponential_backoff(rt: Any, make_client: Any) -> None:
    client, rec, sleeps = make_client(
        httpx.Response(500), httpx.Response(503), OK, _random=lambda: 1.0
    )
    assert client.request(op(rt)) == {"ok": True}
    assert rec.count == 3
    assert sleeps == [0.375, 0.75]  # 0.5 * 2**n reduced by the maximum 25 % jitter


def test_backoff_bounds_and_cap(rt: Any, make_client: Any) -> None:
    client, rec, sleeps = make_client(httpx.Response(500), max_retries=6)
    with pytest.raises(rt.InternalServerError):
        client.request(op(rt))
    assert rec.count == 7
    assert sleeps == [
        0.5,
        1.0,
        2.0,
        4.0,
        8.0,
        8.0,
    ]  # _random() == 0: no jitter, capped at 8 s


def test_jitter_is_applied(rt: Any, make_client: Any) -> None:
    client, _, sleeps = make_client(httpx.Response(500), OK, _random=lambda: 0.5)
    client.request(op(rt))
    assert sleeps == [pytest.approx(0.5 * (1 - 0.125))]
    assert 0.375 <= sleeps[0] <= 0.5


def test_idempotency_key_reused_across_retries(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(httpx.Response(502), httpx.Response(429), OK)
    client.request(op(rt))
    keys = {r.headers["idempotency-key"] for r in rec.requests}
    assert rec.count == 3 and len(keys) == 1


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_retryable_statuses(rt: Any, make_client: Any, status: int) -> None:
    client, rec, sleeps = make_client(httpx.Response(status), OK)
    client.request(op(rt))
    assert rec.count == 2 and len(sleeps) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_non_retryable_statuses(rt: Any, make_client: Any, status: int) -> None:
    client, rec, sleeps = make_client(httpx.Response(status), OK)
    with pytest.raises(rt.APIStatusError):
        client.request(op(rt))
    assert rec.count == 1 and sleeps == []


def test_max_retries_exhausted_raises_last_error(rt: Any, make_client: Any) -> None:
    client, rec, sleeps = make_client(httpx.Response(500, json={"message": "boom"}))
    with pytest.raises(rt.InternalServerError, match="boom"):
        client.request(op(rt))
    assert rec.count == 3 and len(sleeps) == 2


def test_per_call_max_retries(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(httpx.Response(500))
    with pytest.raises(rt.InternalServerError):
        client.request(op(rt), max_retries=0)
    assert rec.count == 1
    with pytest.raises(rt.InternalServerError):
        client.request(op(rt), max_retries=4)
    assert rec.count == 1 + 5


def test_retry_after_seconds(rt: Any, make_client: Any) -> None:
    client, rec, sleeps = make_client(
        httpx.Response(429, headers={"Retry-After": "7"}), OK
    )
    client.request(op(rt))
    assert sleeps == [7.0]


def test_retry_after_ms_wins(rt: Any, make_client: Any) -> None:
    headers = {"retry-after-ms": "1500", "Retry-After": "9"}
    client, _, sleeps = make_client(httpx.Response(429, headers=headers), OK)
    client.request(op(rt))
    assert sleeps == [1.5]


def test_retry_after_http_date(rt: Any, make_client: Any) -> None:
    date = email.utils.formatdate(time.time() + 30, usegmt=True)
    client, _, sleeps = make_client(
        httpx.Response(503, headers={"Retry-After": date}), OK
    )
    client.request(op(rt))
    assert 28 <= sleeps[0] <= 30


@pytest.mark.parametrize("value", ["0", "-1", "61", "3600", "soon"])
def test_out_of_range_retry_after_uses_backoff(
    rt: Any, make_client: Any, value: str
) -> None:
    client, _, sleeps = make_client(
        httpx.Response(429, headers={"Retry-After": value}), OK
    )
    client.request(op(rt))
    assert sleeps == [0.5]


def test_x_should_retry_header(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(
        httpx.Response(400, headers={"x-should-retry": "true"}), OK
    )
    client.request(op(rt))
    assert rec.count == 2
    client, rec, _ = make_client(
        httpx.Response(503, headers={"x-should-retry": "false"}), OK
    )
    with pytest.raises(rt.InternalServerError):
        client.request(op(rt))
    assert rec.count == 1


def test_connection_errors_are_retried(rt: Any, make_client: Any) -> None:
    client, rec, sleeps = make_client(httpx.ConnectError("refused"), OK)
    assert client.request(op(rt)) == {"ok": True}
    assert rec.count == 2 and sleeps == [0.5]


def test_connection_error_after_retries(rt: Any, make_client: Any) -> None:
    client, rec, sleeps = make_client(httpx.ConnectError("refused"))
    with pytest.raises(rt.APIConnectionError) as info:
        client.request(op(rt))
    assert not isinstance(info.value, rt.APITimeoutError)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert rec.count == 3 and sleeps == [0.5, 1.0]
    assert info.value.request.url.path == "/v1/things"


def test_timeout_raises_api_timeout_error_after_retries(
    rt: Any, make_client: Any
) -> None:
    client, rec, sleeps = make_client(httpx.ReadTimeout("slow"))
    with pytest.raises(rt.APITimeoutError) as info:
        client.request(op(rt, method="get"))
    assert isinstance(info.value, rt.APIConnectionError)
    assert str(info.value) == "Request timed out."
    assert rec.count == 3 and sleeps == [0.5, 1.0]


def test_other_exceptions_are_not_retried(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(RuntimeError("bug"))
    with pytest.raises(RuntimeError):
        client.request(op(rt))
    assert rec.count == 1


def policy_op(rt: Any, **policy: Any) -> Any:
    return rt.Operation(
        method="get", path="/things", cast_to=dict, retries=rt.RetryPolicy(**policy)
    )


def test_policy_statuses_and_backoff(rt: Any, make_client: Any) -> None:
    client, rec, sleeps = make_client(
        httpx.Response(503),
        httpx.Response(504),
        OK,
        max_retries=5,
    )
    op = policy_op(
        rt, status_codes=("5XX",), initial_interval=0.1, exponent=3.0, max_interval=0.5
    )
    assert client.request(op) == {"ok": True}
    assert rec.count == 3 and sleeps == [pytest.approx(0.1), pytest.approx(0.3)]


def test_policy_without_the_status_does_not_retry(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(httpx.Response(429), OK)
    with pytest.raises(rt.RateLimitError):
        client.request(policy_op(rt, status_codes=("503",)))
    assert rec.count == 1


def test_policy_connection_errors_only_when_asked(rt: Any, make_client: Any) -> None:
    client, rec, _ = make_client(httpx.ConnectError("down"), OK)
    with pytest.raises(rt.APIConnectionError):
        client.request(policy_op(rt, status_codes=("5XX",)))
    assert rec.count == 1
    client, rec, _ = make_client(httpx.ConnectError("down"), OK)
    op = policy_op(rt, status_codes=("5XX",), connection_errors=True)
    assert client.request(op) == {"ok": True} and rec.count == 2


def test_policy_elapsed_time_budget(rt: Any) -> None:
    policy = rt.RetryPolicy(max_elapsed_time=1.0)
    assert rt.within_budget(policy, started=10.0, delay=0.5, now=lambda: 10.4)
    assert not rt.within_budget(policy, started=10.0, delay=0.5, now=lambda: 10.6)
    assert rt.within_budget(None, started=0.0, delay=1e9, now=lambda: 1e9)
    assert rt.RetryPolicy(status_codes=("4XX", "503")).retries_status(404)
    assert not rt.RetryPolicy(status_codes=("4XX", "503")).retries_status(500)
