"""Retry policy: which responses to retry and how long to wait."""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

__all__ = [
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "RetryPolicy",
    "retry_after",
    "retry_delay",
    "should_retry",
    "should_retry_connection",
    "within_budget",
]

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0

_RETRY_STATUSES = frozenset({408, 409, 429})


@dataclass(frozen=True)
class RetryPolicy:
    """The retry policy an operation declares (``x-speakeasy-retries``); times in seconds.

    With a policy, the statuses retried are ``status_codes`` (``"503"`` or a range such as
    ``"5XX"``), connection errors only when ``connection_errors``, the backoff is
    ``initial_interval * exponent ** n`` capped at ``max_interval`` (less up to 25 % jitter), and
    no retry starts after ``max_elapsed_time``. The number of retries is still bounded by
    ``max_retries`` (the client's, or the call's).
    """

    status_codes: tuple[str, ...] = ()
    connection_errors: bool = False
    initial_interval: float = 0.5
    max_interval: float = 60.0
    max_elapsed_time: float = 3600.0
    exponent: float = 1.5

    def retries_status(self, status: int) -> bool:
        code = str(status)
        return any(
            c == code or (len(c) == 3 and c[1:].upper() == "XX" and c[0] == code[0])
            for c in self.status_codes
        )


def should_retry(response: httpx.Response, policy: RetryPolicy | None = None) -> bool:
    """``x-should-retry`` wins; then the policy's statuses, or by default 408, 409, 429, 5xx."""
    explicit = response.headers.get("x-should-retry", "").strip().lower()
    if explicit == "true":
        return True
    if explicit == "false":
        return False
    if policy is not None:
        return policy.retries_status(response.status_code)
    return response.status_code in _RETRY_STATUSES or response.status_code >= 500


def should_retry_connection(policy: RetryPolicy | None) -> bool:
    """Connection errors and timeouts are retried by default, and with a policy that says so."""
    return policy is None or policy.connection_errors


def within_budget(
    policy: RetryPolicy | None,
    started: float,
    delay: float,
    now: Callable[[], float] = time.monotonic,
) -> bool:
    """Whether a retry after ``delay`` seconds still starts within the policy's elapsed time."""
    return policy is None or now() - started + delay <= policy.max_elapsed_time


def retry_after(
    headers: httpx.Headers, now: Callable[[], float] = time.time
) -> float | None:
    """Seconds requested by ``retry-after-ms`` or ``Retry-After`` (seconds or HTTP date)."""
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return float(value) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    import email.utils  # lazily: rarely needed and slow to import

    try:
        date = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if date.tzinfo is None:
        date = date.replace(tzinfo=_dt.timezone.utc)
    return date.timestamp() - now()


def retry_delay(
    retries_taken: int,
    headers: httpx.Headers | None,
    random: Callable[[], float],
    policy: RetryPolicy | None = None,
) -> float:
    """The server's requested delay when 0 < delay <= 60 s, else exponential backoff.

    Backoff starts at 0.5 s, doubles per retry up to 8 s (with a policy: its interval, exponent
    and cap), and is reduced by up to 25 % jitter.
    """
    if headers is not None:
        requested = retry_after(headers)
        if requested is not None and 0 < requested <= MAX_RETRY_AFTER:
            return requested
    if policy is not None:
        delay = min(
            policy.initial_interval * policy.exponent**retries_taken,
            policy.max_interval,
        )
        return delay * (1 - 0.25 * random())
    delay = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
    return delay * (1 - 0.25 * random())
