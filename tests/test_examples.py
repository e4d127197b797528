"""Example values (generator/examples.py) and every ```python block of the generated docs: each one
compiles, passes `mypy --strict` against the generated package, and runs against an
`httpx.MockTransport` that answers from the spec's examples and validates each request."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

from generator import ir
from generator.examples import Examples, client_arguments, example_for, format_python, python_call_example
from tests.conftest import CHAT_SPEC, ROOT
from tests.test_docs import Generated, generate, generate_pets

# ------------------------------------------------------------------------------------ harness


@dataclass(frozen=True)
class Snippet:
    label: str  # docs/...md:LINE of the first code line
    code: str
    gen: Generated

    @property
    def module(self) -> str:
        return "snippet_" + re.sub(r"\W", "_", self.label).lower()


def extract(gen: Generated) -> list[Snippet]:
    out = []
    pages = {**gen.docs(), "README.md": gen.result.files["README.md"]}  # the SDK README's examples too
    for path, page in sorted(pages.items()):
        for m in re.finditer(r"^```python\n(.*?)^```$", page, flags=re.M | re.S):
            line = page.count("\n", 0, m.start()) + 2
            out.append(Snippet(f"{path}:{line}", m.group(1), gen))
    return out


def where(snippets: list[Snippet], module: str, line: int) -> str:
    snip = next(s for s in snippets if s.module == module)
    path, start = snip.label.rsplit(":", 1)
    return f"{path}:{int(start) + line - 1}"


def check_compile(snippets: list[Snippet]) -> list[str]:
    problems = []
    for s in snippets:
        try:
            compile(s.code, s.label, "exec")
        except SyntaxError as exc:
            problems.append(f"{where(snippets, s.module, exc.lineno or 1)}: {exc.msg}")
    return problems


def check_mypy(snippets: list[Snippet], folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for s in snippets:
        (folder / f"{s.module}.py").write_text(s.code, encoding="utf-8")
    roots = sorted({str(s.gen.root) for s in snippets})
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(folder / ".cache"),
         *(f"{s.module}.py" for s in snippets)],
        cwd=folder, capture_output=True, text=True, check=False,
        env={**os.environ, "MYPYPATH": os.pathsep.join(roots)},
    )
    problems = []
    for line in proc.stdout.splitlines():
        m = re.match(r"(snippet_\w+)\.py:(\d+): (error: .*)", line)
        if m:
            problems.append(f"{where(snippets, m.group(1), int(m.group(2)))}: {m.group(3)}")
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and not problems and "error" in proc.stdout):
        problems.append(f"mypy failed: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return problems


RUNNER = r'''
import contextlib, io, json, os, re, runpy, sys, traceback
import httpx

cfg = json.load(open(sys.argv[1], encoding="utf-8"))
sys.path[:0] = [cfg["repo_root"], cfg["package_root"]]  # the repo's `tests` first: the SDK ships its own
os.environ.update(cfg["env"])
import yaml
from tests.support.specvalidate import SpecValidator

validator = SpecValidator(yaml.safe_load(open(cfg["spec"], encoding="utf-8")), base_path=cfg["base_path"])
state = {}

def handler(request):
    request.read()
    state["requests"] += 1
    state["problems"] += [str(p) for p in validator.validate(request)]
    try:
        sent = json.loads(request.content) if request.content else {}
    except ValueError:
        sent = {}
    for r in cfg["routes"]:
        if r["method"] != request.method or not re.fullmatch(r["pattern"], request.url.path):
            continue
        if r["sse"] is not None and (r["flag"] is None or (isinstance(sent, dict) and sent.get(r["flag"]) is True)):
            state["events"] += r["sse"].count("data: {")
            return httpx.Response(200, content=r["sse"].encode(), headers={"content-type": "text/event-stream"})
        if r["json"] is None:
            return httpx.Response(r["status"])
        return httpx.Response(r["status"], json=r["json"])
    state["problems"].append("no mock route for %s %s" % (request.method, request.url.path))
    return httpx.Response(404, json={})

for cls in (httpx.Client, httpx.AsyncClient):
    def patched(self, *args, _init=cls.__init__, **kwargs):
        kwargs.setdefault("transport", httpx.MockTransport(handler))
        _init(self, *args, **kwargs)
    cls.__init__ = patched

results = []
for snippet in cfg["snippets"]:
    state.update(requests=0, problems=[], events=0)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(snippet["path"], run_name="__main__")
        error = None
    except BaseException:
        error = traceback.format_exc(limit=-3)
    results.append({"module": snippet["module"], "stdout": out.getvalue(), "error": error,
                    "requests": state["requests"], "problems": state["problems"],
                    "events": state["events"]})
json.dump(results, open(sys.argv[2], "w", encoding="utf-8"))
'''


def _deref(node: Any, root: dict[str, Any]) -> Any:
    """Follow local `$ref`s (components/responses, components/examples)."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = root
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def spec_example(spec: dict[str, Any], op: ir.Operation, status: str, media: str) -> Any:
    """The spec's own example of a response: `example`, else the first of `examples` by name."""
    responses = spec["paths"][op.path][op.method].get("responses", {})
    content = _deref(responses.get(status, {}), spec).get("content", {}).get(media, {})
    if "example" in content:
        return content["example"]
    examples = content.get("examples") or {}
    if examples:
        return _deref(examples[sorted(examples)[0]], spec).get("value")
    return None


