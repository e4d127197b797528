"""Every spec in ../shared/specs generates with zero dropped operations, and the generated package
compiles, imports every module, builds every model and alias, creates its sync and async clients and
reaches every resource on them, and passes `mypy --strict` with zero errors."""

from __future__ import annotations

import compileall
from pathlib import Path

import pytest

from tests.support.corpus import SHARED_SPECS, check_package, discover, generate, mypy_errors, package_for

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

SPECS = discover() if SHARED_SPECS.is_dir() else []
# Operations that may be skipped (must stay empty: the corpus report says zero for operations).
ALLOWED_DROPPED: dict[str, int] = {}


def test_corpus_is_present() -> None:
    if not SHARED_SPECS.is_dir():
        pytest.skip(f"{SHARED_SPECS} is not available (the real-world specs live in ../shared; CI has it)")
    names = {p.relative_to(SHARED_SPECS).parts[0] for p in SPECS}
    assert {"openai", "petstore", "mistral", "box", "twilio", "asana", "slack"} <= names


@pytest.mark.parametrize("spec", SPECS, ids=[p.relative_to(SHARED_SPECS).as_posix() for p in SPECS])
def test_spec_generates_builds_every_type_and_type_checks(spec: Path, tmp_path_factory: pytest.TempPathFactory
                                                         ) -> None:
    out = tmp_path_factory.mktemp("corpus") / package_for(spec)
    figures, result = generate(spec, out)
    assert figures.errors == 0, [d.format() for d in result.diagnostics if d.severity.name == "ERROR"][:10]
    dropped = figures.ops_in_spec - figures.ops_generated
    assert dropped == ALLOWED_DROPPED.get(figures.spec, 0), f"{dropped} operations dropped"
    package = package_for(spec)
    assert compileall.compile_dir(str(out / package), quiet=1, workers=1)
    counts, failures = check_package(out, package)
    assert counts, failures
    # Every model, enum and alias built, every resource reached from both clients.
    assert counts["models"] + counts["aliases"] == figures.schemas, counts
    assert counts["resources"] == {"sync": figures.resources, "async": figures.resources}, counts
    errors, report = mypy_errors(out, package)
    assert errors == 0, report
