"""Spec text made safe for the places it lands: docstrings, comments, string literals, Markdown."""

from __future__ import annotations

import re
import textwrap

# C0 and C1 controls except tab and newline; bidirectional overrides and isolates ("Trojan Source",
# CVE-2021-42574), which would make generated code read differently from what it does; lone
# surrogates, which cannot be written as UTF-8.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Everything str.splitlines() (and so formatters and editors) treats as a line break.
_NEWLINES = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)


def clean(text: str) -> str:
    """Spec text as plain, printable lines: every kind of line break becomes `\\n`, control and
    bidi-override characters are dropped, lone surrogates become U+FFFD; stripped."""
    text = _NEWLINES.sub("\n", text)
    text = _SURROGATE.sub("\ufffd", text)
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


def md_code(text: str, in_table: bool = False) -> str:
    """A complete Markdown code span (backticks included) showing `text` literally on one line:
    the fence is longer than any run of backticks inside, so nothing in the text is rendered (no
    HTML, no emphasis). In a table cell (`in_table`) pipes are escaped, as GFM tables require."""
    body = clean(text).replace("\n", " ")
    if in_table:
        body = body.replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def md_block(text: str) -> str:
    """A description paragraph in Markdown: raw HTML neutralised, newlines kept, and a code fence
    the text opens but never closes closed, so it cannot swallow the rest of the page."""
    out = clean(text).replace("<", "&lt;").replace(">", "&gt;")
    fences = _FENCE.findall(out)
    if len(fences) % 2:
        out += "\n" + fences[-1]
    return out


def anchor(text: str) -> str:
    """GitHub-style heading anchor."""
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def api_name(title: str) -> str:
    """The API's name for prose: its title, plus " API" unless the title already ends with the word
    (`Chat Completions API` stays, `Petstore` -> `Petstore API`)."""
    title = title.strip()
    return title if title.split() and title.split()[-1].upper() == "API" else f"{title} API".strip()
