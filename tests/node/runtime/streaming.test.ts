import assert from "node:assert/strict";
import { test } from "node:test";

import { APIError, APIUserAbortError } from "../../../templates/typescript/runtime/errors.js";
import { sseEvents, Stream } from "../../../templates/typescript/runtime/streaming.js";

function body(parts: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const p of parts) controller.enqueue(enc.encode(p));
      controller.close();
    },
  });
}

test("events split across chunks, CRLF and CR line ends, comments, multi-line data; an unterminated tail is dropped", async () => {
  const events = [];
  for await (const e of sseEvents(body(["data: {\"a\"", ":1}\r\n\r", "\n: comment\n", "event: note\ndata: x\ndata: y\nid: 7\n\n", "data: tail"]))) {
    events.push(e);
  }
  assert.deepEqual(events.map((e) => [e.event, e.data, e.id]), [
    [null, '{"a":1}', null],
    ["note", "x\ny", "7"],
  ]);
});

test("Stream parses JSON chunks and stops at [DONE]", async () => {
  const response = new Response(body(["data: {\"n\":1}\n\n", "data: {\"n\":2}\n\n", "data: [DONE]\n\n", "data: {\"n\":3}\n\n"]));
  const stream = new Stream<{ n: number }>(response, new AbortController());
  assert.deepEqual((await stream.toArray()).map((c) => c.n), [1, 2]);
});

test("an error event is thrown as an APIError with the parsed payload", async () => {
  const response = new Response(body(["data: {\"n\":1}\n\n", "event: error\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\n"]));
  const stream = new Stream<{ n: number }>(response, new AbortController());
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (const chunk of stream) seen.push(chunk.n);
  }, (error: unknown) => error instanceof APIError && /overloaded/.test(error.message));
  assert.deepEqual(seen, [1]);
});

test("aborting the controller ends iteration with APIUserAbortError; break cancels the body", async () => {
  const controller = new AbortController();
  const endless = new ReadableStream<Uint8Array>({
    pull(c) {
      c.enqueue(new TextEncoder().encode("data: {\"n\":1}\n\n"));
    },
  });
  const stream = new Stream<{ n: number }>(new Response(endless), controller);
  let count = 0;
  await assert.rejects(async () => {
    for await (const _ of stream) {
      count++;
      if (count === 3) controller.abort();
    }
  }, APIUserAbortError);
  assert.equal(count, 3);

  const second = new Stream<{ n: number }>(new Response(new ReadableStream<Uint8Array>({
    pull(c) {
      c.enqueue(new TextEncoder().encode("data: {\"n\":1}\n\n"));
    },
  })), new AbortController());
  for await (const _ of second) break;
  assert.equal(second.controller.signal.aborted, true);
  await assert.rejects(async () => {
    for await (const _ of second) break;
  }, /only once/);
});
