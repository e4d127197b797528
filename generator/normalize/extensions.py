"""Naming and behaviour extensions users already write in their specs (Speakeasy's and Fern's), and
the `[tool.sdkforge.operations.<operationId>]` configuration that overrides them.

Precedence, for every decision here: configuration > extension > what sdkforge infers.

- method name: config `method` > `x-speakeasy-name-override` (operation) > `x-fern-sdk-method-name` >
  the first root-level `x-speakeasy-name-override` entry whose `operationId` regex matches
  (`{operationId: ^get.*, methodNameOverride: get}`) > inferred from the operationId;
- resource: config `group` > `x-speakeasy-group` > `x-fern-sdk-group-name` (a string, or a list of nested
  groups) > the first tag; dotted names nest (`admin.users` is `client.admin.users`);
- an operation is skipped when config `ignore` is true, or (config not saying) `x-speakeasy-ignore: true`;
  a parameter or a property with `x-speakeasy-ignore: true` is skipped too;
- `x-speakeasy-name-override` on a parameter or property renames its Python name (the wire name stays);
  on a schema it renames the class;
- `x-speakeasy-enums`: enum member names (a list parallel to `enum`, or a map value -> name);
- `x-speakeasy-unknown-values: allow`: the enum accepts unknown values (every enum does already);
- `x-speakeasy-deprecation-message`: the operation is deprecated with that message.
Every malformed extension is a warning (`invalid-extension`) and is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator import ir, naming
from generator.diagnostics import Collector
from generator.resolve import Loc

NAME = "x-speakeasy-name-override"
IGNORE = "x-speakeasy-ignore"


def _warn(diags: Collector, loc: Loc, key: str, message: str) -> None:
    diags.warning("invalid-extension", loc.child(key).pointer, f"{key}: {message}; ignored", loc.file)


def name_override(node: Any, loc: Loc, diags: Collector) -> str | None:
    """The `x-speakeasy-name-override` of a schema, parameter or property, when it names something."""
    if not isinstance(node, dict) or NAME not in node:
        return None
    value = node[NAME]
    if isinstance(value, str) and naming.words(value):
        return value
    _warn(diags, loc, NAME, f"expected a name, got {value!r}")
    return None


def ignored(node: Any) -> bool:
    return isinstance(node, dict) and node.get(IGNORE) is True


def skip_ignored(node: Any, required: bool, what: str, wire: str, loc: Loc, diags: Collector) -> bool:
    """Whether a parameter or property is left out for `x-speakeasy-ignore: true` (a required one cannot be)."""
    if not ignored(node):
        return False
    if required:
        _warn(diags, loc, IGNORE, f"the {what} {wire!r} is required, so it cannot be left out")
        return False
    diags.info(f"{what}-ignored", loc.pointer, f"{what} {wire!r} skipped ({IGNORE})", loc.file)
    return True


def enum_names(node: dict[str, Any], values: list[Any], loc: Loc, diags: Collector) -> list[str] | None:
    """Member names from `x-speakeasy-enums` (UPPER_SNAKE identifiers), parallel to `values`."""
    key = "x-speakeasy-enums"
    raw = node.get(key)
    if raw is None:
        return None
    if isinstance(raw, list):
        if len(raw) != len(node.get("enum") or ()):
            _warn(diags, loc, key, f"{len(raw)} names for {len(node.get('enum') or ())} enum values")
            return None
        by_value = {repr(v): n for v, n in zip(node["enum"], raw, strict=True)}
    elif isinstance(raw, dict):
        by_value = {repr(v): n for v, n in raw.items()}
        by_value.update({repr(str(k)): n for k, n in raw.items()})  # YAML map keys of numbers are numbers
    else:
        _warn(diags, loc, key, "expected a list of names or a map of value to name")
        return None
    names = []
    for v in values:
        name = by_value.get(repr(v), by_value.get(repr(str(v))))
        names.append(naming.upper_snake(name) if isinstance(name, str) and naming.words(name)
                     else naming.upper_snake(str(v)))
    return names


def check_unknown_values(node: dict[str, Any], loc: Loc, diags: Collector) -> None:
    key = "x-speakeasy-unknown-values"
    if key in node and node[key] != "allow":
        _warn(diags, loc, key,
              f"the only value is 'allow' (and enums accept unknown values already), got {node[key]!r}")


def deprecation(node: dict[str, Any], loc: Loc, diags: Collector) -> tuple[bool, str]:
    """(deprecated, message) of an operation: OpenAPI `deprecated`, or `x-speakeasy-deprecation-message`."""
    key = "x-speakeasy-deprecation-message"
    message = node.get(key)
    if message is not None and not (isinstance(message, str) and message.strip()):
        _warn(diags, loc, key, f"expected a message, got {message!r}")
        message = None
    text = message.strip() if isinstance(message, str) else ""
    return node.get("deprecated") is True or bool(text), text


@dataclass
class Placement:
    """Where an operation goes and what it is called, when not inferred."""

    method: str | None = None
    method_source: str = ""  # "config" | "extension"
    group: str | None = None  # dotted


@dataclass
class OperationOverrides:
    """The per-operation overrides of a spec and its configuration."""

    config: dict[str, dict[str, str | bool]]
    diags: Collector
    patterns: list[tuple[re.Pattern[str], str]] = field(default_factory=list)

    @classmethod
    def of(cls, root: dict[str, Any], config: dict[str, dict[str, str | bool]], diags: Collector
           ) -> OperationOverrides:
        out = cls(config, diags)
        raw = root.get(NAME)
        if raw is None:
            return out
        loc = Loc("", "")
        if not isinstance(raw, list):
            _warn(diags, loc, NAME, "at the document root it must be a list of {operationId, methodNameOverride}")
            return out
        for i, entry in enumerate(raw):
            eloc = Loc("", f"/{NAME}/{i}")
            if not (isinstance(entry, dict) and isinstance(entry.get("operationId"), str)
                    and isinstance(entry.get("methodNameOverride"), str) and naming.words(entry["methodNameOverride"])):
                diags.warning("invalid-extension", eloc.pointer,
                              f"{NAME}: an entry needs operationId (a regex) and methodNameOverride; ignored")
                continue
            try:
                pattern = re.compile(entry["operationId"])
            except re.error as exc:
                diags.warning("invalid-extension", eloc.child("operationId").pointer,
                              f"{NAME}: invalid regex {entry['operationId']!r}: {exc}; ignored")
                continue
            out.patterns.append((pattern, entry["methodNameOverride"]))
        return out

    def ignored(self, op_id: str, node: dict[str, Any]) -> str:
        """Why the operation is skipped ("" when it is not)."""
        setting = self.config.get(op_id, {}).get("ignore")
        if setting is not None:
            return "configuration" if setting is True else ""
        return IGNORE if ignored(node) else ""

    def placement(self, op_id: str, node: dict[str, Any], loc: Loc) -> Placement:
        out = Placement()
        conf = self.config.get(op_id, {})
        if isinstance(conf.get("method"), str):
            out.method, out.method_source = str(conf["method"]), "config"
        else:
            for key in (NAME, "x-fern-sdk-method-name"):
                value = node.get(key)
                if value is None:
                    continue
                if isinstance(value, str) and naming.words(value):
                    out.method, out.method_source = value, "extension"
                    break
                _warn(self.diags, loc, key, f"expected a method name, got {value!r}")
            if out.method is None:
                match = next((name for pattern, name in self.patterns if pattern.search(op_id)), None)
                if match is not None:
                    out.method, out.method_source = match, "extension"
        if isinstance(conf.get("group"), str):
            out.group = str(conf["group"])
            return out
        for key in ("x-speakeasy-group", "x-fern-sdk-group-name"):
            value = node.get(key)
            if value is None:
                continue
            if isinstance(value, list) and value and all(isinstance(v, str) and naming.words(v) for v in value):
                value = ".".join(value)
            if isinstance(value, str) and all(naming.words(part) for part in value.split(".")):
                out.group = value
                break
            _warn(self.diags, loc, key, f"expected a group name (dotted for nesting), got {value!r}")
        return out


def rename_methods(resources: tuple[ir.Resource, ...], names: dict[str, str], diags: Collector
                   ) -> tuple[ir.Resource, ...]:
    """The final method names: an override (`names`, by operation origin) wins over the inferred
    name; an inferred name it collides with gets a suffix (`_2`), as does the later (by path and
    method) of two overrides that collide, or an override that is the name of a nested resource."""
    if not names:
        return resources
    by_module = {r.module: r for r in resources}
    out = []
    for res in resources:
        if not any(op.origin in names for op in res.operations):
            out.append(res)
            continue
        children = {by_module[m].name for m in res.children if m in by_module}
        wanted = [(f"0{c}", c) for c in sorted(children)]
        for i, op in enumerate(res.operations):
            override = names.get(op.origin)
            wanted.append((f"{1 if override else 2}{i:06d}", naming.method_name(override) if override else op.name))
        final = naming.dedupe(wanted, sep="_")
        ops = []
        for i, op in enumerate(res.operations):
            override = names.get(op.origin)
            name = final[f"{1 if override else 2}{i:06d}"]
            wanted_name = naming.method_name(override) if override else op.name
            if name != wanted_name:
                file, _, pointer = op.origin.partition("#")
                diags.warning("duplicate-method-name", pointer,
                              f"method name {wanted_name!r} of {op.operation_id!r} is taken in "
                              f"{res.attr_path}; renamed {name!r}", file)
            ops.append(ir.evolve(op, name=name))
        out.append(ir.evolve(res, operations=tuple(ops)))
    return tuple(out)


RETRIES = "x-speakeasy-retries"


def retries(node: Any, loc: Loc, diags: Collector) -> ir.Retries | None:
    """An `x-speakeasy-retries` policy (`strategy: backoff`; `strategy: none` retries nothing)."""
    if not isinstance(node, dict) or RETRIES not in node:
        return None
    raw = node[RETRIES]
    strategy = raw.get("strategy") if isinstance(raw, dict) else None
    if strategy == "none":
        return ir.Retries((), False)
    if strategy != "backoff":
        _warn(diags, loc, RETRIES, "expected an object with strategy: backoff (or none)")
        return None
    backoff = raw.get("backoff") if isinstance(raw.get("backoff"), dict) else {}
    defaults = ir.Retries((), False)
    numbers: dict[str, Any] = {}
    for key, attr in (("initialInterval", "initial_interval"), ("maxInterval", "max_interval"),
                      ("maxElapsedTime", "max_elapsed_time"), ("exponent", "exponent")):
        value = backoff.get(key, getattr(defaults, attr))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            _warn(diags, loc, RETRIES, f"backoff.{key} must be a positive number, got {value!r}")
            return None
        numbers[attr] = value
    codes = raw.get("statusCodes", [])
    if not isinstance(codes, list) or not all(re.fullmatch(r"[1-5](\d\d|XX)", str(c).upper()) for c in codes):
        _warn(diags, loc, RETRIES, f"statusCodes must be a list of statuses such as 503 or 5XX, got {codes!r}")
        return None
    return ir.Retries(tuple(str(c).upper() for c in codes), raw.get("retryConnectionErrors") is True, **numbers)
