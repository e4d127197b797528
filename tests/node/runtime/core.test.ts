import assert from "node:assert/strict";
import { test } from "node:test";

import { backoff, type OperationSpec, readEnv, serverURL } from "../../../templates/typescript/runtime/core.js";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  BadRequestError,
  InternalServerError,
  MissingCredentialsError,
  NotFoundError,
  RateLimitError,
} from "../../../templates/typescript/runtime/errors.js";
import { redactHeaders, redactURL } from "../../../templates/typescript/runtime/logging.js";
import { Stream } from "../../../templates/typescript/runtime/streaming.js";
import { client, json, scripted } from "./helpers.js";

const get: OperationSpec = {
  method: "get",
  path: "/things/{thing_id}",
  params: [["thing_id", "path"], ["limit", "query"], ["X-Trace", "header"], ["session", "cookie"]],
  response: "json",
  security: [["Bearer"]],
};
const create: OperationSpec = { method: "post", path: "/things", body: "json", response: "json", security: [["Bearer"]], stream: "stream" };

test("params go to path, query, header and cookie; body fields to JSON; bearer auth", async () => {
  const { fetch, seen } = scripted([json(200, { id: "t 1" }), json(200, { ok: true })]);
  const c = client(fetch);
  const got = await c.request<{ id: string }>(get, { thing_id: "t 1", limit: 2, "X-Trace": "abc", session: "s" });
  assert.deepEqual(got, { id: "t 1" });
  const first = seen[0]!;
  assert.equal(first.url, "https://api.example.test/v1/things/t%201?limit=2");
  assert.equal(first.headers.get("authorization"), "Bearer sk-secret");
  assert.equal(first.headers.get("x-trace"), "abc");
  assert.equal(first.headers.get("cookie"), "session=s");
  await c.request(create, { name: "n", tags: ["a"], skipped: undefined });
  assert.equal(seen[1]!.body, '{"name":"n","tags":["a"]}');
  assert.equal(seen[1]!.headers.get("content-type"), "application/json");
});

test("withResponse gives status, headers and the raw Response", async () => {
  const { fetch } = scripted([json(201, { id: "x" }, { "x-request-id": "req_1" })]);
  const { data, status, headers, response } = await client(fetch).request<{ id: string }>(create, {}).withResponse();
  assert.equal(data.id, "x");
  assert.equal(status, 201);
  assert.equal(headers.get("x-request-id"), "req_1");
  assert.ok(response instanceof Response);
});

test("typed errors per status carry the parsed body; 4xx other than 408/409/429 is not retried", async () => {
  const { fetch, seen } = scripted([json(400, { error: { message: "bad model" } })]);
  await assert.rejects(client(fetch).request(create, {}), (e: unknown) => {
    assert.ok(e instanceof BadRequestError);
    assert.equal(e.status, 400);
    assert.deepEqual(e.body, { error: { message: "bad model" } });
    assert.match(e.message, /400 bad model/);
    return true;
  });
  assert.equal(seen.length, 1);
  const nf = scripted([json(404, { message: "nope" })]);
  await assert.rejects(client(nf.fetch).request(create, {}), NotFoundError);
});

test("retries 429/5xx honouring Retry-After, then gives up with the last error", async () => {
  const { fetch, seen } = scripted([
    json(429, {}, { "retry-after-ms": "5" }),
    json(503, {}, { "retry-after": "0" }),
    json(200, { ok: 1 }),
  ]);
  assert.deepEqual(await client(fetch).request(create, {}), { ok: 1 });
  assert.equal(seen.length, 3);
  const failing = scripted([json(500, { e: 1 }, { "retry-after-ms": "1" }), json(500, { e: 2 }, { "retry-after-ms": "1" })]);
  await assert.rejects(client(failing.fetch, { maxRetries: 1 }).request(create, {}), (e: unknown) =>
    e instanceof InternalServerError && (e.body as { e: number }).e === 2);
  const limited = scripted([json(429, {})]);
  await assert.rejects(client(limited.fetch).request(create, {}, { maxRetries: 0 }), RateLimitError);
});

test("connection errors are retried and then raised as APIConnectionError", async () => {
  const { fetch, seen } = scripted([new TypeError("fetch failed"), new TypeError("fetch failed")]);
  const c = client(fetch, { maxRetries: 1 });
  const started = Date.now();
  await assert.rejects(c.request(create, {}, { maxRetries: 1 }), APIConnectionError);
  assert.equal(seen.length, 2);
  assert.ok(Date.now() - started < 5000);
});

