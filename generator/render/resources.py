"""Render plan for resource modules: one class (sync and async) per tag, one thin method per
operation. Signatures, return types and the `Operation(...)` arguments are computed here."""

from __future__ import annotations

from dataclasses import dataclass

from generator import ir, naming
from generator.render.serialization import encoding_spec, param_style_spec
from generator.render.text import clean, docstring, first_sentence
from generator.render.types import Imports, TypeRenderer, split_top, unshadow

CALL_OPTIONS = (
    "extra_headers: Headers | None = None",
    "extra_query: Query | None = None",
    "extra_body: Body | None = None",
    "timeout: Timeout | NotGiven = NOT_GIVEN",
    "max_retries: int | NotGiven = NOT_GIVEN",
)


@dataclass(frozen=True)
class Signature:
    params: tuple[str, ...]  # source of each parameter, "*" included
    returns: str
    async_returns: str


@dataclass(frozen=True)
class OpView:
    name: str
    docstring: str
    overloads: tuple[Signature, ...]
    signature: Signature
    operation_args: tuple[str, ...]  # `key=value` source lines for Operation(...)
    deprecated: bool
    deprecation: str = ""  # the DeprecationWarning's text, for a deprecated operation


@dataclass(frozen=True)
class ChildView:
    name: str  # attribute
    class_name: str
    module: str
    doc: str


@dataclass(frozen=True)
class ResourceView:
    name: str
    class_name: str
    module: str
    docstring: str
    operations: tuple[OpView, ...]
    import_lines: tuple[str, ...]
    children: tuple[ChildView, ...] = ()


def _dict_src(items: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{k!r}: {v}" for k, v in items) + "}"


_DEPRECATED = "this operation may be removed in a future version of the API."


def _deprecation(op: ir.Operation, res: ir.Resource) -> str:
    if not op.deprecated:
        return ""
    return f"{res.attr_path}.{op.name}() is deprecated: {op.deprecation_message or _DEPRECATED}"


def _doc(op: ir.Operation) -> str:
    parts = []
    if op.deprecated:
        parts.append(f"Deprecated: {op.deprecation_message or _DEPRECATED}")
    text = op.description or op.summary
    if op.summary and op.description and clean(op.summary) not in clean(op.description):
        text = op.summary.rstrip() + "\n\n" + op.description
    if text:
        parts.append(text)
    args = [(p.name, p.description) for p in op.parameters]
    if op.body is not None:
        if op.body.flattened:
            args += [(f.name, f.description) for f in op.body.fields]
        else:
            args.append((op.body.param_name, op.body.description))
    lines = [f"{name}: {clean(desc).splitlines()[0] if clean(desc) else ''}".rstrip() for name, desc in args]
    if lines:
        parts.append("Args:\n" + "\n".join("    " + line for line in lines))
    return docstring("\n\n".join(parts), 8)


def _param(name: str, annotation: str, default: str = "") -> str:
    """A parameter's source. Black (24+) wraps a long union annotation in parentheses where ruff's
    formatter splits it at `|`; emitting the parentheses ourselves makes both agree (a single
    subscript such as `Sequence[...]` is split inside its brackets by both)."""
    tail = f" = {default}" if default else ""
    if len(f"        {name}: {annotation}{tail},") > 88 and len(split_top(annotation)) > 1:
        return f"{name}: ({annotation}){tail}"
    return f"{name}: {annotation}{tail}"


def _params(op: ir.Operation, tr: TypeRenderer, imp: Imports) -> tuple[list[str], list[str]]:
    """(positional path parameters, keyword-only parameters), each as source."""
    positional, required, optional = [], [], []
    for p in op.parameters:
        ann = tr.input(p.type, imp)
        if p.location == "path":
            positional.append(_param(p.name, ann))
        elif p.required:
            required.append(_param(p.name, ann))
        else:
            optional.append(_param(p.name, f"{ann} | NotGiven", "NOT_GIVEN"))
    body = op.body
    if body is not None:
        if body.flattened:
            for f in body.fields:
                ann = tr.input(f.type, imp)
                if f.required:
                    required.append(_param(f.name, ann))
                else:
                    optional.append(_param(f.name, f"{ann} | NotGiven", "NOT_GIVEN"))
        else:
            ann = tr.input(body.type, imp) if body.kind != "binary" else binary_body_annotation(body)
            if body.kind == "binary":
                imp.use_runtime("_types", "FileTypes")
            if body.required:
                required.append(_param(body.param_name, ann))
            else:
                optional.append(_param(body.param_name, f"{ann} | NotGiven", "NOT_GIVEN"))
    return positional, required + optional