def mock_routes(gen: Generated, spec: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    api = gen.api
    out_ex = Examples(api, "output")
    base = urlparse(api.servers[0].url).path.rstrip("/") if api.servers else ""
    routes = []
    for res in api.resources:
        for op in res.operations:
            wire_path = op.path.split("#", 1)[0]  # `/x#variant` keys share the wire path `/x`
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(base + wire_path))
            resp = op.response
            body: Any = None
            status = 204
            if resp is not None and resp.kind == "json" and resp.type is not None:
                status = int(resp.status) if resp.status.isdigit() else 200
                body = spec_example(spec, op, resp.status, resp.content_type)
                if body is None:
                    body = out_ex.value(resp.type)
                if op.pagination is not None and op.pagination.has_more and isinstance(body, dict):
                    body[op.pagination.has_more] = False
            sse = None
            if op.stream is not None:
                sse = spec_example(spec, op, resp.status if resp else "200", "text/event-stream")
                if not isinstance(sse, str):  # an example of one event's data, or none: build the stream
                    chunk = sse if sse is not None else out_ex.value(op.stream.item)
                    sse = f"data: {json.dumps(chunk)}\n\n"
                if "data: [DONE]" not in sse:
                    sse += "data: [DONE]\n\n"
            routes.append({"method": op.method.upper(), "pattern": pattern, "status": status, "json": body,
                           "sse": sse, "flag": op.stream.flag_wire if op.stream else None})
    return base, routes


def check_run(snippets: list[Snippet], spec_path: Path, folder: Path) -> tuple[list[str], int]:
    """Run every snippet (of one generated package) in one subprocess; (problems, snippets run)."""
    gen = snippets[0].gen
    folder.mkdir(parents=True, exist_ok=True)
    for s in snippets:
        (folder / f"{s.module}.py").write_text(s.code, encoding="utf-8")
    base, routes = mock_routes(gen, yaml.safe_load(spec_path.read_text(encoding="utf-8")))
    api = gen.api
    env = {var: "sk-test" for r in api.resources for op in r.operations for _, var in client_arguments(op, api)}
    if api.servers and not urlparse(api.servers[0].url).scheme:  # a relative server URL needs a host
        env[f"{api.package.env_prefix}_BASE_URL"] = "https://api.test" + api.servers[0].url
    config = {"package_root": str(gen.root), "repo_root": str(ROOT), "env": env, "spec": str(spec_path),
              "base_path": base, "routes": routes,
              "snippets": [{"module": s.module, "path": str(folder / f"{s.module}.py")} for s in snippets]}
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    (folder / "runner.py").write_text(RUNNER, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(folder / "runner.py"), str(folder / "config.json"),
                           str(folder / "results.json")], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    problems = []
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    for r in results:
        snip = next(s for s in snippets if s.module == r["module"])
        if r["error"]:
            lines = re.findall(rf'File "[^"]*{r["module"]}\.py", line (\d+)', r["error"])
            at = where(snippets, snip.module, int(lines[-1])) if lines else snip.label
            problems.append(f"{at}: raised\n{r['error']}")
        problems += [f"{snip.label}: request does not match the spec: {p}" for p in r["problems"]]
        if "client = " in snip.code and r["requests"] == 0:
            problems.append(f"{snip.label}: sent no request")
        if not r["stdout"].strip() and "print(" in snip.code:
            problems.append(f"{snip.label}: printed nothing")
        printed = r["stdout"].splitlines()
        if r["events"] and (len(printed) != r["events"] or any(not re.match(r"\w+\(", p) for p in printed)):
            problems.append(f"{snip.label}: {r['events']} events streamed, but it printed {printed!r}")
    return problems, len(results)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Generated, Path]]:
    folder = tmp_path_factory.mktemp("examples")
    pets = generate_pets(folder)
    return {"chat": (generate(CHAT_SPEC, folder / "chat", "chat_sdk"), CHAT_SPEC),
            "pets": (pets, folder / "pets.yaml")}


