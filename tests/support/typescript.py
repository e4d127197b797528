"""The TypeScript tool chain for tests: `tsc` and `tsx` from tests/node (installed by `make setup`),
type-checking generated SDKs and the ```typescript snippets of their docs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = ROOT / "tests" / "node"
BIN = NODE_DIR / "node_modules" / ".bin"
FENCE = re.compile(r"^```typescript\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def tools() -> tuple[str, Path, Path]:
    """(node, tsc, tsx), or skip (fail in CI) when they are missing."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (Node >= 18 is needed for the TypeScript SDK tests)")
    tsc, tsx = BIN / "tsc", BIN / "tsx"
    if not tsc.exists() or not tsx.exists():
        if os.environ.get("CI"):
            pytest.fail("tests/node tools are not installed; `make setup` runs npm ci in tests/node")
        pytest.skip("tests/node tools are not installed; run `make setup` (npm ci in tests/node)")
    return node, tsc, tsx


def tsc(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    _, compiler, _ = tools()
    return subprocess.run([str(compiler), "-p", str(project), "--noEmit", "--pretty", "false", *extra],
                          capture_output=True, text=True, check=False, cwd=project if project.is_dir() else None)


def assert_compiles(project: Path) -> None:
    proc = tsc(project)
    errors = [line for line in proc.stdout.splitlines() if ": error TS" in line]
    assert proc.returncode == 0 and not errors, f"{len(errors)} tsc errors:\n" + "\n".join(errors[:40]) + proc.stderr


def snippets(sdk: Path) -> dict[str, str]:
    """Every ```typescript block of the SDK's README and docs: {"<file>#<n>": code}."""
    out: dict[str, str] = {}
    for md in sorted([sdk / "README.md", *sorted((sdk / "docs").rglob("*.md"))]):
        if not md.is_file():
            continue
        for n, match in enumerate(FENCE.finditer(md.read_text(encoding="utf-8"))):
            out[f"{md.relative_to(sdk).as_posix()}#{n}"] = match.group(1)
    return out


def snippet_project(sdk: Path, folder: Path, code: dict[str, str]) -> dict[str, Path]:
    """A project in `folder` where the SDK's npm name resolves to its sources; one file per snippet."""
    name = json.loads((sdk / "package.json").read_text(encoding="utf-8"))["name"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text('{"type": "module", "private": true}\n', encoding="utf-8")
    config = {
        "compilerOptions": {
            "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": True,
            "noEmit": True, "skipLibCheck": True, "lib": ["ES2022", "DOM", "DOM.Iterable"], "types": [],
            "paths": {name: [str(sdk / "src" / "index.ts")]},
        },
        "include": ["*.ts"],
    }
    (folder / "tsconfig.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    files = {}
    for i, key in enumerate(sorted(code)):
        path = folder / f"snippet_{i:04d}.ts"
        path.write_text(f"// {key}\n{code[key]}", encoding="utf-8")
        files[key] = path
    return files


def run_sdk_tests(sdk: Path) -> subprocess.CompletedProcess[str]:
    """A generated SDK's `npm test` script (tsc --strict, then node --test), with the dev tools of tests/node
    (typescript, @types/node) linked into its node_modules."""
    tools()
    modules = sdk / "node_modules"
    modules.mkdir(exist_ok=True)
    for name in ("typescript", "@types"):
        if not (modules / name).exists():
            (modules / name).symlink_to(NODE_DIR / "node_modules" / name, target_is_directory=True)
    script = json.loads((sdk / "package.json").read_text(encoding="utf-8"))["scripts"]["test"]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(["sh", "-c", script], cwd=sdk, env=env, capture_output=True, text=True, check=False,
                          timeout=1200)
