"""Deterministic example values for IR types (`values`) and runnable Python snippets built from
them (`snippets`), used by the Markdown docs and by generated tests.

Values are JSON-like data that prefer the spec's own `example`, then its `default`, else are
synthesized from the type; snippets are formatted like black and type-check under `mypy --strict`
against the generated package.
"""

from generator.examples.snippets import (
    Argument,
    CallParts,
    PyImports,
    PyRenderer,
    call_arguments,
    call_parts,
    client_arguments,
    format_python,
    py_literal,
    python_call_example,
    python_call_source,
    python_value,
    resource_of,
    start_format_python,
)
from generator.examples.values import MISSING, Direction, Examples, example_for

__all__ = [
    "MISSING",
    "Argument",
    "CallParts",
    "Direction",
    "Examples",
    "PyImports",
    "PyRenderer",
    "call_arguments",
    "call_parts",
    "client_arguments",
    "example_for",
    "format_python",
    "py_literal",
    "python_call_example",
    "python_call_source",
    "python_value",
    "resource_of",
    "start_format_python",
]
