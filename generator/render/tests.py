"""The generated SDK's own test suite: per resource a module, per operation a sync and an async test
(streaming and pagination variants included), one test per declared error model, one retry test.

Each test calls the method with the docs' example arguments (`generator.examples.snippets`) against
`tests/_support.py`'s `MockAPI`, which checks the request against the spec (`generator.bundle`)
and answers with a reply written here into `tests/_replies.json`: the spec's example of the
response, else a value built from its schema. The client validates replies strictly, so a test
also checks that the answer parses into the declared type.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from generator import ir
from generator.examples.snippets import PyImports, call_parts
from generator.examples.values import MISSING, Examples
from generator.jsontext import dumps_sorted

RETRYABLE = {408, 409, 429}


@dataclass(frozen=True)
class TestFunction:
    name: str
    lines: tuple[str, ...]  # the body of `def name() -> None:` (sync) or of its inner `async def run()`
    is_async: bool = False


@dataclass
class TestModule:
    path: str  # tests/test_<module>.py
    attr_path: str
    imports: list[str] = field(default_factory=list)
    needs_pytest: bool = False
    functions: list[TestFunction] = field(default_factory=list)


@dataclass
class TestSuite:
    modules: list[TestModule]
    spec: str  # tests/_spec.json
    replies: str  # tests/_replies.json
    credentials: list[tuple[str, str]]  # client constructor argument, test value
    resources: list[str]  # attribute paths from the client (`chat`, `beta.threads`)


def _status_for(code: str, declared: set[str]) -> int | None:
    """A concrete status that selects the error response `code` (4XX/default: one not declared)."""
    if code.isdigit():
        return int(code)
    first = 500 if code.upper() == "5XX" else 400
    for status in range(first, first + 100):
        if str(status) not in declared and status not in RETRYABLE and status >= 400:
            return status
    return None


class Planner:
    def __init__(self, api: ir.Api, operations: dict[str, Any]) -> None:
        self.api = api
        self.package = api.package.name
        self.examples = Examples(api, "output")
        self.operations = operations  # the bundle's operations: only those can be checked
        self.replies: dict[str, dict[str, Any]] = {}
        self.error_models: set[str] = set()
        self.retry_done = False
        self.needs_pytest = False  # the module being planned uses pytest.raises

    def reply(self, response: ir.Response | None, status: int | None = None) -> dict[str, Any]:
        if response is None or response.kind == "none":
            return {"status": status or 204, "content_type": ""}
        code = status or (int(response.status) if response.status.isdigit() else 200)
        out: dict[str, Any] = {"status": code, "content_type": response.content_type}
        if response.kind == "json":
            value = self.examples.value(response.type, response.example) if response.type is not None else {}
            out["json"] = value
        else:
            out["text"] = "content"
        return out

    def stream_reply(self, op: ir.Operation) -> dict[str, Any]:
        assert op.stream is not None
        item = self.examples.value(op.stream.item)
        if op.stream.framing == "jsonl":  # one JSON value a line
            return {"status": 200, "content_type": op.stream.media, "text": f"{json.dumps(item)}\n"}
        text = f"data: {json.dumps(item)}\n\ndata: [DONE]\n\n"
        return {"status": 200, "content_type": "text/event-stream", "text": text}

    def pages(self, op: ir.Operation) -> list[dict[str, Any]] | None:
        p = op.pagination
        if p is None or p.style != "cursor" or op.response is None or op.response.type is None:
            return None
        body = self.examples.value(op.response.type, op.response.example)
        item = self.examples.value(p.item)
        if not isinstance(body, dict) or item is None or "." in p.items:
            return None
        first = {**body, p.items: [item]}
        if p.has_more is not None and "." not in p.has_more:
            first[p.has_more] = True
        if p.next_cursor is not None and "." not in p.next_cursor:
            first[p.next_cursor] = "cursor-2"
        elif p.cursor_from_last_item is not None and (
                not isinstance(item, dict) or item.get(p.cursor_from_last_item) in (None, "")):
            return None
        second = {**body, p.items: []}
        if p.has_more is not None and "." not in p.has_more:
            second[p.has_more] = False
        ct = op.response.content_type
        return [{"status": 200, "content_type": ct, "json": first}, {"status": 200, "content_type": ct, "json": second}]

    def module(self, res: ir.Resource) -> TestModule | None:
        imports = PyImports()
        mod = TestModule(f"tests/test_{res.module}.py", res.attr_path)
        for op in res.operations:
            if op.operation_id not in self.operations:
                continue
            mod.functions += self.operation_tests(op, imports)
        if not mod.functions:
            return None
        mod.imports = imports.lines(self.package)
        mod.needs_pytest, self.needs_pytest = self.needs_pytest, False
        return mod

    def operation_tests(self, op: ir.Operation, imports: PyImports) -> list[TestFunction]:
        replies: dict[str, Any] = {}
        out: list[TestFunction] = []
        if op.pagination is not None:
            check = self._check(op.pagination.item, imports)
        else:
            check = self._check(op.response.type if op.response is not None and op.response.kind == "json"
                                else None, imports)
        streams_only = op.stream is not None and op.stream.flag is None
        if not streams_only:
            replies["ok"] = self.reply(op.response)
            call = self._call(op, imports, stream=False)
            kind = op.response.kind if op.response is not None else "none"
            if op.pagination is not None and (pages := self.pages(op)) is not None:
                replies["pages"] = pages
                out += self._pagination_tests(op, call, imports)
            paginated = op.pagination is not None
            out += self._pair(op, "ok", call, self._result_lines(kind, check, paginated, False),
                              self._result_lines(kind, check, paginated, True))
            if not self.retry_done and kind == "json" and op.pagination is None:
                self.retry_done = True
                out.append(TestFunction(f"test_{op.name}_retries_after_503", (
                    f'api = MockAPI({op.operation_id!r}, fail_first=1)',
                    "client = make_client(api, max_retries=1)",
                    f"{call}",
                    "api.check_called(2)",
                )))
        if op.stream is not None:
            replies["stream"] = self.stream_reply(op)
            call = self._call(op, imports, stream=True)
            item_check = self._check(op.stream.item, imports)
            narrow = ir.stream_or_binary(op)  # `Stream[...] | BinaryResponse`: the stream reply gives the stream
            if narrow:
                imports.add(self.package, "Stream")
                imports.add(self.package, "AsyncStream")
            sync = (f'api = MockAPI({op.operation_id!r}, "stream")', "client = make_client(api)",
                    f"stream = {call}", *(["assert isinstance(stream, Stream)"] if narrow else []),
                    "chunks = list(stream)", "api.check_called()", "assert chunks",
                    *([f"assert isinstance(chunks[0], {item_check})"] if item_check else []))
            asyn = (f'api = MockAPI({op.operation_id!r}, "stream")', "client = make_async_client(api)",
                    f"stream = await {call}", *(["assert isinstance(stream, AsyncStream)"] if narrow else []),
                    "chunks = [chunk async for chunk in stream]",
                    "api.check_called()", "assert chunks",
                    *([f"assert isinstance(chunks[0], {item_check})"] if item_check else []))
            out += [TestFunction(f"test_{op.name}_stream", sync), TestFunction(f"test_{op.name}_stream_async", asyn,
                                                                                True)]
        out += self._error_tests(op, replies, imports)
        self.replies[op.operation_id] = replies
        return out

    def _call(self, op: ir.Operation, imports: PyImports, *, stream: bool) -> str:
        parts = call_parts(op, self.api, self.package, stream=stream)
        for module, names in parts.imports.names.items():
            if module != self.package:
                for name in names:
                    imports.add(module, name)
        imports.modules.update(m for m in parts.imports.modules if m != "os")
        return parts.call

    def _check(self, t: ir.TypeRef | None, imports: PyImports) -> str:
        """The class to check a parsed value with `isinstance`, when the type is a model."""
        if isinstance(t, ir.ModelRef):
            return imports.add(f"{self.package}.models", t.name)
        return ""

    @staticmethod
    def _result_lines(kind: str, check: str, paginated: bool, is_async: bool) -> tuple[str, ...]:
        """What the test asserts about the result `res` of a call answered with the "ok" reply."""
        if paginated:  # the first page only: the "ok" reply may say there are more, every time
            if check:
                return (f"assert all(isinstance(item, {check}) for item in res.data)",)
            return ("assert res.data is not None",)
        if kind == "json" and check:
            return (f"assert isinstance(res, {check})",)
        if kind == "text":
            return ("assert isinstance(res, str)",)
        if kind == "binary":
            return (f'assert {"await " if is_async else ""}res.read() == b"content"',)
        return ()

    def _pair(self, op: ir.Operation, reply: str, call: str, sync_result: tuple[str, ...],
              async_result: tuple[str, ...]) -> list[TestFunction]:
        assign = "res = " if sync_result else ""
        sync = (f'api = MockAPI({op.operation_id!r}, {reply!r})', "client = make_client(api)",
                f"{assign}{call}", "api.check_called()", *sync_result)
        asyn = (f'api = MockAPI({op.operation_id!r}, {reply!r})', "client = make_async_client(api)",
                f"{assign}await {call}", "api.check_called()", *async_result)
        return [TestFunction(f"test_{op.name}", sync), TestFunction(f"test_{op.name}_async", asyn, True)]

    def _pagination_tests(self, op: ir.Operation, call: str, imports: PyImports) -> list[TestFunction]:
        assert op.pagination is not None
        cursor = op.pagination.cursor_param
        sync = (f'api = MockAPI({op.operation_id!r}, "page")', "client = make_client(api)",
                f"items = list({call})", "assert len(items) == 1", "api.check_called(2)",
                f"assert api.requests[1].url.params.get({cursor!r})")
        asyn = (f'api = MockAPI({op.operation_id!r}, "page")', "client = make_async_client(api)",
                f"items = [item async for item in await {call}]", "assert len(items) == 1",
                "api.check_called(2)", f"assert api.requests[1].url.params.get({cursor!r})")
        return [TestFunction(f"test_{op.name}_walks_pages", sync),
                TestFunction(f"test_{op.name}_walks_pages_async", asyn, True)]

    def error_replies(self, op: ir.Operation, replies: dict[str, Any]) -> list[tuple[ir.Response, int, Any]]:
        """The error responses of `op` that get a test (a JSON error model not tested yet in this SDK), each with
        the status that selects it and its reply body; the replies are added to `replies` under the status."""
        out = []
        declared = {e.status for e in op.errors}
        for err in op.errors:
            if not isinstance(err.type, ir.ModelRef) or err.kind != "json" or err.type.name in self.error_models:
                continue
            status = _status_for(err.status, declared)
            if status is None:
                continue
            self.error_models.add(err.type.name)
            value = self.examples.value(err.type, err.example)
            replies[str(status)] = {"status": status, "content_type": err.content_type, "json": value}
            out.append((err, status, value))
        return out

    def _error_tests(self, op: ir.Operation, replies: dict[str, Any], imports: PyImports) -> list[TestFunction]:
        out: list[TestFunction] = []
        if op.stream is not None and op.stream.flag is None:
            return out  # the error of a stream-only operation is covered by the runtime's own tests
        for err, status, _ in self.error_replies(op, replies):
            assert isinstance(err.type, ir.ModelRef)
            model = imports.add(f"{self.package}.models", err.type.name)
            imports.add(self.package, "APIStatusError")
            self.needs_pytest = True
            call = self._call(op, imports, stream=False)
            out.append(TestFunction(f"test_{op.name}_error_{status}", (
                f'api = MockAPI({op.operation_id!r}, "{status}")',
                "client = make_client(api)",
                "with pytest.raises(APIStatusError) as caught:",
                f"    {call}",
                f"assert caught.value.status_code == {status}",
                f"assert isinstance(caught.value.body, {model})",
            )))
        return out


def plan_tests(api: ir.Api, spec: dict[str, Any], credentials: list[tuple[str, str]]) -> TestSuite:
    planner = Planner(api, spec["operations"])
    modules = [m for res in api.resources if (m := planner.module(res)) is not None]
    replies = dumps_sorted(dict(sorted(planner.replies.items())))  # ASCII: no raw U+2028
    spec_text = dumps_sorted(spec)
    resources = sorted(r.attr_path for r in api.resources)
    return TestSuite(modules, spec_text + "\n", replies + "\n", credentials, resources)


__all__ = ["MISSING", "TestSuite", "plan_tests"]
