"""The committed TypeScript SDK of specs/chat.yaml (output/typescript, the `typescript` target in
pyproject.toml; its freshness is a golden case of tests/test_golden.py): `tsc --strict` clean, and
every ```typescript snippet of its README and docs compiles; the snippets that call the API run under
Node against Prism, each request checked against the spec on its way."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import OUTPUT, ROOT
from tests.support import typescript as ts
from tests.support.prism import Prism
from tests.support.recording_proxy import CheckingProxy
from tests.support.specvalidate import SpecValidator

TS_OUTPUT = OUTPUT / "typescript"


def env_prefix() -> str:
    """The prefix of the environment variables the committed client reads (`<PREFIX>_BASE_URL`)."""
    match = re.search(r'envPrefix: "([A-Z0-9_]+)"', (TS_OUTPUT / "src" / "client.ts").read_text())
    assert match is not None
    return match.group(1)


def test_committed_sdk_compiles_strict() -> None:
    ts.tools()
    pkg = json.loads((TS_OUTPUT / "package.json").read_text())
    assert pkg["name"] == "chat-sdk" and pkg["dependencies"] == {}
    ts.assert_compiles(TS_OUTPUT)


@pytest.fixture(scope="module")
def snippet_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    ts.tools()
    code = ts.snippets(TS_OUTPUT)
    assert "docs/sdks/chat/README.md#0" in code and any(k.startswith("README.md#") for k in code)
    folder = tmp_path_factory.mktemp("chat-snippets")
    files = ts.snippet_project(TS_OUTPUT, folder, code)
    ts.assert_compiles(folder)
    return files


def test_every_snippet_compiles(snippet_files: dict[str, Path]) -> None:
    assert len(snippet_files) >= 30  # operations, README sections and model pages


@pytest.mark.prism
def test_snippets_run_against_prism(snippet_files: dict[str, Path], prism_chat: Prism,
                                    chat_spec: dict[str, Any]) -> None:
    node, _, tsx = ts.tools()
    calls = {k: p for k, p in snippet_files.items() if "new Client(" in p.read_text() and "fetch:" not in p.read_text()}
    assert len(calls) >= 10
    with CheckingProxy(prism_chat.url, SpecValidator(chat_spec)) as proxy:
        env = {**os.environ, f"{env_prefix()}_BASE_URL": proxy.url, f"{env_prefix()}_LOG": "warn"}
        for key, path in sorted(calls.items()):
            before = len(proxy.seen)
            proc = subprocess.run([str(tsx), str(path)], cwd=path.parent, env=env, capture_output=True, text=True,
                                  check=False, timeout=120)
            assert proc.returncode == 0, f"{key} failed:\n{path.read_text()}\n{proc.stderr[-3000:]}"
            assert len(proxy.seen) > before, f"{key} sent no request"
            assert proc.stdout.strip(), f"{key} printed nothing"
    assert not proxy.problems, "\n".join(proxy.problems)
    sent = "\n".join(proxy.seen)
    for line in ("GET /chat/completions", "POST /chat/completions", "GET /chat/completions/",
                 "DELETE /chat/completions/", "/messages"):
        assert line in sent, sent


def test_custom_fetch_snippet_runs(snippet_files: dict[str, Path]) -> None:
    """The README's custom-fetch example builds a client without touching the network."""
    _, _, tsx = ts.tools()
    path = next(p for p in snippet_files.values() if "fetch: async" in p.read_text())
    proc = subprocess.run([str(tsx), str(path)], cwd=path.parent, capture_output=True, text=True, check=False,
                          timeout=120, env={**os.environ, f"{env_prefix()}_BASE_URL": "http://127.0.0.1:9"})
    assert proc.returncode == 0 and proc.stdout.strip() == "http://127.0.0.1:9", proc.stderr


def test_seed_layout_of_the_chat_page() -> None:
    page = (TS_OUTPUT / "docs" / "sdks" / "chat" / "README.md").read_text()
    order = ["# Chat\n(*chat*)\n", "## Overview", "### Available Operations",
             "* [createChatCompletion](#createchatcompletion)", "## createChatCompletion", "### Example Usage",
             "```typescript\nimport { Client } from \"chat-sdk\";", "### Parameters", "### Response", "### Errors"]
    positions = [page.find(piece, page.find("## createChatCompletion") if i > 3 else 0)
                 for i, piece in enumerate(order)]
    assert all(p >= 0 for p in positions), [o for o, p in zip(order, positions, strict=True) if p < 0]
    assert positions[4:] == sorted(positions[4:])
    assert "**Promise<[models.CreateChatCompletionResponse](../../models/createchatcompletionresponse.md)>**" in page


def test_repository_readme_typescript_example_compiles(tmp_path: Path) -> None:
    ts.tools()
    code = {f"README.md#{n}": m.group(1) for n, m in enumerate(ts.FENCE.finditer((ROOT / "README.md").read_text()))}
    assert code, "the repository README has no ```typescript example"
    ts.snippet_project(TS_OUTPUT, tmp_path / "readme", code)
    ts.assert_compiles(tmp_path / "readme")


def test_compiles_for_node_without_the_dom_library(tmp_path: Path) -> None:
    """Node projects often compile with @types/node and no DOM lib: the SDK needs no more than that."""
    ts.tools()
    (tmp_path / "node_modules").symlink_to(ts.NODE_DIR / "node_modules")
    shutil.copytree(TS_OUTPUT / "src", tmp_path / "src")
    (tmp_path / "tsconfig.json").write_text(json.dumps({
        "compilerOptions": {"target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "lib": ["ES2022"],
                            "types": ["node"], "strict": True, "noEmit": True},
        "include": ["src"]}))
    ts.assert_compiles(tmp_path)


def test_package_builds_and_its_javascript_runs_under_plain_node(tmp_path: Path) -> None:
    """`npm run build` (tsc with the package's own tsconfig) emits ESM that Node imports without a loader,
    resolved through package.json `exports` like an installed dependency."""
    node, compiler, _ = ts.tools()
    pkg = tmp_path / "node_modules" / "chat-sdk"
    shutil.copytree(TS_OUTPUT, pkg, ignore=shutil.ignore_patterns("docs"))
    proc = subprocess.run([str(compiler), "-p", str(pkg / "tsconfig.json")], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (pkg / "dist" / "index.js").is_file() and (pkg / "dist" / "index.d.ts").is_file()
    script = tmp_path / "main.mjs"
    script.write_text(
        'import { Client, APIError, Stream } from "chat-sdk";\n'
        'const client = new Client({ apiKey: "k", baseURL: "http://127.0.0.1:9" });\n'
        'console.log(typeof client.chat.createChatCompletion, typeof APIError, typeof Stream, client.baseURL);\n')
    run = subprocess.run([node, str(script)], cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "function function function http://127.0.0.1:9"
