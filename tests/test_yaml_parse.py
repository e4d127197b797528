"""generator.yaml_parse: the fast parser (yaml_rs) and libyaml give the same tree, under one scalar
rule (YAML 1.2 core schema), for every real spec, our own specs, a table of tricky scalars and
random ones; what the fast path refuses goes to libyaml, which writes the error messages."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml_rs
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import load, yaml_parse
from generator.diagnostics import Collector
from tests.conftest import ROOT, SHARED, shared_or_skip

OWN_SPECS = sorted(p for folder in ("specs", "tests") for p in (ROOT / folder).rglob("*.y*ml")
                   if "node_modules" not in p.parts and "expected" not in p.parts)
SHARED_SPECS = sorted((SHARED / "specs").rglob("*.y*ml")) if (SHARED / "specs").is_dir() else []


def same(a: Any, b: Any) -> bool:
    """Equal trees, types included (1 is not 1.0 nor True), NaN equal to NaN, keys in the same order."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(map(repr, a)) == list(map(repr, b)) and all(
            same(x, y) for x, y in zip(a.values(), b.values(), strict=True))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def libyaml(text: bytes) -> tuple[Any, Collector]:
    diags = Collector()
    return yaml_parse.parse_libyaml(text, diags, "spec.yaml"), diags


def fast_unchecked(text: bytes) -> Any:
    """yaml_rs on the whole text, without the fast path's refusals (aliases come out as copies)."""
    return yaml_rs.loads(text.decode("utf-8-sig"), parse_datetime=False)


@pytest.mark.parametrize("spec", SHARED_SPECS or [None], ids=[p.name for p in SHARED_SPECS] or ["absent"])
def test_real_specs_parse_to_the_same_tree_both_ways(spec: Path | None) -> None:
    if spec is None:
        shared_or_skip("specs")
        return
    text = spec.read_bytes()
    if not text.endswith(b"\n"):
        text += b"\n"  # as generator.yaml_parse.parse reads it
    slow, diags = libyaml(text)
    assert slow is not None and not diags.sorted()
    assert same(fast_unchecked(text), slow)
    fast = yaml_parse.parse_fast(text)
    assert fast is None or same(fast, slow)
    # the refusals are not over-eager: a spec without anchors (which go to libyaml for the alias checks) is
    # parsed by the fast path
    assert fast is not None or load._has_anchor(text)


@pytest.mark.parametrize("spec", OWN_SPECS, ids=[p.relative_to(ROOT).as_posix() for p in OWN_SPECS])
def test_own_specs_parse_to_the_same_tree_both_ways(spec: Path) -> None:
    text = spec.read_bytes()
    slow, diags = libyaml(text)
    fast = yaml_parse.parse_fast(text)
    if diags.has_errors:
        return  # an invalid spec of the error tests: the message comes from libyaml (below)
    assert fast is None or same(fast, slow)


# (YAML value, what it means under the rule): YAML 1.2 core schema
RULE = [
    ("~", None), ("null", None), ("Null", None), ("NULL", None), ("", None),
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("FALSE", False),
    ("yes", "yes"), ("No", "No"), ("on", "on"), ("off", "off"), ("y", "y"), ("tRue", "tRue"),
    ("12", 12), ("+12", 12), ("-0", 0), ("017", 17), ("09", 9), ("0o17", 15), ("0x1F", 31),
    ("1_000", "1_000"), ("0b101", "0b101"), ("-0x1F", "-0x1F"), ("1:30", "1:30"), ("12:30:00", "12:30:00"),
    ("1.5", 1.5), (".5", 0.5), ("1.", 1.0), ("1e3", 1000.0), ("-1.5E-3", -0.0015),
    (".inf", math.inf), ("-.Inf", -math.inf), ("+.INF", math.inf), ("inf", "inf"), ("infinity", "infinity"),
    ("2024-01-31", "2024-01-31"), ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
    ("'017'", "017"), ('"yes"', "yes"), ("!!str 12", "12"), ("!!float 1", 1.0), ("!!int '3'", 3),
]


@pytest.mark.parametrize(("value", "meaning"), RULE, ids=[v or "empty" for v, _ in RULE])
def test_one_scalar_rule_whichever_parser_reads_it(value: str, meaning: Any) -> None:
    for text in (f"a: {value}\n", f"- {value}\n", f"x: [{value}]\n" if value else "x: [~]\n"):
        data = text.encode()
        slow, diags = libyaml(data)
        assert not diags.sorted()
        fast = yaml_parse.parse_fast(data)
        got = [slow] if fast is None else [slow, fast]
        for tree in got:
            leaf = tree["a"] if isinstance(tree, dict) and "a" in tree else (tree[0] if isinstance(tree, list)
                                                                            else tree["x"][0])
            assert same(leaf, meaning), (text, leaf)


def test_nan_is_a_float_both_ways() -> None:
    for data in (b"a: .nan\n", b"a: .NaN\n", b"a: .NAN\n"):
        assert math.isnan(libyaml(data)[0]["a"])
        fast = yaml_parse.parse_fast(data)
        assert fast is not None and math.isnan(fast["a"])


