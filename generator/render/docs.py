"""Markdown docs render plan (in progress)."""

from __future__ import annotations

from typing import Any

import jinja2

from generator import ir
from generator.render.types import TypeRenderer


def render_docs(api: ir.Api, env: jinja2.Environment, tr: TypeRenderer, base: dict[str, Any]) -> dict[str, str]:
    return {}
