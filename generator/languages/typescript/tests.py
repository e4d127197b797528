"""The TypeScript SDK's own tests: per resource `tests/<resource>.test.ts` (`node:test`), per operation a
test (streaming and pagination variants included), one test per declared error model, one retry test.

Each test calls the method with the docs' example arguments (`DocsPlan.call_expr`) through
`tests/support.ts`'s `MockAPI`, a `fetch` that checks the request against the spec
(`generator.bundle`, written as `tests/spec.json`) and answers with the reply the Python planner builds
(`generator.render.tests.Planner`: the spec's example, else a value built from the schema), written
as `tests/replies.json`. The expected value is also written into the test as a literal typed with the
declared TypeScript type, so `tsc --strict` (the first half of `npm test`) checks it against `models.ts`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from generator import ir
from generator.jsontext import dumps_sorted
from generator.languages.typescript.docs import DocsPlan, error_class
from generator.languages.typescript.views import Method, ResourcePlan
from generator.render.tests import Planner as RepliesPlanner

BUILD = ".test-build"  # tests/tsconfig.json's outDir


@dataclass(frozen=True)
class TsTest:
    name: str
    lines: tuple[str, ...]  # the body of `test(name, async () => { ... })`


@dataclass(frozen=True)
class TsTestFile:
    path: str  # tests/<resource>.test.ts
    errors: tuple[str, ...]  # the error classes it imports
    tests: tuple[TsTest, ...]


@dataclass(frozen=True)
class TsTestSuite:
    files: tuple[TsTestFile, ...]
    spec: str  # tests/spec.json
    replies: str  # tests/replies.json
    client_options: str  # credentials as client option entries (`apiKey: "test-key", `)
    command: str  # package.json scripts.test


def _indent(text: str, pad: str) -> list[str]:
    lines = text.splitlines()
    return [lines[0], *(pad + line for line in lines[1:])] if lines else []


def _at(value: Any, path: str) -> Any:
    """The value at a dotted field path ("" or a missing key: None)."""
    for key in path.split(".") if path else [None]:
        if key is None or not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


class TestPlanner:
    def __init__(self, docs: DocsPlan, operations: dict[str, Any]) -> None:
        self.docs = docs
        self.replies = RepliesPlanner(docs.api, operations)
        self.replies.examples = docs.ex  # the docs' values: one TypeScript interface serves both directions
        self.operations = operations
        self.retry_done = False

    def expected(self, name: str, t: ir.TypeRef | None, ts_type: str, value: Any) -> list[str]:
        """`const name: T = <literal>;` (the reply, typed: tsc checks it against the models)."""
        literal = self.docs.vw.render(value, t, 0) if t is not None else json.dumps(value)
        return _indent(f"const {name}: {ts_type} = {literal};", "")

    def file(self, res: ResourcePlan) -> TsTestFile | None:
        access = ".".join(res.path)
        tests: list[TsTest] = []
        errors: set[str] = set()
        for op, m in zip(res.resource.operations, res.methods, strict=True):
            if op.operation_id in self.operations:
                tests += self.operation(op, m, access, errors)
        if not tests:
            return None
        return TsTestFile(f"tests/{res.file}.test.ts", tuple(sorted(errors)), tuple(tests))

    def operation(self, op: ir.Operation, m: Method, access: str, errors: set[str]) -> list[TsTest]:
        replies: dict[str, Any] = {}
        out: list[TsTest] = []
        oid = json.dumps(op.operation_id)
        label = f"{access}.{m.name}"
        call = self.docs.call_expr(op, m, access)
        if m.kind != "stream":
            ok = replies["ok"] = self.replies.reply(op.response)
            if m.kind == "page":
                pages = self.replies.pages(op)
                if pages is not None and op.pagination is not None:
                    replies["pages"] = pages
                    item = self.replies.examples.value(op.pagination.item)
                    out.append(TsTest(f"{label} walks the pages", (
                        f'const api = new MockAPI({oid}, "pages");', "const client = makeClient(api);",
                        f"const items: Array<{m.page_item}> = [];",
                        *_indent(f"for await (const item of {call}) items.push(item);", ""),
                        "api.checkCalled(2);",
                        *self.expected("expected", op.pagination.item, m.page_item, item),
                        "assertMatches(items, [expected]);",
                        "assert.ok(new URL(api.requests[1]?.url ?? BASE_URL).searchParams"
                        f".get({json.dumps(op.pagination.cursor_param)}));",
                    )))
                data = _at(ok.get("json"), op.pagination.items if op.pagination is not None else "")
                check = ["assert.ok(Array.isArray(page.data));"]
                if isinstance(data, list) and op.pagination is not None:  # the first page's items, typed
                    check = [*self.expected("expected", ir.ListOf(op.pagination.item), f"Array<{m.page_item}>", data),
                             "assertMatches(page.data, expected);"]
                out.append(TsTest(label, (
                    f'const api = new MockAPI({oid}, "ok");', "const client = makeClient(api);",
                    *_indent(f"const page = await {call};", ""), "api.checkCalled();", *check)))
            else:
                lines = [f'const api = new MockAPI({oid}, "ok");', "const client = makeClient(api);"]
                if m.returns == "void":
                    lines += [*_indent(f"await {call};", ""), "api.checkCalled();"]
                elif m.returns == "Response":
                    lines += [*_indent(f"const response = await {call};", ""), "api.checkCalled();",
                              f"assert.equal(response.status, {ok['status']});",
                              *([f"assert.equal(await response.text(), {json.dumps(ok['text'])});"]
                                if "text" in ok else [])]
                elif m.returns == "string":
                    text = ok["json"] if "json" in ok else ok.get("text", "")
                    lines += [*_indent(f"const result = await {call};", ""), "api.checkCalled();",
                              f"assert.equal(result, {json.dumps(text)});"]
                else:
                    t = op.response.type if op.response is not None else None
                    lines += [*_indent(f"const result = await {call};", ""), "api.checkCalled();",
                              *self.expected("expected", t, m.returns, ok.get("json")),
                              "assertMatches(result, expected);", "assert.deepStrictEqual(result, api.answer());"]
                    if not self.retry_done:
                        self.retry_done = True
                        out.append(TsTest(f"{label} retries after a 503", (
                            f'const api = new MockAPI({oid}, "ok", 1);',
                            "const client = makeClient(api, 1);",
                            *_indent(f"const result = await {call};", ""), "api.checkCalled(2);",
                            "assert.deepStrictEqual(result, api.answer());")))
                out.insert(0, TsTest(label, tuple(lines)))
        if op.stream is not None and m.kind in ("stream", "stream-flag"):
            replies["stream"] = self.replies.stream_reply(op)
            chunk = self.replies.examples.value(op.stream.item)
            scall = self.docs.call_expr(op, m, access, stream=m.kind == "stream-flag")
            out.append(TsTest(f"{label} streams", (
                f'const api = new MockAPI({oid}, "stream");', "const client = makeClient(api);",
                *_indent(f"const stream = await {scall};", ""),
                f"const chunks: Array<{m.stream_item}> = [];",
                "for await (const chunk of stream) chunks.push(chunk);", "api.checkCalled();",
                *self.expected("expected", op.stream.item, m.stream_item, chunk),
                "assertMatches(chunks, [expected]);")))
        out += self._errors(op, m, call, label, replies, errors)  # a stream-only call rejects before it streams
        self.replies.replies[op.operation_id] = replies
        return out

    def _errors(self, op: ir.Operation, m: Method, call: str, label: str, replies: dict[str, Any],
                errors: set[str]) -> list[TsTest]:
        out: list[TsTest] = []
        for err, status, value in self.replies.error_replies(op, replies):
            assert isinstance(err.type, ir.ModelRef)
            cls = error_class(str(status))
            errors.add(cls)
            ts_type = f"models.{self.docs.planner.type_names[err.type.name]}"
            out.append(TsTest(f"{label} throws {cls} on {status}", (
                f'const api = new MockAPI({json.dumps(op.operation_id)}, "{status}");',
                "const client = makeClient(api);",
                *self.expected("expected", err.type, ts_type, value),
                *_indent(f"const error = await {call}.then(() => undefined, (e: unknown) => e);", ""),
                "api.checkCalled();",
                f"assert.ok(error instanceof {cls}, String(error));",
                f"assert.equal(error.status, {status});",
                "assertMatches(error.body, expected);",
            )))
        return out


def plan_tests(docs: DocsPlan, resources: list[ResourcePlan], spec: dict[str, Any]) -> TsTestSuite:
    planner = TestPlanner(docs, spec["operations"])
    files = tuple(f for r in resources if (f := planner.file(r)) is not None)
    options = []
    for c in docs.client.credentials:
        options.append(f'{c.option}: "test-{c.option}"')
        if c.password_option:
            options.append(f'{c.password_option}: "test-{c.password_option}"')
    runs = " ".join(f"{BUILD}/{f.path[:-3]}.js" for f in files)
    command = f"tsc -p tests/tsconfig.json && node --test {runs}" if files else "tsc -p tests/tsconfig.json"
    replies = dumps_sorted(dict(sorted(planner.replies.replies.items())))
    return TsTestSuite(files, dumps_sorted(spec) + "\n", replies + "\n",
                       "".join(f"{o}, " for o in options), command)
