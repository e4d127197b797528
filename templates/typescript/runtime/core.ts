/**
 * The HTTP core every generated client extends: request building, authentication, retries with
 * backoff, timeouts, error mapping, streaming, pagination and logging. Uses only web platform APIs
 * (fetch, AbortController, Headers, ReadableStream, FormData), so it runs on Node >= 18, Deno, Bun
 * and browsers.
 */

import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  MissingCredentialsError,
} from "./errors.js";
import { Page, PagePromise, type PageSpec } from "./pagination.js";
import { APIPromise, type WithResponse } from "./promise.js";
import * as ser from "./serialize.js";
import { Stream } from "./streaming.js";
import { Logger, type LogLevel, redactHeaders, redactURL } from "./logging.js";

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options every generated client accepts (besides its credentials). */
export interface ClientOptions {
  /** Override the server URL (default: the `<PREFIX>_BASE_URL` environment variable, else the chosen server). */
  baseURL?: string | undefined;
  /** Which of the spec's servers to use: its index or its name (default: the first). */
  server?: number | string | undefined;
  /** Values for the `{variables}` of the server URLs (each defaults to the spec's default). */
  serverVariables?: Record<string, string> | undefined;
  /** Milliseconds before a request is abandoned (per attempt). Default 60000. */
  timeout?: number | undefined;
  /** How often a failed request (connection error, 408, 409, 429, 5xx) is retried. Default 2. */
  maxRetries?: number | undefined;
  /** A `fetch` to use instead of the global one (a proxy, a test double, instrumentation). */
  fetch?: Fetch | undefined;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string> | undefined;
  /** Log level ("debug", "info", "warn", "error", "off"); default from the `<PREFIX>_LOG` environment variable, else "warn". */
  logLevel?: LogLevel | undefined;
  /** Where log lines go (default: `console`). */
  logger?: Pick<Console, "debug" | "info" | "warn" | "error"> | undefined;
}

/** Per-call options: the last argument of every method. */
export interface RequestOptions {
  timeout?: number | undefined;
  maxRetries?: number | undefined;
  /** Abort the request (and a stream that is being read). */
  signal?: AbortSignal | undefined;
  /** Extra headers for this call; `null` removes a header the client would send. */
  headers?: Record<string, string | null | undefined> | undefined;
}

/** A credential: a token or key, or a user name and password for basic auth. */
export type Credential = string | readonly [username: string, password: string];

export interface SchemeSpec {
  kind: "bearer" | "basic" | "apikey";
  in: "header" | "query" | "cookie";
  /** Header, query parameter or cookie name (apiKey schemes). */
  name: string;
}

/** Retry policy of an operation (from the spec); times in milliseconds. */
export interface RetryPolicy {
  statusCodes: readonly string[];
  connectionErrors: boolean;
  initialInterval: number;
  maxInterval: number;
  maxElapsedTime: number;
  exponent: number;
}

/** A server of the spec: a URL template whose `{variables}` have defaults (and maybe allowed values). */
export interface ServerSpec {
  url: string;
  name?: string;
  variables?: Record<string, { default: string; enum?: readonly string[] }>;
}

/** The URL of `server` with its variables filled in from `values`, else their defaults. */
export function serverURL(server: ServerSpec, values: Record<string, string> = {}): string {
  const url = server.url.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const variable = server.variables?.[name];
    const value = values[name] ?? variable?.default;
    if (value === undefined) throw new TypeError(`No value for the server variable "${name}" of ${server.url}.`);
    if (variable?.enum?.length && !variable.enum.includes(value)) {
      throw new TypeError(`Server variable "${name}" must be one of ${variable.enum.join(", ")}; got "${value}".`);
    }
    return value;
  });
  return url.replace(/\/+$/, "");
}

/** What a generated method tells the core about its operation. */
export interface OperationSpec {
  method: string;
  path: string;
  params?: readonly ser.ParamSpec[];
  body?: "json" | "multipart" | "form" | "binary";
  /** The params key holding the whole body; absent when the body's fields are params keys themselves. */
  bodyKey?: string;
  contentType?: string;
  /** Form and multipart bodies: a property's style spec or part content type (its `encoding`). */
  encoding?: ser.Encoding;
  response?: "json" | "binary" | "text" | "none";
  /** Other 2XX statuses ("202", "2XX") whose answers are read another way than `response`. */
  responses?: Record<string, "json" | "binary" | "text" | "none">;
  /** Alternatives of scheme names (any one alternative suffices; an empty one means no auth needed). */
  security?: ReadonlyArray<readonly string[]>;
  /** "always" for stream-only operations, else the body field whose `true` asks for a stream. */
  stream?: string;
  /** How the stream is framed ("sse" by default, "jsonl": one JSON value per line) and its media type. */
  streamFraming?: "sse" | "jsonl";
  streamMedia?: string;
  retry?: RetryPolicy;
  /** A server of this operation's own (it wins over the client's). */
  server?: ServerSpec;
}

