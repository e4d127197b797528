"""Hostile specs that are valid OpenAPI: they must generate (exit 0), and the output must stay inside
its folder, compile, import in a fresh interpreter without running any smuggled code, and keep the
hostile text as inert data (docstrings, Literal values, aliases, request keys).

The table is the contract: spec file -> package, the diagnostic codes it must report, and a check
run after importing every module (with `pkg` bound to the package).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.render.text import clean
from tests.hostile.support import (
    SPECS,
    broken_tables,
    check_tree,
    generate,
    import_check,
    only_child,
    rendered_text,
)

MOCK = '''
import httpx, importlib, inspect, json, typing
import pydantic

SENT = []

def handler(request):
    SENT.append(request)
    status = 204 if request.url.path.endswith("/close") or request.method == "DELETE" else 200
    body = RESPONSES.get(request.url.path, RESPONSES.get("*", {}))
    return httpx.Response(status, json=body if status == 200 else None)

RESPONSES = {}

def client(**kw):
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return pkg.Client(base_url="https://api.test", http_client=http, **kw)

def literal_values(alias):
    (lit, *_) = typing.get_args(alias)
    return typing.get_args(lit)

models = importlib.import_module(pkg.__name__ + ".models")
'''

NAMES_CHECK = MOCK + '''
from importlib import import_module
expect = {  # class -> (wire property, value)
    "Class": ("def", "x"), "NoneModel": ("None", "x"), "Init": ("__init__", "x"), "Model1st": ("1st", 3),
    "U": ("u", "x"), "U2": ("ü", "x"), "AB": ("a-b", "x"), "PET": ("name", True), "Pet2": ("name", "x"),
    "Pet3": ("name", 3), "Evil": ("x", "x"), "EtcPasswd": ("root", "x"), "CEvil": ("x", "x"),
    "NulName": ("x", "x"), "Model": ("x", "x"), "Model2": ("x", "x"), "BaseModelModel": ("x", "x"),
    "OperationModel": ("x", "x"), "SyncAPIResourceModel": ("x", "x"), "CON": ("x", "x"),
}
assert sorted(models.__all__) == sorted([*expect, "Self"]), models.__all__
for name, (wire, value) in expect.items():
    cls = getattr(models, name)
    obj = cls.model_validate({wire: value})
    assert obj.to_dict() == {wire: value}, (name, obj)
    assert [f.alias or n for n, f in cls.model_fields.items()] == [wire], name
RESPONSES["/evil"] = {"def": "d"}
RESPONSES["/request"] = {"root": "r"}
RESPONSES["/unicode"] = [{"ü": "u"}]
c = client()
assert c.evil.import_os_system_touch_pwned().def_ == "d"
assert c.request_.request_().root == "r"
assert c.c_windows_system32.uber_groe()[0].u == "u"
assert c.close_.close_() is None
assert [r.url.path for r in SENT] == ["/evil", "/request", "/unicode", "/close"]
c.close()  # the client's own close() is not shadowed by the `close` tag
with client() as c2:
    assert callable(c2.request)
'''


def text_check() -> str:
    spec = json.loads((SPECS / "text_injection.json").read_text(encoding="utf-8"))
    text = spec["components"]["schemas"]["M"]["description"]
    payloads = spec["components"]["schemas"]["Kind"]["enum"]
    doc = "\n".join(line.rstrip() for line in clean(text).split("\n"))
    data = {"text": text, "doc": doc, "payloads": payloads, "url": spec["servers"][0]["url"],
            "key": spec["components"]["securitySchemes"]["key"]["name"], "path": next(iter(spec["paths"]))}
    return MOCK + f"DATA = json.loads({json.dumps(data)!r})\n" + '''
TEXT, DOC, P = DATA["text"], DATA["doc"], DATA["payloads"]
from importlib import import_module
M, ME, Kind = models.M, models.ME, models.Kind
assert inspect.getdoc(M) == DOC, (inspect.getdoc(M), DOC)
assert list(literal_values(ME)) == P and list(literal_values(Kind)) == P
for value in P:
    obj = M.model_validate({"a": TEXT, "e": value, P[0]: value, "{{ x }}": 1})
    assert obj.e == value and obj.a == TEXT
    assert obj.to_dict() == {"a": TEXT, "e": value, P[0]: value, "{{ x }}": 1}
    assert pydantic.TypeAdapter(Kind).validate_python(value) == value
client_module = import_module(pkg.__name__ + "._client")
assert client_module.DEFAULT_BASE_URL == DATA["url"]
resource = import_module(pkg.__name__ + ".resources.texts")
assert inspect.getdoc(resource.TextsResource.create_text).startswith(DOC)
assert inspect.getdoc(resource.TextsResource) == DOC
RESPONSES["*"] = {"a": TEXT}
c = client(api_key="k")
out = c.texts.create_text(P[0], x="{{x}}", import_os_os_system_touch_pwned=P[1], a=TEXT, e=P[12],
                          import_os_os_system_touch_pwned_body=P[2], x_body=7)
(req,) = SENT
assert req.url.path == DATA["path"].replace("{id}", P[0]).replace("{x}", "{{x}}"), req.url
assert b"/%22%22%22%3B%20import" in req.url.raw_path, req.url.raw_path  # the id stayed one segment
assert req.url.params[P[0]] == P[1], req.url
assert json.loads(req.content) == {"a": TEXT, "e": P[12], P[0]: P[2], "{{ x }}": 7}
assert req.headers[DATA["key"]] == "k"
assert out.a == TEXT
'''


ENUM_CHECK = MOCK + '''
weird = ["a b", "1", "", "class", "None", "__init__", "a-b", "ü", "\\x00", "\\u2028", '"""', "\\\\"]
assert list(literal_values(models.Weird)) == weird
assert list(literal_values(models.Dup)) == ["x", "X", "x-", "x_"]
assert list(literal_values(models.Ints)) == [0, -1, 10**20, 1]
for v in weird:
    assert pydantic.TypeAdapter(models.Weird).validate_python(v) == v
