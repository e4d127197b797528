"""The intermediate representation: what the spec means, decided once, independent of any template.

Plain frozen data. Tuples, not lists; every named node carries `origin`, the JSON pointer (with the
file for multi-file specs) of the spec element it came from. No Python syntax lives here except the
`py_literal` of defaults, rendered once by `normalize` to safe source text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeAlias, TypeVar

# ---------------------------------------------------------------------------------------------- types

ScalarKind = Literal[
    "str", "int", "float", "bool", "date", "datetime", "time", "uuid", "binary", "decimal", "uri"
]


@dataclass(frozen=True, slots=True)
class Constraints:
    """JSON Schema validation keywords of a scalar or array, kept for docs and example values (the
    generated client does not enforce them: the server is the judge)."""

    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False
    multiple_of: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None


@dataclass(frozen=True, slots=True)
class Scalar:
    kind: ScalarKind
    format: str | None = None
    constraints: Constraints | None = None


@dataclass(frozen=True, slots=True)
class ListOf:
    item: TypeRef
    unique: bool = False
    constraints: Constraints | None = None


@dataclass(frozen=True, slots=True)
class MapOf:
    value: TypeRef


@dataclass(frozen=True, slots=True)
class ModelRef:
    """A reference to a named `Model`."""

    name: str


@dataclass(frozen=True, slots=True)
class EnumRef:
    """A reference to a named `Enum`."""

    name: str


@dataclass(frozen=True, slots=True)
class AliasRef:
    """A reference to a named `Alias` (a component that is a union, list, map or scalar)."""

    name: str


@dataclass(frozen=True, slots=True)
class Const:
    """A fixed value (`const`, or an enum with a single value)."""

    value: str | int | float | bool


@dataclass(frozen=True, slots=True)
class Discriminator:
    """Which property tells union variants apart; `mapping` pairs each wire value with a variant index."""

    property: str
    mapping: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Union:
    variants: tuple[TypeRef, ...]
    discriminator: Discriminator | None = None


@dataclass(frozen=True, slots=True)
class AnyType:
    pass


@dataclass(frozen=True, slots=True)
class Null:
    pass


TypeRef: TypeAlias = (
    Scalar | ListOf | MapOf | ModelRef | EnumRef | AliasRef | Const | Union | AnyType | Null
)

ANY = AnyType()
NULL = Null()


def is_nullable(t: TypeRef) -> bool:
    return isinstance(t, Null) or (isinstance(t, Union) and any(isinstance(v, Null) for v in t.variants))


def strip_null(t: TypeRef) -> TypeRef:
    """The type without its `null` variant (`X | None` -> `X`)."""
    if isinstance(t, Union) and any(isinstance(v, Null) for v in t.variants):
        rest = tuple(v for v in t.variants if not isinstance(v, Null))
        if len(rest) == 1:
            return rest[0]
        if not rest:
            return NULL
        return Union(rest, t.discriminator)
    return t


def refs_of(t: TypeRef | None, out: set[str]) -> set[str]:
    """Names of the named types a type refers to (added to `out`, which is returned)."""
    match t:
        case ModelRef(name) | EnumRef(name) | AliasRef(name):
            out.add(name)
        case ListOf(item):
            refs_of(item, out)
        case MapOf(value):
            refs_of(value, out)
        case Union(variants):
            for v in variants:
                refs_of(v, out)
    return out



def stream_or_binary(op: Operation) -> bool:
    """A typed stream declared next to a binary body: the call returns either, chosen by the content type."""
    return (op.stream is not None and op.stream.flag is None and op.response is not None
            and op.response.kind == "binary")

# ----------------------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Value:
    """A JSON value from the spec (default, example) with its safe Python rendering."""

    json: object
    py_literal: str


# ------------------------------------------------------------------------------------ named types


@dataclass(frozen=True, slots=True)
class Field:
    name: str  # Python identifier, escaped
    wire_name: str
    type: TypeRef
    required: bool
    description: str
    origin: str
    default: Value | None = None
    example: Value | None = None
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False


@dataclass(frozen=True, slots=True)
class Model:
    name: str
    module: str  # module (within the models package) that defines it
    fields: tuple[Field, ...]
    description: str
    origin: str
    extra: TypeRef | None = None  # additionalProperties type, when declared
    deprecated: bool = False
    example: Value | None = None
    title: str = ""
    # Wire names of which at least one group must be present (`anyOf: [{required: [...]}, ...]`).
    required_any: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class EnumMember:
    name: str  # Python identifier (UPPER_SNAKE), escaped
    value: str | int | float | bool
    description: str = ""


@dataclass(frozen=True, slots=True)
class Enum:
    name: str
    module: str
    kind: Literal["str", "int", "float", "bool"]
    members: tuple[EnumMember, ...]
    description: str
    origin: str
    nullable: bool = False
    deprecated: bool = False
    named_members: bool = False  # member names come from the spec (x-speakeasy-enums)


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    module: str
    type: TypeRef
    description: str
    origin: str
    deprecated: bool = False
    example: Value | None = None


NamedType: TypeAlias = Model | Enum | Alias

# ------------------------------------------------------------------------------------- operations

ParamLocation = Literal["path", "query", "header", "cookie"]
BodyKind = Literal["json", "multipart", "form", "binary"]
ResponseKind = Literal["json", "binary", "text", "none"]


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str  # Python identifier (keyword argument)
    wire_name: str
    location: ParamLocation
    type: TypeRef
    required: bool
    description: str
    origin: str
    # OpenAPI serialization: the effective style ("" = the location's default), explode (None =
    # the style's default: true for form), allowReserved, and the media type of a parameter
    # declared with `content:` instead of `schema:` ("" when none).
    style: str = ""
    default: Value | None = None
    example: Value | None = None
    deprecated: bool = False
    explode: bool | None = None
    allow_reserved: bool = False
    content_type: str = ""


@dataclass(frozen=True, slots=True)
class Encoding:
    """One entry of a form/multipart body's OpenAPI `encoding` object (property by wire name).
    `style`/`explode`/`allow_reserved` are set only when the spec gives them explicitly (they
    then take precedence over `content_type`); `headers` are the part headers with a fixed value."""

    property: str
    content_type: str = ""
    style: str = ""
    explode: bool | None = None
    allow_reserved: bool = False
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class RequestBody:
    kind: BodyKind
    content_type: str
    type: TypeRef
    required: bool
    description: str
    origin: str
    # When the body is an object schema, its properties become keyword arguments.
    fields: tuple[Field, ...] = ()
    flattened: bool = False
    param_name: str = "body"  # the keyword argument when not flattened
    example: Value | None = None
    encoding: tuple[Encoding, ...] = ()  # sorted by property


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "4XX", "default"
    kind: ResponseKind
    content_type: str
    type: TypeRef | None
    description: str
    origin: str
    example: Value | None = None


@dataclass(frozen=True, slots=True)
class StreamInfo:
    """The operation answers a stream of items of type `item`: server-sent events
    (`text/event-stream`, each event's data one item) or JSON lines (`application/jsonl`,
    `application/x-ndjson`: one item per line)."""

    item: TypeRef
    # Body field that chooses between the JSON and the stream response, if both exist.
    flag: str | None
    flag_wire: str | None
    framing: Literal["sse", "jsonl"] = "sse"
    media: str = "text/event-stream"  # the declared media type (sent as Accept)


@dataclass(frozen=True, slots=True)
class ServerVariable:
    """One `{name}` of a server URL template (`servers[].variables`)."""

    name: str
    default: str
    enum: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Server:
    """A server object. `url` may hold `{variable}` placeholders; `name` (from an
    `x-…-server-id`/`x-…-server-name` extension, else the description in snake_case, deduplicated)
    lets users choose it by name; "" when it has neither."""

    url: str
    description: str = ""
    name: str = ""
    variables: tuple[ServerVariable, ...] = ()
    origin: str = ""

    def __str__(self) -> str:
        """The URL template: templates written when servers were plain URLs still render."""
        return self.url


@dataclass(frozen=True, slots=True)
class Pagination:
    """How a list operation pages: `cursor`, `offset` (offset/limit), `page` (page numbers) or `url`
    (next-page URL). Field paths are dotted wire names of the response."""

    style: Literal["cursor", "offset", "page", "url"]
    cursor_param: str  # wire name of the query parameter (cursor, offset or page; "" for url)
    items: str  # response field holding the items
    item: TypeRef
    has_more: str | None
    next_cursor: str | None
    cursor_from_last_item: str | None
    limit_param: str | None = None  # offset/page: the page-size input (a short page is the last)
    num_pages: str | None = None  # page: response field with the number of pages
    next_url: str | None = None  # url: response field with the next page's URL
    in_body: bool = False  # the cursor/offset/page is a JSON body field, not a query parameter


@dataclass(frozen=True, slots=True)
class Retries:
    """A retry policy (exponential backoff) declared by the spec; times in milliseconds."""

    status_codes: tuple[str, ...]  # "503", "5XX"
    connection_errors: bool
    initial_interval: int = 500
    max_interval: int = 60_000
    max_elapsed_time: int = 3_600_000
    exponent: float = 1.5


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    name: str  # as in components.securitySchemes
    kind: Literal["bearer", "basic", "apikey"]
    param: str  # client constructor argument
    env_var: str
    location: Literal["header", "query", "cookie"] = "header"
    wire_name: str = "Authorization"
    description: str = ""
    origin: str = ""

    def fallback_doc(self) -> str:
        """What the credential is, for a scheme without a description."""
        if self.kind == "bearer":
            what = "API key" if "key" in self.param.split("_") else "access token"
            return f"Your {what}, sent as a bearer token."
        if self.location == "cookie":
            return f"The value of the `{self.wire_name}` cookie (for example a session id)."
        return "Your API key."


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    name: str  # Python method name
    method: str  # lower case
    path: str
    summary: str
    description: str
    origin: str
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    response: Response | None  # the success response (first 2XX)
    errors: tuple[Response, ...]
    # Other 2XX responses whose body differs from `response` (a 202 "pending" next to a 200):
    # the method returns the union, chosen by the status code.
    alternatives: tuple[Response, ...] = ()
    stream: StreamInfo | None = None
    pagination: Pagination | None = None
    security: tuple[tuple[str, ...], ...] = ()
    deprecated: bool = False
    deprecation_message: str = ""  # x-speakeasy-deprecation-message
    tags: tuple[str, ...] = ()
    server: Server | None = None  # the operation's or its path item's first server
    retries: Retries | None = None  # x-speakeasy-retries (the operation's, else the document's)


@dataclass(frozen=True, slots=True)
class Resource:
    """A group of operations (an OpenAPI tag). Dotted tags nest: `beta.threads` is the resource
    `threads` under `beta`, reached as `client.beta.threads` (a parent without operations of its
    own is still a resource, with only children)."""

    name: str  # attribute on its parent (snake_case)
    class_name: str  # PascalCase stem
    tag: str
    title: str
    description: str
    operations: tuple[Operation, ...]
    module: str
    origin: str
    path: tuple[str, ...] = ()  # attribute names from the client down to this resource
    children: tuple[str, ...] = ()  # modules of the resources nested directly under this one

    @property
    def attr_path(self) -> str:
        return ".".join(self.path or (self.name,))


@dataclass(frozen=True, slots=True)
class Api:
    title: str
    version: str
    description: str
    spec_name: str  # the spec file's name, for headers
    openapi_version: str
    servers: tuple[Server, ...]
    security_schemes: tuple[SecurityScheme, ...]
    resources: tuple[Resource, ...]
    models: tuple[Model, ...]
    enums: tuple[Enum, ...]
    aliases: tuple[Alias, ...]
    package: PackageInfo
    model_modules: tuple[str, ...] = field(default=())

    def named_types(self) -> tuple[NamedType, ...]:
        return (*self.models, *self.enums, *self.aliases)


@dataclass(frozen=True, slots=True)
class PackageInfo:
    name: str  # import name
    project_name: str  # distribution name
    client_name: str
    async_client_name: str
    env_prefix: str
    version: str


_Node = TypeVar("_Node")
_FIELD_NAMES: dict[type, frozenset[str]] = {}


def evolve(node: _Node, **changes: Any) -> _Node:
    """`dataclasses.replace` for these frozen, slotted nodes (none has `__post_init__` or an
    init-only field), several times faster: the hot path of normalize's renaming pass."""
    cls = type(node)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))  # type: ignore[arg-type]
    unknown = changes.keys() - names
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {sorted(unknown)}")
    new = object.__new__(cls)
    for name in names:
        object.__setattr__(new, name, changes[name] if name in changes else getattr(node, name))
    return new


def named_refs(t: Model | Enum | Alias) -> set[str]:
    """The names of the named types `t` refers to (its fields', extra values' or aliased type's)."""
    out: set[str] = set()
    if isinstance(t, Model):
        for f in t.fields:
            refs_of(f.type, out)
        refs_of(t.extra, out)
    elif isinstance(t, Alias):
        refs_of(t.type, out)
    return out