def is_text_body(body: ir.RequestBody) -> bool:
    """A raw body whose schema is a string that is not binary (`text/plain`, `application/xml`, ...):
    it also takes a `str`, sent as UTF-8."""
    return body.kind == "binary" and isinstance(body.type, ir.Scalar) and body.type.kind == "str"


def binary_body_annotation(body: ir.RequestBody) -> str:
    """A raw body: bytes or a file, and a `str` for a text body."""
    return "str | bytes | FileTypes" if is_text_body(body) else "bytes | FileTypes"


def _unshadow_param(src: str, shadowed: frozenset[str], imp: Imports) -> str:
    """A parameter's source with the builtins in its annotation referred to by their aliases."""
    name, sep, rest = src.partition(": ")
    return name + sep + unshadow(rest, shadowed, imp) if sep else src


def _shadowed(op: ir.Operation) -> frozenset[str]:
    """Builtins a parameter of `op` shadows inside its method (where `cast(...)` and `cast_to=` name types)."""
    names = {p.name for p in op.parameters}
    if op.body is not None:
        names |= {f.name for f in op.body.fields} if op.body.flattened else {op.body.param_name}
    return frozenset(names) & naming.SHADOWABLE_NAMES


def _operation_args(op: ir.Operation, tr: TypeRenderer, imp: Imports, default_server: str) -> list[str]:
    shadowed = _shadowed(op)

    def runtime(t: ir.TypeRef) -> str:
        return unshadow(tr.runtime(t, imp), shadowed, imp)

    args = [f"method={op.method!r}", f"path={op.path!r}"]
    by_loc: dict[str, list[tuple[str, str]]] = {"path": [], "query": [], "header": [], "cookie": []}
    styles: dict[str, list[tuple[str, str]]] = {"path": [], "query": [], "header": [], "cookie": []}
    for p in op.parameters:
        by_loc[p.location].append((p.wire_name, p.name))
        spec = param_style_spec(p)
        if spec is not None:
            styles[p.location].append((p.wire_name, repr(spec)))
    for loc, key in (("path", "path_params"), ("query", "query"), ("header", "headers"), ("cookie", "cookies")):
        if by_loc[loc]:
            args.append(f"{key}={_dict_src(by_loc[loc])}")
        if styles[loc]:
            args.append(f"{loc}_styles={_dict_src(styles[loc])}")
    if op.body is not None:
        if op.body.flattened:
            args.append(f"body={_dict_src([(f.wire_name, f.name) for f in op.body.fields])}")
        else:
            args.append(f"body={op.body.param_name}")
        args.append(f"body_kind={op.body.kind!r}")
        args.append(f"content_type={op.body.content_type!r}")
        encoding = [(e.property, repr(encoding_spec(e))) for e in op.body.encoding if encoding_spec(e)]
        if encoding:
            args.append(f"body_encoding={_dict_src(encoding)}")
        headers = [(e.property, repr(dict(e.headers))) for e in op.body.encoding if e.headers]
        if headers:
            args.append(f"part_headers={_dict_src(headers)}")
    args.append(f"security={op.security!r}")
    if op.retries is not None:
        r = op.retries
        imp.use_runtime("_retries", "RetryPolicy")
        args.append(
            f"retries=RetryPolicy(status_codes={r.status_codes!r}, connection_errors={r.connection_errors!r}, "
            f"initial_interval={r.initial_interval / 1000!r}, max_interval={r.max_interval / 1000!r}, "
            f"max_elapsed_time={r.max_elapsed_time / 1000!r}, exponent={float(r.exponent)!r})"
        )
    if op.server is not None and (op.server.url != default_server or op.server.variables):
        args.append(f"server={op.server.url!r}")
    resp = op.response
    kind = resp.kind if resp is not None else "none"
    if op.stream is not None and resp is None:
        kind = "none"
    args.append(f"response_kind={kind!r}")
    if resp is not None and resp.type is not None and kind == "json":
        args.append(f"cast_to={runtime(resp.type)}")
    if op.alternatives and op.pagination is None:
        alts = "".join(f"({a.status!r}, {a.kind!r}, {runtime(a.type) if a.type is not None else None}), "
                       for a in op.alternatives)
        args.append(f"alternatives=({alts})")
    errors = [(e.status, runtime(e.type)) for e in op.errors if e.type is not None]
    if errors:
        args.append("errors=(" + "".join(f"({s!r}, {t}), " for s, t in errors) + ")")
    if op.stream is not None:
        if op.stream.flag is not None:
            args.append(f"stream={op.stream.flag} is True")
        else:
            args.append("stream=True")
        args.append(f"stream_item={runtime(op.stream.item)}")
        if op.stream.framing != "sse":
            args.append(f"stream_framing={op.stream.framing!r}")
        if op.stream.framing != "sse" or (resp is not None and resp.kind == "binary"):
            accept = [op.stream.media] + ([resp.content_type] if resp is not None and resp.kind == "binary" else [])
            args.append(f"accept={', '.join(accept)!r}")
    if op.pagination is not None:
        pg = op.pagination
        args.append(f"pagination={_pagination_src(pg, imp)}")
        args.append(f"page_item={runtime(pg.item)}")
    return args


