"""Python names for spec names, decided in one place.

Wire names are kept (documented for users of generated SDKs):
- a property or parameter whose wire name is already a snake_case identifier is used as it is
  (`b64_json`, `md5`, `v1`, `bytes`, `type`, `id`); other names are converted to snake_case, which
  changes nothing on a snake_case name, and digits stay with the word before them
  (`b64Json` -> `b64_json`, `gpt-4o` -> `gpt_4o`, `HTTP2Server` -> `http2_server`);
- field names that shadow a builtin used in annotations (`bytes`, `date`, `list`, ...) are kept too:
  the generated module refers to the builtin through a module-level alias (`_Bytes`) where needed.
Escapes:
- a name that is a Python keyword, or would shadow a name the generated code relies on (pydantic
  `BaseModel` attributes, typing names used in annotations, the per-call options of every method,
  the public attributes of the client for resource and method names), gets a trailing underscore:
  `class` -> `class_`, `json` -> `json_`, `timeout` -> `timeout_`, a tag `close` -> `close_`;
  snake_case names (module names included) are never keywords: `snake("class")` -> `class_`;
- the keyword list is fixed here (Python 3.11's hard keywords plus the soft keywords `_`, `case`,
  `match`) rather than read from the running interpreter, so names do not change with the Python
  version the generator runs on (3.12 added the soft keyword `type`, which stays a valid name);
- a name that starts with a digit gets a prefix: `1st` -> `field_1st` (classes: `Model1st`);
- a wire name with a leading underscore (pydantic keeps those private) loses it: `_id` -> `id`;
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

# Words: an acronym before a capitalised word (`HTTP` in `HTTPServer`), a capitalised or lowercase
# word, an acronym; digits stay with the word before them (`b64`, `v1`, `HTTP2`), and a number is a
# word of its own, with the letters that end it when no digit follows (`4o`, `1st`, `1024`+`x1024`).
# A word keeps its digits and the lower-case letters right after them (`k8s`, `gpt4o`, `v1beta1`).
_WORD = re.compile(
    r"[A-Z]+[0-9]*(?=[A-Z][a-z])|[A-Z]?[a-z]+(?:[0-9]+[a-z]*)*|[A-Z][0-9]+[a-z]+(?:[0-9]+[a-z]*)*|[A-Z]+[0-9]*"
    r"|[0-9]+(?:[a-z]+(?![0-9]))?")
_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_WIRE_SNAKE = re.compile(r"[a-z][a-z0-9_]*")

# Hard keywords of Python 3.11 (unchanged since 3.7) and the soft keywords `_`, `case`, `match`.
KEYWORDS = frozenset(
    {"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
     "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
     "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with",
     "yield", "_", "case", "match"}
)

# Builtins and datetime names used unqualified in generated annotations and `cast(...)`/`cast_to=`
# expressions. A field or parameter may take one of these names: the renderer then refers to the
# builtin through a module-level alias (`_Bytes: TypeAlias = bytes`) where the name is shadowed.
SHADOWABLE_NAMES = frozenset({"str", "int", "float", "bool", "list", "dict", "bytes", "date", "datetime"})

# Typing names used unqualified in generated annotations: no field or parameter may take them.
ANNOTATION_NAMES = frozenset(
    {"Decimal", "Any", "Literal", "Annotated", "Union", "Optional", "Field", "Sequence", "Mapping", "None"}
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

# Keyword arguments every generated method already has, and names its body calls.
CALL_OPTIONS = frozenset(
    {"self", "extra_headers", "extra_query", "extra_body", "timeout", "max_retries", "cls", "cast"}
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


def ascii_text(text: str) -> str:
    """`text` transliterated to ASCII (`Größe` -> `Groe`... accents dropped, other letters too)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def words(text: str) -> list[str]:
    return _WORD.findall(ascii_text(text))


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
    if _SNAKE.fullmatch(text):  # already snake_case: unchanged (idempotent)
        return text
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
_PARAM_RESERVED = ANNOTATION_NAMES | CALL_OPTIONS


def escape(name: str, reserved: Iterable[str] = ()) -> str:
    if name in KEYWORDS or name in reserved:
        return name + "_"
    return name


def _wire(wire: str) -> str:
    """The wire name itself when it is a snake_case identifier (`b64_json`, `a__b`), else snake_case."""
    return wire if _WIRE_SNAKE.fullmatch(wire) else snake(wire)


def field_name(wire: str) -> str:
    """Python attribute name for a model field."""
    return escape(_wire(wire), _FIELD_RESERVED)


def param_name(wire: str) -> str:
    """Python keyword-argument name for an operation parameter or flattened body field."""
    return escape(_wire(wire), _PARAM_RESERVED)


def is_wire_faithful(wire: str) -> bool:
    """True when a field or parameter named `wire` keeps exactly that name in Python."""
    return field_name(wire) == wire


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


def dedupe_wire(items: list[tuple[str, str, str]], sep: str = "_") -> dict[str, str]:
    """`dedupe` for (key, wire name, wanted name): a name equal to its wire name is placed first, so
    `b64_json` keeps its name when `b64Json` also converts to it (that one becomes `b64_json_2`)."""
    keyed = {("0" if wanted == wire else "1") + key: key for key, wire, wanted in items}
    named = dedupe([(k, wanted) for (key, wire, wanted), k in zip(items, keyed, strict=True)], sep=sep)
    return {keyed[k]: v for k, v in named.items()}


_GENERIC_TITLE_WORDS = frozenset({"api", "apis", "rest", "restful", "http", "web", "openapi", "swagger", "spec",
                                  "specification", "service", "services", "sdk", "client", "the", "of", "for"})


def env_prefix(title: str, package: str) -> str:
    """Prefix of the environment variables a generated client reads (`<PREFIX>_API_KEY`,
    `<PREFIX>_BASE_URL`, `<PREFIX>_LOG`): the API's title without generic trailing words (`API`,
    `REST`, `Web`, `OpenAPI`, versions), its first three words (split at spaces and punctuation, not at
    case changes): "OpenAI API" -> `OPENAI`, "Slack Web
    API" -> `SLACK`; the package name when the title leaves nothing (`chat_sdk` -> `CHAT_SDK`)."""
    parts = [w.lower() for w in re.split(r"[^A-Za-z0-9]+", ascii_text(title.split(" - ")[0])) if w]
    while parts and (parts[-1] in _GENERIC_TITLE_WORDS or parts[-1].isdigit() or _VERSION_WORD.fullmatch(parts[-1])):
        parts.pop()
    while parts and parts[0] in ("the",):
        parts.pop(0)
    if not parts:
        return _snake(package, "sdk").upper()
    return _snake("_".join(parts[:3]), "sdk").upper()


_VERSION_WORD = re.compile(r"v[0-9]+[a-z0-9]*")
