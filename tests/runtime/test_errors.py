"""Mapping of error responses to exceptions and parsing of declared error bodies."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


def op(rt: Any, **kwargs: Any) -> Any:
    return rt.Operation(method="get", path="/things", cast_to=dict, **kwargs)


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (503, "InternalServerError"),
        (418, "APIStatusError"),
    ],
)
def test_status_to_exception(rt: Any, make_client: Any, status: int, name: str) -> None:
    client, _, _ = make_client(
        httpx.Response(
            status, json={"error": {"message": "nope"}}, headers={"x-request-id": "r1"}
        ),
        max_retries=0,
    )
    with pytest.raises(rt.APIStatusError) as info:
        client.request(op(rt))
    error = info.value
    assert type(error) is getattr(rt.exceptions, name)
    assert isinstance(error, rt.APIError) and isinstance(error, Exception)
    assert error.status_code == status
    assert error.request_id == "r1"
    assert error.body == {"error": {"message": "nope"}}
    assert (
        error.response.status_code == status and error.headers["x-request-id"] == "r1"
    )
    assert str(error) == f"Error code: {status} - nope"
    assert repr(error) == (
        f"{name}(status_code={status}, request_id='r1', message='Error code: {status} - nope')"
    )


def test_error_body_parsed_into_declared_model(rt: Any, make_client: Any) -> None:
    class Detail(rt.BaseModel):
        code: str
        message: str

    class ErrorResponse(rt.BaseModel):
        error: Detail

    class NotFoundBody(rt.BaseModel):
        missing: str

    errors = (("404", NotFoundBody), ("4XX", ErrorResponse), ("default", dict))
    client, _, _ = make_client(
        httpx.Response(404, json={"missing": "pet"}),
        max_retries=0,
    )
    with pytest.raises(rt.NotFoundError) as info:
        client.request(op(rt, errors=errors))
    assert (
        isinstance(info.value.body, NotFoundBody) and info.value.body.missing == "pet"
    )

    client, _, _ = make_client(
        httpx.Response(
            400, json={"error": {"code": "bad", "message": "Bad thing", "x": 1}}
        ),
        max_retries=0,
    )
    with pytest.raises(
        rt.BadRequestError, match="Error code: 400 - Bad thing"
    ) as info2:
        client.request(op(rt, errors=errors))
    body = info2.value.body
    assert isinstance(body, ErrorResponse)
    assert body.error.code == "bad" and body.error.model_extra == {"x": 1}

    client, _, _ = make_client(
        httpx.Response(502, json={"detail": "upstream"}), max_retries=0
    )
    with pytest.raises(rt.InternalServerError, match="upstream") as info3:
        client.request(op(rt, errors=errors))
    assert info3.value.body == {"detail": "upstream"}


def test_range_key_is_case_insensitive_and_exact_wins(
    rt: Any, make_client: Any
) -> None:
    class A(rt.BaseModel):
        a: int

    class B(rt.BaseModel):
        b: int

    client, _, _ = make_client(
        httpx.Response(503, json={"a": 1, "b": 2}), max_retries=0
    )
    with pytest.raises(rt.InternalServerError) as info:
        client.request(op(rt, errors=(("5xx", A), ("503", B))))
    assert isinstance(info.value.body, B)


def test_mismatching_error_body_is_still_the_declared_model(
    rt: Any, make_client: Any
) -> None:
    """One shape per status: a JSON object that does not validate is built best-effort into the
    declared model (what does not fit is kept as sent); a non-object body stays decoded JSON."""

    class Strict(rt.BaseModel):
        code: int
        message: str

    client, _, _ = make_client(
        httpx.Response(400, json={"code": "not-int", "message": "Nope", "x": 1}),
        httpx.Response(400, json=["not", "an", "object"]),
        max_retries=0,
    )
    with pytest.raises(rt.BadRequestError, match="Error code: 400 - Nope") as info:
        client.request(op(rt, errors=(("400", Strict),)))
    body = info.value.body
    assert isinstance(body, Strict) and body.message == "Nope" and body.code == "not-int"
    assert body.model_extra == {"x": 1}
    with pytest.raises(rt.BadRequestError) as info2:
        client.request(op(rt, errors=(("400", Strict),)))
    assert info2.value.body == ["not", "an", "object"]


def test_message_comes_from_the_error_model(rt: Any, make_client: Any) -> None:
    class Detail(rt.BaseModel):
        message: str

    class Problem(rt.BaseModel):
        title: str
        error: Detail

    client, _, _ = make_client(
        httpx.Response(422, json={"title": "Invalid", "error": {"message": "bad field"}}),
        max_retries=0,
    )
    with pytest.raises(rt.UnprocessableEntityError) as info:
        client.request(op(rt, errors=(("default", Problem),)))
    assert isinstance(info.value.body, Problem)
    assert info.value.message == "Error code: 422 - Invalid"


def test_models_are_not_iterable(rt: Any) -> None:
    class Listing(rt.BaseModel):
        data: list[int]

    listing = Listing(data=[1, 2])
    with pytest.raises(TypeError, match="not iterable"):
        iter(listing)
    assert listing.to_dict() == {"data": [1, 2]} and listing == Listing(data=[1, 2])
    assert "data=[1, 2]" in repr(listing) and listing.model_copy().data == [1, 2]


def test_text_error_body(rt: Any, make_client: Any) -> None:
    client, _, _ = make_client(
        httpx.Response(500, text="<html>oops</html>"), max_retries=0
    )
    with pytest.raises(rt.InternalServerError) as info:
        client.request(op(rt))
    assert info.value.body == "<html>oops</html>"
    assert str(info.value) == "Error code: 500 - <html>oops</html>"


def test_empty_error_body(rt: Any, make_client: Any) -> None:
    client, _, _ = make_client(httpx.Response(404), max_retries=0)
    with pytest.raises(rt.NotFoundError) as info:
        client.request(op(rt))
    assert info.value.body is None and str(info.value) == "Error code: 404"


def test_error_without_message_field_shows_body(rt: Any, make_client: Any) -> None:
    client, _, _ = make_client(httpx.Response(400, json={"foo": [1]}), max_retries=0)
    with pytest.raises(rt.BadRequestError) as info:
        client.request(op(rt))
    assert str(info.value) == 'Error code: 400 - {"foo":[1]}'


def test_exceptions_do_not_leak_credentials(rt: Any, make_client: Any) -> None:
    schemes = {
        "q": rt.APIKey("q", "query", "api_key"),
        "b": rt.HTTPBearer("b"),
    }
    client, rec, _ = make_client(
        httpx.Response(401, json={"message": "bad key"}),
        security_schemes=schemes,
        credentials={"q": "SECRET-Q", "b": "SECRET-B"},
        max_retries=0,
    )
    with pytest.raises(rt.AuthenticationError) as info:
        client.request(op(rt, security=(("q", "b"),)))
    assert rec.requests[0].url.params["api_key"] == "SECRET-Q"
    for text in (str(info.value), repr(info.value)):
        assert "SECRET" not in text
    client, _, _ = make_client(
        httpx.ConnectError("x"), security_schemes=schemes, credentials={"q": "SECRET-Q"},
        max_retries=0,
    )  # fmt: skip
    with pytest.raises(rt.APIConnectionError) as info2:
        client.request(op(rt, security=(("q",),)))
    assert "SECRET" not in str(info2.value) + repr(info2.value)


def test_response_validation_error_fields(rt: Any) -> None:
    response = httpx.Response(200, request=httpx.Request("GET", "https://x.example/"))
    error = rt.APIResponseValidationError(response, {"a": 1})
    assert (
        isinstance(error, rt.APIError)
        and error.status_code == 200
        and error.body == {"a": 1}
    )