def _pagination_src(pg: ir.Pagination, imp: Imports) -> str:
    """The runtime pagination object of an operation (see `_runtime/_operation.py`)."""
    body = ", in_body=True" if pg.in_body else ""
    if pg.style == "url":
        imp.use_runtime("_operation", "UrlPagination")
        return f"UrlPagination(next_url={pg.next_url!r}, items={pg.items!r})"
    if pg.style in ("offset", "page"):
        imp.use_runtime("_operation", "OffsetPagination")
        return (f"OffsetPagination(param={pg.cursor_param!r}, items={pg.items!r}, page={pg.style == 'page'!r}, "
                f"limit_param={pg.limit_param!r}, num_pages={pg.num_pages!r}{body})")
    imp.use_runtime("_operation", "CursorPagination")
    return (f"CursorPagination(cursor_param={pg.cursor_param!r}, items={pg.items!r}, "
            f"has_more={pg.has_more!r}, next_cursor={pg.next_cursor!r}, "
            f"cursor_from_last_item={pg.cursor_from_last_item!r}{body})")


PAGE_CLASSES = {"cursor": "CursorPage", "offset": "OffsetPage", "page": "OffsetPage", "url": "UrlPage"}


def _returns(op: ir.Operation, tr: TypeRenderer, imp: Imports, sync_imp: Imports, async_imp: Imports
             ) -> tuple[str, str, str | None]:
    """(sync return, async return, stream item annotation or None). Other 2XX bodies declared with
    types of their own widen the return type to the union (the runtime chooses by status)."""
    sync_ret, async_ret, item = _primary_returns(op, tr, imp, sync_imp, async_imp)
    if op.pagination is None:
        for alt in op.alternatives:
            alt_out = tr.output(alt.type, imp) if alt.type is not None else "None"
            if alt_out not in sync_ret.split(" | "):
                sync_ret, async_ret = f"{sync_ret} | {alt_out}", f"{async_ret} | {alt_out}"
    return sync_ret, async_ret, item


def _primary_returns(op: ir.Operation, tr: TypeRenderer, imp: Imports, sync_imp: Imports, async_imp: Imports
                     ) -> tuple[str, str, str | None]:
    item = tr.output(op.stream.item, imp) if op.stream is not None else None
    if op.pagination is not None:
        it = tr.output(op.pagination.item, imp)
        page = PAGE_CLASSES[op.pagination.style]
        sync_imp.use_runtime("_pagination", f"Sync{page}")
        async_imp.use_runtime("_pagination", f"Async{page}")
        return f"Sync{page}[{it}]", f"Async{page}[{it}]", item
    resp = op.response
    if resp is None:
        if item is not None:
            sync_imp.use_runtime("_streaming", "Stream")
            async_imp.use_runtime("_streaming", "AsyncStream")
            return f"Stream[{item}]", f"AsyncStream[{item}]", None
        return "None", "None", None
    if resp.kind == "json" and resp.type is not None:
        out = tr.output(resp.type, imp)
        return out, out, item
    if resp.kind == "binary":
        sync_imp.use_runtime("_response", "BinaryResponse")
        async_imp.use_runtime("_response", "AsyncBinaryResponse")
        if item is not None and ir.stream_or_binary(op):
            # A typed stream declared next to the binary body: chosen by the response's content type.
            sync_imp.use_runtime("_streaming", "Stream")
            async_imp.use_runtime("_streaming", "AsyncStream")
            return f"Stream[{item}] | BinaryResponse", f"AsyncStream[{item}] | AsyncBinaryResponse", None
        return "BinaryResponse", "AsyncBinaryResponse", item
    if resp.kind == "text":
        return "str", "str", item
    return "None", "None", item


