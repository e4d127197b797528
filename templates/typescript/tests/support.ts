/**
 * A mock API for the generated tests: `new MockAPI(operationId, reply)` is a `fetch` for one operation.
 * Every request must be that operation's method and path, carry its required parameters (with values
 * of the declared types), a body of a declared content type that validates against the declared
 * schema, and credentials for one of its security requirements. A request that does not is answered
 * with status 418 (never retried) and recorded, so the call and `checkCalled` fail saying what is wrong.
 * The replies come from `replies.json` (the spec's examples, else values built from its schemas) and the
 * spec from `spec.json`, both written by the generator next to this file.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

export const BASE_URL = "http://sdk.test";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: unknown } | boolean;

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  schema: Schema;
  style?: string;
  explode?: boolean;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body: { required: boolean; content: Record<string, Schema> } | null;
  security: string[][];
  servers?: string[]; // the operation's own servers (the client sends it there, not to its base URL)
}

interface Spec {
  operations: Record<string, Operation>;
  security_schemes: Record<string, { type?: string; scheme?: string; in?: string; name?: string }>;
  defs: Record<string, Schema>;
}

interface Reply {
  status: number;
  content_type: string;
  json?: Json;
  text?: string;
}

// Compiled into .test-build/tests/: the JSON files stay in tests/.
const here = new URL("../../tests/", import.meta.url);
const spec = JSON.parse(readFileSync(new URL("spec.json", here), "utf8")) as Spec;
const replies = JSON.parse(readFileSync(new URL("replies.json", here), "utf8")) as Record<string, Record<string, Reply | Reply[]>>;

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= 60 ? text : text.slice(0, 57) + "...";
}

function deref(schema: Schema): Schema {
  for (let i = 0; i < 64 && typeof schema === "object" && typeof schema["$ref"] === "string"; i++) {
    schema = spec.defs[schema["$ref"]] ?? {};
  }
  return schema;
}

function isType(value: unknown, name: unknown): boolean {
  switch (name) {
    case "integer": return typeof value === "number" && Number.isInteger(value);
    case "number": return typeof value === "number";
    case "string": return typeof value === "string";
    case "boolean": return typeof value === "boolean";
    case "array": return Array.isArray(value);
    case "object": return value !== null && typeof value === "object" && !Array.isArray(value);
    case "null": return value === null;
    default: return true;
  }
}

/** The ways `value` breaks `schema` (types, enum, const, objects, arrays, allOf/anyOf/oneOf, bounds). */
export function validate(raw: Schema, value: unknown, where = "$"): string[] {
  const schema = deref(raw);
  if (schema === false) return [`${where}: no value is allowed here`];
  if (schema === true || typeof schema !== "object" || Object.keys(schema).length === 0) return [];
  const errors: string[] = [];
  for (const sub of (schema["allOf"] as Schema[] | undefined) ?? []) errors.push(...validate(sub, value, where));
  for (const key of ["anyOf", "oneOf"]) {
    const subs = schema[key] as Schema[] | undefined;
    if (subs && subs.length && subs.every((sub) => validate(sub, value, where).length > 0)) {
      errors.push(`${where}: ${short(value)} matches none of the ${subs.length} ${key} schemas`);
    }
  }
  if (value === null && schema["nullable"] === true) return errors;
  if ("const" in schema && !isDeepEqual(value, schema["const"])) errors.push(`${where}: ${short(value)} is not the constant ${short(schema["const"])}`);
  const allowedValues = schema["enum"];
  if (Array.isArray(allowedValues) && !allowedValues.some((v) => isDeepEqual(v, value))) {
    errors.push(`${where}: ${short(value)} is not one of ${short(allowedValues)}`);
  }
  const types = schema["type"];
  if (types !== undefined) {
    const allowed = Array.isArray(types) ? types : [types];
    if (!allowed.some((t) => isType(value, t))) return [...errors, `${where}: expected ${allowed.join(" or ")}, got ${short(value)}`];
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => errors.push(...validate((schema["items"] as Schema | undefined) ?? {}, v, `${where}[${i}]`)));
    if (typeof schema["minItems"] === "number" && value.length < schema["minItems"]) errors.push(`${where}: fewer than ${schema["minItems"]} items`);
  } else if (value !== null && typeof value === "object") {
    errors.push(...checkObject(schema, value as Record<string, unknown>, where));
  } else if (typeof value === "string") {
    if (typeof schema["minLength"] === "number" && value.length < schema["minLength"]) errors.push(`${where}: shorter than ${schema["minLength"]} characters`);
  } else if (typeof value === "number") {
    if (typeof schema["minimum"] === "number" && value < schema["minimum"]) errors.push(`${where}: ${value} is below the minimum ${schema["minimum"]}`);
    if (typeof schema["maximum"] === "number" && value > schema["maximum"]) errors.push(`${where}: ${value} is above the maximum ${schema["maximum"]}`);
  }
  return errors;
}