def test_repeated_key_last_wins_with_a_warning() -> None:
    text = b"openapi: 3.1.0\ninfo:\n  title: a\n  title: b\n"
    assert yaml_parse.parse_fast(text) is None  # refused: libyaml reports it
    diags = Collector()
    assert yaml_parse.parse(text, diags, "spec.yaml") == {"openapi": "3.1.0", "info": {"title": "b"}}
    (warning,) = diags.sorted()
    assert warning.code == "yaml-duplicate-key" and "'title' at line 4, column 3" in warning.message


@pytest.mark.parametrize("text", [
    b"base: &b {x: 1}\nuse: *b\n",  # anchors: libyaml's alias checks (generator.load)
    b"a: !custom x\n",  # tags
    b"a:\n  <<: {b: 1}\n  c: 2\n",  # merge keys
    b"a: 1\n---\nb: 2\n",  # several documents
    b"%YAML 1.2\n---\na: 1\n",  # directives
    b"a: |\nb: 1\n",  # an empty block scalar (yaml_rs reads "\n")
    b"a: [?x, 1]\n",  # an explicit key in a flow sequence
    b"a: 1_000\n", b"- 0b11\n", b"a: -0x1F\n", b"_5: x\n",  # number-like scalars yaml_rs reads as numbers
    b"a: \x01\n", "a: x\u2028y\n".encode(),  # characters libyaml rejects or reads as a line break
    b"\xff\xfea\x00:\x00",  # not UTF-8
    b"a: |\n  text",  # no line break at the end (yaml_rs would add one to the block scalar)
    b"? |\nb: 1\n",  # an empty block scalar as an explicit key
    b"|\ntext\n", b"--- >\n  \n",  # a document that is one block scalar
    b"a: !\n  1\n",  # a lone `!` tag
    b"- " * 20_000 + b"x\n",  # nesting deep enough to crash yaml_rs (a stack overflow, not an exception)
    b"".join(b" " * i + b"k%d:\n" % i for i in range(1_001)) + b" " * 1_001 + b"v\n",
])
def test_refused_texts_go_to_libyaml(text: bytes) -> None:
    assert yaml_parse.parse_fast(text) is None


@pytest.mark.parametrize("text", [
    b"a: |\n  text\nb: 1\n", b"- >\n  folded\n- x\n", b"a: |+\n\nb: 1\n", b"a: |-\nb: 1\n",
    b"description: a | b\nx: 1\n", b"a: x != y\nb: 'A & B'\n", b"a: What?\nb: fc_123\n", b"\xef\xbb\xbfa: 1\n",
    b"? plain key\n: value\n", b"a: gpt_4_1\n",
])
def test_ordinary_texts_take_the_fast_path(text: bytes) -> None:
    fast = yaml_parse.parse_fast(text)
    assert fast is not None
    assert same(fast, libyaml(text)[0])


def test_a_file_reads_as_if_it_ended_with_a_line_break() -> None:
    for text in (b"a: |\n  text", b"a: |\n  text\n"):
        assert yaml_parse.parse(text, Collector(), "spec.yaml") == {"a": "text\n"}
    assert yaml_parse.parse(b"a: 1", Collector(), "spec.yaml") == {"a": 1}


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    diags = Collector()
    assert yaml_parse.parse(b"- " * 20_000 + b"x\n", diags, "deep.yaml") is None
    (error,) = diags.sorted()
    assert error.code == "yaml-syntax"


def test_errors_are_libyamls() -> None:
    diags = Collector()
    assert yaml_parse.parse(b"openapi: 3.1.0\ninfo: {title: x\n", diags, "bad.yaml") is None
    (error,) = diags.sorted()
    assert error.code == "yaml-syntax" and error.file == "bad.yaml"
    assert error.message.startswith("invalid YAML at line 3, column 1:")


_PIECES = st.sampled_from(list("0123456789+-._oxXbBeE:~ #,'\"[]{}|>!&*?") + [
    "inf", "nan", "Inf", "NaN", "INF", "true", "True", "null", "yes", "no", "0x", "0o", "e+", "\t", "\n  ", "é"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=6).map("".join), st.sampled_from(
    ["a: %s\n", "- %s\n", "%s: 1\n", "x: [%s, 1]\n", "k: {%s: v}\n", "a:\n  b: %s\n  c: 1\n"]))
def test_random_scalars_same_tree_when_both_accept(scalar: str, shape: str) -> None:
    text = (shape % scalar).encode()
    fast = yaml_parse.parse_fast(text)
    if fast is None:
        return
    slow, diags = libyaml(text)
    if diags.has_errors:
        return  # the fast parser takes a few YAML 1.2 forms libyaml rejects (tabs as separators, ...)
    assert same(fast, slow), text


_SYNTAX = st.sampled_from(list("-?:[]{},'\"|>!&*#%@` \t\n\nabc01.") + [
    "- ", ": ", "? ", "\n  ", "\n    ", "|\n", ">-\n", "<<: ", "...", "---", "é", "\r\n", "k: ", "\n- ", "\n  - ",
    "x: |\n  t\n", "y: >\n  u\n", "z: |+\n", "w: >2\n   v\n"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_SYNTAX, min_size=1, max_size=40).map("".join), st.booleans())
def test_random_documents_same_tree_when_both_accept(body: str, final_newline: bool) -> None:
    text = (body + "\n" * final_newline).encode()
    fast = yaml_parse.parse_fast(text)
    if fast is None:
        return
    slow, diags = libyaml(text)
    if diags.has_errors:
        return
    assert same(fast, slow), text
