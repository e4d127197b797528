"""An operation's `responses` -> the success response, other 2XX bodies (a union chosen by status),
the streamed item (server-sent events or JSON lines) and the error responses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from generator import ir, naming
from generator.normalize.content import ContentReader
from generator.normalize.schemas import SchemaBuilder
from generator.resolve import Loc

_JSON_LINES = frozenset({"application/jsonl", "application/x-ndjson", "application/x-jsonlines",
                         "application/jsonlines", "application/json-lines", "application/ndjson"})


@dataclass
class Responses:
    success: ir.Response | None = None  # the first 2XX
    stream: ir.StreamInfo | None = None
    errors: list[ir.Response] = field(default_factory=list)
    alternatives: list[ir.Response] = field(default_factory=list)  # later 2XX bodies of other types


def is_json(media: str) -> bool:
    base = media.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def stream_framing(media: str) -> Literal["sse", "jsonl"] | None:
    """How a streamed media type frames its items: server-sent events or one JSON value a line."""
    base = media.split(";")[0].strip().lower()
    if base == "text/event-stream":
        return "sse"
    if base in _JSON_LINES:
        return "jsonl"
    return None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _same_body(a: tuple[Any, ...], b: tuple[Any, ...] | None) -> bool:
    """Two `schema_identity`s describe one body: same media type, and the same schema (location or value)."""
    return b is not None and a[0] == b[0] and ((a[1] is not None and a[1] == b[1]) or a[2] == b[2])


class ResponseReader(ContentReader):
    schemas: SchemaBuilder

    def _responses(self, raw: Any, loc: Loc, hint: str, op_loc: Loc) -> Responses:
        out = Responses()
        listed = self.follow(raw, loc, "responses map") if raw is not None else None
        if listed is None:
            return out
        raw, loc = listed
        if not isinstance(raw, dict):
            self.diags.warning("invalid-response", loc.pointer,
                               f"'responses' must be an object, got {type(raw).__name__}; skipped", loc.file)
            return out
        first: tuple[Any, ...] | None = None  # what the first success body is (schema_identity)
        for status in sorted(raw, key=str):
            code = str(status).upper()
            found = self.follow(raw[status], loc.child(str(status)), "response")
            if found is None:
                continue
            resp, rloc = found
            if not isinstance(resp, dict):
                self.diags.warning("invalid-response", rloc.pointer,
                                   f"a response must be an object, got {type(resp).__name__}; skipped", rloc.file)
                continue
            self._check_refs(resp, rloc)
            content, cloc = self._content(resp, rloc)
            is_success = code.startswith("2")
            rhint = hint + ("Response" if is_success else "Error" + naming.pascal(code, empty=""))
            json_media = next((m for m in sorted(content) if is_json(m)), None)
            if is_success and out.success is not None:
                self._later_success(out, code, json_media, content, cloc, rloc, rhint, op_loc, resp, first)
            elif is_success:
                streamed = next((m for m in sorted(content) if stream_framing(m)), None)
                if streamed is not None:
                    media_obj, mloc = self._media(content, streamed, cloc)
                    item = self.schemas.convert(media_obj.get("schema", {}), mloc.child("schema"),
                                                hint + "StreamEvent", op_loc)
                    out.stream = ir.StreamInfo(item, None, None, stream_framing(streamed) or "sse", streamed)
                media = json_media or next((m for m in sorted(content) if not stream_framing(m)), None)
                if media is None and streamed is None:
                    out.success = ir.Response(code, "none", "", None, _text(resp.get("description")), str(rloc))
                elif media is not None:
                    out.success = self._response(code, media, content, cloc, rloc, rhint, op_loc, resp)
                    first = self.schema_identity(content, media, cloc)
            elif code.startswith("3") and content:
                self.diags.warning("redirect-body-skipped", rloc.pointer,
                                   f"the client follows redirects: the body of this {code} response is not typed",
                                   rloc.file)
            elif not code.startswith(("1", "3")):
                if json_media is not None:
                    out.errors.append(self._response(code, json_media, content, cloc, rloc, rhint, op_loc, resp))
                else:
                    out.errors.append(ir.Response(code, "none", "", None, _text(resp.get("description")),
                                                  str(rloc)))
        if out.success is None and out.stream is None and not any(str(s).startswith("2") for s in raw):
            # No 2XX declared: `default` describes every status, a success too (OpenAPI 3.x).
            fallback = next((e for e in out.errors if e.status == "DEFAULT" and e.type is not None), None)
            if fallback is not None:
                out.success = fallback
        return out

    def _later_success(self, out: Responses, code: str, json_media: str | None, content: dict[str, Any],
                       cloc: Loc, rloc: Loc, hint: str, op_loc: Loc, resp: dict[str, Any],
                       first: tuple[Any, ...] | None) -> None:
        """A 2XX after the first: a JSON body of another type is an alternative (the method returns the
        union, chosen by status); another non-JSON body is not typed, and said so."""
        assert out.success is not None
        media = json_media or next((m for m in sorted(content) if not stream_framing(m)), None)
        if media is None or _same_body(self.schema_identity(content, media, cloc), first):
            return
        if json_media is None:
            self.second_success(code, media, content, cloc, out.success.status, first)
            return
        alt = self._response(code, json_media, content, cloc, rloc, hint, op_loc, resp)
        if (alt.kind, alt.type) != (out.success.kind, out.success.type) and all(
                a.type != alt.type for a in out.alternatives):
            out.alternatives.append(alt)

    def _response(self, code: str, media: str, content: dict[str, Any], cloc: Loc, rloc: Loc, hint: str,
                  op_loc: Loc, resp: dict[str, Any]) -> ir.Response:
        media_obj, mloc = self._media(content, media, cloc)
        kind = "json" if is_json(media) else "text" if media.startswith("text/") else "binary"
        t: ir.TypeRef | None = None
        if kind == "json":
            t = self.schemas.convert(media_obj.get("schema", {}), mloc.child("schema"), hint, op_loc)
        else:
            self.raw_body(media, media_obj, mloc)
        return ir.Response(code, kind, media, t, _text(resp.get("description")), str(rloc),  # type: ignore[arg-type]
                           example=self._media_example(media_obj, mloc))