function checkObject(schema: { [key: string]: unknown }, value: Record<string, unknown>, where: string): string[] {
  // A required property that is readOnly is required in responses only (OpenAPI 3.0 and 3.1).
  const errors = ((schema["required"] as string[] | undefined) ?? [])
    .filter((name) => !(name in value) && !readOnly(schema, name))
    .map((name) => `${where}: required property ${JSON.stringify(name)} is missing`);
  const properties = (schema["properties"] as Record<string, Schema> | undefined) ?? {};
  const extra = schema["additionalProperties"] as Schema | undefined;
  for (const [key, v] of Object.entries(value)) {
    const declared = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
    if (declared !== undefined) errors.push(...validate(declared, v, `${where}.${key}`));
    else if (extra === false && !mentioned(schema, key)) errors.push(`${where}: unknown property ${JSON.stringify(key)}`);
    else if (extra !== undefined && typeof extra === "object") errors.push(...validate(extra, v, `${where}.${key}`));
  }
  return errors;
}

/** Whether `schema` (or an allOf member) declares property `key` as readOnly. */
function readOnly(schema: { [key: string]: unknown }, key: string): boolean {
  const properties = (schema["properties"] as Record<string, Schema> | undefined) ?? {};
  const raw = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
  const prop = raw === undefined ? undefined : deref(raw);
  if (typeof prop === "object" && prop["readOnly"] === true) return true;
  return ((schema["allOf"] as Schema[] | undefined) ?? []).some((sub) => {
    const member = deref(sub);
    return typeof member === "object" && readOnly(member, key);
  });
}

/** Whether an allOf member declares `key` (closed objects composed with allOf). */
function mentioned(schema: { [key: string]: unknown }, key: string): boolean {
  return ((schema["allOf"] as Schema[] | undefined) ?? []).some((raw) => {
    const sub = deref(raw);
    return typeof sub === "object" && (key in ((sub["properties"] as object | undefined) ?? {}) || mentioned(sub, key));
  });
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------------------- request checks
function primitive(raw: Schema): boolean {
  const schema = deref(raw);
  if (typeof schema !== "object" || "content" in schema) return false;
  const types = schema["type"];
  const allowed = Array.isArray(types) ? types : [types];
  return types !== undefined && allowed.every((t) => ["string", "integer", "number", "boolean", "null"].includes(String(t)));
}

function scalar(raw: Schema, text: string): unknown {
  const schema = deref(raw);
  if (typeof schema !== "object") return text;
  const types = schema["type"];
  const allowed = Array.isArray(types) ? types : [types];
  if ((allowed.includes("integer") || allowed.includes("number")) && text.trim() !== "" && !Number.isNaN(Number(text))) return Number(text);
  if (allowed.includes("boolean") && (text === "true" || text === "false")) return text === "true";
  return text;
}

function pathPattern(path: string): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  let out = "";
  let last = 0;
  for (const m of path.matchAll(/\{([^}/]+)\}/g)) {
    out += escape(path.slice(last, m.index)) + "([^/]*)";
    last = (m.index ?? 0) + m[0].length;
  }
  return new RegExp("^" + out + escape(path.slice(last)) + "$");
}

function cookiesOf(headers: Headers): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name) out.set(name, rest.join("="));
  }
  return out;
}

function mediaMatches(declared: string, sent: string): boolean {
  if (declared === "*/*" || declared === sent) return true;
  const [kind, sub] = declared.split("/");
  return sub === "*" && sent.startsWith(kind + "/");
}

function requiredFields(raw: Schema, present: (name: string) => boolean): string[] {
  const schema = deref(raw);
  if (typeof schema !== "object") return [];
  return ((schema["required"] as string[] | undefined) ?? []).filter((n) => !present(n) && !readOnly(schema, n))
    .map((n) => `body field ${JSON.stringify(n)} is required but missing`);
}

