"""Request building, logging and response handling shared by the sync and async clients."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import httpx

from ._exceptions import APIResponseValidationError, APIStatusError, make_status_error
from ._files import encode_body
from ._lazy import validate_json, validate_python
from ._logging import logger, redact_headers, redact_url, setup_logging
from ._operation import Operation
from ._pagination import parse_page_items
from ._qs import cookie_header, request_target, serialize_header
from ._response import RAW_RESPONSE_HEADER
from ._security import HTTPBasic, SecurityScheme, resolve_auth, sensitive_names
from ._servers import Server, server_url
from ._streaming import is_stream_response
from ._types import Body, Headers, NotGiven, Query, Timeout

__all__ = ["BaseClient"]

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _error_type(errors: Any, status: int) -> Any:
    """The declared body type for ``status``: exact code, then ``4XX``-style range, then default."""
    table = {str(code).upper(): tp for code, tp in errors}
    for key in (str(status), f"{status // 100}XX", "DEFAULT"):
        if key in table:
            return table[key]
    return None


_STANDARD_BUILDS = (httpx.Client.build_request, httpx.AsyncClient.build_request)
_urls: dict[str, httpx.URL] = {}


def _parsed_url(text: str) -> httpx.URL:
    """``httpx.URL(text)``, parsed once per distinct URL (an SDK calls few, many times)."""
    url = _urls.get(text)
    if url is None:
        url = httpx.URL(text)
        if len(_urls) >= 512:
            _urls.clear()
        _urls[text] = url
    return url


def _new_request(
    http_client: httpx.Client | httpx.AsyncClient,
    method: str,
    url: str,
    headers: dict[str, str],
    content: Any,
    files: Any,
    timeout: Any,
) -> httpx.Request:
    """What ``http_client.build_request`` returns, built directly when that is the same
    thing: the client's own ``build_request`` (not overridden), no client-wide cookies or
    query parameters, an absolute URL. Then only the client's default headers need merging
    (``headers`` has lower-case names), and the URL is parsed once per distinct URL rather
    than on every call.

    ``url`` carries its query, already serialised (``_qs``). Client-wide query parameters
    (``httpx.Client(params=...)``) are appended to it, except names the URL already has.
    """
    parsed = _parsed_url(url)
    if (
        type(http_client).build_request in _STANDARD_BUILDS
        and not http_client.cookies
        and not http_client.params
        and not parsed.is_relative_url
    ):
        # The client's headers that ours do not replace, then ours (what Headers.update does).
        merged = [
            (name, value)
            for name, value in http_client.headers.multi_items()
            if name not in headers
        ]
        merged.extend(headers.items())
        if not isinstance(timeout, httpx.Timeout):
            timeout = httpx.Timeout(timeout)
        return httpx.Request(
            method,
            parsed,
            headers=merged,
            content=content,
            files=files,
            extensions={"timeout": timeout.as_dict()},
        )
    request = http_client.build_request(
        method,
        url,
        headers=headers,
        content=content,
        files=files,
        timeout=timeout,
    )
    if http_client.params:
        # httpx replaces a URL's own query with the client's parameters: put ours back first.
        ours = parsed.query.decode("ascii")
        names = {name for name, _ in httpx.QueryParams(ours).multi_items()}
        extra = httpx.QueryParams(
            [(k, v) for k, v in http_client.params.multi_items() if k not in names]
        )
        query = "&".join(part for part in (ours, str(extra)) if part)
        request.url = request.url.copy_with(query=query.encode("ascii"))
    return request


class BaseClient:
    """State and logic shared by ``SyncAPIClient`` and ``AsyncAPIClient``."""

    _stream_cls: Any
    _binary_cls: Any
    _page_cls: Any

    use_operation_servers: bool = True
    """Operations with servers of their own use them, unless the client was given a base URL."""
    _operation_servers: Mapping[str, Server] = MappingProxyType({})
    """The servers of operations (by URL template), for their variables' defaults and enums."""
    _server_variables: Mapping[str, str] = MappingProxyType({})
    """Values of server variables chosen for this client (``server_variables=``)."""

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        credentials: Mapping[str, object] | None,
        security_schemes: Mapping[str, SecurityScheme] | None,
        timeout: Timeout,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, object] | None,
        strict_response_validation: bool,
        user_agent: str | None,
        log_env_var: str | None,
        random_fn: Callable[[], float],
    ) -> None:
        base = str(base_url).rstrip("/")
        if not base:
            raise ValueError("`base_url` must not be empty")
        if max_retries < 0:
            raise ValueError("`max_retries` must be >= 0")
        self.base_url = base
        self.timeout: Timeout = timeout
        self.max_retries = max_retries
        self.strict_response_validation = strict_response_validation
        self.user_agent = user_agent or f"sdkforge-python httpx/{httpx.__version__}"
        self._default_headers = dict(default_headers or {})
        self._default_query = dict(default_query or {})
        self._security_schemes = dict(security_schemes or {})
        self._credentials = self._load_credentials(credentials or {})
        self._random = random_fn
        self._server_urls: dict[str, str] = {}
        self._sensitive_headers, self._sensitive_query = sensitive_names(
            self._security_schemes
        )
        setup_logging(("SDK_LOG", log_env_var) if log_env_var else ("SDK_LOG",))

    def _load_credentials(self, given: Mapping[str, object]) -> dict[str, object]:
        credentials = {k: v for k, v in given.items() if v is not None}
        for name, scheme in self._security_schemes.items():
            if (
                name in credentials
                or not scheme.env_var
                or isinstance(scheme, HTTPBasic)
            ):
                continue
            value = os.environ.get(scheme.env_var)
            if value:
                credentials[name] = value
        return credentials

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, "
            f"max_retries={self.max_retries}, timeout={self.timeout!r})"
        )

    # -- request building -------------------------------------------------------------------

    def _build_request(
        self,
        http_client: httpx.Client | httpx.AsyncClient,
        operation: Operation,
        extra_headers: Headers | None,
        extra_query: Query | None,
        extra_body: Body | None,
        timeout: Timeout | NotGiven,
    ) -> httpx.Request:
        auth = resolve_auth(
            operation.security, self._security_schemes, self._credentials
        )
        base = (
            self._operation_base(operation.server)
            if operation.server and self.use_operation_servers
            else self.base_url
        )
        url = base + request_target(
            operation.path,
            operation.path_params,
            operation.path_styles,
            [self._default_query, operation.query, auth.query, extra_query],
            operation.query_styles,
            operation.query,
        )
        body = encode_body(
            operation.body_kind,
            operation.body,
            extra_body,
            operation.content_type,
            operation.body_encoding,
            operation.part_headers,
        )

        # A plain dict with lower-case names (cheaper than httpx.Headers; later sources win).
        headers: dict[str, str] = {
            "accept": operation.accept
            or (
                "text/event-stream"
                if operation.stream
                else (
                    "application/json"
                    if operation.response_kind in ("json", "none")
                    else "*/*"
                )
            ),
            "user-agent": self.user_agent,
        }
        for source in (self._default_headers, auth.headers):
            for name, text in source.items():
                headers[name.lower()] = text
        header_styles = operation.header_styles
        for name, value in operation.headers.items():
            if value is not None and not isinstance(value, NotGiven):
                headers[name.lower()] = serialize_header(
                    value, header_styles.get(name, "")
                )
        cookies = cookie_header(operation.cookies, operation.cookie_styles)
        for name, value in auth.cookies.items():
            if value is not None and not isinstance(value, NotGiven):
                pair = f"{name}={serialize_header(value)}"
                cookies = f"{cookies}; {pair}" if cookies else pair
        if cookies:
            headers["cookie"] = cookies
        if body.content_type is not None:
            headers["content-type"] = body.content_type
        if extra_headers:
            for name, text in extra_headers.items():
                headers[name.lower()] = text
        headers.pop(RAW_RESPONSE_HEADER.lower(), None)
        method = operation.method.upper()
        if method not in _SAFE_METHODS and "idempotency-key" not in headers:
            headers["idempotency-key"] = f"sdk-retry-{os.urandom(16).hex()}"

        return _new_request(
            http_client,
            method,
            url,
            headers,
            body.content,
            body.files,
            self.timeout if isinstance(timeout, NotGiven) else timeout,
        )

    def _operation_base(self, server: str) -> str:
        """The base URL of an operation's own server, its variables substituted (cached)."""
        url = self._server_urls.get(server)
        if url is None:
            spec = self._operation_servers.get(server) or Server(server)
            url = server_url(spec, self._server_variables).rstrip("/")
            self._server_urls[server] = url
        return url

    # -- logging ------------------------------------------------------------------------------

    def _url_for_log(self, request: httpx.Request) -> str:
        return redact_url(request.url, self._sensitive_query)

    def _log_request(self, request: httpx.Request, retries_taken: int) -> None:
        if logger.isEnabledFor(10):
            logger.debug(
                "Sending HTTP request: %s %s (retry %d) headers=%s",
                request.method,
                self._url_for_log(request),
                retries_taken,
                redact_headers(request.headers, self._sensitive_headers),
            )

    def _log_response(self, request: httpx.Request, response: httpx.Response) -> None:
        if logger.isEnabledFor(20):
            logger.info(
                'HTTP Request: %s %s "%d %s" (request id: %s)',
                request.method,
                self._url_for_log(request),
                response.status_code,
                response.reason_phrase,
                response.headers.get("x-request-id"),
            )

    def _log_retry(self, request: httpx.Request, delay: float, cause: str) -> None:
        logger.info(
            "Retrying %s %s in %.3f seconds (%s)",
            request.method,
            self._url_for_log(request),
            delay,
            cause,
        )

    # -- response handling --------------------------------------------------------------------

    def _status_error(
        self, operation: Operation, response: httpx.Response
    ) -> APIStatusError:
        """Build the error for a non-success response whose body has been read."""
        data: Any = None
        body: object = None
        if response.content:
            try:
                data = json.loads(response.content)
            except ValueError:
                body = response.text
            else:
                body = data
                error_type = _error_type(operation.errors, response.status_code)
                if error_type is not None:
                    try:
                        body = validate_python(error_type, data)
                    except ValueError:
                        logger.debug("Error body did not match %r", error_type)
        return make_status_error(response, body, data)

    def _parse_json(self, cast_to: Any, response: httpx.Response) -> Any:
        content = response.content
        strict = self.strict_response_validation
        try:
            if not content.strip():
                if cast_to is None or not strict:
                    return None
                return validate_python(cast_to, None, strict=True)
            return validate_json(cast_to, content, strict=strict)
        except ValueError as exc:  # includes pydantic.ValidationError
            try:
                body: object = json.loads(content)
            except ValueError:
                body = response.text
            raise APIResponseValidationError(
                response,
                body,
                message=f"Response does not match the expected type: {exc}",
            ) from exc

    @staticmethod
    def _streamed(operation: Operation) -> bool:
        """Whether the response is received as a stream (read later, or never)."""
        return (
            operation.stream
            or operation.response_kind == "binary"
            or any(kind == "binary" for _, kind, _ in operation.alternatives)
        )

    @staticmethod
    def _choose(operation: Operation, response: httpx.Response) -> tuple[str, Any]:
        """``(kind, cast_to)`` of this response: ``"stream"`` or a response kind.

        A typed stream declared next to a binary body is chosen by the response's content
        type; another 2XX response declared with a type of its own, by the status code.
        """
        if operation.stream and (
            operation.response_kind != "binary" or is_stream_response(response)
        ):
            return "stream", operation.stream_item
        status = str(response.status_code)
        for code, kind, cast_to in operation.alternatives:
            if code.upper() in (status, f"{status[0]}XX"):
                return kind, cast_to
        return operation.response_kind, operation.cast_to

    def _needs_read(self, operation: Operation, response: httpx.Response) -> bool:
        """A streamed response whose chosen kind is parsed from the whole body."""
        return self._streamed(operation) and self._choose(operation, response)[0] in (
            "json",
            "text",
        )

    def _process(
        self, operation: Operation, response: httpx.Response, options: Any
    ) -> Any:
        kind, cast_to = self._choose(operation, response)
        if kind == "stream":
            return self._stream_cls(
                response=response,
                item_type=operation.stream_item,
                strict=self.strict_response_validation,
                framing=operation.stream_framing,
            )
        if kind == "binary":
            return self._binary_cls(response)
        if kind == "none":
            return None
        if kind == "text":
            return response.text
        if operation.pagination is not None:
            body = self._parse_json(None, response)
            try:
                items = parse_page_items(
                    operation.pagination,
                    operation.page_item,
                    body,
                    self.strict_response_validation,
                )
            except ValueError as exc:  # strict validation of the page items failed
                raise APIResponseValidationError(
                    response, body, message=f"Page items do not match: {exc}"
                ) from exc
            return self._page_cls.of(operation.pagination)(
                client=self,
                operation=operation,
                body=body,
                items=items,
                options=options,
            )
        return self._parse_json(cast_to, response)

    def _prepare(
        self,
        extra_headers: Headers | None,
        extra_query: Query | None,
        extra_body: Body | None,
        timeout: Timeout | NotGiven,
        max_retries: int | NotGiven,
    ) -> tuple[bool, int, dict[str, Any]]:
        raw = bool(extra_headers) and any(
            k.lower() == RAW_RESPONSE_HEADER.lower() for k in extra_headers or {}
        )
        page_headers = {
            k: v
            for k, v in (extra_headers or {}).items()
            if k.lower() != RAW_RESPONSE_HEADER.lower()
        }
        options = {
            "extra_headers": page_headers or None,
            "extra_query": extra_query,
            "extra_body": extra_body,
            "timeout": timeout,
            "max_retries": max_retries,
        }
        retries = self.max_retries if isinstance(max_retries, NotGiven) else max_retries
        return raw, retries, options
