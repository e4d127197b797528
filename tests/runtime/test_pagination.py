"""Cursor pagination across pages, sync and async."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest


def _pet_model(rt: Any) -> Any:
    class Pet(rt.BaseModel):
        id: str

    return Pet


def _pages_by_cursor(pages: dict[str | None, dict[str, Any]]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages[request.url.params.get("after")])

    return handler


def _list_op(rt: Any, Pet: Any, **pagination: Any) -> Any:
    return rt.Operation(
        method="get",
        path="/pets",
        query={"limit": 2, "after": rt.NOT_GIVEN},
        pagination=rt.CursorPagination(cursor_param="after", **pagination),
        page_item=Pet,
    )


LAST_ITEM_PAGES: dict[str | None, dict[str, Any]] = {
    None: {"data": [{"id": "a"}, {"id": "b"}], "has_more": True},
    "b": {"data": [{"id": "c"}, {"id": "d"}], "has_more": True},
    "d": {"data": [{"id": "e"}], "has_more": False},
}


def test_cursor_from_last_item_three_pages(rt: Any, make_client: Any) -> None:
    Pet = _pet_model(rt)
    client, rec, _ = make_client(_pages_by_cursor(LAST_ITEM_PAGES))
    page = client.request(
        _list_op(
            rt, Pet, items="data", has_more="has_more", cursor_from_last_item="id"
        ),
        extra_headers={"X-Trace": "t"},
    )
    assert isinstance(page, rt.SyncCursorPage)
    assert page.data == [Pet(id="a"), Pet(id="b")] and page.items is page.data
    assert page.has_next_page()
    assert [p.id for p in page] == ["a", "b", "c", "d", "e"]
    assert [r.url.params.get("after") for r in rec.requests] == [None, "b", "d"]
    assert all(r.url.params["limit"] == "2" for r in rec.requests)
    assert all(r.headers["x-trace"] == "t" for r in rec.requests)


def test_next_cursor_field_and_iter_pages(rt: Any, make_client: Any) -> None:
    Pet = _pet_model(rt)
    pages: dict[str | None, dict[str, Any]] = {
        None: {"items": [{"id": "1"}], "meta": {"next": "c2"}},
        "c2": {"items": [{"id": "2"}], "meta": {"next": "c3"}},
        "c3": {"items": [{"id": "3"}], "meta": {"next": None}},
    }
    client, rec, _ = make_client(_pages_by_cursor(pages))
    page = client.request(_list_op(rt, Pet, items="items", next_cursor="meta.next"))
    collected = [[p.id for p in pg.data] for pg in page.iter_pages()]
    assert collected == [["1"], ["2"], ["3"]]
    assert [r.url.params.get("after") for r in rec.requests] == [None, "c2", "c3"]
    second = page.get_next_page()
    assert second.data == [Pet(id="2")] and second.body["meta"]["next"] == "c3"


def test_empty_page_stops(rt: Any, make_client: Any) -> None:
    Pet = _pet_model(rt)
    pages: dict[str | None, dict[str, Any]] = {
        None: {"data": [{"id": "a"}], "has_more": True},
        "a": {"data": [], "has_more": True},
    }
    client, rec, _ = make_client(_pages_by_cursor(pages))
    page = client.request(
        _list_op(rt, Pet, has_more="has_more", cursor_from_last_item="id")
    )
    assert [p.id for p in page] == ["a"]
    assert rec.count == 2


def test_has_more_false_stops_even_with_cursor(rt: Any, make_client: Any) -> None:
    Pet = _pet_model(rt)
    pages: dict[str | None, dict[str, Any]] = {
        None: {"data": [{"id": "a"}], "has_more": False, "next": "zzz"}
    }
    client, rec, _ = make_client(_pages_by_cursor(pages))
    page = client.request(_list_op(rt, Pet, has_more="has_more", next_cursor="next"))
    assert not page.has_next_page()
    assert [p.id for p in page] == ["a"] and rec.count == 1
    with pytest.raises(RuntimeError):
        page.get_next_page()


def test_async_pagination(rt: Any, make_async_client: Any) -> None:
    Pet = _pet_model(rt)

    async def main() -> tuple[list[str], Any]:
        client, rec, _ = make_async_client(_pages_by_cursor(LAST_ITEM_PAGES))
        page = await client.request(
            _list_op(rt, Pet, has_more="has_more", cursor_from_last_item="id")
        )
        assert isinstance(page, rt.AsyncCursorPage)
        assert page.has_next_page()
        second = await page.get_next_page()
        assert [p.id for p in second.data] == ["c", "d"]
        ids = [p.id async for p in page]
        pages = [len(pg.data) async for pg in page.iter_pages()]
        assert pages == [2, 2, 1]
        return ids, rec

    ids, rec = asyncio.run(main())
    assert ids == ["a", "b", "c", "d", "e"]
    assert [r.url.params.get("after") for r in rec.requests][:4] == [
        None,
        "b",
        "b",
        "d",
    ]


def test_page_items_validation(rt: Any, make_client: Any) -> None:
    Pet = _pet_model(rt)
    bad: dict[str | None, dict[str, Any]] = {
        None: {"data": [{"id": 1.5}], "has_more": False}
    }
    operation = _list_op(rt, Pet, has_more="has_more", cursor_from_last_item="id")
    client, _, _ = make_client(_pages_by_cursor(bad))
    page = client.request(operation)
    assert (
        isinstance(page.data[0], Pet) and page.data[0].id == 1.5
    )  # lenient best effort
    client, _, _ = make_client(_pages_by_cursor(bad), strict_response_validation=True)
    with pytest.raises(rt.APIResponseValidationError):
        client.request(operation)


ROWS = [{"id": str(i)} for i in range(5)]


def test_offset_pagination_stops_on_a_short_page(rt: Any, make_client: Any) -> None:
    Pet = _pet_model(rt)

    def handler(request: httpx.Request) -> httpx.Response:
        start = int(request.url.params.get("offset", 0))
        return httpx.Response(200, json={"rows": ROWS[start : start + 2]})

    client, rec, _ = make_client(handler)
    op = rt.Operation(
        method="get",
        path="/pets",
        query={"limit": 2, "offset": rt.NOT_GIVEN},
        pagination=rt.OffsetPagination(param="offset", items="rows", limit_param="limit"),
        page_item=Pet,
    )
    page = client.request(op)
    assert isinstance(page, rt.SyncOffsetPage)
    assert [p.id for p in page] == ["0", "1", "2", "3", "4"]
    assert [r.url.params.get("offset") for r in rec.requests] == [None, "2", "4"]


def test_page_numbers_stop_at_num_pages_and_go_in_the_body(
    rt: Any, make_client: Any
) -> None:
    import json

    def handler(request: httpx.Request) -> httpx.Response:
        page = json.loads(request.content).get("page", 1)
        return httpx.Response(200, json={"items": ROWS[page - 1 : page], "pages": 3})

    client, rec, _ = make_client(handler)
    op = rt.Operation(
        method="post",
        path="/search",
        body={"q": "x"},
        body_kind="json",
        pagination=rt.OffsetPagination(
            param="page", items="items", page=True, num_pages="pages", in_body=True
        ),
    )
    page = client.request(op)
    assert [p["id"] for p in page] == ["0", "1", "2"]
    assert [json.loads(r.content) for r in rec.requests] == [
        {"q": "x"},
        {"q": "x", "page": 2},
        {"q": "x", "page": 3},
    ]


def test_url_pagination_absolute_relative_and_other_host(
    rt: Any, make_client: Any
) -> None:
    nexts = {
        "0": "https://api.example.com/v1/pets?p=1&tag=a&tag=b",
        "1": "/v1/pets?p=2",
        "2": "https://cdn.example.net/more/pets?p=3",
        "3": None,
    }

    def handler(request: httpx.Request) -> httpx.Response:
        p = request.url.params.get("p", "0")
        return httpx.Response(200, json={"data": [{"id": p}], "next": nexts[p]})

    client, rec, _ = make_client(handler)
    op = rt.Operation(
        method="get",
        path="/pets",
        query={"q": "x"},
        pagination=rt.UrlPagination(next_url="next"),
    )
    page = client.request(op)
    assert isinstance(page, rt.SyncUrlPage)
    assert [p["id"] for p in page] == ["0", "1", "2", "3"]
    assert [str(r.url) for r in rec.requests] == [
        "https://api.example.com/v1/pets?q=x",
        "https://api.example.com/v1/pets?p=1&tag=a&tag=b",
        "https://api.example.com/v1/pets?p=2",
        "https://cdn.example.net/more/pets?p=3",
    ]


def test_async_offset_pagination(rt: Any, make_async_client: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        start = int(request.url.params.get("offset", 0))
        return httpx.Response(200, json={"data": ROWS[start : start + 2]})

    async def main() -> list[str]:
        client, _, _ = make_async_client(handler)
        op = rt.Operation(
            method="get",
            path="/pets",
            pagination=rt.OffsetPagination(param="offset"),
        )
        page = await client.request(op)
        assert isinstance(page, rt.AsyncOffsetPage)
        return [p["id"] async for p in page]

    assert asyncio.run(main()) == ["0", "1", "2", "3", "4"]
