"""generator.prefetch: the spec's parse started before the generator imports, taken by the loader
only for the same bytes, and stopped when nobody takes it."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
import yaml

from generator import load, parallel, parse_cache, prefetch, yaml_split
from tests.conftest import CHAT_SPEC

pytestmark = pytest.mark.skipif(not parallel.available(),
                                reason="forking is off here (not Linux, threads running, or SDKFORGE_SERIAL set)")


@pytest.fixture(autouse=True)
def small_threshold(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(yaml_split, "MIN_BYTES", 0)  # the chat spec stands in for a big one
    monkeypatch.setenv("SDKFORGE_CACHE_DIR", str(tmp_path / "cache"))
    prefetch.cancel_all()


def whole(text: bytes) -> object:
    return yaml.load(text, Loader=load._Loader)  # noqa: S506 - a safe loader


def test_started_parse_is_taken_for_the_same_bytes(tmp_path: Path) -> None:
    spec = tmp_path / "chat.yaml"
    spec.write_bytes(CHAT_SPEC.read_bytes())
    prefetch.start(spec, tmp_path / "out")
    started = prefetch._started[prefetch._key(spec)]
    assert len(started.jobs) == 2 and all(job.pid for job in started.jobs)  # two halves, in two processes
    assert prefetch.take(spec, spec.read_bytes()) == whole(spec.read_bytes())
    assert prefetch._started == {}


def test_the_loader_takes_it(tmp_path: Path) -> None:
    spec = tmp_path / "chat.yaml"
    spec.write_bytes(CHAT_SPEC.read_bytes())
    prefetch.start(spec, tmp_path / "out")
    from generator.diagnostics import Collector

    assert load.read_document(spec, Collector()) == whole(spec.read_bytes())
    assert prefetch._started == {}  # taken, not parsed a second time


def test_changed_bytes_are_not_taken(tmp_path: Path) -> None:
    spec = tmp_path / "chat.yaml"
    spec.write_bytes(CHAT_SPEC.read_bytes())
    prefetch.start(spec, tmp_path / "out")
    pids = [job.pid for job in prefetch._started[prefetch._key(spec)].jobs]
    assert prefetch.take(spec, spec.read_bytes() + b"\nx-extra: 1\n") is None
    for pid in pids:  # stopped and reaped
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, 0)


def test_cancel_all_stops_what_nobody_took(tmp_path: Path) -> None:
    spec = tmp_path / "chat.yaml"
    spec.write_bytes(CHAT_SPEC.read_bytes())
    prefetch.start(spec, tmp_path / "out")
    pids = [job.pid for job in prefetch._started[prefetch._key(spec)].jobs]
    prefetch.cancel_all()
    assert prefetch._started == {}
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, 0)


def test_nothing_is_started_when_it_would_be_wasted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = CHAT_SPEC.read_bytes()
    spec = tmp_path / "chat.yaml"
    spec.write_bytes(text)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".sdkforge-manifest.json").write_text(json.dumps({"spec_sha256": hashlib.sha256(text).hexdigest()}))
    prefetch.start(spec, out)  # the output was made from this very spec: likely a no-op regeneration
    assert prefetch._started == {}
    json_spec = tmp_path / "chat.json"
    json_spec.write_text(json.dumps(whole(text)))
    prefetch.start(json_spec, tmp_path / "elsewhere")
    assert prefetch._started == {}
    parse_cache.put(text, whole(text))
    prefetch.start(spec, tmp_path / "elsewhere")  # the parse cache has it
    assert prefetch._started == {}
    monkeypatch.setattr(yaml_split, "MIN_BYTES", 10 * len(text))
    parse_cache_dir = tmp_path / "cache2"
    monkeypatch.setenv("SDKFORGE_CACHE_DIR", str(parse_cache_dir))
    prefetch.start(spec, tmp_path / "elsewhere")  # too small to be worth a process
    assert prefetch._started == {}


def test_a_file_that_cannot_be_cut_is_parsed_whole(tmp_path: Path) -> None:
    spec = tmp_path / "flow.yaml"
    spec.write_bytes(b"%YAML 1.1\n---\n" + CHAT_SPEC.read_bytes())  # a directive: never cut
    prefetch.start(spec, tmp_path / "out")
    started = prefetch._started[prefetch._key(spec)]
    assert started.depth == -1 and len(started.jobs) == 1
    assert prefetch.take(spec, spec.read_bytes()) == whole(spec.read_bytes())