def plan_resource(res: ir.Resource, tr: TypeRenderer, all_resources: tuple[ir.Resource, ...] = ()) -> ResourceView:
    imp = Imports()
    sync_imp, async_imp = Imports(), Imports()
    for i, name in ((sync_imp, "SyncAPIResource"), (async_imp, "AsyncAPIResource")):
        i.use_runtime("_base_client", name)
    ops = []
    # A method named like a builtin (`list`) shadows it in the class body, where the signatures of the
    # methods are evaluated; a parameter shadows it inside its method, where `cast(...)` names types.
    class_shadowed = frozenset(op.name for op in res.operations) & naming.SHADOWABLE_NAMES
    for op in res.operations:
        positional, keyword = _params(op, tr, imp)
        head = ["self", *positional, "*"]
        sync_ret, async_ret, item = _returns(op, tr, imp, sync_imp, async_imp)
        shadowed = class_shadowed | _shadowed(op)  # the return annotation is also the `cast(...)` target
        sync_ret, async_ret = unshadow(sync_ret, shadowed, imp), unshadow(async_ret, shadowed, imp)
        item = unshadow(item, shadowed, imp) if item is not None else None
        overloads: list[Signature] = []
        params = (*head, *keyword, *CALL_OPTIONS)
        if op.stream is not None and op.stream.flag is not None and item is not None:
            imp.typing.update(("Literal", "overload"))
            sync_imp.use_runtime("_streaming", "Stream")
            async_imp.use_runtime("_streaming", "AsyncStream")
            flag = op.stream.flag
            base = [k for k in keyword if not k.startswith(f"{flag}:")]
            overloads = [
                Signature((*head, *base, f"{flag}: Literal[False] | None | NotGiven = NOT_GIVEN", *CALL_OPTIONS),
                          sync_ret, async_ret),
                Signature((*head, f"{flag}: Literal[True]", *base, *CALL_OPTIONS),
                          f"Stream[{item}]", f"AsyncStream[{item}]"),
                Signature((*head, f"{flag}: bool", *base, *CALL_OPTIONS),
                          f"{sync_ret} | Stream[{item}]", f"{async_ret} | AsyncStream[{item}]"),
            ]
            params = (*head, *base, f"{flag}: bool | None | NotGiven = NOT_GIVEN", *CALL_OPTIONS)
            sync_ret = f"{sync_ret} | Stream[{item}]"
            async_ret = f"{async_ret} | AsyncStream[{item}]"
        if class_shadowed:
            overloads = [Signature(tuple(_unshadow_param(p, class_shadowed, imp) for p in sig.params),
                                   sig.returns, sig.async_returns) for sig in overloads]
            params = tuple(_unshadow_param(p, class_shadowed, imp) for p in params)
        ops.append(OpView(
            name=op.name,
            docstring=_doc(op),
            overloads=tuple(overloads),
            signature=Signature(tuple(params), sync_ret, async_ret),
            operation_args=tuple(_operation_args(op, tr, imp, tr.default_server)),
            deprecated=op.deprecated,
            deprecation=_deprecation(op, res),
        ))
        if op.deprecated:
            imp.use_runtime("_operation", "warn_deprecated")
    if res.operations:  # a resource that only holds nested ones imports none of the call machinery
        imp.typing.add("cast")
    if res.children:
        imp.functools.add("cached_property")
        imp.typing.add("TYPE_CHECKING")
    for name in ("Headers", "Query", "Body", "Timeout", "NotGiven", "NOT_GIVEN") if res.operations else ():
        imp.use_runtime("_types", name)
    if res.operations:
        imp.use_runtime("_operation", "Operation")
        imp.use_runtime("_response", "to_raw_response_wrapper")
        imp.use_runtime("_response", "async_to_raw_response_wrapper")
    return ResourceView(
        name=res.name,
        class_name=res.class_name,
        module=res.module,
        docstring=docstring(res.description or res.title, 4),
        operations=tuple(ops),
        import_lines=imp.merge(sync_imp).merge(async_imp).lines("..models."),
        children=tuple(
            ChildView(c.name, c.class_name, c.module, first_sentence(c.description or c.title))
            for c in all_resources if c.module in res.children
        ),
    )
