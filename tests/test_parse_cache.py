"""The parsed-spec cache: a second load of the same bytes skips YAML parsing; damaged entries and
SDKFORGE_NO_CACHE fall back to parsing; documents with diagnostics are never cached."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import load, parse_cache
from generator.diagnostics import Collector
from tests.conftest import CHAT_SPEC


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SDKFORGE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SDKFORGE_NO_CACHE", raising=False)
    return tmp_path / "cache"


def _parse_fails(*args: object, **kwargs: object) -> None:
    raise AssertionError("YAML was parsed although the cache holds the document")


def test_second_load_comes_from_the_cache(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load.read_document(CHAT_SPEC, Collector())
    assert len(list((cache_dir / "parsed").glob("*.marshal"))) == 1
    monkeypatch.setattr(load, "_parse_yaml", _parse_fails)
    assert load.read_document(CHAT_SPEC, Collector()) == first


def test_damaged_entry_and_opt_out(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load.read_document(CHAT_SPEC, Collector())
    entry = next((cache_dir / "parsed").glob("*.marshal"))
    entry.write_bytes(b"\x00garbage")
    assert load.read_document(CHAT_SPEC, Collector()) == first  # parsed again, and re-cached
    monkeypatch.setenv("SDKFORGE_NO_CACHE", "1")
    assert parse_cache.folder() is None
    calls = []
    original = load._parse_yaml
    monkeypatch.setattr(load, "_parse_yaml", lambda *a: calls.append(1) or original(*a))
    load.read_document(CHAT_SPEC, Collector())
    assert calls == [1]


def test_documents_with_diagnostics_are_not_cached(cache_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.1.0\ninfo: {title: x\n")
    diags = Collector()
    assert load.read_document(bad, diags) is None and diags.has_errors
    assert not list((cache_dir / "parsed").glob("*.marshal")) if (cache_dir / "parsed").exists() else True
