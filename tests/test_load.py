"""generator.load's cheap pre-checks: the alias-bomb walk runs only when the text can hold an anchor."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import load
from generator.diagnostics import Collector
from tests.conftest import CHAT_SPEC


@pytest.mark.parametrize("text", [b"a: &x 1\nb: *x\n", b"a: [&x 1, *x]\n", b"&top\na: 1\n", b"a:\n- &i {b: 1}\n",
                                  b"a: {k:&x 1}\n", b"a:\t&x 1\n"])
def test_anchors_are_seen(text: bytes) -> None:
    assert load._has_anchor(text)


@pytest.mark.parametrize("text", [b"a: Tom & Jerry\n", b"url: https://x.example/?a=1&b=2\n", b"a: b &\n",
                                  b'a: "q"&x\n', b"a: R&D\n"])
def test_ampersands_in_text_are_not_anchors(text: bytes) -> None:
    assert not load._has_anchor(text)


def test_an_alias_bomb_is_still_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    spec = tmp_path / "bomb.yaml"
    spec.write_text("\n".join(lines) + "\n")
    diags = Collector()
    assert load.read_document(spec, diags) is None
    assert "yaml-alias-expansion" in {d.code for d in diags.sorted()}


def test_the_chat_spec_has_no_anchor() -> None:
    assert not load._has_anchor(CHAT_SPEC.read_bytes())
