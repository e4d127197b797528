"""One HTTP benchmark in one interpreter: prints a JSON line with the figures.

Run by `bench/run.py` in the venv that has the library under test (ours and raw httpx in the
project venv; openai-python and raw httpx2 in bench/.peers/openai). Stdlib only, apart from the
library under test, so that the same file runs in every venv.

    python bench/http_worker.py --impl ours|raw|openai|raw2 --target call|stream
        [--calls N] [--repeats R] [--chunks C] [--sdk-path output]

Every implementation gets the same response bytes from an in-process `MockTransport` (no sockets):
`call` is one chat completion (request built and sent, response parsed), `stream` is one SSE
response of C `chat.completion.chunk` events, each delivered as its own body chunk (as a server
flushing per token would), then `data: [DONE]`. The worker checks that what it parsed is what was
sent, so that no implementation can win by skipping work.

Figures are CPU time of the worker process (`time.process_time`) per call or chunk: on an idle
machine that equals wall time (everything is in-process, single-threaded), and unlike wall time it
does not grow when other processes compete for the 2 cores. Wall times are reported alongside.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

BASE_URL = "https://api.openai.com/v1"
URL = BASE_URL + "/chat/completions"
API_KEY = "sk-bench"
MODEL = "gpt-4o"
MESSAGES = [
    {"role": "system", "content": "You are a helpful assistant. Answer briefly and precisely."},
    {"role": "user", "content": "Explain in one paragraph what a server-sent event stream is."},
]

ANSWER = (
    "A server-sent event (SSE) stream is a long-lived HTTP response with the content type "
    "text/event-stream in which the server writes a sequence of events, each made of `data:` "
    "lines and ended by a blank line, and flushes them as they become available. The client reads "
    "the body incrementally, dispatches every event as soon as its blank line arrives and keeps "
    "the connection open until the server closes it or sends an agreed end marker, which makes SSE "
    "a simple, proxy-friendly way to push token-by-token output from a language model."
)


def completion_json() -> bytes:
    """A realistic non-streamed chat completion (the shape api.openai.com returns today)."""
    body = {
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "object": "chat.completion",
        "created": 1741569952,
        "model": "gpt-4o-2024-08-06",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": ANSWER,
                    "refusal": None,
                    "annotations": [],
                },
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": 36,
            "completion_tokens": 104,
            "total_tokens": 140,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
        "service_tier": "default",
        "system_fingerprint": "fp_fc9f1d7035",
    }
    return json.dumps(body, separators=(",", ":")).encode()


def stream_events(chunks: int) -> tuple[list[bytes], str]:
    """`chunks` SSE events (first: role, last: finish_reason), then [DONE]; and the joined text."""
    words = ANSWER.split(" ")
    base = {
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "object": "chat.completion.chunk",
        "created": 1741569952,
        "model": "gpt-4o-2024-08-06",
        "service_tier": "default",
        "system_fingerprint": "fp_fc9f1d7035",
    }
    events: list[bytes] = []
    text: list[str] = []
    for i in range(chunks):
        if i == 0:
            delta: dict[str, Any] = {"role": "assistant", "content": "", "refusal": None}
            finish = None
        elif i == chunks - 1:
            delta, finish = {}, "stop"
        else:
            delta = {"content": (" " if i > 1 else "") + words[(i - 1) % len(words)]}
            finish = None
        text.append(delta.get("content") or "")
        chunk = dict(base, choices=[{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}])
        events.append(b"data: " + json.dumps(chunk, separators=(",", ":")).encode() + b"\n\n")
    events.append(b"data: [DONE]\n\n")
    return events, "".join(text)


def measure(fn: Callable[[], None], *, items: int, repeats: int, warmup: int) -> tuple[list[float], list[float]]:
    """µs per item for each of `repeats` runs of `fn` (which handles `items` items): CPU time of this
    process (what the code costs, whatever else the machine is running) and wall time."""
    for _ in range(warmup):
        fn()
    cpu, wall = [], []
    for _ in range(repeats):
        gc.collect()
        start_cpu, start = time.process_time(), time.perf_counter()
        fn()
        wall.append((time.perf_counter() - start) / items * 1e6)
        cpu.append((time.process_time() - start_cpu) / items * 1e6)
    return cpu, wall


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--impl", choices=["ours", "raw", "openai", "raw2"], required=True)
    parser.add_argument("--target", choices=["call", "stream"], required=True)
    parser.add_argument("--calls", type=int, default=2000, help="calls per repeat (target call)")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--chunks", type=int, default=5000, help="events per stream (target stream)")
    parser.add_argument("--sdk-path", default=None, help="folder holding chat_sdk (impl ours)")
    args = parser.parse_args()

    if args.impl in ("ours", "raw"):
        import httpx as http
    else:
        import httpx2 as http  # type: ignore[import-not-found, no-redef]  # openai >= 3 ships on httpx2

    body = completion_json()
    events, stream_text = stream_events(args.chunks)
    json_headers = {"content-type": "application/json"}
    sse_headers = {"content-type": "text/event-stream"}

    def handler(request: Any) -> Any:
        if args.target == "call":
            return http.Response(200, headers=json_headers, content=body)
        return http.Response(200, headers=sse_headers, content=iter(events))

    http_client = http.Client(transport=http.MockTransport(handler))
    versions: dict[str, str] = {"python": sys.version.split()[0], http.__name__: http.__version__}

    if args.impl == "ours":
        if args.sdk_path:
            sys.path.insert(0, args.sdk_path)
        import chat_sdk  # type: ignore[import-not-found]
        import pydantic

        versions["pydantic"] = pydantic.VERSION
        client = chat_sdk.Client(api_key=API_KEY, base_url=BASE_URL, http_client=http_client)

        def call() -> str:
            completion = client.chat.create_chat_completion(model=MODEL, messages=MESSAGES)
            return completion.choices[0].message.content

        def stream() -> tuple[int, str, str]:
            n, parts, kind = 0, [], ""
            for chunk in client.chat.create_chat_completion(model=MODEL, messages=MESSAGES, stream=True):
                n += 1
                kind = type(chunk).__name__
                parts.append(chunk.choices[0].delta.content or "")
            return n, "".join(parts), kind

    elif args.impl == "openai":
        import openai  # type: ignore[import-not-found]
        import pydantic

        versions["openai"] = openai.__version__
        versions["pydantic"] = pydantic.VERSION
        client = openai.OpenAI(api_key=API_KEY, base_url=BASE_URL, http_client=http_client)

        def call() -> str:
            completion = client.chat.completions.create(model=MODEL, messages=MESSAGES)
            return completion.choices[0].message.content

        def stream() -> tuple[int, str, str]:
            n, parts, kind = 0, [], ""
            for chunk in client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True):
                n += 1
                kind = type(chunk).__name__
                parts.append(chunk.choices[0].delta.content or "")
            return n, "".join(parts), kind

    else:  # raw httpx / raw httpx2: what a hand-written call costs
        auth = {"Authorization": f"Bearer {API_KEY}"}

        def call() -> str:
            response = http_client.post(URL, json={"model": MODEL, "messages": MESSAGES}, headers=auth)
            response.raise_for_status()
            return response.json()["choices"][0]["message"]["content"]

        def stream() -> tuple[int, str, str]:
            n, parts = 0, []
            payload = {"model": MODEL, "messages": MESSAGES, "stream": True}
            with http_client.stream("POST", URL, json=payload, headers=auth) as response:
                for line in response.iter_lines():
                    if not line.startswith("data: "):
                        continue
                    data = line[6:]
                    if data == "[DONE]":
                        break
                    chunk = json.loads(data)
                    n += 1
                    parts.append(chunk["choices"][0]["delta"].get("content") or "")
            return n, "".join(parts), "dict"

    # Correctness first: every implementation must parse exactly what was sent.
    result: dict[str, Any] = {"impl": args.impl, "target": args.target, "versions": versions}
    if args.target == "call":
        got = call()
        if got != ANSWER:
            print(json.dumps({**result, "error": f"wrong content: {got!r:.80}"}))
            return 1

        def batch() -> None:
            for _ in range(args.calls):
                call()

        samples, wall = measure(batch, items=args.calls, repeats=args.repeats, warmup=1)
        result.update(items=args.calls, unit="us/call", response_bytes=len(body))
    else:
        n, text, kind = stream()
        if n != args.chunks or text != stream_text:
            print(json.dumps({**result, "error": f"parsed {n} chunks, text match {text == stream_text}"}))
            return 1
        result["item_type"] = kind

        def one_stream() -> None:
            stream()

        samples, wall = measure(one_stream, items=args.chunks, repeats=args.repeats, warmup=1)
        result.update(items=args.chunks, unit="us/chunk", stream_bytes=sum(map(len, events)))
    result.update(median=statistics.median(samples), samples=[round(s, 3) for s in samples],
                  wall_samples=[round(s, 3) for s in wall])
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
