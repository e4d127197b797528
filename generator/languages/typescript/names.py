"""TypeScript identifiers: decided once per API from the IR's words, wire names and origins.

Wire names stay as they are wherever TypeScript allows them (object keys are quoted when they are not
identifiers); only the names the SDK itself introduces (types, methods, resource properties, options)
are built here, and collisions are broken by sorted origin, never by traversal order.
"""

from __future__ import annotations

import json
import re

from generator import ir, naming

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")

# Words TypeScript will not take as a binding or type name.
_RESERVED_WORDS = """
    break case catch class const continue debugger default delete do else enum export extends false finally
    for function if import in instanceof new null return super switch this throw true try typeof var void
    while with as implements interface let package private protected public static yield any boolean number
    string symbol type from of await async unknown never object undefined bigint declare module namespace
    readonly keyof infer is asserts satisfies accessor
"""
RESERVED = frozenset(_RESERVED_WORDS.split())

# Names the models module and the package index refer to: a model may not take them.
TAKEN_TYPE_NAMES = frozenset(
    {"Array", "Record", "Uploadable", "Promise", "Object", "String", "Number", "Boolean", "Symbol", "Date", "Error",
     "Stream", "Page", "PagePromise", "APIPromise", "WithResponse", "RequestOptions", "ClientOptions", "Credential",
     "Fetch", "BaseClientOptions", "LogLevel", "ServerSentEvent", "SDKError", "APIError", "APIConnectionError",
     "APIConnectionTimeoutError", "APIUserAbortError", "MissingCredentialsError", "BadRequestError",
     "AuthenticationError", "PermissionDeniedError", "NotFoundError", "ConflictError", "UnprocessableEntityError",
     "RateLimitError", "InternalServerError", "models"}
)


# Members of the runtime's ClientCore (runtime/core.ts) and of Object: no resource property may take them.
CLIENT_MEMBERS = frozenset(
    {"baseURL", "timeout", "maxRetries", "config", "log", "fetchImpl", "request", "paginate", "send", "attempt",
     "sleep", "secretHeaderNames", "secretQueryNames", "build", "authenticate", "constructor", "toString",
     "valueOf", "hasOwnProperty"}
)


def is_identifier(name: str) -> bool:
    return bool(_IDENT.match(name)) and name not in RESERVED


def prop_key(wire: str) -> str:
    """An object key: the wire name itself, quoted when it is not an identifier."""
    return wire if _IDENT.match(wire) else json.dumps(wire, ensure_ascii=False)


def camel(text: str, empty: str = "value") -> str:
    parts = naming.words(text)
    if not parts:
        return empty
    out = parts[0][:1].lower() + parts[0][1:] + "".join(p[:1].upper() + p[1:] for p in parts[1:])
    if out[0].isdigit():
        out = empty + out[:1].upper() + out[1:]
    return out + "_" if out in RESERVED else out


def pascal(text: str, empty: str = "Model") -> str:
    return naming.pascal(text, empty=empty)


def type_names(api: ir.Api, client_name: str) -> dict[str, str]:
    """IR type name -> TypeScript type name (renamed only when it would clash with what the SDK exports)."""
    taken = TAKEN_TYPE_NAMES | {client_name, client_name + "Options"}
    wanted: list[tuple[str, str]] = []
    for t in api.named_types():
        name = t.name if _IDENT.match(t.name) and t.name not in RESERVED else pascal(t.name)
        wanted.append((t.origin + "\0" + t.name, name + "Model" if name in taken else name))
    unique = naming.dedupe(wanted)
    return {key.split("\0", 1)[1]: value for key, value in unique.items()}