for v in ["a", 1, "1", 2.5, True, False, "", 0]:
    got = pydantic.TypeAdapter(models.Mixed).validate_python(v)
    assert got == v and type(got) is type(v), (v, got)
assert models.Holder.model_validate({"mixed": None}).mixed is None
data = {"weird": "", "mixed": "1", "ints": 10**20, "dup": "x_", "inline": " ", "single": 'only"""one'}
assert models.Holder.model_validate(data).to_dict() == data
RESPONSES["/e"] = data
c = client()
assert c.e.get_e(kind="a b").weird == ""
assert SENT[0].url.params["kind"] == "a b"
'''

RESERVED_CHECK = MOCK + '''
Thing = models.Thing
data = {"model_config": "a", "self": "b", "json": "c", "timeout": 1.5, "extra_headers": {"k": "v"},
        "max_retries": 3, "with_raw_response": True, "model_fields": "f", "dict": "d", "copy": "c",
        "schema": "s", "validate": "v", "str": "s", "int": 1, "list": ["l"], "None": "n", "Field": "F",
        "__class__": "cc", "_private": "p", "__root__": "r"}
t = Thing.model_validate(data)
assert t.to_dict() == data
assert (t.model_config_, t.self, t.json_, t.timeout, t.extra_headers) == ("a", "b", "c", 1.5, {"k": "v"})
assert isinstance(Thing.model_config, dict) and callable(Thing.model_validate_json)
assert Thing(model_config_="a", self="b").to_dict() == {"model_config": "a", "self": "b"}
RESPONSES["/things"] = data
c = client()
out = c.things.create_thing(model_config="a", self__body="b", self_="q", timeout_=5, json="j",
                            extra_headers_="h", cls_="k", timeout__body=1.5, max_retries_=3,
                            extra_headers__body={"k": "v"}, with_raw_response=True, timeout=10)
assert out.to_dict() == data
(req,) = SENT
assert dict(req.url.params) == {"self": "q", "timeout": "5", "json": "j", "cls": "k"}
assert req.headers["extra_headers"] == "h"
assert json.loads(req.content) == {"model_config": "a", "self": "b", "timeout": 1.5, "max_retries": 3,
                                   "extra_headers": {"k": "v"}, "with_raw_response": True}