async function checkBody(op: Operation, request: Request): Promise<string[]> {
  const content = await request.text();
  const body = op.body;
  if (body === null) return [];
  if (!content) {
    if (!body.required) return [];
    const forms = Object.entries(body.content).filter(([m]) => /^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(m));
    if (forms.some(([, s]) => requiredFields(s, () => false).length === 0)) return [];
    return ["the request body is required but empty"];
  }
  const sent = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const declared = Object.keys(body.content).filter((m) => mediaMatches(m.split(";")[0]!.trim().toLowerCase(), sent));
  if (declared.length === 0) return [`content type ${JSON.stringify(sent)} is not one of ${short(Object.keys(body.content))}`];
  const schema = body.content[declared[0]!] ?? {};
  if (sent === "application/json" || sent.endsWith("+json")) {
    let data: unknown;
    try {
      data = JSON.parse(content);
    } catch (e) {
      return [`the JSON body does not parse: ${String(e)}`];
    }
    return validate(schema, data, "body");
  }
  if (sent === "application/x-www-form-urlencoded") {
    const form = new URLSearchParams(content);
    return requiredFields(schema, (n) => form.has(n) || [...form.keys()].some((k) => k.startsWith(n + "[")));
  }
  if (sent.startsWith("multipart/")) return requiredFields(schema, (n) => content.includes(`name="${n}"`));
  return [];
}

function checkSecurity(requirements: string[][], request: Request, query: URLSearchParams, cookies: Map<string, string>): string[] {
  if (requirements.length === 0 || requirements.some((names) => names.length === 0)) return [];
  const auth = (request.headers.get("authorization") ?? "").toLowerCase();
  const sent = (name: string): boolean => {
    const s = spec.security_schemes[name] ?? {};
    if (s.type === "apiKey") {
      const key = s.name ?? "";
      if (s.in === "query") return query.has(key);
      if (s.in === "cookie") return cookies.has(key);
      return request.headers.has(key);
    }
    if (s.type === "http" && String(s.scheme ?? "").toLowerCase() === "basic") return auth.startsWith("basic ");
    return auth.startsWith("bearer ");
  };
  if (requirements.some((names) => names.every(sent))) return [];
  return [`no credentials for any of the security requirements ${short(requirements)}`];
}

/** The ways `request` breaks what the spec says of operation `operationId`. */
export async function checkRequest(operationId: string, request: Request): Promise<string[]> {
  const op = spec.operations[operationId];
  if (op === undefined) return [`operation ${operationId} is not in spec.json`];
  const errors: string[] = [];
  if (request.method !== op.method.toUpperCase()) errors.push(`method ${request.method}, expected ${op.method.toUpperCase()}`);
  const [path = "", fixed = ""] = op.path.split("#")[0]!.split("?");
  const url = new URL(request.url);
  const bases = url.origin === new URL(BASE_URL).origin ? [new URL(BASE_URL).pathname] : (op.servers ?? [])
    .map((s) => s.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "").split("?")[0]!);
  let match: RegExpExecArray | null = null;
  for (const base of bases) {
    const prefix = pathPattern(base.replace(/\/+$/, "")).source.slice(1, -1);
    match ??= new RegExp("^" + prefix + pathPattern(path).source.slice(1)).exec(url.pathname);
  }
  if (match === null) return [...errors, `path ${JSON.stringify(url.pathname)} does not match ${JSON.stringify(path)}`];
  const query = url.searchParams;
  for (const pair of fixed.split("&").filter(Boolean)) {
    const [name = "", value = ""] = pair.split("=");
    if (!query.getAll(name).includes(value)) errors.push(`query ${name}=${value} written in the path is missing`);
  }
  const names = [...path.matchAll(/\{([^}/]+)\}/g)].map((m) => m[1]!);
  const found = match.slice(match.length - names.length);
  const values = new Map(names.map((n, i) => [n, decodeURIComponent(found[i] ?? "")]));
  const cookies = cookiesOf(request.headers);
  const declared = new Set(op.parameters.map((p) => p.name));
  const keys = [...query.keys()];
  for (const p of op.parameters) {
    let raw: string[] = [];
    if (p.in === "path") {
      let text = values.get(p.name) ?? "";
      if (p.style === "label") text = text.slice(1);
      else if (p.style === "matrix") text = text.startsWith(`;${p.name}=`) ? text.slice(p.name.length + 2) : "";
      raw = text ? [text] : [];
    } else if (p.in === "query") {
      raw = query.getAll(p.name);
      if (!raw.length) raw = keys.filter((k) => k.startsWith(p.name + "[")).flatMap((k) => query.getAll(k));
      if (!raw.length && (p.style ?? "form") === "form" && p.explode !== false && !primitive(p.schema)) {
        raw = keys.filter((k) => !declared.has(k)).flatMap((k) => query.getAll(k));
      }
    } else if (p.in === "header") {
      const value = request.headers.get(p.name);
      raw = value === null ? [] : [value];
    } else {
      const value = cookies.get(p.name);
      raw = value === undefined ? [] : [decodeURIComponent(value)];
    }
    if (!raw.length) {
      if (p.required) errors.push(`required ${p.in} parameter ${JSON.stringify(p.name)} is missing`);
      continue;
    }
    if (primitive(p.schema) && raw.length === 1) errors.push(...validate(p.schema, scalar(p.schema, raw[0]!), `${p.in} parameter ${p.name}`));
    if (raw.some((text) => text.startsWith("[object "))) errors.push(`${p.in} parameter ${JSON.stringify(p.name)} was sent as ${raw[0]}`);
  }
  errors.push(...await checkBody(op, request));
  errors.push(...checkSecurity(op.security, request, query, cookies));
  return errors;
}

