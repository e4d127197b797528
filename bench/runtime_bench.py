"""Targets 3 and 4, per-call overhead and SSE streaming, through `MockTransport` (no sockets).

Each implementation runs in its own subprocess (http_worker.py) in its own venv and prints JSON:

    ours    output/chat_sdk in the `sdk` venv (httpx + pydantic only)
    raw     hand-written httpx: client.post(url, json=...) + .json(); iter_lines + json.loads
    openai  openai-python in the `openai` venv (openai >= 3 runs on httpx2, so its MockTransport
            and http_client are httpx2's)
    raw2    the same hand-written code on httpx2, so that openai's own overhead can be told apart
            from its HTTP library's

They run one after another (never in parallel: 2 cores).
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from common import BENCH, PEER_REQUIREMENTS, ROOT, clean_env, ensure_venv, log, run_json

CHAT_SDK = ROOT / "output"


def run(*, quick: bool, upgrade: bool, sdk_python: Path | None,
        targets: tuple[str, ...] = ("call", "stream")) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Each implementation's repeats are split over `rounds` worker processes, and the rounds
    interleave the implementations, so that a busy moment on the machine hits all of them alike."""
    rounds = 1 if quick else 3
    calls, call_repeats = (200, 3) if quick else (1000, 3)  # repeats per round
    chunks, stream_repeats = 5000, (3 if quick else 3)
    errors: list[str] = []
    results: dict[str, dict[str, Any]] = {}
    if sdk_python is None:
        from imports import sdk_requirements

        sdk_python = ensure_venv("sdk", sdk_requirements(CHAT_SDK), upgrade=upgrade)
    openai_python = ensure_venv("openai", PEER_REQUIREMENTS["openai"], upgrade=upgrade)
    impls = [("ours", sdk_python), ("raw", sdk_python), ("openai", openai_python), ("raw2", openai_python)]
    worker = BENCH / "http_worker.py"
    failed: set[str] = set()
    for target in targets:
        extra = (["--calls", str(calls), "--repeats", str(call_repeats)] if target == "call"
                 else ["--chunks", str(chunks), "--repeats", str(stream_repeats)])
        for r in range(rounds):
            log(f"{'per-call' if target == 'call' else 'streaming'}: round {r + 1}/{rounds}: "
                f"{', '.join(i for i, _ in impls)}")
            for impl, python in impls:
                key = f"{target}:{impl}"
                if key in failed:
                    continue
                cmd = [python, worker, "--impl", impl, "--target", target, *extra]
                if impl == "ours":
                    cmd += ["--sdk-path", str(CHAT_SDK)]
                try:
                    out = run_json(cmd, env=clean_env())
                except RuntimeError as exc:
                    errors.append(f"{target} {impl}: {exc}")
                    failed.add(key)
                    continue
                if "error" in out:
                    errors.append(f"{target} {impl}: {out['error']}")
                    failed.add(key)
                    continue
                if key in results:
                    results[key]["samples"] += out["samples"]
                    results[key]["wall_samples"] += out["wall_samples"]
                else:
                    results[key] = out
    for key, out in results.items():
        if key not in failed:
            out["median"] = statistics.median(out["samples"])
            out["rounds"] = rounds
    return {k: v for k, v in results.items() if k not in failed}, errors
