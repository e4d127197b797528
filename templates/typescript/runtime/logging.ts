/** Log lines of the client, gated by a level; secrets are redacted before anything is written. */

export type LogLevel = "debug" | "info" | "warn" | "error" | "off";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };
const ALWAYS_SECRET = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"];

export class Logger {
  readonly level: LogLevel;
  private readonly sink: Pick<Console, "debug" | "info" | "warn" | "error">;

  constructor(level: string, sink: Pick<Console, "debug" | "info" | "warn" | "error">) {
    this.level = level in ORDER ? (level as LogLevel) : "warn";
    this.sink = sink;
  }

  enabled(level: Exclude<LogLevel, "off">): boolean {
    return ORDER[level] >= ORDER[this.level];
  }

  debug(message: string, detail?: unknown): void {
    if (this.enabled("debug")) this.sink.debug(`[sdk] ${message}`, ...(detail === undefined ? [] : [detail]));
  }
  info(message: string): void {
    if (this.enabled("info")) this.sink.info(`[sdk] ${message}`);
  }
  warn(message: string): void {
    if (this.enabled("warn")) this.sink.warn(`[sdk] ${message}`);
  }
}

/** Headers as a plain object with credential values replaced by "***". */
export function redactHeaders(headers: Headers | undefined, secret: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const names = new Set([...ALWAYS_SECRET, ...secret.map((s) => s.toLowerCase())]);
  headers?.forEach((value, name) => {
    out[name] = names.has(name.toLowerCase()) ? "***" : value;
  });
  return out;
}

/** The URL with the values of credential query parameters replaced by "***". */
export function redactURL(url: string, secret: readonly string[] = []): string {
  if (secret.length === 0 || !url.includes("?")) return url;
  const [head, query] = [url.slice(0, url.indexOf("?")), url.slice(url.indexOf("?") + 1)];
  const parts = query.split("&").map((pair) => {
    const name = decodeURIComponent(pair.split("=")[0] ?? "");
    return secret.includes(name) ? `${pair.split("=")[0]}=***` : pair;
  });
  return `${head}?${parts.join("&")}`;
}
