"""Servers of the API: URL templates with ``{variable}`` placeholders, chosen by index or name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "Server",
    "ServerVariable",
    "check_server_variables",
    "select_server",
    "server_url",
]

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class ServerVariable:
    """One ``{name}`` of a server URL: its default and, when declared, the allowed values."""

    default: str = ""
    enum: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Server:
    """A server of the API. ``url`` may hold ``{variable}`` placeholders."""

    url: str
    name: str = ""
    description: str = ""
    variables: Mapping[str, ServerVariable] = field(default_factory=dict)


def select_server(servers: tuple[Server, ...], choice: int | str | None) -> Server:
    """The server at index ``choice``, the one named ``choice``, or the first one."""
    if not servers:
        raise ValueError("The API declares no server: pass `base_url=`")
    if choice is None:
        return servers[0]
    if isinstance(choice, int) and not isinstance(choice, bool):
        if 0 <= choice < len(servers):
            return servers[choice]
        raise ValueError(
            f"`server={choice}` is out of range: the API declares {len(servers)} "
            f"server(s) (0 to {len(servers) - 1})"
        )
    for server in servers:
        if server.name and server.name == choice:
            return server
    names = ", ".join(repr(s.name) for s in servers if s.name) or "none"
    raise ValueError(
        f"Unknown server {choice!r}: choose an index (0 to {len(servers) - 1}) "
        f"or a name ({names})"
    )


def check_server_variables(
    servers: Iterable[Server], values: Mapping[str, str]
) -> None:
    """Raise ``ValueError`` for a variable no server declares, or a value outside an enum."""
    declared: dict[str, list[ServerVariable]] = {}
    for server in servers:
        for name, variable in server.variables.items():
            declared.setdefault(name, []).append(variable)
    for name, value in values.items():
        if name not in declared:
            known = ", ".join(repr(n) for n in sorted(declared)) or "none"
            raise ValueError(
                f"Unknown server variable {name!r} (the servers declare: {known})"
            )
        if not isinstance(value, str):
            raise TypeError(f"Server variable {name!r} must be a str, not {value!r}")
        for variable in declared[name]:
            if variable.enum and value not in variable.enum:
                allowed = ", ".join(repr(e) for e in variable.enum)
                raise ValueError(
                    f"Server variable {name!r} must be one of {allowed}, not {value!r}"
                )


def server_url(server: Server, values: Mapping[str, str]) -> str:
    """``server.url`` with each ``{name}`` replaced by ``values[name]`` or its default.

    Raises ``ValueError`` when a placeholder has neither (no URL is sent with ``{name}`` in it).
    """

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        value = values.get(name)
        if value is None:
            variable = server.variables.get(name)
            value = variable.default if variable is not None else ""
        if not value:
            raise ValueError(
                f"Server URL {server.url!r} needs a value for the variable {name!r}: "
                f"pass it in `server_variables`"
            )
        return value

    return _PLACEHOLDER.sub(substitute, server.url)
