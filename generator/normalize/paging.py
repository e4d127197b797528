"""`x-speakeasy-pagination` -> `ir.Pagination`: the `offsetLimit`, `cursor` and `url` types, mapped onto
the runtime's page classes (`SyncOffsetPage`, `SyncCursorPage`, `SyncUrlPage`).

    x-speakeasy-pagination:
      type: offsetLimit                 # or cursor, url
      inputs:                           # where the next page's value goes
        - {name: page, in: parameters, type: page}       # page | offset | limit | cursor
        - {name: limit, in: parameters, type: limit}
      outputs:                          # JSONPath (simple: $.a.b, $.items[-1].id)
        results: $.data                 # the page's items
        numPages: $.meta.pages          # page numbers: the last page
        nextCursor: $.next              # cursor; `$.data[-1].id` reads it from the last item
        nextUrl: $.links.next           # url

Inputs `in: parameters` are query parameters; `in: requestBody` are fields of the JSON body. What cannot
be mapped (another input location, a path that is not a plain field path, a `results` that is not a
list field of the response) is a warning (`invalid-pagination`) and the operation is not paginated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from generator import ir
from generator.diagnostics import Collector
from generator.resolve import Loc

KEY = "x-speakeasy-pagination"
_SEGMENT = re.compile(r"\.([A-Za-z_$][\w$-]*)|\['((?:[^'\\]|\\.)*)'\]|\[\"((?:[^\"\\]|\\.)*)\"\]|\[(-?\d+)\]")


def json_path(text: Any) -> list[str | int] | None:
    """The segments of a simple JSONPath (`$.a.b`, `$['a'][0]`, `$.a[-1].b`), or None."""
    if not isinstance(text, str) or not text.startswith("$"):
        return None
    out: list[str | int] = []
    pos = 1
    while pos < len(text):
        m = _SEGMENT.match(text, pos)
        if m is None:
            return None
        name, single, double, index = m.groups()
        out.append(int(index) if index is not None else name if name is not None else single or double or "")
        pos = m.end()
    return out


def list_item(model_of: Callable[[ir.TypeRef], ir.Model | None], response: ir.Response | None, path: str
              ) -> ir.TypeRef | None:
    """The item type of the list at the dotted `path` of the response, if there is one."""
    t: ir.TypeRef | None = response.type if response is not None else None
    for part in path.split("."):
        model = model_of(ir.strip_null(t)) if t is not None else None
        field = next((f for f in model.fields if f.wire_name == part), None) if model else None
        if field is None:
            return None
        t = field.type
    t = ir.strip_null(t) if t is not None else None
    return t.item if isinstance(t, ir.ListOf) else None


def _dotted(segments: list[str | int]) -> str | None:
    if not segments or any(not isinstance(s, str) or not s or "." in s for s in segments):
        return None
    return ".".join(str(s) for s in segments)


def speakeasy(raw: Any, loc: Loc, diags: Collector, params: tuple[ir.Parameter, ...], body: ir.RequestBody | None,
              items_of: Callable[[str], ir.TypeRef | None]) -> ir.Pagination | None:
    """The pagination an `x-speakeasy-pagination` object declares. `items_of(path)` is the item type
    of the list at the dotted response path, or None when there is no such list."""
    ploc = loc.child(KEY)

    def bad(message: str) -> None:
        diags.warning("invalid-pagination", ploc.pointer, f"{KEY}: {message}; the operation is not paginated",
                      ploc.file)

    if not isinstance(raw, dict) or raw.get("type") not in ("offsetLimit", "cursor", "url"):
        bad("'type' must be offsetLimit, cursor or url")
        return None
    kind = raw["type"]
    inputs: dict[str, tuple[str, bool]] = {}  # input type -> (wire name, in body)
    query = {p.wire_name for p in params if p.location == "query"}
    body_fields = {f.wire_name for f in body.fields} if body is not None and body.flattened else set()
    for i, entry in enumerate(raw.get("inputs") or ()):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            bad(f"inputs[{i}] needs a name, in and type")
            return None
        where, name, typ = entry.get("in"), entry["name"], entry.get("type")
        if typ not in ("page", "offset", "limit", "cursor"):
            bad(f"inputs[{i}].type must be page, offset, limit or cursor")
            return None
        if where == "parameters" and name in query:
            inputs[typ] = (name, False)
        elif where == "requestBody" and name in body_fields:
            inputs[typ] = (name, True)
        else:
            bad(f"inputs[{i}]: {name!r} is not a query parameter (in: parameters) or a JSON body field "
                "(in: requestBody) of the operation")
            return None
    outputs: dict[str, Any] = raw["outputs"] if isinstance(raw.get("outputs"), dict) else {}
    results = json_path(outputs.get("results", "$.data")) or []
    items = _dotted(results)
    item = items_of(items) if items is not None else None
    if items is None or item is None:
        bad(f"outputs.results {outputs.get('results', '$.data')!r} is not a list field of the response")
        return None
    if kind == "offsetLimit":
        chosen = inputs.get("page") or inputs.get("offset")
        if chosen is None:
            bad("offsetLimit needs an input of type page or offset")
            return None
        num_pages = None
        if "numPages" in outputs:
            num_pages = _dotted(json_path(outputs["numPages"]) or [])
            if num_pages is None:
                bad(f"outputs.numPages {outputs['numPages']!r} is not a field path")
                return None
        limit = inputs.get("limit")
        return ir.Pagination("page" if "page" in inputs else "offset", chosen[0], items, item, None, None, None,
                             limit_param=limit[0] if limit else None, num_pages=num_pages, in_body=chosen[1])
    if kind == "cursor":
        cursor = inputs.get("cursor")
        path = json_path(outputs.get("nextCursor"))
        if cursor is None or path is None:
            bad("cursor needs an input of type cursor and outputs.nextCursor")
            return None
        if len(path) > len(results) + 1 and path[:len(results)] == results and path[len(results)] == -1:
            from_item = _dotted(path[len(results) + 1:])
            if from_item is not None:
                return ir.Pagination("cursor", cursor[0], items, item, None, None, from_item, in_body=cursor[1])
        next_cursor = _dotted(path)
        if next_cursor is None:
            bad(f"outputs.nextCursor {outputs.get('nextCursor')!r} is neither a field path nor "
                "<results>[-1].<field>")
            return None
        return ir.Pagination("cursor", cursor[0], items, item, None, next_cursor, None, in_body=cursor[1])
    next_url = _dotted(json_path(outputs.get("nextUrl")) or [])
    if next_url is None:
        bad("url needs outputs.nextUrl, a field path")
        return None
    return ir.Pagination("url", "", items, item, None, None, None, next_url=next_url)
