"""Security scheme descriptors and resolution of an operation's security requirements."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from ._exceptions import MissingCredentialsError

__all__ = [
    "APIKey",
    "AppliedAuth",
    "HTTPBasic",
    "HTTPBearer",
    "SecurityScheme",
    "resolve_auth",
    "sensitive_names",
]


@dataclass(frozen=True)
class HTTPBearer:
    """``Authorization: Bearer <token>``; the credential is a ``str`` (or a callable
    returning one)."""

    name: str
    client_arg: str | None = None
    env_var: str | None = None
    scheme: str = "Bearer"


@dataclass(frozen=True)
class HTTPBasic:
    """``Authorization: Basic ...``; the credential is a ``(username, password)`` tuple.

    ``client_arg``/``env_var`` name the user name's client argument and environment variable,
    ``password_arg``/``password_env_var`` the password's (used in error messages only).
    """

    name: str
    client_arg: str | None = None
    env_var: str | None = None
    password_arg: str | None = None
    password_env_var: str | None = None


@dataclass(frozen=True)
class APIKey:
    """An API key sent in a header, query parameter or cookie named ``param_name``."""

    name: str
    location: Literal["header", "query", "cookie"]
    param_name: str
    client_arg: str | None = None
    env_var: str | None = None


SecurityScheme: TypeAlias = HTTPBearer | HTTPBasic | APIKey


@dataclass
class AppliedAuth:
    """What an operation's security requirement adds to a request."""

    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)


def _credential(value: object) -> object:
    if callable(value):
        value = value()
    if value is None or value == "" or value == ():
        return None
    return value


def _apply(scheme: SecurityScheme, credential: object, auth: AppliedAuth) -> bool:
    if isinstance(scheme, HTTPBasic):
        if not (
            isinstance(credential, (tuple, list))
            and len(credential) == 2
            and credential[0] is not None
            and credential[1] is not None
        ):
            return False
        pair = f"{credential[0]}:{credential[1]}".encode()
        auth.headers["Authorization"] = "Basic " + base64.b64encode(pair).decode(
            "ascii"
        )
        return True
    if not isinstance(credential, str):
        return False
    if isinstance(scheme, HTTPBearer):
        auth.headers["Authorization"] = f"{scheme.scheme} {credential}"
    elif scheme.location == "header":
        auth.headers[scheme.param_name] = credential
    elif scheme.location == "query":
        auth.query[scheme.param_name] = credential
    else:
        auth.cookies[scheme.param_name] = credential
    return True


def _how_to_set(name: str, scheme: SecurityScheme | None) -> str:
    args = [scheme.client_arg] if scheme is not None and scheme.client_arg else []
    env = [scheme.env_var] if scheme is not None and scheme.env_var else []
    if isinstance(scheme, HTTPBasic):
        args += [scheme.password_arg] if scheme.password_arg else []
        env += [scheme.password_env_var] if scheme.password_env_var else []
    mapping = "`credentials={" + repr(name) + ": ...}`"
    text = mapping
    if args:
        text = " and ".join(f"`{a}=...`" for a in args) + f" (or {mapping})"
    text = f"{name!r}: pass {text} to the client"
    if env:
        names = " and ".join(f"`{e}`" for e in env)
        text += f" or set the {names} environment variable" + (
            "s" if len(env) > 1 else ""
        )
    return text


def resolve_auth(
    security: Sequence[Sequence[str]],
    schemes: Mapping[str, SecurityScheme],
    credentials: Mapping[str, object],
) -> AppliedAuth:
    """Apply the first alternative of ``security`` whose credentials are all available.

    ``security`` is a list of alternatives (OR), each a list of scheme names (AND). An empty
    ``security`` or an empty alternative means authentication is optional; otherwise
    ``MissingCredentialsError`` is raised when no alternative can be satisfied.
    """
    if not security:
        return AppliedAuth()
    optional = False
    for alternative in security:
        if not alternative:
            optional = True
            continue
        auth = AppliedAuth()
        for name in alternative:
            scheme = schemes.get(name)
            if scheme is None or not _apply(
                scheme, _credential(credentials.get(name)), auth
            ):
                break
        else:
            return auth
    if optional:
        return AppliedAuth()
    names = [n for alt in security for n in alt]
    unique = list(dict.fromkeys(names))
    hints = "; ".join(_how_to_set(n, schemes.get(n)) for n in unique)
    found = "no credentials were found"
    if any(len(alternative) > 1 for alternative in security):
        # Some alternative needs several credentials together: say which go together.
        needs = ", or ".join(
            " and ".join(repr(n) for n in alternative) for alternative in security
        )
        found = f"no complete set of credentials was found (it needs {needs})"
    raise MissingCredentialsError(
        f"This operation requires authentication but {found}. {hints}.",
        schemes=unique,
    )


def sensitive_names(
    schemes: Mapping[str, SecurityScheme],
) -> tuple[frozenset[str], frozenset[str]]:
    """Header names and query parameter names (lower-cased) that carry credentials."""
    headers = {"authorization"}
    query: set[str] = set()
    for scheme in schemes.values():
        if isinstance(scheme, APIKey):
            if scheme.location == "header":
                headers.add(scheme.param_name.lower())
            elif scheme.location == "query":
                query.add(scheme.param_name.lower())
            else:
                headers.add("cookie")
    return frozenset(headers), frozenset(query)
