"""The TypeScript plan's data: what the templates receive (frozen dataclasses), and JSDoc text."""

from __future__ import annotations

from dataclasses import dataclass

import generator.languages.typescript.names as names
from generator import ir
from generator.languages.typescript.types import TypeWriter


def jsdoc(text: str, indent: int = 0, deprecated: str | None = None) -> str:
    """A `/** ... */` block (empty string when there is nothing to say); `*/` in the text is defused."""
    lines = [line.rstrip() for line in text.replace("*/", "*\\/").strip().splitlines()]
    if deprecated is not None:
        lines += [f"@deprecated {deprecated}".rstrip()]
    if not any(lines):
        return ""
    pad = " " * indent
    if len(lines) == 1:
        return f"{pad}/** {lines[0]} */\n"
    body = "".join(f"{pad} *{' ' + ln if ln else ''}\n" for ln in lines)
    return f"{pad}/**\n{body}{pad} */\n"


@dataclass(frozen=True)
class Prop:
    key: str  # wire name, quoted when needed
    wire: str
    type: str
    optional: bool
    readonly: bool
    doc: str  # JSDoc block, indented by two spaces, or ""


@dataclass(frozen=True)
class TypeDecl:
    name: str
    kind: str  # "interface" | "alias"
    doc: str
    props: tuple[Prop, ...] = ()
    index: str = ""  # index signature value type for additional properties
    type: str = ""  # alias: the type expression
    extends: str = ""  # interface: the interface it extends


@dataclass(frozen=True)
class Method:
    name: str
    doc: str
    params_type: str  # "" when the operation takes no params
    params_optional: bool
    params_decls: tuple[TypeDecl, ...]
    returns: str  # the parsed body type
    kind: str  # "plain" | "stream" | "stream-flag" | "page"
    stream_item: str
    page_item: str
    op_const: str
    op_literal: str
    page_literal: str
    flag_wire: str
    origin: str


@dataclass(frozen=True)
class ChildRef:
    prop: str
    class_name: str
    file: str


@dataclass(frozen=True)
class ResourcePlan:
    class_name: str
    file: str  # stem under src/resources/
    doc: str
    methods: tuple[Method, ...]
    children: tuple[ChildRef, ...]
    path: tuple[str, ...]  # property names from the client
    resource: ir.Resource
    uses_stream: bool
    uses_page: bool
    uses_binary: bool


@dataclass(frozen=True)
class Credential:
    option: str
    scheme: str
    env: str
    doc: str
    password_option: str = ""
    password_env: str = ""


@dataclass(frozen=True)
class ClientPlan:
    name: str
    doc: str
    base_url: str  # the first server's URL template
    servers_literal: str  # the servers as the runtime's ServerSpec list
    server_names: tuple[str, ...]
    server_variables: tuple[str, ...]  # "`name` (default `x`; one of a, b)" lines for the README
    env_prefix: str
    credentials: tuple[Credential, ...]
    schemes_literal: str
    resources: tuple[ChildRef, ...]


def field_prop(f: ir.Field, tw: TypeWriter, *, optional: bool | None = None) -> Prop:
    """A model field (or a flattened body field) as an interface property."""
    opt = not f.required if optional is None else optional
    doc = jsdoc(f.description, 2, "" if f.deprecated else None)
    return Prop(names.prop_key(f.wire_name), f.wire_name, tw.render(f.type), opt, f.read_only, doc)
