"""Keep what users write around generated sections of Markdown files.

Generated Markdown marks its sections with `<!-- sdkforge:begin NAME -->` and
`<!-- sdkforge:end NAME -->`. When the file already exists in the output folder with such markers,
the new file is the existing one with each marked section's content replaced by the newly
generated content: text outside the markers (and sections' order) is the user's. Sections that
are new are inserted after the section that precedes them in the generated file; sections that
are no longer generated are removed.
"""

from __future__ import annotations

import re
from pathlib import Path

_BLOCK = re.compile(r"<!-- sdkforge:begin (?P<name>[\w.-]+) -->\n(?P<body>.*?)<!-- sdkforge:end (?P=name) -->\n?",
                    re.S)


def blocks(text: str) -> dict[str, str]:
    return {m.group("name"): m.group(0) for m in _BLOCK.finditer(text)}


def merge(existing: str, generated: str) -> str:
    new = blocks(generated)
    old = blocks(existing)
    if not old or not new:
        return generated
    out = existing
    for name, block in old.items():  # replace or drop what was there
        out = out.replace(block, new.get(name, ""), 1)
    previous = None
    for name in new:  # insert sections the existing file does not have yet
        if name not in old:
            block = new[name]
            if previous is not None and new[previous] in out:
                anchor = new[previous]
                out = out.replace(anchor, anchor + "\n" + block, 1)
            else:
                out = out.rstrip("\n") + "\n\n" + block
        previous = name
    return out


def apply(output: Path, files: dict[str, str]) -> dict[str, str]:
    """`files` with generated Markdown merged into the user's versions already in `output`."""
    out = dict(files)
    for rel, text in files.items():
        if not rel.endswith(".md") or "<!-- sdkforge:begin " not in text:
            continue
        try:
            existing = (output / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        out[rel] = merge(existing, text)
    return out
