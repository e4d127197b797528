"""Where each operation lands on the client and what its method is called: the one place that
decides resource placement and method names (naming extensions and overrides hook in here).

Resources: an operation's first tag (dotted tags nest); an untagged operation goes to the resource
named after the first meaningful segment of its path (`/v1/guilds/{id}/members` -> `guilds`: version
segments such as `v1`, `v2beta`, a leading `api` and `{parameters}` are skipped), which it shares with
a tag of the same name; a path without such a segment goes to `default`.

Method names, from the operationId (see `method_words`; an operation without one is named from its
method and path by `rest_operation_id`), inside one resource:
- words glued together (`getorganizationspendlimit`: a long lowercase run that is not itself a word of
  the summary, description or path) are split with the words of the summary, description and path;
  articles are dropped (`CreateanAPIkeyforaserviceaccount` -> `create_api_key_for_service_account`);
- FastAPI's `{name}_{path}_{method}` suffix is dropped (`chat_completion_v1_chat_completions_post` ->
  `chat_completion`), and so is a trailing HTTP method word;
- a version word that is also a segment of the path (`v1` in `/v1/...`) is dropped;
- words before the first verb are dropped when they repeat the resource (`libraries_documents_get` in
  `beta.libraries.documents` -> `get`), or when they are a framework prefix: two words or more, some
  in neither the path nor the resource, with the object still named after the verb
  (`jobs_api_routes_batch_get_batch_jobs` -> `get_batch_jobs`; a one-word modifier such as
  `batch_cancel_jobs` stays); siblings without a verb lose the same prefix
  (`agents_api_conversations_history` -> `history`);
- when two methods of a resource would get one name, those keep their plain operationId names; names
  still equal get `_2`, `_3` in JSON-pointer order, with a warning.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from generator import ir, naming
from generator.resolve import Document

_VERB_TEXT = (
    "get list create update delete remove add set put patch retrieve fetch find search query cancel upload "
    "download start stop pause resume restart run execute submit send reply approve reject archive unarchive "
    "activate deactivate enable disable assign unassign invite accept revoke refresh reset replace modify edit "
    "copy move rename validate verify check count compute export import sync share unshare subscribe unsubscribe "
    "publish unpublish register unregister login logout close open lock unlock upsert append complete generate "
    "classify moderate transcribe translate embed schedule unschedule terminate signal trigger judge stream "
    "compact hangup refer mark read write apply estimate preview test ping reprocess duplicate clone attach "
    "detach link unlink merge sort show view ban unban kick mute unmute pin unpin follow unfollow block unblock "
    "like unlike confirm authorize install uninstall deploy rollback restore rotate release lookup"
)
VERBS = frozenset(_VERB_TEXT.split())
_ARTICLES = frozenset({"a", "an", "the"})
_FUNCTION_WORDS = frozenset({"a", "an", "the", "for", "of", "to", "by", "in", "on", "with", "and", "or", "from",
                             "at", "as", "into", "per", "all", "its", "their", "s"})
_HTTP = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})
_VERSION = re.compile(r"v\d+(?:[a-z]+\d*)?")
_GLUED_MIN = 10  # a lowercase run this long that is no word of the operation's text is looked at


def _lower_words(text: str) -> list[str]:
    return [w.lower() for w in naming.words(text)]


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _path_segments(path: str) -> list[str]:
    return [s for s in re.split(r"[/?#&=]", path) if s]


def first_segment(path: str) -> str:
    """The first meaningful segment of a path ("" when there is none)."""
    segments = [s for s in _path_segments(path.split("?")[0].split("#")[0])
                if not s.startswith("{") and not _VERSION.fullmatch(s.lower())]
    if len(segments) > 1 and segments[0].lower() == "api":
        segments = segments[1:]
    return segments[0] if segments and naming.words(segments[0]) else ""


@functools.lru_cache(maxsize=4096)
def _segment(run: str, vocab: frozenset[str]) -> tuple[str, ...] | None:
    """`run` split into the fewest words of `vocab` (None when it cannot be)."""
    best: list[tuple[str, ...] | None] = [None] * (len(run) + 1)
    best[0] = ()
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - 24), end):
            head = best[start]
            piece = run[start:end]
            if head is not None and piece in vocab and (best[end] is None or len(head) + 1 < len(best[end] or ())):
                best[end] = (*head, piece)
    return best[len(run)]


def method_words(op: ir.Operation) -> list[str]:
    """The words of an operation's method name before the resource is taken into account."""
    text_words = _lower_words(f"{op.summary} {op.description} {op.path}")
    vocab = frozenset(w for w in text_words if len(w) > 1) | VERBS | _FUNCTION_WORDS
    sentence = " " in op.operation_id.strip()
    out: list[str] = []
    for chunk in re.split(r"[^A-Za-z0-9]+", naming.ascii_text(op.operation_id)):
        chunk_words = _lower_words(chunk)
        glued = [w for w in chunk_words if len(w) >= _GLUED_MIN and w.isalpha() and w not in vocab]
        split = _segment(chunk.lower(), vocab) if glued and chunk.isalpha() else None
        if split is not None and len(split) > 1:
            out += [w for w in split if w not in _ARTICLES]
        else:
            out += [w for w in chunk_words if not (sentence and w in _ARTICLES)]
    if not out:
        return out
    path_words = _lower_words(op.path.split("?")[0].split("#")[0])
    tail = [*path_words, op.method]
    if len(out) > len(tail) and out[-len(tail):] == tail:  # FastAPI: {name}_{path}_{method}
        out = out[: -len(tail)]
    elif len(out) > 1 and out[-1] == op.method and op.method not in VERBS:
        out = out[:-1]
    versions = {s.lower() for s in _path_segments(op.path) if _VERSION.fullmatch(s.lower())}
    kept = [w for w in out if w not in versions]
    return kept or out