test("timeouts abort the attempt and raise APIConnectionTimeoutError; a user abort raises APIUserAbortError", async () => {
  const hang = (init: RequestInit) => new Promise<Response>((_, reject) => {
    init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
  });
  const slow = scripted([hang]);
  await assert.rejects(client(slow.fetch).request(create, {}, { timeout: 20, maxRetries: 0 }), APIConnectionTimeoutError);
  const user = scripted([hang]);
  const controller = new AbortController();
  const pending = client(user.fetch).request(create, {}, { signal: controller.signal });
  setTimeout(() => controller.abort(), 10);
  await assert.rejects(pending, APIUserAbortError);
});

test("backoff: Retry-After seconds and dates, else exponential with jitter under the cap", () => {
  const policy = { statusCodes: ["5XX"], connectionErrors: true, initialInterval: 500, maxInterval: 8000, maxElapsedTime: 60000, exponent: 2 };
  assert.equal(backoff(policy, 0, new Headers({ "retry-after": "2" })), 2000);
  const date = new Date(Date.now() + 3000).toUTCString();
  const wait = backoff(policy, 0, new Headers({ "retry-after": date }));
  assert.ok(wait > 1000 && wait <= 3000, String(wait));
  assert.equal(backoff(policy, 0, new Headers({ "retry-after": "3600" }), () => 0), 500);
  assert.equal(backoff(policy, 3, undefined, () => 0), 4000);
  assert.equal(backoff(policy, 10, undefined, () => 0), 8000);
  assert.equal(backoff(policy, 1, undefined, () => 1), 750);
});

test("auth: basic, apiKey in header, query and cookie; alternatives; missing credentials", async () => {
  const schemes = {
    Basic: { kind: "basic", in: "header", name: "Authorization" },
    Header: { kind: "apikey", in: "header", name: "X-API-Key" },
    Query: { kind: "apikey", in: "query", name: "api_key" },
    Cookie: { kind: "apikey", in: "cookie", name: "token" },
  } as const;
  const op = (security: string[][]): OperationSpec => ({ method: "get", path: "/p", response: "json", security });
  const { fetch, seen } = scripted([json(200, {}), json(200, {}), json(200, {}), json(200, {}), json(200, {})]);
  const c = client(fetch, { schemes, credentials: { Basic: ["user", "pässword"], Header: "hk", Query: "qk", Cookie: "ck" } });
  await c.request(op([["Basic"]]), {});
  assert.equal(seen[0]!.headers.get("authorization"), `Basic ${Buffer.from("user:pässword").toString("base64")}`);
  await c.request(op([["Header"]]), {});
  assert.equal(seen[1]!.headers.get("x-api-key"), "hk");
  await c.request(op([["Query"]]), {});
  assert.equal(seen[2]!.url, "https://api.example.test/v1/p?api_key=qk");
  await c.request(op([["Cookie"]]), {});
  assert.equal(seen[3]!.headers.get("cookie"), "token=ck");
  const partial = client(fetch, { schemes, credentials: { Header: "hk" } });
  await partial.request(op([["Query"], ["Header"]]), {});
  assert.equal(seen[4]!.headers.get("x-api-key"), "hk");
  await assert.rejects(partial.request(op([["Query"]]), {}), MissingCredentialsError);
});

test("stream: true returns a Stream and asks for text/event-stream", async () => {
  const sse = new Response("data: {\"n\":1}\n\ndata: [DONE]\n\n", { headers: { "content-type": "text/event-stream" } });
  const { fetch, seen } = scripted([sse]);
  const stream = await client(fetch).request<Stream<{ n: number }>>(create, { stream: true });
  assert.ok(stream instanceof Stream);
  assert.deepEqual(await stream.toArray(), [{ n: 1 }]);
  assert.equal(seen[0]!.headers.get("accept"), "text/event-stream");
  assert.equal(seen[0]!.body, '{"stream":true}');
});

