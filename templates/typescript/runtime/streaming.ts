/** Server-sent events (`text/event-stream`) as an async iterable of parsed `data` payloads. */

import { APIError, APIUserAbortError } from "./errors.js";

/** One event as it came over the wire. */
export interface ServerSentEvent {
  event: string | null;
  data: string;
  id: string | null;
  retry: number | null;
}

/** Splits a byte stream into events (the WHATWG event-stream rules: fields, comments, blank-line dispatch). */
export async function* sseEvents(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let event: ServerSentEvent = { event: null, data: "", id: null, retry: null };
  let hasData = false;
  try {
    for (;;) {
      if (signal?.aborted) throw new APIUserAbortError();
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let match: RegExpExecArray | null;
      const lineEnd = /\r\n|\r|\n/g;
      let start = 0;
      while ((match = lineEnd.exec(buffer)) !== null) {
        // A lone "\r" at the very end may be the first half of "\r\n": wait for more.
        if (match[0] === "\r" && match.index === buffer.length - 1 && !done) break;
        const line = buffer.slice(start, match.index);
        start = match.index + match[0].length;
        if (line === "") {
          if (hasData || event.event !== null) {
            yield { ...event, data: event.data.endsWith("\n") ? event.data.slice(0, -1) : event.data };
          }
          event = { event: null, data: "", id: null, retry: null };
          hasData = false;
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let text = colon < 0 ? "" : line.slice(colon + 1);
        if (text.startsWith(" ")) text = text.slice(1);
        if (field === "data") {
          event.data += text + "\n";
          hasData = true;
        } else if (field === "event") event.event = text;
        else if (field === "id") event.id = text;
        else if (field === "retry" && /^\d+$/.test(text)) event.retry = Number(text);
      }
      buffer = buffer.slice(start);
      if (done) {
        if (hasData) yield { ...event, data: event.data.endsWith("\n") ? event.data.slice(0, -1) : event.data };
        return;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** JSON lines (`application/jsonl`, `application/x-ndjson`): each non-blank line is one event's data. */
export async function* jsonLines(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      if (signal?.aborted) throw new APIUserAbortError();
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const lines = buffer.split(/\r?\n/);
      buffer = done ? "" : lines.pop() ?? "";
      for (const line of lines) {
        if (line.trim()) yield { event: null, data: line, id: null, retry: null };
      }
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * The chunks of a streamed response. Iterate it once with `for await`; `controller.abort()` (or
 * `break`) stops reading and closes the connection. A `data: [DONE]` event ends the stream, and an
 * event named `error` (or a data payload with a top-level `error`) is thrown as an `APIError`.
 */
export class Stream<Item> implements AsyncIterable<Item> {
  readonly response: Response;
  readonly controller: AbortController;
  /** "sse" (server-sent events) or "jsonl" (one JSON value per line). */
  readonly framing: "sse" | "jsonl";
  private consumed = false;

  constructor(response: Response, controller: AbortController, framing: "sse" | "jsonl" = "sse") {
    this.response = response;
    this.controller = controller;
    this.framing = framing;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    if (this.consumed) throw new Error("A stream can be iterated only once.");
    this.consumed = true;
    const body = this.response.body;
    if (body === null) return;
    let finished = false;
    try {
      const events = this.framing === "jsonl" ? jsonLines(body, this.controller.signal) : sseEvents(body, this.controller.signal);
      for await (const sse of events) {
        if (sse.data.startsWith("[DONE]")) {
          finished = true;
          return;
        }
        const parsed = parseData(sse.data);
        if (sse.event === "error" || isErrorPayload(parsed)) {
          throw new APIError(this.response.status, parsed, this.response.headers);
        }
        yield parsed as Item;
      }
      finished = true;
    } catch (error) {
      if (this.controller.signal.aborted || (error instanceof Error && error.name === "AbortError")) {
        throw error instanceof APIUserAbortError ? error : new APIUserAbortError();
      }
      throw error;
    } finally {
      if (!finished) this.controller.abort();
    }
  }

  /** Every chunk, collected (reads the stream to its end). */
  async toArray(): Promise<Item[]> {
    const out: Item[] = [];
    for await (const item of this) out.push(item);
    return out;
  }
}

function parseData(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

function isErrorPayload(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === "error";
}
