/**
 * OpenAPI parameter serialisation (path, query, header and cookie styles) and request bodies
 * (JSON, multipart/form-data, application/x-www-form-urlencoded, raw binary).
 */

/** What a file upload may be: anything `fetch` can send as a part or a body. */
export type Uploadable = Blob | File | ReadableStream<Uint8Array> | Uint8Array;

/** `[wire name, location, style]`; style "" means the default of its location (OpenAPI 3). */
export type ParamSpec = readonly [name: string, location: "path" | "query" | "header" | "cookie", style?: string];

type Scalar = string | number | boolean;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !isUploadable(value);
}

export function isUploadable(value: unknown): value is Uploadable {
  return (
    (typeof Blob !== "undefined" && value instanceof Blob) ||
    value instanceof Uint8Array ||
    (typeof ReadableStream !== "undefined" && value instanceof ReadableStream)
  );
}

function scalar(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value as Scalar);
}

/** Path parameter text for `simple` (default), `label` and `matrix` styles, percent-encoded. */
export function pathParam(name: string, value: unknown, style = "simple", explode = false): string {
  const enc = encodeURIComponent;
  const prefix = style === "label" ? "." : style === "matrix" ? `;` : "";
  if (Array.isArray(value)) {
    const items = value.map((v) => enc(scalar(v)));
    if (style === "matrix") return explode ? items.map((i) => `;${name}=${i}`).join("") : `;${name}=${items.join(",")}`;
    return prefix + items.join(explode && style === "label" ? "." : ",");
  }
  if (isPlainObject(value)) {
    const pairs = Object.entries(value).filter(([, v]) => v !== undefined);
    if (style === "matrix") {
      return explode
        ? pairs.map(([k, v]) => `;${enc(k)}=${enc(scalar(v))}`).join("")
        : `;${name}=${pairs.map(([k, v]) => `${enc(k)},${enc(scalar(v))}`).join(",")}`;
    }
    const parts = pairs.map(([k, v]) => (explode ? `${enc(k)}=${enc(scalar(v))}` : `${enc(k)},${enc(scalar(v))}`));
    return prefix + parts.join(explode && style === "label" ? "." : ",");
  }
  return style === "matrix" ? `;${name}=${enc(scalar(value))}` : prefix + enc(scalar(value));
}

/**
 * Query pairs for one parameter. Styles: "" (form, exploded), "form-noexplode", "spaceDelimited",
 * "pipeDelimited", "deepObject"; objects under plain form explode into their own keys.
 */
export function queryPairs(name: string, value: unknown, style = ""): Array<[string, string]> {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    const items = value.filter((v) => v !== undefined && v !== null).map(scalar);
    if (style === "form-noexplode") return [[name, items.join(",")]];
    if (style === "spaceDelimited") return [[name, items.join(" ")]];
    if (style === "pipeDelimited") return [[name, items.join("|")]];
    return items.map((i) => [name, i]);
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
    if (style === "deepObject") return entries.flatMap(([k, v]) => deepPairs(`${name}[${k}]`, v));
    if (style === "form-noexplode") return [[name, entries.map(([k, v]) => `${k},${scalar(v)}`).join(",")]];
    return entries.map(([k, v]) => [k, scalar(v)]);
  }
  return [[name, scalar(value)]];
}

function deepPairs(prefix: string, value: unknown): Array<[string, string]> {
  if (Array.isArray(value)) return value.flatMap((v, i) => deepPairs(`${prefix}[${i}]`, v));
  if (isPlainObject(value)) {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .flatMap(([k, v]) => deepPairs(`${prefix}[${k}]`, v));
  }
  return [[prefix, scalar(value)]];
}

/** A header value (`simple` style): arrays comma-joined, objects as `k,v,k,v`. */
export function headerValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(scalar).join(",");
  if (isPlainObject(value)) return Object.entries(value).map(([k, v]) => `${k},${scalar(v)}`).join(",");
  return scalar(value);
}

/** The query string (without `?`) of `pairs`, in order, RFC 3986 encoded. */
export function queryString(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}

/** JSON with `undefined` members dropped (as JSON.stringify does) and binary refused early. */
export function jsonBody(body: unknown): string {
  return JSON.stringify(body);
}

async function toBlob(value: Uploadable): Promise<Blob> {
  if (value instanceof Blob) return value;
  if (value instanceof Uint8Array) return new Blob([value.slice()]);
  return await new Response(value).blob();
}

/** multipart/form-data: files as parts (a `File` keeps its name), arrays repeat the key, objects as JSON. */
export async function multipartBody(fields: Record<string, unknown>): Promise<FormData> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (isUploadable(item)) {
        const name = typeof File !== "undefined" && item instanceof File ? item.name : key;
        form.append(key, await toBlob(item), name);
      } else {
        form.append(key, scalar(item));
      }
    }
  }
  return form;
}

/** application/x-www-form-urlencoded: like an exploded form query, objects as deepObject keys. */
export function formBody(fields: Record<string, unknown>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    const pairs = isPlainObject(value) ? queryPairs(key, value, "deepObject") : queryPairs(key, value);
    for (const [k, v] of pairs) params.append(k, v);
  }
  return params;
}