export interface CoreConfig extends ClientOptions {
  servers: readonly ServerSpec[];
  envPrefix: string;
  schemes: Record<string, SchemeSpec>;
  credentials: Record<string, Credential | undefined>;
}

/** An environment variable, read only where `process` exists (Node, Bun, Deno's Node mode). */
export function readEnv(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = proc?.env?.[name]?.trim();
  return value ? value : undefined;
}

const DEFAULT_RETRY: RetryPolicy = {
  statusCodes: ["408", "409", "429", "5XX"],
  connectionErrors: true,
  initialInterval: 500,
  maxInterval: 8000,
  maxElapsedTime: 3_600_000,
  exponent: 2,
};

export class ClientCore {
  readonly baseURL: string;
  readonly timeout: number;
  readonly maxRetries: number;
  protected readonly config: CoreConfig;
  protected readonly log: Logger;
  private readonly fetchImpl: Fetch;

  constructor(config: CoreConfig) {
    this.config = config;
    this.baseURL = (config.baseURL ?? readEnv(`${config.envPrefix}_BASE_URL`) ?? this.chosenServer()).replace(/\/+$/, "");
    this.timeout = config.timeout ?? 60_000;
    this.maxRetries = config.maxRetries ?? 2;
    const level = config.logLevel ?? (readEnv(`${config.envPrefix}_LOG`) as LogLevel | undefined) ?? "warn";
    this.log = new Logger(level, config.logger ?? console);
    const found = config.fetch ?? (globalThis as { fetch?: Fetch }).fetch;
    if (found === undefined) throw new Error("No fetch available: pass `fetch` in the client options.");
    this.fetchImpl = config.fetch ?? ((input, init) => fetch(input, init));
  }

  private chosenServer(): string {
    const { servers, server } = this.config;
    const found = typeof server === "string" ? servers.find((s) => s.name === server) : servers[server ?? 0];
    if (found === undefined) {
      if (server === undefined) return "http://localhost";
      const known = servers.map((s, i) => (s.name ? `${i} (${s.name})` : String(i))).join(", ");
      throw new TypeError(`No server ${JSON.stringify(server)}; the spec has ${known || "none"}.`);
    }
    return serverURL(found, this.config.serverVariables);
  }

  /** Call an operation; resolves to the parsed body (a `Stream` for streamed answers). */
  request<T>(op: OperationSpec, params: object | undefined, options?: RequestOptions): APIPromise<T> {
    return new APIPromise<T>(this.send<T>(op, (params ?? {}) as Record<string, unknown>, options));
  }

  /** Call a list operation; the result is awaitable (first page) and async-iterable (every item). */
  paginate<Item>(op: OperationSpec, spec: PageSpec, params: object | undefined, options?: RequestOptions): PagePromise<Item> {
    const fetchPage = async (current: Record<string, unknown>, url?: string): Promise<WithResponse<Page<Item>>> => {
      const got = await this.send<unknown>(op, current, options, url);
      const next = (changes: Record<string, unknown>, nextURL?: string) => fetchPage({ ...current, ...changes }, nextURL);
      return { ...got, data: new Page<Item>(got.data, spec, current, next) };
    };
    return new PagePromise<Item>(fetchPage({ ...((params ?? {}) as Record<string, unknown>) }));
  }

  protected async send<T>(op: OperationSpec, params: Record<string, unknown>, options: RequestOptions = {}, url?: string): Promise<WithResponse<T>> {
    const built = await this.build(op, params, options, url);
    const policy = op.retry ?? DEFAULT_RETRY;
    const maxRetries = options.maxRetries ?? this.maxRetries;
    const started = Date.now();
    const replayable = !(typeof ReadableStream !== "undefined" && built.init.body instanceof ReadableStream);
    for (let attempt = 0; ; attempt++) {
      const left = replayable && attempt < maxRetries && Date.now() - started < policy.maxElapsedTime;
      const outcome = await this.attempt<T>(op, params, built.url, built.init, options);
      if (outcome.kind === "ok") return outcome.value;
      if (outcome.kind === "failed") {
        if (!left || !(policy.connectionErrors || outcome.timeout)) throw outcome.error;
        await this.sleep(backoff(policy, attempt, undefined), options.signal, outcome.error.message, built.url);
        continue;
      }
      const { response } = outcome;
      if (left && shouldRetry(response, policy)) {
        await response.body?.cancel().catch(() => undefined);
        await this.sleep(backoff(policy, attempt, response.headers), options.signal, `status ${response.status}`, built.url);
        continue;
      }
      throw APIError.of(response.status, await readBody(response), response.headers, response);
    }
  }

