"""generator.yaml_split: a big YAML file parsed in two halves must give exactly the tree one parse of
the whole file gives, or not be cut at all.

The property checked everywhere: for a cut before any line, either the cut is refused, a half does
not parse, or the halves do not join; and when they do join, the whole file parses to that same
tree. It is checked at every line of hand-written tricky documents (block scalars holding key-like
lines, multi-line strings and flow collections, duplicate keys across the cut, anchors, CRLF), of
our chat spec, of hypothesis-generated documents, and at the chosen cut of every real spec.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import load, yaml_split
from tests.conftest import CHAT_SPEC, shared_or_skip


def parse(text: bytes) -> Any:
    """The whole file, parsed as the loader does (None when it does not parse)."""
    try:
        return yaml.load(text, Loader=load._Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return None


def parse_half(text: bytes) -> Any:
    return load.parse_half_quietly(text)


def split_result(text: bytes, cut: tuple[bytes, bytes, int] | None) -> Any:
    """The joined tree, or None when the cut is refused or its halves do not parse or join."""
    if cut is None:
        return None
    head, tail, depth = cut
    return yaml_split.joined(parse_half(head), parse_half(tail), depth)


def line_starts(text: bytes) -> list[int]:
    starts = [0]
    pos = text.find(b"\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find(b"\n", pos + 1)
    return [s for s in starts if s < len(text)]


def check_every_cut(text: bytes, step: int = 1) -> int:
    """The property at every `step`-th line; returns how many cuts joined."""
    whole: Any = "unparsed"
    joined = 0
    for pos in line_starts(text)[::step]:
        got = split_result(text, yaml_split.cut_at(text, pos))
        if got is None:
            continue
        if whole == "unparsed":
            whole = parse(text)
        assert got == whole, f"cut before byte {pos}: {text[pos:pos + 60]!r}"
        joined += 1
    return joined


TRICKY = {
    "block scalar with key-like lines": b"""\
a:
  b:
    description: |
      Example:
        key: value
      other: 1
    c: 2
  d:
    e: 3
    f: 4
""",
    "folded and kept scalars, comments": b"""\
# top comment
openapi: 3.1.0
info:
  title: x
  # a comment at a lower indentation
  description: >-
    folded
    text: with colon
  version: "1"
paths:
  /a:
    get:
      summary: one
  # comment
  /b:
    get:
      summary: two
""",
    "multi-line quoted strings": b"""\
a:
  b: "first line
    c: not a key
    end"
  d: 'single
    e: also not a key'
  f: 1
""",
    "flow collections across lines": b"""\
a:
  b: [one,
    two: 2]
  c: {x: 1,
    y: 2}
  d: 3
""",
    "duplicate key across the cut": b"""\
a:
  b: 1
  c: 2
a2:
  x: 1
a:
  d: 3
""",
    "duplicate nested key across the cut": b"""\
top:
  m:
    k: 1
    j: 2
  m:
    z: 3
""",
    "anchors and aliases": b"""\
defs:
  base: &base
    type: object
    x: 1
  more: 1
uses:
  one: *base
  two:
    <<: *base
    y: 2
""",
    "sequences of mappings": b"""\
a:
  - name: one
    value: 1
  - name: two
    value: 2
b:
  c:
  - x: 1
    y: 2
  d: 3
""",
    "plain multi-line scalar": b"""\
a:
  b:
    word
    c: 1
  d: 2
""",
    "empty values and quoted keys": b"""\
a:
  "quoted key": 1
  'single': 2
  empty:
  after: 3
b:
  "200":
    x: 1
  '404':
    y: 2
""",
    "document start marker": b"""\
---
a:
  b: 1
  c: 2