def _first_verb(words: list[str]) -> int | None:
    """Index of the action word: a verb, or an HTTP method word that starts the name (`post_ai_ask`)."""
    return next((i for i, w in enumerate(words)
                 if (w in VERBS and w not in _HTTP - {"get", "delete"}) or (i == 0 and w in _HTTP)), None)


def method_names(ops: list[ir.Operation], resource: tuple[str, ...], doc: Document) -> dict[str, str]:
    """Method name of each operation of one resource, by `op.origin`."""
    res_words = {_singular(w) for part in resource for w in _lower_words(part)}
    words = {op.origin: method_words(op) for op in ops}
    prefixes: list[list[str]] = []
    for op in ops:
        w = words[op.origin]
        run = 0  # leading words that repeat the resource
        while run < len(w) and _singular(w[run]) in res_words:
            run += 1
        cut = next((i for i in range(run, 0, -1) if _first_verb(w[i:]) == 0), None)
        if cut is not None:
            words[op.origin] = w[cut:]
            prefixes.append(w[:cut])
            continue
        k = _first_verb(w)
        if not k:
            continue
        prefix, rest = w[:k], w[k:]
        known = {_singular(x) for x in _lower_words(op.path)} | res_words
        noise = [x for x in prefix if _singular(x) not in known]
        objects_named = len(rest) >= 2 or all(_singular(x) in res_words for x in prefix if x not in noise)
        if noise and len(prefix) > 1 and objects_named:
            words[op.origin] = rest
            prefixes.append(prefix)
    for op in ops:
        w = words[op.origin]
        if _first_verb(w) is None:
            for prefix in sorted(prefixes, key=len, reverse=True):
                if len(w) > len(prefix) and w[: len(prefix)] == prefix:
                    words[op.origin] = w[len(prefix):]
                    break
    wanted = {op.origin: naming.method_name("_".join(words[op.origin])) for op in ops}
    counts: dict[str, int] = {}
    for name in wanted.values():
        counts[name] = counts.get(name, 0) + 1
    for op in ops:  # a shortened name two operations would share: both keep their plain names
        if counts[wanted[op.origin]] > 1:
            wanted[op.origin] = op.name
    return _unique(ops, wanted, doc)


def _unique(ops: Iterable[ir.Operation], wanted: dict[str, str], doc: Document) -> dict[str, str]:
    by_origin = {op.origin: op for op in ops}
    names = naming.dedupe([(origin, wanted[origin]) for origin in by_origin], sep="_")
    for origin, name in names.items():
        if name != wanted[origin]:
            op = by_origin[origin]
            file, _, pointer = origin.partition("#")
            doc.diags.warning("duplicate-method-name", pointer, f"operationId {op.operation_id!r} gives the method "
                              f"name {wanted[origin]!r} another operation of its resource has; renamed {name!r}",
                              file)
    return names


def resource_key(op: ir.Operation) -> tuple[str, tuple[str, ...]]:
    """(tag, attribute path) of the resource an operation belongs to."""
    tag = op.tags[0] if op.tags else ""
    if tag:
        key = tuple(naming.method_name(s) for s in tag.split(".") if naming.words(s))
        return tag, key or (naming.method_name(tag),)
    segment = first_segment(op.path)
    return "", (naming.method_name(segment),) if segment else ("default",)


def rest_operation_id(method: str, path: str) -> str | None:
    """An operationId for an operation without one, the way a REST SDK names it: `GET /items` ->
    `listItems`, `GET /items/{id}` -> `getItem`, `POST /items` -> `createItem`, `PUT`/`PATCH`
    `/items/{id}` -> `replaceItem`/`updateItem`, `DELETE /items/{id}` -> `deleteItem`, an action
    segment `POST /orders/{id}/cancel` -> `cancelOrder`. None when the path names no object."""
    segments = [s for s in _path_segments(path.split("?")[0].split("#")[0])]
    literal = [(i, s) for i, s in enumerate(segments)
               if not s.startswith("{") and not _VERSION.fullmatch(s.lower()) and naming.words(s)]
    if not literal:
        return None
    last_i, last = literal[-1]
    last_words = _lower_words(last)
    if len(last_words) == 1 and last_words[0] in VERBS and last_words[0] not in _HTTP:  # an action segment
        return last_words[0] + (naming.pascal(_singular_phrase(literal[-2][1])) if len(literal) > 1 else "")
    item = last_i < len(segments) - 1  # the path ends with a parameter: one object
    plural = last_words[-1].endswith("s") and not last_words[-1].endswith(("ss", "us", "is"))
    verb = {"get": "get" if item or not plural else "list", "post": "create",
            "put": "replace" if item else "update", "patch": "update", "delete": "delete"}.get(method)
    if verb is None:
        return None
    noun = _singular_phrase(last) if item or method == "post" else last
    return verb + naming.pascal(noun)


def _singular_phrase(segment: str) -> str:
    words = _lower_words(segment)
    return "_".join([*words[:-1], _singular(words[-1])]) if words else segment
