"""Python names for spec names, decided in one place.

Escapes (documented for users of generated SDKs):
- a name that is a Python keyword, or would shadow a name the generated code relies on (builtins used
  in annotations, pydantic `BaseModel` attributes, the per-call options of every method, the public
  attributes of the client for resource and method names), gets a trailing underscore:
  `class` -> `class_`, `json` -> `json_`, `timeout` -> `timeout_`, a tag `close` -> `close_`;
  snake_case names (module names included) are never keywords: `snake("class")` -> `class_`;
- the keyword list is fixed here (Python 3.11's hard keywords plus the soft keywords `_`, `case`,
  `match`) rather than read from the running interpreter, so names do not change with the Python
  version the generator runs on (3.12 added the soft keyword `type`, which stays a valid name);
- a name that starts with a digit gets a prefix: `1st` -> `field_1_st` (classes: `Model1St`);
- characters that cannot appear in identifiers are dropped after ASCII transliteration
  (`a-b` -> `a_b`, `ü` -> `u`); an empty result becomes `field` / `Model`;
- class names that the generated modules import (`BaseModel`, `Operation`, ...) get a `Model` suffix.
Every result is an ASCII identifier, so it is also a safe file name (no `/`, `..`, `\\` or NUL).
The wire name is always kept beside the Python name (pydantic alias, request dict key).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

# Hard keywords of Python 3.11 (unchanged since 3.7) and the soft keywords `_`, `case`, `match`.
KEYWORDS = frozenset(
    {"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
     "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
     "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with",
     "yield", "_", "case", "match"}
)

# Names used unqualified inside generated model/resource modules (annotations and bodies).
ANNOTATION_NAMES = frozenset(
    {"str", "int", "float", "bool", "list", "dict", "bytes", "date", "datetime", "time", "Decimal",
     "Any", "Literal", "Annotated", "Union", "Optional", "Field", "Sequence", "Mapping", "None"}
)

# Attributes of pydantic.BaseModel (v2) that a field must not shadow.
PYDANTIC_RESERVED = frozenset(
    {"construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj", "parse_raw",
     "schema", "schema_json", "update_forward_refs", "validate", "model_computed_fields",
     "model_config", "model_construct", "model_copy", "model_dump", "model_dump_json",
     "model_extra", "model_fields", "model_fields_set", "model_json_schema",
     "model_parametrized_name", "model_post_init", "model_rebuild", "model_validate",
     "model_validate_json", "model_validate_strings", "fields", "register"}
)

# Keyword arguments every generated method already has.
CALL_OPTIONS = frozenset(
    {"self", "extra_headers", "extra_query", "extra_body", "timeout", "max_retries", "cls"}
)

# Public attributes of the generated client (`SyncAPIClient`/`AsyncAPIClient` and their base): a
# resource (tag) becomes a client attribute, so it may not take one of these names.
CLIENT_ATTRIBUTES = frozenset(
    {"request", "close", "base_url", "user_agent", "strict_response_validation"}
)

# Keyword arguments of the generated client's constructor besides credentials: a credential
# argument (named after its security scheme) may not take one of these names.
CLIENT_ARGUMENTS = frozenset(
    {"base_url", "server", "server_variables", "timeout", "max_retries", "default_headers",
     "default_query", "http_client", "strict_response_validation"}
)

# Class names the generated modules import; a schema class may not take them.
RESERVED_CLASS_NAMES = frozenset(
    {"Any", "Literal", "Annotated", "Union", "Optional", "Field", "BaseModel", "OpenEnum",
     "TypeAlias", "Discriminator", "Tag", "Decimal", "Sequence", "Mapping", "NotGiven",
     "Stream", "AsyncStream", "Operation", "Client", "AsyncClient", "None", "True", "False",
     "SyncCursorPage", "AsyncCursorPage", "SyncOffsetPage", "AsyncOffsetPage", "SyncUrlPage",
     "AsyncUrlPage", "OffsetPagination", "UrlPagination", "RetryPolicy", "APIResponse", "AsyncAPIResponse",
     "BinaryResponse",
     "AsyncBinaryResponse", "Headers", "Query", "Body", "Timeout", "FileTypes", "TYPE_CHECKING",
     "SyncAPIResource", "AsyncAPIResource", "SyncAPIClient", "AsyncAPIClient", "BaseClient",
     "CursorPagination", "SecurityScheme", "HTTPBasic", "HTTPBearer", "APIKey"}
)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def words(text: str) -> list[str]:
    return _WORD.findall(_ascii(text))


@functools.lru_cache(maxsize=1 << 16)  # names repeat across a spec (`id`, `type`, `object`, ...)
def pascal(text: str, *, empty: str = "Model") -> str:
    parts = words(text)
    out = "".join(p[:1].upper() + p[1:] for p in parts)
    if not out:
        return empty
    if out[0].isdigit():
        out = empty + out
    return out


@functools.lru_cache(maxsize=1 << 16)
def _snake(text: str, empty: str) -> str:
    out = "_".join(p.lower() for p in words(text))
    if not out:
        return empty
    if out[0].isdigit():
        out = f"{empty}_{out}"
    return out


def snake(text: str, *, empty: str = "field") -> str:
    """snake_case identifier (never a keyword, so usable as a module name too)."""
    return escape(_snake(text, empty))


def upper_snake(text: str, *, empty: str = "VALUE") -> str:
    return _snake(text, empty.lower()).upper()


_FIELD_RESERVED = ANNOTATION_NAMES | PYDANTIC_RESERVED
_PARAM_RESERVED = ANNOTATION_NAMES | CALL_OPTIONS | PYDANTIC_RESERVED


def escape(name: str, reserved: Iterable[str] = ()) -> str:
    if name in KEYWORDS or name in reserved:
        return name + "_"
    return name


def field_name(wire: str) -> str:
    """Python attribute name for a model field."""
    return escape(snake(wire), _FIELD_RESERVED)


def param_name(wire: str) -> str:
    """Python keyword-argument name for an operation parameter or flattened body field."""
    return escape(snake(wire), _PARAM_RESERVED)


def class_name(text: str) -> str:
    name = pascal(text)
    if name in RESERVED_CLASS_NAMES or name in KEYWORDS:
        name += "Model"
    return name


def method_name(operation_id: str) -> str:
    """Name of an operation method on a resource, and of a resource (tag) attribute on the client."""
    return escape(snake(operation_id, empty="operation"), CALL_OPTIONS | CLIENT_ATTRIBUTES | {"with_raw_response"})


def dedupe(names: list[tuple[str, str]], sep: str = "") -> dict[str, str]:
    """Give unique names: `names` is (sort key, wanted name); ties broken by sort key, suffixes 2, 3, ...

    Comparison is case-insensitive, because module files on case-insensitive file systems collide.
    """
    taken: set[str] = set()
    result: dict[str, str] = {}
    for key, wanted in sorted(names):
        candidate = wanted
        n = 2
        while candidate.lower() in taken:
            candidate = f"{wanted}{sep}{n}"
            n += 1
        taken.add(candidate.lower())
        result[key] = candidate
    return result
