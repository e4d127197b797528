"""Doc snippets of the full OpenAI SDK (and the other large specs' SDKs): every ```python block
compiles and passes `mypy --strict` against the generated package. (Executing them is done for the
chat docs in test_examples.py; the corpus specs' examples are not all valid requests, see the note
on synthesized values in generator/examples/values.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.test_docs import generate
from tests.test_examples import check_compile, check_mypy, extract

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

SPECS = {
    "openai_latest": SHARED / "specs" / "openai" / "openapi.latest.yaml",
    "mistral": SHARED / "specs" / "mistral" / "openapi.yaml",
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_corpus_doc_snippets_compile_and_type_check(name: str, tmp_path: Path) -> None:
    spec = SPECS[name]
    if not spec.exists():
        pytest.skip(f"{spec} is not available (../shared holds the real-world specs; CI has it)")
    gen = generate(spec, tmp_path / "sdk", f"{name}_sdk")
    snippets = extract(gen)
    assert len(snippets) > 100
    problems = check_compile(snippets)
    assert not problems, "\n".join(problems[:30])
    problems = check_mypy(snippets, tmp_path / "snippets")
    print(f"\n{name}: {len(snippets)} doc snippets compiled and type-checked (mypy --strict)")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:30])
