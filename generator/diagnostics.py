"""Diagnostics: what the pipeline has to say about a spec, collected rather than thrown."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One finding, located by an RFC 6901 JSON pointer (prefixed by a file name for multi-file specs)."""

    pointer: str
    code: str
    severity: Severity
    message: str
    file: str = ""

    def format(self) -> str:
        where = f"{self.file}#{self.pointer}" if self.file else f"#{self.pointer}"
        return f"{self.severity}: [{self.code}] {where}: {self.message}"


class Collector:
    """Accumulates diagnostics for one run; stages add to it and the pipeline decides when to stop."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []
        self._seen: set[Diagnostic] = set()

    def add(
        self, severity: Severity, code: str, pointer: str, message: str, file: str = ""
    ) -> None:
        diag = Diagnostic(pointer, code, severity, message, file)
        if diag not in self._seen:
            self._seen.add(diag)
            self._items.append(diag)

    def error(self, code: str, pointer: str, message: str, file: str = "") -> None:
        self.add(Severity.ERROR, code, pointer, message, file)

    def warning(self, code: str, pointer: str, message: str, file: str = "") -> None:
        self.add(Severity.WARNING, code, pointer, message, file)

    def info(self, code: str, pointer: str, message: str, file: str = "") -> None:
        self.add(Severity.INFO, code, pointer, message, file)

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        for d in diagnostics:
            self.add(d.severity, d.code, d.pointer, d.message, d.file)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self._items)

    def sorted(self) -> tuple[Diagnostic, ...]:
        return tuple(sorted(self._items, key=lambda d: (d.file, d.pointer, d.code, d.message)))


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def join_pointer(base: str, *tokens: str | int) -> str:
    return base + "".join("/" + escape_pointer_token(str(t)) for t in tokens)