// ------------------------------------------------------------------------------------- the mock
/** Serves operation `operationId`: `reply` picks the canned answer ("ok", a status such as "404",
 * "stream", or "pages" for a paginated list's pages); `failFirst` answers 503 that many times first. */
export class MockAPI {
  readonly requests: Request[] = [];
  readonly problems: string[] = [];

  constructor(readonly operationId: string, readonly reply = "ok", readonly failFirst = 0) {}

  /** The reply's JSON body ("ok" by default). */
  answer(name = this.reply): unknown {
    const found = replies[this.operationId]?.[name];
    return Array.isArray(found) ? found[0]?.json : found?.json;
  }

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const errors = await checkRequest(this.operationId, request.clone());
    if (errors.length) {
      this.problems.push(...errors);
      const text = `${this.operationId}: the request breaks the spec: ${errors.join("; ")}`;
      return new Response(JSON.stringify({ message: text }), { status: 418, headers: { "content-type": "application/json", "x-should-retry": "false" } });
    }
    this.requests.push(request);
    if (this.requests.length <= this.failFirst) {
      return new Response(JSON.stringify({ error: "unavailable" }), { status: 503, headers: { "content-type": "application/json", "retry-after-ms": "1" } });
    }
    const answers = replies[this.operationId] ?? {};
    const found = answers[this.reply];
    const answer = Array.isArray(found) ? found[Math.min(this.requests.length - this.failFirst, found.length) - 1] : found;
    if (answer === undefined) throw new Error(`no reply ${this.reply} for ${this.operationId}`);
    const headers: Record<string, string> = answer.content_type ? { "content-type": answer.content_type } : {};
    const content = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.text ?? "");
    const empty = answer.status === 204 || answer.status === 304;
    return new Response(empty ? null : content, { status: answer.status, headers });
  };

  /** That the mock saw `times` requests, each as the spec says. */
  checkCalled(times = 1): void {
    assert.deepStrictEqual(this.problems, [], `${this.operationId}: the requests break the spec`);
    assert.equal(this.requests.length, times, `expected ${times} request(s), got ${this.requests.length}`);
  }
}

/** Every property `expected` names has that value in `actual` (objects), arrays item by item. */
export function assertMatches(actual: unknown, expected: unknown, where = "$"): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array, got ${short(actual)}`);
    assert.equal(actual.length, expected.length, `${where}: expected ${expected.length} items`);
    expected.forEach((e, i) => assertMatches(actual[i], e, `${where}[${i}]`));
  } else if (expected !== null && typeof expected === "object" && !(expected instanceof Blob)) {
    assert.ok(actual !== null && typeof actual === "object", `${where}: expected an object, got ${short(actual)}`);
    for (const [key, value] of Object.entries(expected)) {
      assertMatches((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
    }
  } else if (!(expected instanceof Blob)) {
    assert.deepStrictEqual(actual, expected, `${where}: expected ${short(expected)}, got ${short(actual)}`);
  }
}
