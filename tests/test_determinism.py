"""Same spec -> same bytes: across processes, PYTHONHASHSEED, input key order, and over its own output."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from generator.cli import main
from tests.conftest import CHAT_SPEC, ROOT
from tests.test_golden import tree


def _generate_subprocess(spec: Path, out: Path, seed: str, **env: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(spec), "--output", str(out),
         "--package-name", "chat_sdk", "-q"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed, **env}, check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_two_processes_with_different_hash_seeds(tmp_path: Path) -> None:
    _generate_subprocess(CHAT_SPEC, tmp_path / "a", "1")
    _generate_subprocess(CHAT_SPEC, tmp_path / "b", "4242")
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert a == b
    assert len(a) > 50


def test_serial_and_forked_runs_give_same_output(tmp_path: Path) -> None:
    """The docs render (and half of a big YAML parse) in a forked process on Linux; SDKFORGE_SERIAL=1
    does everything in one process. Both give the same bytes."""
    env = {k: v for k, v in os.environ.items() if k != "SDKFORGE_SERIAL"}
    _generate_subprocess(CHAT_SPEC, tmp_path / "forked", "7", **env)
    _generate_subprocess(CHAT_SPEC, tmp_path / "serial", "7", SDKFORGE_SERIAL="1")
    assert tree(tmp_path / "forked") == tree(tmp_path / "serial")


def _shuffle(node: Any, rng: random.Random) -> Any:
    if isinstance(node, dict):
        items = list(node.items())
        rng.shuffle(items)
        return {k: _shuffle(v, rng) for k, v in items}
    if isinstance(node, list):
        return [_shuffle(v, rng) for v in node]
    return node


def test_shuffled_key_order_gives_same_output(tmp_path: Path) -> None:
    data = yaml.load(CHAT_SPEC.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    shuffled = tmp_path / "in" / "chat.yaml"
    shuffled.parent.mkdir()
    shuffled.write_text(yaml.safe_dump(_shuffle(data, random.Random(7)), sort_keys=False, allow_unicode=True))
    args = ["--package-name", "chat_sdk", "-q"]
    assert main(["generate", str(CHAT_SPEC), "--output", str(tmp_path / "a"), *args]) == 0
    assert main(["generate", str(shuffled), "--output", str(tmp_path / "b"), *args]) == 0
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    manifest = ".sdkforge-manifest.json"  # records the spec file's hash, which differs by design
    a.pop(manifest)
    b.pop(manifest)
    assert a == b


def test_twice_in_process(tmp_path: Path) -> None:
    from generator.config import Config
    from generator.diagnostics import Collector
    from generator.pipeline import build

    config = Config(spec=CHAT_SPEC, output=tmp_path, package_name="chat_sdk").with_defaults()
    _, first = build(config, Collector())
    _, second = build(config, Collector())
    assert first == second and first


def test_full_openai_spec_forked_and_serial_give_same_output(tmp_path: Path) -> None:
    """On a spec big enough for every parallel path (the structure check and the docs in a
    forked process), the output is the bytes a one-process run gives."""
    from tests.conftest import shared_or_skip

    spec = shared_or_skip("specs", "openai", "openapi.latest.yaml")
    env = {k: v for k, v in os.environ.items() if k != "SDKFORGE_SERIAL"}
    runs = {"forked": {**env, "SDKFORGE_NO_CACHE": "1"}, "serial": {**env, "SDKFORGE_NO_CACHE": "1",
                                                                     "SDKFORGE_SERIAL": "1"}}
    for name, run_env in runs.items():
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "generate", str(spec), "--output", str(tmp_path / name),
             "--package-name", "openai_sdk", "-q"],
            cwd=ROOT, capture_output=True, text=True, env=run_env, check=False)
        assert proc.returncode == 0, proc.stderr
    forked, serial = tree(tmp_path / "forked"), tree(tmp_path / "serial")
    assert len(forked) > 3000
    assert forked == serial
