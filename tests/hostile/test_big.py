"""A 50 MB spec (built here into tmp, never committed) generates in a sane time and memory. Timings
are measured and printed (`pytest -s`), not asserted: benchmarks are scripts, not timed tests."""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

import pytest

from tests.hostile.support import check_tree, generate, import_check

SIZE = 50 * 1024 * 1024
PAYLOAD = ('Lorem ipsum """ dolor \'\'\' sit {{ amet }} <script>x</script> \\N{BULLET} \r\n\u2028 consectetur. ' * 24)


def big_spec(path: Path, size: int = SIZE) -> dict[str, int]:
    """Objects with ten described properties, and one operation per ten of them, until `size` bytes."""
    schemas: dict[str, object] = {}
    paths: dict[str, object] = {}
    written, i = 0, 0
    while written < size:
        props = {f"field_{j}": {"type": ["string", "integer", "boolean"][j % 3], "description": PAYLOAD}
                 for j in range(10)}
        schemas[f"Model{i}"] = {"type": "object", "description": PAYLOAD, "properties": props, "required": ["field_0"]}
        if i % 10 == 0:
            paths[f"/things{i}/{{id}}"] = {"get": {
                "operationId": f"getThing{i}", "tags": [f"tag{i % 50}"], "description": PAYLOAD,
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": f"#/components/schemas/Model{i}"}}}}}}}
        written += 11 * len(json.dumps(PAYLOAD)) + 400
        i += 1
    spec = {"openapi": "3.1.0", "info": {"title": "Big", "version": "1"}, "paths": paths,
            "components": {"schemas": schemas}}
    path.write_text(json.dumps(spec), encoding="utf-8")
    return {"schemas": len(schemas), "operations": len(paths), "bytes": path.stat().st_size}


@pytest.mark.slow
def test_fifty_megabyte_spec(tmp_path: Path) -> None:
    spec = tmp_path / "big.json"
    facts = big_spec(spec)
    assert facts["bytes"] >= SIZE
    work = tmp_path / "work"
    work.mkdir()
    out = work / "out"
    start = time.perf_counter()
    code, err = generate(spec, out, "big_sdk")
    generated = time.perf_counter() - start
    assert code == 0, err[-3000:]
    start = time.perf_counter()
    code, err = generate(spec, out, "big_sdk")  # again: nothing changes, nothing is rewritten
    regenerated = time.perf_counter() - start
    assert code == 0, err[-3000:]
    start = time.perf_counter()
    files = check_tree(out)
    checked = time.perf_counter() - start
    start = time.perf_counter()
    import_check([(out, "big_sdk")], tmp_path, "assert pkg.Client")
    imported = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n50 MB spec: {facts['bytes'] / 2**20:.1f} MiB, {facts['schemas']} schemas, {facts['operations']} "
          f"operations -> {len(files)} files; generate {generated:.1f} s, regenerate {regenerated:.1f} s, "
          f"compile all {checked:.1f} s, import all {imported:.1f} s; peak RSS of the test process {peak_mb:.0f} MiB")
