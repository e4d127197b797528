"""Servers in generated code and docs: `Server(...)` source, and the URL a client starts with."""

from __future__ import annotations

import re

from generator import ir
from generator.render import text


def default_url(s: ir.Server) -> str:
    """The server's URL with each variable's default (a variable without one stays `{name}`)."""
    defaults = {v.name: v.default for v in s.variables if v.default}
    return re.sub(r"\{([^{}]*)\}", lambda m: defaults.get(m.group(1), m.group(0)), s.url)


def server_source(s: ir.Server) -> str:
    """`Server(...)` source for one server of the API."""
    variables = ", ".join(
        f"{v.name!r}: ServerVariable(default={v.default!r}"
        + (f", enum={v.enum!r}" if v.enum else "")
        + (f", description={text.clean(v.description)!r}" if v.description else "") + ")"
        for v in s.variables
    )
    parts = [f"url={s.url!r}"]
    if s.name:
        parts.append(f"name={s.name!r}")
    if s.description:
        parts.append(f"description={text.clean(s.description)!r}")
    if s.variables:
        parts.append("variables={" + variables + "}")
    return "Server(" + ", ".join(parts) + ")"