d: 3
""",
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_every_cut_of_tricky_documents(name: str) -> None:
    check_every_cut(TRICKY[name])


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_every_cut_with_crlf_line_ends(name: str) -> None:
    check_every_cut(TRICKY[name].replace(b"\n", b"\r\n"))


def test_cuts_that_must_be_refused() -> None:
    text = TRICKY["block scalar with key-like lines"]
    assert yaml_split.cut_at(text, text.index(b"        key: value")) is None  # inside a block scalar
    assert yaml_split.cut_at(text, text.index(b"    description: |")) is None  # first entry of its mapping
    dup = TRICKY["duplicate key across the cut"]
    assert split_result(dup, yaml_split.cut_at(dup, dup.index(b"a:\n  d"))) is None  # a conflict, not a merge
    nested = TRICKY["duplicate nested key across the cut"]
    assert split_result(nested, yaml_split.cut_at(nested, nested.index(b"  m:\n    z"))) is None


def test_a_good_cut_joins_along_its_ancestors() -> None:
    text = TRICKY["block scalar with key-like lines"]
    cut = yaml_split.cut_at(text, text.index(b"    f: 4"))
    assert cut is not None and cut[2] == 2 and cut[1].startswith(b"a:\n  d:\n    f: 4")
    assert split_result(text, cut) == parse(text)


def test_every_cut_of_the_chat_spec() -> None:
    text = CHAT_SPEC.read_bytes()
    assert check_every_cut(text, step=5) > 50


@pytest.mark.parametrize("text", [
    b"%YAML 1.1\n---\na:\n  b: 1\n  c: 2\n" + b"x: 1\n" * 10,
    b"a: 1\n---\nb: 2\n",
    b"a:\n\tb: 1\n",
    b"\xff\xfea\x00:\x00",
    b"a: 1\n...\n",
])
def test_documents_that_are_never_cut(text: bytes) -> None:
    assert yaml_split.find_cut(text) is None


def test_find_cut_on_the_full_openai_spec() -> None:
    spec = shared_or_skip("specs/openai/openapi.latest.yaml")
    text = spec.read_bytes()
    cut = yaml_split.find_cut(text)
    assert cut is not None
    assert 0.3 < len(cut[0]) / len(text) < 0.7
    assert split_result(text, cut) == parse(text)


@pytest.mark.parametrize("name", ["asana/asana_oas.yaml", "mistral/openapi.yaml", "twilio/twilio_api_v2010.yaml",
                                  "openai/openapi.2023-10-19.84e9aa6.yaml", "petstore/swagger-petstore.openapi.yaml"])
def test_the_chosen_cut_of_real_specs(name: str) -> None:
    text = shared_or_skip(f"specs/{name}").read_bytes()
    cut = yaml_split.find_cut(text)
    joined = split_result(text, cut)
    if joined is not None:  # not joined: an alias to the other half, say; the whole file is parsed
        assert joined == parse(text)


def test_parse_in_a_forked_process_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import parallel

    if not parallel.available():
        pytest.skip("forking is off here (not Linux, threads running, or SDKFORGE_SERIAL set)")
    monkeypatch.setattr(yaml_split, "MIN_BYTES", 0)
    text = CHAT_SPEC.read_bytes()
    assert yaml_split.parse(text, parse_half) == parse(text)


def test_small_files_are_not_cut() -> None:
    assert yaml_split.parse(CHAT_SPEC.read_bytes(), parse_half) is None  # under MIN_BYTES: one ordinary parse


# ------------------------------------------------------------------ generated documents

_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30),
                     st.sampled_from(["a: b", "- x", "#c", "|", "key:", "'q'", '"d"', "x\ny: 1", "  lead"]))
_keys = st.one_of(st.text(min_size=1, max_size=12), st.sampled_from(["a", "b", "200", "x-y", "$ref", "a: b", "#k"]))
_trees = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(_keys, inner, max_size=5)), max_leaves=30)


@settings(max_examples=int(os.environ.get("YAML_SPLIT_EXAMPLES", "150")), deadline=None)
@given(tree=st.dictionaries(_keys, _trees, min_size=1, max_size=5), width=st.sampled_from([12, 40, 1000]),
       flow=st.sampled_from([False, None]))
def test_every_cut_of_generated_documents(tree: dict[str, Any], width: int, flow: bool | None) -> None:
    text = yaml.safe_dump(tree, default_flow_style=flow, width=width, allow_unicode=True, sort_keys=False).encode()
    check_every_cut(text)


def test_join_checks_the_chain() -> None:
    a: dict[str, Any] = {"x": 1, "m": {"k": 1}}
    assert yaml_split.join(a, {"m": {"j": 2}, "y": 3}, 1) and a == {"x": 1, "m": {"k": 1, "j": 2}, "y": 3}
    assert not yaml_split.join({"m": {"k": 1}, "z": 1}, {"m": {"j": 2}}, 1)  # m is not the last key of the head
    assert not yaml_split.join({"m": 1}, {"m": {"j": 2}}, 1)  # not a mapping on both sides
    assert not yaml_split.join({"m": {"k": 1}}, {"m": {"k": 2}}, 1)  # the same key at the cut's own level
    assert not yaml_split.join({"a": 1}, {"a": 2}, 0)

