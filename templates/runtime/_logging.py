"""Opt-in debug logging with redaction of credentials.

Set the environment variable ``SDK_LOG`` (or the SDK-specific variable passed to the client, e.g.
``<PACKAGE>_LOG``) to ``debug`` or ``info``. Messages go to the stdlib logger named after the
generated package.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping

import httpx

__all__ = ["REDACTED", "logger", "redact_headers", "redact_url", "setup_logging"]

REDACTED = "REDACTED"

logger = logging.getLogger(__name__.rsplit("._runtime", 1)[0])

_SENSITIVE = re.compile(
    r"auth|api[-_]?key|token|secret|password|passwd|cookie|session|signature|credential",
    re.IGNORECASE,
)
_configured: set[str] = set()


def setup_logging(env_vars: Iterable[str] = ("SDK_LOG",)) -> None:
    """Enable logging when one of ``env_vars`` is ``debug`` or ``info`` (idempotent)."""
    for name in env_vars:
        if name in _configured:
            continue
        _configured.add(name)
        level = os.environ.get(name, "").strip().lower()
        if level not in ("debug", "info"):
            continue
        if not logger.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(
                logging.Formatter(
                    "[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s"
                )
            )
            logger.addHandler(handler)
        wanted = logging.DEBUG if level == "debug" else logging.INFO
        if logger.level == logging.NOTSET or logger.level > wanted:
            logger.setLevel(wanted)


def _is_sensitive(name: str, extra: frozenset[str]) -> bool:
    lowered = name.lower()
    return lowered in extra or bool(_SENSITIVE.search(lowered))


def redact_headers(
    headers: Mapping[str, str] | httpx.Headers, sensitive: frozenset[str] = frozenset()
) -> dict[str, str]:
    """A copy of ``headers`` with credential-like values replaced by ``REDACTED``."""
    return {
        name: REDACTED if _is_sensitive(name, sensitive) else value
        for name, value in headers.items()
    }


def redact_url(url: httpx.URL, sensitive: frozenset[str] = frozenset()) -> str:
    """``url`` as text with credential-like query values (and userinfo) redacted."""
    params = url.params
    if any(_is_sensitive(key, sensitive) for key in params):
        pairs = [
            (key, REDACTED if _is_sensitive(key, sensitive) else value)
            for key, value in params.multi_items()
        ]
        url = url.copy_with(params=pairs)
    if url.userinfo:
        url = url.copy_with(username=None, password=None)
    return str(url)