'''

DUPLICATE_CHECK = MOCK + '''
r = importlib.import_module(pkg.__name__ + ".resources.pets").PetsResource
names = sorted(n for n in vars(r) if not n.startswith("_") and n != "with_raw_response")
assert {"list_pets", "list_pets_2"} <= set(names), names
c = client()
for n in names:
    getattr(c.pets, n)()
assert len(SENT) == len(names) and {r.url.path for r in SENT} <= {"/a", "/b", "/c", "/d"}
'''

DUPLICATE_ALL_CHECK = DUPLICATE_CHECK + '''
assert sorted(r.url.path for r in SENT) == ["/a", "/b", "/b", "/c", "/d"], SENT
'''

PATH_CHECK = MOCK + '''
c = client()
c.users.get_post(7, "p/1")
c.files.delete_file("a b", "9")
assert [str(r.url) for r in SENT] == ["https://api.test/users/7/posts/p%2F1", "https://api.test/files/a%20b/9"], SENT
'''

RECURSION_CHECK = MOCK + '''
Node = models.Node
tree = {"name": "root", "children": [{"name": "a", "children": [{"name": "b"}]}],
        "parent": {"name": "up"}, "index": {"k": {"name": "v"}}, "other": {"b": {"a": {"b": None}}}}
n = Node.model_validate(tree)
assert n.children[0].children[0].name == "b" and n.index["k"].name == "v"
assert n.to_dict() == tree
expr = {"kind": "add", "left": {"kind": "num", "value": 1},
        "right": {"kind": "add", "left": {"kind": "num", "value": 2}, "right": {"kind": "num", "value": 3}}}
assert type(pydantic.TypeAdapter(models.Expr).validate_python(expr).right).__name__ == "Add"
'''

DEEP_CHECK = MOCK + '''
data = leaf = {}
for i in range(1, 201):
    leaf["l%d" % i] = {} if i < 200 else "bottom"
    leaf = leaf["l%d" % i]
obj = models.Deep.model_validate(data)
assert obj.to_dict() == data
nested = "x"
for _ in range(200):
    nested = [nested]
assert pydantic.TypeAdapter(models.Arr).validate_python(nested) == nested
'''

CHAIN_CHECK = MOCK + '''
data = leaf = {}
for i in range(200):
    leaf["n"] = i
    leaf["next"] = {}
    leaf = leaf["next"]
leaf["end"] = "e"
assert models.S0.model_validate(data).to_dict() == data
assert models.S199.model_validate({"next": {"end": "e"}}).next.end == "e"
for i in range(199):  # every link keeps its type, none became Any past a depth limit
    here, there = getattr(models, "S%d" % i), getattr(models, "S%d" % (i + 1))
    assert here.model_fields["next"].annotation == typing.Optional[there], (i, here.model_fields["next"])
'''

ENORMOUS_CHECK = MOCK + '''
assert list(literal_values(models.Huge)) == [f"v{i}" for i in range(10_000)]
assert list(literal_values(models.HugeInt)) == list(range(10_000))
assert models.Holder.model_validate({"h": "v9999"}).h == "v9999"
'''

SURROGATE_CHECK = MOCK + '''
S = models.S
assert inspect.getdoc(S) == "lone \\ufffd high"
assert list(S.model_fields) == ["x"] and S.model_fields["x"].alias == "x\\ufffd"
assert S.model_validate({"x\\ufffd": "a\\ufffd"}).to_dict() == {"x\\ufffd": "a\\ufffd"}
'''

RECURSIVE_ALIAS_CHECK = MOCK + '''
value = ["a", {"b": ["c"]}]
assert models.Doc.model_validate({"data": value}).data == value
RESPONSES["/json"] = value
assert client(strict_response_validation=True).json.get_json() == value
assert pydantic.TypeAdapter(models.Json).validate_python(value) == value
'''

CAST_CHECK = MOCK + '''
c = client()
for method in (c.const.get_const, c.enum.get_enum):
    try:
        method()
    except TypeError:
        pass  # cast() given 4 arguments: the injected ones ran first