test("binary downloads return the Response; binary uploads send the bytes; multipart sends FormData", async () => {
  const { fetch, seen } = scripted([new Response(new Uint8Array([7, 8])), json(200, {}), json(200, {})]);
  const c = client(fetch);
  const res = await c.request<Response>({ method: "get", path: "/f", response: "binary" }, {});
  assert.deepEqual([...new Uint8Array(await res.arrayBuffer())], [7, 8]);
  await c.request({ method: "put", path: "/f", body: "binary", bodyKey: "body", contentType: "image/png", response: "json" },
    { body: new Uint8Array([1]) });
  assert.equal(seen[1]!.headers.get("content-type"), "image/png");
  assert.ok(seen[1]!.body instanceof Blob);
  await c.request({ method: "post", path: "/files", body: "multipart", response: "json" }, { file: new Blob(["x"]), purpose: "p" });
  assert.ok(seen[2]!.body instanceof FormData);
  assert.equal(seen[2]!.headers.get("content-type"), null);
});

test("per-call headers add and remove; base URL from the environment; client options win", async () => {
  const { fetch, seen } = scripted([json(200, {}), json(200, {})]);
  await client(fetch, { defaultHeaders: { "x-team": "a" } }).request(create, {}, { headers: { "x-extra": "1", "x-team": null } });
  assert.equal(seen[0]!.headers.get("x-extra"), "1");
  assert.equal(seen[0]!.headers.has("x-team"), false);
  process.env["RUNTIME_TEST_BASE_URL"] = "http://localhost:9/";
  try {
    await client(fetch).request(create, {});
    assert.equal(seen[1]!.url, "http://localhost:9/things");
    assert.equal(readEnv("RUNTIME_TEST_BASE_URL"), "http://localhost:9/");
    assert.equal(client(fetch, { baseURL: "http://other" }).baseURL, "http://other");
  } finally {
    delete process.env["RUNTIME_TEST_BASE_URL"];
  }
});

test("logging is gated by level and redacts credentials", async () => {
  const lines: unknown[][] = [];
  const sink = { debug: (...a: unknown[]) => lines.push(a), info: (...a: unknown[]) => lines.push(a), warn: (...a: unknown[]) => lines.push(a), error: (...a: unknown[]) => lines.push(a) };
  const { fetch } = scripted([json(200, {}), json(200, {})]);
  await client(fetch, { logLevel: "debug", logger: sink }).request(create, {});
  const text = JSON.stringify(lines);
  assert.match(text, /request POST https:\/\/api.example.test\/v1\/things/);
  assert.match(text, /"authorization":"\*\*\*"/);
  assert.doesNotMatch(text, /sk-secret/);
  lines.length = 0;
  await client(fetch, { logLevel: "warn", logger: sink }).request(create, {});
  assert.equal(lines.length, 0);
  assert.equal(redactURL("http://h/p?a=1&api_key=secret", ["api_key"]), "http://h/p?a=1&api_key=***");
  assert.deepEqual(redactHeaders(new Headers({ "x-api-key": "k", accept: "a" })), { accept: "a", "x-api-key": "***" });
});

test("servers: variables filled from values or defaults, enums checked, a {name} never left in the URL", () => {
  const server = { url: "https://{region}.example.test/{v}/", variables: { region: { default: "eu", enum: ["eu", "us"] }, v: { default: "1" } } };
  assert.equal(serverURL(server), "https://eu.example.test/1");
  assert.equal(serverURL(server, { region: "us", v: "2" }), "https://us.example.test/2");
  assert.throws(() => serverURL(server, { region: "mars" }), /must be one of eu, us/);
  assert.throws(() => serverURL({ url: "https://{x}.test" }), /No value for the server variable "x"/);
  const { fetch } = scripted([]);
  const servers = [{ url: "https://a.test" }, { url: "https://{r}.b.test", name: "b", variables: { r: { default: "x" } } }];
  assert.equal(client(fetch, { servers }).baseURL, "https://a.test");
  assert.equal(client(fetch, { servers, server: "b", serverVariables: { r: "y" } }).baseURL, "https://y.b.test");
  assert.equal(client(fetch, { servers, server: 1 }).baseURL, "https://x.b.test");
  assert.throws(() => client(fetch, { servers, server: "c" }), /No server "c"; the spec has 0, 1 \(b\)/);
});

test("jsonl streams: one JSON value per line", async () => {
  const body = new Response('{"n":1}\n\n{"n":2}\r\n{"n":3}');
  const stream = new Stream<{ n: number }>(body, new AbortController(), "jsonl");
  assert.deepEqual((await stream.toArray()).map((c) => c.n), [1, 2, 3]);
});
