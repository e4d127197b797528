"""Server objects -> `ir.Server`: URL templates, their variables (default, enum) and a name to
choose each by (an `x-…-server-id` / `x-…-server-name` extension, else the description)."""

from __future__ import annotations

import re
from typing import Any

from generator import ir, naming
from generator.diagnostics import Collector
from generator.resolve import Loc

_VARIABLE = re.compile(r"\{([^{}]*)\}")
_NAME_EXTENSION = re.compile(r"^x-(?:[a-z0-9_.-]+-)?server-(?:id|name)$", re.IGNORECASE)


def build_servers(raw: Any, loc: Loc, diags: Collector, *, absolute: bool) -> tuple[ir.Server, ...]:
    """The server objects of one `servers` list. `absolute`: a relative URL becomes a path on
    localhost (the top-level default must be usable as it is), with a warning."""
    if not isinstance(raw, list):
        return ()
    out: list[ir.Server] = []
    for i, s in enumerate(raw):
        sloc = loc.child(i)
        if not isinstance(s, dict) or not isinstance(s.get("url"), str):
            diags.warning("invalid-server", sloc.pointer, "server without a string 'url'; skipped", sloc.file)
            continue
        url = absolute_url(s["url"].strip(), sloc, diags) if absolute else s["url"].strip()
        out.append(ir.Server(
            url=url,
            description=s["description"].strip() if isinstance(s.get("description"), str) else "",
            name=_wanted_name(s),
            variables=_variables(url, s.get("variables"), sloc, diags),
            origin=str(sloc),
        ))
    names = naming.dedupe([(str(i), s.name) for i, s in enumerate(out) if s.name], sep="_")
    return tuple(ir.evolve(s, name=names[str(i)]) if s.name else s for i, s in enumerate(out))


def _wanted_name(server: dict[str, Any]) -> str:
    for key in sorted(server):
        if _NAME_EXTENSION.match(str(key)) and isinstance(server[key], (str, int)):
            return naming.snake(str(server[key]), empty="")
    if isinstance(server.get("description"), str):
        return naming.snake(server["description"], empty="")
    return ""


def _variables(url: str, raw: Any, loc: Loc, diags: Collector) -> tuple[ir.ServerVariable, ...]:
    declared: dict[str, Any] = raw if isinstance(raw, dict) else {}
    out: list[ir.ServerVariable] = []
    for name in sorted(declared, key=str):
        v = declared[name]
        vloc = loc.child("variables", str(name))
        if not isinstance(v, dict):
            diags.warning("invalid-server-variable", vloc.pointer, "server variable is not an object; skipped",
                          vloc.file)
            continue
        enum = tuple(str(e) for e in v["enum"] if isinstance(e, (str, int, float))) \
            if isinstance(v.get("enum"), list) else ()
        default = v.get("default")
        if not isinstance(default, (str, int, float)) or isinstance(default, bool):
            diags.warning("server-variable-default", vloc.pointer,
                          f"server variable {name!r} has no default; the client requires "
                          f"server_variables={{{str(name)!r}: ...}}", vloc.file)
            default_text = ""
        else:
            default_text = str(default)
            if enum and default_text not in enum:
                diags.warning("server-variable-default", vloc.pointer,
                              f"default {default_text!r} of server variable {name!r} is not one of its enum "
                              "values; the enum is not enforced", vloc.file)
                enum = ()
        description = v["description"].strip() if isinstance(v.get("description"), str) else ""
        out.append(ir.ServerVariable(str(name), default_text, enum, description))
    known = {v.name for v in out}
    for name in sorted(set(_VARIABLE.findall(url)) - known):
        diags.warning("server-variable-undeclared", loc.pointer,
                      f"server URL {url!r} uses {{{name}}}, which is not declared in 'variables'; the client "
                      f"requires server_variables={{{name!r}: ...}}", loc.file)
        out.append(ir.ServerVariable(name, ""))
    return tuple(out)


def absolute_url(url: str, loc: Loc, diags: Collector) -> str:
    """A server URL relative to where the spec is served can't be a client default: it is kept
    as a path on localhost, and the user passes `base_url=` (or sets the env var)."""
    if "://" in url or url.startswith("{"):
        return url
    diags.warning("relative-server", loc.pointer, f"server URL {url!r} is relative; the generated client "
                  f"defaults to http://localhost{url if url.startswith('/') else '/' + url}, pass base_url=",
                  loc.file)
    return "http://localhost" + (url if url.startswith("/") else "/" + url)