'''

THROUGH_ALIAS_CHECK = MOCK + '''
tree = {"a": {"children": {"b": {"children": {}}}}}
assert models.Node.model_validate({"children": tree["a"]["children"]}).to_dict() == {"children": tree["a"]["children"]}
RESPONSES["/tree"] = tree
assert client().tree.get_forest()["a"].children["b"].children == {}
'''

COLLISION_CHECK = MOCK + '''
RESPONSES["/pets"] = {"name": "rex"}
out = client().pets.list_pets()
assert type(out).__name__ == "PetsResource" and out.name == "rex"
'''


ANNOTATED_CHECK = MOCK + '''
import typing
assert models.AsyncClientModel is typing.Any  # annotation-only allOf: the other keywords decide
assert models.AnnotatedModel is int and models.AnyModel is str  # names typing uses get a suffix
RESPONSES["/x"] = {"free": ["form"]}
assert client().x.get_x() == {"free": ["form"]}
'''


@dataclass(frozen=True)
class Case:
    package: str
    warnings: tuple[str, ...] = ()  # diagnostic codes the run must report
    check: str = ""  # Python run after importing everything; `pkg` is the package
    xfail: str = ""  # the reason, when the bug is outside the files this suite may fix


CAST_BUG = ("CODE INJECTION: templates/package/resources/_method.jinja writes the return annotation between "
            "double quotes (`return cast(\"{{ op.signature[ret] }}\", ...)`); a const/one-value enum in a response "
            "containing `\"` closes the string and its text runs as Python when the method is called "
            "(`\", __import__(\"os\").system(\"...\"), \"`); use `{{ op.signature[ret] | pystr }}` "
            "(or a repr'd `cast_type` field in render/resources.py OpView)")
TITLE_BUG = ("templates/package/models/__init__.py.jinja puts `api.title | comment` inside a docstring: "
             "a title with `\"\"\"` or `\\` breaks models/__init__.py (use `| comment | docstring_body`); "
             "and tomlstr (render/__init__.py) lets DEL through into pyproject.toml")
MARKDOWN_BUG = ("render/docs.py puts spec text into Markdown unescaped: the resource page heading "
                "(`# {{ page.title }}`, from a tag's x-displayName) keeps newlines and raw HTML (use "
                "`text.md_inline(res.title)`); enum values (`f\"`{json.dumps(v)}`\"`) and `Sent as `wire``"
                " break their code span and table row on a backtick or `|` (use "
                "`text.md_code(json.dumps(v), in_table=True)` / `text.md_code(wire, in_table=True)`)")
RECURSIVE_LIST_BUG = ("a list/map alias that contains itself (`Tree: {type: array, items: {$ref: Tree}}`) used "
                      "as a request body or parameter sends render/types.py `TypeRenderer.input` into endless "
                      "recursion (it inlines list/map aliases): RecursionError and a traceback; stop inlining "
                      "an alias already being expanded (pass a `seen` set, fall back to the alias name)")
DUPLICATE_BUG = ("operationIds that differ only in case or separators (`listPets`, `ListPets`, `list_pets`) get the "
                 "same method name and overwrite each other in the resource class; normalize/__init__.py must "
                 "dedupe `naming.method_name(op_id)` per resource (naming.dedupe, sorted by pointer), not raw ids")

CASES: dict[str, Case] = {
    "hostile_names.yaml": Case("names_sdk", check=NAMES_CHECK),
    "text_injection.json": Case("text_sdk", ("path-param-undeclared",), check=text_check()),
    "title_injection.json": Case("title_sdk"),
    "cast_injection.yaml": Case("cast_sdk", check=CAST_CHECK),
    "enum_values.json": Case("enum_sdk", check=ENUM_CHECK),
    "enormous_enum.json": Case("huge_enum_sdk", check=ENORMOUS_CHECK),
    "reserved_properties.yaml": Case("reserved_sdk", check=RESERVED_CHECK),
    "duplicate_operation_ids.yaml": Case("dup_sdk", ("duplicate-operation-id",), check=DUPLICATE_CHECK),
    "path_params.yaml": Case("path_sdk", ("path-param-unused", "path-param-undeclared"), check=PATH_CHECK),
    "schema_recursion.yaml": Case("recursion_sdk", check=RECURSION_CHECK),
    "deep_nesting.json": Case("deep_sdk", ("schema-too-deep",), check=DEEP_CHECK),
    "ref_chain.json": Case("chain_sdk", check=CHAIN_CHECK),
    "lone_surrogates.json": Case("surrogate_sdk", ("invalid-unicode",), check=SURROGATE_CHECK),
    "resource_collision.yaml": Case("collision_sdk", check=COLLISION_CHECK),
    "markdown_injection.json": Case("md_sdk"),
    "recursive_list_alias.yaml": Case("tree_sdk"),
    "allof_only_annotations.yaml": Case("annotated_sdk", check=ANNOTATED_CHECK),
    "recursion_through_alias.yaml": Case("through_sdk", check=THROUGH_ALIAS_CHECK),
    "recursive_alias.yaml": Case("alias_sdk", check=RECURSIVE_ALIAS_CHECK),
}

# Raw characters no generated file may contain: controls (tab and newline aside), line separators
# other than \n, bidi overrides, lone surrogates.
FORBIDDEN = {chr(c) for c in [*range(0, 9), *range(11, 32), *range(0x7F, 0xA0), 0x2028, 0x2029,
                              *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def _params() -> list[object]:
    out = []
    for name, case in sorted(CASES.items()):
        marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
        out.append(pytest.param(name, marks=marks, id=name))
    return out


@pytest.mark.parametrize("name", _params())
def test_hostile_spec_generates_inert_code(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    work = tmp_path / "work"
    work.mkdir()
    out = work / "out"
    code, err = generate(SPECS / name, out, case.package)
    assert code == 0, err
    assert "Traceback" not in err
    for warning in case.warnings:
        assert f"[{warning}] " in err, f"expected a {warning} diagnostic:\n{err}"
    only_child(work, "out")
    files = check_tree(out)
    for rel in files:
        body = (out / rel).read_text(encoding="utf-8")
        bad = sorted({f"U+{ord(ch):04X}" for ch in body if ch in FORBIDDEN})
        assert not bad, f"{rel} contains raw {bad}"
        if rel.endswith(".md") and rel != "README.md":  # README: see test_readme_keeps_spec_text_inert
            visible = rendered_text(body)
            assert "<script" not in visible and "</details>" not in visible, f"{rel} renders raw HTML"
            assert not broken_tables(body), f"{rel}: table rows with a wrong number of cells"
    import_check([(out, case.package)], tmp_path, case.check)
    code, err = generate(SPECS / name, out, case.package, "--check")
    assert code == 0, f"a second run would change the output:\n{err}"


def test_a_long_ref_chain_keeps_every_link_typed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, err = generate(SPECS / "ref_chain.json", out, "chain_sdk")
    assert code == 0
    assert "schema-too-deep" not in err
    sources = "".join(p.read_text(encoding="utf-8") for p in (out / "chain_sdk" / "models").glob("*.py"))
    assert "Any" not in sources.replace("-> Any", "").replace("import TYPE_CHECKING, Any", "")
    for i in range(199):
        assert f"    next: S{i + 1} | None = None\n" in sources, i


def _generated(tmp_path: Path, spec: str, package: str) -> Path:
    out = tmp_path / "out"
    code, err = generate(SPECS / spec, out, package)
    assert code == 0, err
    return out


def test_operation_ids_differing_in_case_keep_every_operation(tmp_path: Path) -> None:
    out = _generated(tmp_path, "duplicate_operation_ids.yaml", "dup_sdk")
    import_check([(out, "dup_sdk")], tmp_path, DUPLICATE_ALL_CHECK)


def test_readme_keeps_spec_text_inert(tmp_path: Path) -> None:
    out = _generated(tmp_path, "text_injection.json", "text_sdk")
    visible = rendered_text((out / "README.md").read_text(encoding="utf-8"))
    assert "<script" not in visible and "</details>" not in visible
