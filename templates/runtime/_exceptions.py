"""Exceptions raised by the SDK.

``str()`` and ``repr()`` of these exceptions never include request headers, credentials or URLs
(which may carry API keys in their query string).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MissingCredentialsError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "SDKError",
    "UnprocessableEntityError",
    "error_message",
    "make_status_error",
    "make_stream_error",
]

_MAX_BODY_IN_MESSAGE = 500


class SDKError(Exception):
    """Base class of every exception raised by the SDK."""


class APIError(SDKError):
    """A request could not be completed. ``request`` is the ``httpx.Request`` that was sent."""

    message: str
    request: httpx.Request
    body: object

    def __init__(
        self, message: str, request: httpx.Request, *, body: object = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class APIConnectionError(APIError):
    """The server could not be reached (DNS, refused connection, TLS, dropped connection...)."""

    def __init__(
        self, request: httpx.Request, *, message: str = "Connection error."
    ) -> None:
        super().__init__(message, request)


class APITimeoutError(APIConnectionError):
    """The request timed out (after all retries)."""

    def __init__(
        self, request: httpx.Request, *, message: str = "Request timed out."
    ) -> None:
        super().__init__(request, message=message)


class APIStatusError(APIError):
    """The server answered with a non-success status code.

    ``body`` has one shape for a given status: the error model the spec declares for it (the exact
    code, else its ``4XX``/``5XX`` range, else ``default``) when the body fits it, else the decoded
    JSON, else the text (``None`` when empty). ``message`` is the error body's own message when it
    has one (``message``, ``error.message``, ``detail``, ...).
    """

    status_code: int
    response: httpx.Response
    request_id: str | None

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get("x-request-id")

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, "
            f"request_id={self.request_id!r}, message={self.message!r})"
        )


class APIStreamError(APIError):
    """An error event arrived in the middle of a server-sent event stream.

    The HTTP response itself succeeded, so there is no status code: ``body`` is the event's decoded
    JSON (else its text), ``event`` the SSE event name (``"error"`` or ``None``), ``response`` the
    streaming ``httpx.Response``.
    """

    response: httpx.Response
    event: str | None

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object,
        event: str | None = None,
    ) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.event = event


class BadRequestError(APIStatusError):
    """HTTP 400."""


class AuthenticationError(APIStatusError):
    """HTTP 401."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403."""


class NotFoundError(APIStatusError):
    """HTTP 404."""


class ConflictError(APIStatusError):
    """HTTP 409."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422."""


class RateLimitError(APIStatusError):
    """HTTP 429."""


class InternalServerError(APIStatusError):
    """HTTP 5xx."""


class APIResponseValidationError(APIError):
    """A successful response did not match the declared schema (``strict_response_validation``)."""

    response: httpx.Response
    status_code: int

    def __init__(
        self, response: httpx.Response, body: object, *, message: str | None = None
    ) -> None:
        super().__init__(
            message or "Data returned by the API is invalid for the expected schema.",
            response.request,
            body=body,
        )
        self.response = response
        self.status_code = response.status_code


class MissingCredentialsError(SDKError):
    """An operation requires authentication but no usable credential was configured."""

    def __init__(self, message: str, *, schemes: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.schemes = tuple(schemes)


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _message_from(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    error = data.get("error")
    if isinstance(error, dict):
        nested = _message_from(error)
        if nested:
            return nested
    for key in ("message", "error", "detail", "title", "error_description", "msg"):
        value = data.get(key)
        if isinstance(value, str) and value:
            return value
    errors = data.get("errors")
    if isinstance(errors, list) and errors:
        return _message_from(errors[0])
    return None


def error_message(data: Any, text: str = "") -> str | None:
    """The human-readable message of an error body (decoded JSON), else a shortened ``text``."""
    message = _message_from(data)
    if message:
        return message
    text = text.strip()
    if not text:
        return None
    if len(text) > _MAX_BODY_IN_MESSAGE:
        return text[:_MAX_BODY_IN_MESSAGE] + "..."
    return text


def _model_message(body: object) -> str | None:
    """The message an error model carries: a ``message``-like string field, or its ``error``'s."""
    if body is None or isinstance(body, (str, bytes, dict, list, int, float, bool)):
        return None
    for name in ("message", "detail", "error_description", "title", "msg", "error"):
        value = getattr(body, name, None)
        if isinstance(value, str) and value:
            return value
        if name == "error" and value is not None and value is not body:
            nested = _model_message(value)
            if nested:
                return nested
    return None


def _detail(body: object, data: Any) -> str | None:
    text = ""
    if data is None and isinstance(body, str):
        text = body
    elif data is not None and _message_from(data) is None:
        text = json.dumps(data, separators=(",", ":"), default=str)
    return _model_message(body) or error_message(data, text)


def make_stream_error(
    response: httpx.Response, body: object, data: Any = None, event: str | None = None
) -> APIStreamError:
    """Build the error for an error event in a stream (``data``: the event's decoded JSON)."""
    detail = _detail(body, data)
    message = "Error event in stream" + (f" - {detail}" if detail else "")
    return APIStreamError(message, response=response, body=body, event=event)


def make_status_error(
    response: httpx.Response, body: object, data: Any = None
) -> APIStatusError:
    """Build the ``APIStatusError`` subclass for ``response.status_code``.

    ``body`` is the parsed error body (the declared model, else ``data``, else the text), ``data``
    the decoded JSON (used to find a message when the body is no model with one).
    """
    status = response.status_code
    detail = _detail(body, data)
    message = f"Error code: {status}" + (f" - {detail}" if detail else "")
    if status >= 500:
        cls: type[APIStatusError] = InternalServerError
    else:
        cls = _STATUS_ERRORS.get(status, APIStatusError)
    return cls(message, response=response, body=body)
