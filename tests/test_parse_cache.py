"""generator.parse_cache: results that depend only on a spec file's bytes (the structure check's
problems) are stored by those bytes; damaged entries and SDKFORGE_NO_CACHE mean no cached value."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import parse_cache


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SDKFORGE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SDKFORGE_NO_CACHE", raising=False)
    return tmp_path / "cache"


def test_put_then_get_by_bytes_kind_and_salt(cache_dir: Path) -> None:
    parse_cache.put(b"spec", [["/paths", "bad"]], "structure", "v1")
    assert parse_cache.get(b"spec", "structure", "v1") == [["/paths", "bad"]]
    assert parse_cache.get(b"spec", "structure", "v2") is None  # another validator version
    assert parse_cache.get(b"spec!", "structure", "v1") is None  # other bytes
    assert parse_cache.has(b"spec", "structure", "v1")


def test_damaged_entry_and_opt_out(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parse_cache.put(b"spec", {"a": 1}, "structure")
    entry = next((cache_dir / "structure").glob("*.marshal"))
    entry.write_bytes(b"\x00garbage")
    assert parse_cache.get(b"spec", "structure") is None
    monkeypatch.setenv("SDKFORGE_NO_CACHE", "1")
    assert parse_cache.folder() is None
    parse_cache.put(b"spec", {"a": 1}, "structure")
    assert parse_cache.get(b"spec", "structure") is None
