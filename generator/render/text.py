"""Spec text made safe for the places it lands: docstrings, comments, string literals, Markdown."""

from __future__ import annotations

import re
import textwrap

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    """Normalise newlines and drop control characters (NUL, escape sequences) from spec text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def docstring_body(text: str) -> str:
    """Text that can sit inside a non-raw triple-double-quoted string without ending it or
    introducing escape sequences: backslashes are doubled and every quote run is broken."""
    text = clean(text).replace("\\", "\\\\").replace('"', '\\"')
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines)


def docstring(text: str, indent: int = 4) -> str:
    """A complete docstring statement (with quotes), or "" when there is no text."""
    body = docstring_body(text)
    if not body:
        return ""
    if "\n" not in body and len(body) + indent + 6 <= 100:
        return f'"""{body}"""'
    pad = " " * indent
    return '"""\n' + textwrap.indent(body, pad, lambda line: bool(line.strip())) + "\n" + pad + '"""'


def first_sentence(text: str) -> str:
    text = clean(text)
    para = text.split("\n\n", 1)[0].replace("\n", " ").strip()
    m = re.match(r"(.+?[.!?])(\s|$)", para)
    return (m.group(1) if m else para).strip()


def comment(text: str) -> str:
    """One line, safe after `#`."""
    return clean(text).replace("\n", " ")


def md_inline(text: str) -> str:
    """Text for a Markdown table cell: one line, pipes escaped, HTML-ish tags neutralised."""
    text = clean(text)
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\n", "<br/>")


def md_block(text: str) -> str:
    """A description paragraph in Markdown: raw HTML neutralised, newlines kept."""
    return clean(text).replace("<", "&lt;").replace(">", "&gt;")


def anchor(text: str) -> str:
    """GitHub-style heading anchor."""
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")