@pytest.fixture(scope="module")
def snippets(generated: dict[str, tuple[Generated, Path]]) -> list[Snippet]:
    return [s for gen, _ in generated.values() for s in extract(gen)]


# ------------------------------------------------------------------------------------ the snippets


def test_snippets_compile(snippets: list[Snippet], capsys: pytest.CaptureFixture[str]) -> None:
    assert len(snippets) >= 30
    assert check_compile(snippets) == []
    with capsys.disabled():
        print(f"\ndocs snippets: {len(snippets)} compiled")


def test_snippets_pass_mypy_strict(snippets: list[Snippet], tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    problems = check_mypy(snippets, tmp_path / "snippets")
    assert problems == [], "\n".join(problems)
    with capsys.disabled():
        print(f"\ndocs snippets: {len(snippets)} type-checked (mypy --strict)")


def test_snippets_run_against_mock_transport(generated: dict[str, tuple[Generated, Path]], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    executed, problems = 0, []
    for name, (gen, spec) in generated.items():
        found, ran = check_run(extract(gen), spec, tmp_path / name)
        problems += found
        executed += ran
    assert problems == [], "\n".join(problems)
    with capsys.disabled():
        print(f"\ndocs snippets: {executed} executed against httpx.MockTransport")


def test_a_broken_snippet_is_reported_with_its_file_and_line(generated: dict[str, tuple[Generated, Path]],
                                                             tmp_path: Path) -> None:
    gen, spec = generated["chat"]
    good = next(s for s in extract(gen) if "get_chat_completion(" in s.code)
    path, line = good.label.rsplit(":", 1)
    bad_type = Snippet(f"{path}:{line}", good.code.replace('"chatcmpl-abc123"', "123"), gen)
    bad_syntax = Snippet(f"{path}:{int(line) + 1}", "print(\n", gen)
    bad_run = Snippet(f"{path}:{int(line) + 2}", good.code + "print(res.no_such_field)\n", gen)
    call_line = int(line) + good.code.splitlines().index(
        next(x for x in good.code.splitlines() if "get_chat_completion(" in x))
    assert any(p.startswith(f"{path}:{call_line}: error:") for p in check_mypy([bad_type], tmp_path / "m"))
    assert check_compile([bad_syntax])[0].startswith(f"{path}:{int(line) + 1}")
    problems, _ = check_run([bad_run], spec, tmp_path / "r")
    last = int(line) + 2 + len(good.code.splitlines())
    assert problems and problems[0].startswith(f"{path}:{last}: raised"), problems


# ------------------------------------------------------------------------------------ example values


def test_spec_examples_then_defaults_then_synthesized(generated: dict[str, tuple[Generated, Path]]) -> None:
    api = generated["chat"][0].api
    ex = Examples(api)
    request = next(m for m in api.models if m.name == "CreateChatCompletionRequest")
    fields = {f.name: f for f in request.fields}
    assert ex.for_field(fields["model"]) == "gpt-4o"  # example
    assert ex.for_field(fields["parallel_tool_calls"]) is True  # default
    assert ex.for_field(fields["seed"]) == 1  # synthesized, first non-null variant
    assert ex.for_field(fields["reasoning_effort"]) == "none"  # first enum value
    assert ex.for_field(fields["logit_bias"]) == {"key": 1}  # a `null` default is not an example
    value = example_for(ir.ModelRef("CreateChatCompletionRequest"), api)
    assert value == {"messages": [{"role": "developer", "content": "string"}], "model": "gpt-4o", "n": 1,
                     "temperature": 1, "top_p": 1, "user": "user-1234"}  # required + optional with examples


def test_unions_formats_consts_and_key_order(generated: dict[str, tuple[Generated, Path]]) -> None:
    api = generated["chat"][0].api
    ex = Examples(api)
    image = ex.value(ir.ModelRef("ChatCompletionRequestMessageContentPartImage"))
    assert image == {"type": "image_url", "image_url": {"url": "https://example.com"}}
    part = ex.value(ir.AliasRef("ChatCompletionRequestUserMessageContentPart"))
    assert part == {"type": "text", "text": "string"}
    assert ex.value(ir.Scalar("datetime")) == "2024-01-01T00:00:00Z"
    assert ex.value(ir.Scalar("uuid")) == "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    assert ex.value(ir.Scalar("str", "email")) == "user@example.com"
    assert ex.value(ir.Const("chat.completion")) == "chat.completion"
    message = ex.fit({"content": "Hi", "role": "user"}, ir.AliasRef("ChatCompletionRequestMessage"))
    assert list(message) == ["role", "content"]  # schema order, not the example's
    assert ex.fit({"b": "1", "a": "2"}, ir.AliasRef("Metadata")) == {"a": "2", "b": "1"}
    assert list(ex.fit({"b": "1", "a": "2"}, ir.AliasRef("Metadata"))) == ["a", "b"]
    assert ex.fit(2.0, ir.Scalar("int")) == 2 and isinstance(ex.fit(2.0, ir.Scalar("int")), int)
    assert ex.value(ir.Scalar("int"), ir.Value("many", "'many'")) == 1  # wrong-typed example ignored
    assert ex.value(ir.Scalar("int"), ir.Value(True, "True")) == 1  # bool is not an int


def test_recursion_stops(generated: dict[str, tuple[Generated, Path]]) -> None:
    api = generated["pets"][0].api
    assert example_for(ir.ModelRef("Node"), api) == {"children": [], "name": "string"}
    pet = example_for(ir.ModelRef("Pet"), api)
    assert "parent" not in pet and set(pet) == {"born", "id", "kind", "name"}


def test_call_snippets(generated: dict[str, tuple[Generated, Path]]) -> None:
    api = generated["chat"][0].api
    ops = {op.name: op for op in api.resources[0].operations}
    create = python_call_example(ops["create_chat_completion"], api, "chat_sdk")
    assert create == (
        "import os\n\nfrom chat_sdk import Client\n\n"
        'client = Client(api_key=os.environ["OPENAI_API_KEY"])\n\n'
        "res = client.chat.create_chat_completion(\n"
        "    messages=[\n"
        '        {"role": "system", "content": "You are a concise assistant."},\n'
        '        {"role": "user", "content": "What is the capital of France?"},\n'
        "    ],\n"
        '    model="gpt-4o",\n'
        "    max_completion_tokens=100,\n"
        '    metadata={"project": "onboarding"},\n'
        "    store=True,\n"
        "    temperature=0.2,\n"
        ")\n"
        "print(res)\n"
    )
    streaming = python_call_example(ops["create_chat_completion"], api, "chat_sdk", stream=True)
    assert "    stream=True,\n)\nfor chunk in stream:\n    print(chunk)\n" in streaming
    listing = python_call_example(ops["list_chat_completions"], api, "chat_sdk")
    assert "for item in client.chat.list_chat_completions(\n" in listing and "print(item.id)" in listing
    assert "after=" not in listing  # the cursor is the paginator's business
    get = python_call_example(ops["get_chat_completion"], api, "chat_sdk", client_var="sdk")
    assert 'res = sdk.chat.get_chat_completion("chatcmpl-abc123")\n' in get


def test_snippets_are_black_formatted(snippets: list[Snippet], tmp_path: Path) -> None:
    codes = [s.code for s in snippets]
    assert format_python(codes) == codes  # a second formatting pass is a no-op
    black = subprocess.run([sys.executable, "-m", "black", "--version"], capture_output=True, check=False)
    if black.returncode != 0:
        pytest.skip("black is not installed")
    for s in snippets:
        (tmp_path / f"{s.module}.py").write_text(s.code, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "black", "--check", "--quiet", "--line-length", "88", "."],
                          cwd=tmp_path, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