  private async attempt<T>(op: OperationSpec, params: Record<string, unknown>, url: string, init: RequestInit,
                           options: RequestOptions): Promise<
    | { kind: "ok"; value: WithResponse<T> }
    | { kind: "status"; response: Response }
    | { kind: "failed"; error: APIConnectionError; timeout: boolean }
  > {
    if (options.signal?.aborted) throw new APIUserAbortError();
    const controller = new AbortController();
    const timeout = options.timeout ?? this.timeout;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeout);
    const onAbort = () => controller.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const start = Date.now();
    this.log.debug(`request ${init.method} ${redactURL(url, this.secretQueryNames())}`, redactHeaders(init.headers as Headers, this.secretHeaderNames()));
    let streaming = false;
    try {
      let response: Response;
      try {
        response = await this.fetchImpl(url, { ...init, signal: controller.signal });
      } catch (error) {
        if (options.signal?.aborted) throw new APIUserAbortError();
        if (timedOut) return { kind: "failed", error: new APIConnectionTimeoutError(), timeout: true };
        return { kind: "failed", error: new APIConnectionError(undefined, { cause: error }), timeout: false };
      }
      this.log.info(`response ${init.method} ${redactURL(url, this.secretQueryNames())} ${response.status} in ${Date.now() - start} ms`);
      if (!response.ok) return { kind: "status", response };
      const wantsStream = op.stream === "always" || (op.stream !== undefined && params[op.stream] === true);
      const kind = op.responses?.[String(response.status)] ?? op.responses?.[`${String(response.status)[0]}XX`] ?? op.response;
      let data: unknown;
      if (wantsStream) {
        streaming = true;
        clearTimeout(timer);
        data = new Stream<unknown>(response, controller, op.streamFraming ?? "sse");
      } else if (kind === "binary") {
        streaming = true;
        clearTimeout(timer);
        data = response;
      } else if (kind === "none") {
        await response.body?.cancel().catch(() => undefined);
        data = undefined;
      } else if (kind === "text") {
        data = await response.text();
      } else {
        data = await readBody(response);
      }
      return { kind: "ok", value: { data: data as T, response, status: response.status, headers: response.headers } };
    } catch (error) {
      if (options.signal?.aborted) throw new APIUserAbortError();
      if (timedOut) return { kind: "failed", error: new APIConnectionTimeoutError(), timeout: true };
      throw error;
    } finally {
      clearTimeout(timer);
      if (!streaming) options.signal?.removeEventListener("abort", onAbort);
    }
  }

  private async sleep(ms: number, signal: AbortSignal | undefined, why: string, url: string): Promise<void> {
    this.log.warn(`retrying ${redactURL(url, this.secretQueryNames())} in ${Math.round(ms)} ms (${why})`);
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(new APIUserAbortError());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  private secretHeaderNames(): string[] {
    return Object.values(this.config.schemes).filter((s) => s.in === "header").map((s) => s.name.toLowerCase());
  }

  private secretQueryNames(): string[] {
    return Object.values(this.config.schemes).filter((s) => s.in === "query").map((s) => s.name);
  }

  /** URL and fetch init of one call (the same for every attempt). */
  protected async build(op: OperationSpec, params: Record<string, unknown>, options: RequestOptions, nextURL?: string): Promise<{ url: string; init: RequestInit }> {
    const headers = new Headers(this.config.defaultHeaders);
    const query: Array<[string, string]> = [];
    const cookies: string[] = [];
    let path = op.path.split("#")[0]!; // a fragment (`/files/{id}#get_shared_link` tells operations apart) is never sent
    const taken = new Set<string>();
    for (const [name, location, style] of op.params ?? []) {
      taken.add(name);
      const value = params[name];
      if (location === "path") {
        if (value === undefined || value === null) throw new TypeError(`Missing required path parameter "${name}".`);
        path = path.replace(`{${name}}`, ser.pathParam(name, value, style ?? ""));
      } else if (value === undefined || value === null) {
        continue;
      } else if (location === "query") {
        query.push(...ser.queryPairs(name, value, style ?? ""));
      } else if (location === "header") {
        headers.set(name, ser.headerValue(value, style ?? ""));
      } else {
        cookies.push(...ser.cookieParts(name, value, style ?? ""));
      }
    }
    this.authenticate(op, headers, query, cookies);
    if (cookies.length) headers.set("cookie", cookies.join("; "));
    const base = op.server !== undefined ? serverURL(op.server, this.config.serverVariables) : this.baseURL;
    let url = nextURL ?? base + path;
    if (nextURL === undefined && query.length) url += (url.includes("?") ? "&" : "?") + ser.joinPairs(query);
    const init: RequestInit = { method: op.method.toUpperCase(), headers };
    if (op.body !== undefined) {
      const body = op.bodyKey !== undefined ? params[op.bodyKey]
        : Object.fromEntries(Object.entries(params).filter(([k, v]) => !taken.has(k) && v !== undefined));
      if (body !== undefined) {
        if (op.body === "json") {
          headers.set("content-type", op.contentType ?? "application/json");
          init.body = JSON.stringify(body);
        } else if (op.body === "multipart") {
          init.body = await ser.multipartBody(body as Record<string, unknown>, op.encoding);
        } else if (op.body === "form") {
          headers.set("content-type", "application/x-www-form-urlencoded");
          init.body = ser.formBody(body as Record<string, unknown>, op.encoding);
        } else {
          headers.set("content-type", op.contentType ?? "application/octet-stream");
          init.body = body instanceof Uint8Array ? new Blob([body.slice()]) : (body as RequestInit["body"]);
          if (typeof ReadableStream !== "undefined" && body instanceof ReadableStream) Object.assign(init, { duplex: "half" });
        }
      }
    }
    const wantsStream = op.stream === "always" || (op.stream !== undefined && params[op.stream] === true);
    if (!headers.has("accept")) headers.set("accept", wantsStream ? op.streamMedia ?? "text/event-stream" : "application/json");
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value === null) headers.delete(name);
      else if (value !== undefined) headers.set(name, value);
    }
    return { url, init };
  }

  private authenticate(op: OperationSpec, headers: Headers, query: Array<[string, string]>, cookies: string[]): void {
    const alternatives = op.security ?? [];
    if (alternatives.length === 0) return;
    const creds = this.config.credentials;
    const usable = alternatives.find((alt) => alt.every((name) => creds[name] !== undefined && this.config.schemes[name] !== undefined));
    if (usable === undefined) {
      const needed = alternatives.map((alt) => alt.join(" + ")).join(" or ");
      throw new MissingCredentialsError(`This operation needs credentials (${needed}): pass them to the client or set their environment variables.`);
    }
    for (const name of usable) {
      const scheme = this.config.schemes[name]!;
      const credential = creds[name]!;
      if (scheme.kind === "basic") {
        const [user, password] = typeof credential === "string" ? [credential, ""] : credential;
        headers.set("authorization", `Basic ${base64(`${user}:${password}`)}`);
      } else if (scheme.kind === "bearer") {
        headers.set("authorization", `Bearer ${String(credential)}`);
      } else if (scheme.in === "query") {
        query.push([ser.pct(scheme.name), ser.pct(String(credential))]);
      } else if (scheme.in === "cookie") {
        cookies.push(`${scheme.name}=${ser.pct(String(credential))}`);
      } else {
        headers.set(scheme.name, String(credential));
      }
    }
  }
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The body as JSON when it parses, else as text (undefined when empty). */
export async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function statusMatches(status: number, codes: readonly string[]): boolean {
  return codes.some((c) => c === String(status) || (/^[1-5]XX$/i.test(c) && c[0] === String(status)[0]));
}

export function shouldRetry(response: Response, policy: RetryPolicy): boolean {
  const hint = response.headers.get("x-should-retry");
  if (hint === "true") return true;
  if (hint === "false") return false;
  return statusMatches(response.status, policy.statusCodes);
}

/** Milliseconds to wait before retry number `attempt` + 1: the server's Retry-After when sane, else jittered exponential backoff. */
export function backoff(policy: RetryPolicy, attempt: number, headers: Headers | undefined, random: () => number = Math.random): number {
  const ms = headers?.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms)) && Number(ms) >= 0 && Number(ms) <= 60_000) return Number(ms);
  const after = headers?.get("retry-after");
  if (after) {
    const seconds = Number(after);
    const wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(after) - Date.now();
    if (Number.isFinite(wait) && wait >= 0 && wait <= 60_000) return wait;
  }
  const base = Math.min(policy.initialInterval * Math.pow(policy.exponent, attempt), policy.maxInterval);
  return base * (1 - 0.25 * random());
}
