// A scripted fetch for the runtime tests: records every request, answers from a queue.
import { ClientCore, type CoreConfig, type Fetch } from "../../../templates/typescript/runtime/core.js";

export interface Seen {
  url: string;
  method: string;
  headers: Headers;
  body: BodyInit | null | undefined;
}

export type Answer = Response | Error | ((init: RequestInit) => Promise<Response>);

export function scripted(answers: Answer[]): { fetch: Fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetch: Fetch = async (input, init = {}) => {
    seen.push({ url: String(input), method: init.method ?? "GET", headers: new Headers(init.headers), body: init.body });
    const next = answers.shift();
    if (next === undefined) throw new Error("no scripted answer left");
    if (next instanceof Error) throw next;
    if (typeof next === "function") return next(init);
    return next;
  };
  return { fetch, seen };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

export function client(fetch: Fetch, extra: Partial<CoreConfig> = {}): ClientCore {
  return new ClientCore({
    servers: [{ url: "https://api.example.test/v1" }],
    envPrefix: "RUNTIME_TEST",
    schemes: { Bearer: { kind: "bearer", in: "header", name: "Authorization" } },
    credentials: { Bearer: "sk-secret" },
    fetch,
    logLevel: "off",
    ...extra,
  });
}
