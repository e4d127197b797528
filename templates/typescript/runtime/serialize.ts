/**
 * How parameters and form fields go on the wire (every OpenAPI 3.0/3.1 `style`) and request bodies
 * (JSON, multipart/form-data, application/x-www-form-urlencoded, raw binary).
 *
 * A parameter's serialisation is a style spec string: `"<style>"` with optional `;explode=true`,
 * `;explode=false` and `;allowReserved` (`"form;explode=false"`, `"deepObject"`,
 * `"matrix;explode=true"`), "" for the location's default; or a media type (anything with a `/`)
 * for parameters declared with `content:`, sent as that media type's text (JSON for JSON types).
 * `explode` defaults to true for `form` and `cookie`, false for the other styles. Values nested
 * deeper than a style defines are sent as compact JSON text. Values (never delimiters) are
 * percent-encoded in paths, queries, cookies and form bodies; header values are sent as they are.
 */

/** What a file upload may be: anything `fetch` can send as a part or a body. */
export type Uploadable = Blob | File | ReadableStream<Uint8Array> | Uint8Array;

export type Location = "path" | "query" | "header" | "cookie";

/** `[wire name, location, style spec]` (see the module comment). */
export type ParamSpec = readonly [name: string, location: Location, style?: string];

export interface Style {
  name: string;
  explode: boolean;
  allowReserved: boolean;
  mediaType: string | null;
}

type Encoder = (text: string) => string;

const DEFAULT_STYLE: Record<Location, string> = { path: "simple", header: "simple", query: "form", cookie: "form" };

export function parseStyle(spec: string, location: Location = "query"): Style {
  spec = spec.trim();
  if (spec.includes("/")) return { name: "", explode: false, allowReserved: false, mediaType: spec };
  const [first = "", ...options] = spec.split(";").map((p) => p.trim());
  const name = first || DEFAULT_STYLE[location];
  const style: Style = { name, explode: name === "form" || name === "cookie", allowReserved: false, mediaType: null };
  for (const option of options) {
    if (option === "explode" || option === "explode=true") style.explode = true;
    else if (option === "explode=false") style.explode = false;
    else if (option === "allowReserved" || option === "allowReserved=true") style.allowReserved = true;
    else if (option === "allowReserved=false") style.allowReserved = false;
    else if (option) throw new TypeError(`Unknown style option "${option}" in "${spec}"`);
  }
  return style;
}

export function isUploadable(value: unknown): value is Uploadable {
  return (
    (typeof Blob !== "undefined" && value instanceof Blob) ||
    value instanceof Uint8Array ||
    (typeof ReadableStream !== "undefined" && value instanceof ReadableStream)
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !isUploadable(value) && !(value instanceof Date);
}

/** Strict RFC 3986 encoding: only unreserved characters are left as they are. */
export function pct(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// Reserved characters `allowReserved` lets through in a query: all but "[", "]", "#" (not allowed
// in a query) and "&", "+", "=" (meaningful in form-style query strings); %XX triples pass as well.
const QUERY_RESERVED = new Set([":", "/", "?", "@", "!", "$", "'", "(", ")", "*", ",", ";"]);

export function pctReserved(text: string): string {
  return text.split(/(%[0-9A-Fa-f]{2})/).map((part, i) => (i % 2 === 1 ? part
    : [...part].map((c) => (QUERY_RESERVED.has(c) ? c : pct(c))).join(""))).join("");
}

const identity: Encoder = (text) => text;

/** The wire text of a scalar: booleans as `true`/`false`, null as "". */
export function primitive(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function atom(value: unknown): string {
  return value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : primitive(value);
}

/** `value` as the text of `mediaType`: JSON unless a plain string goes as a non-JSON type (text/plain). */
export function mediaText(value: unknown, mediaType: string): string {
  const base = (mediaType.split(";")[0] ?? "").trim().toLowerCase();
  const json = base === "application/json" || base.endsWith("+json");
  if (!json && (value === null || typeof value !== "object")) return primitive(value);
  return JSON.stringify(value);
}

function items(values: unknown[], enc: Encoder): string[] {
  return values.filter((v) => v !== null && v !== undefined).map((v) => enc(atom(v)));
}

function props(value: Record<string, unknown>, enc: Encoder): Array<[string, string]> {
  return Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [enc(k), enc(atom(v))]);
}

/** RFC 6570 `simple` / `label` / `matrix` expansion (path parameters, headers). */
export function expandSimple(name: string, value: unknown, style: Style, enc: Encoder = pct): string {
  const [prefix, sep] = style.name === "label" ? [".", style.explode ? "." : ","]
    : style.name === "matrix" ? [";", style.explode ? ";" : ","] : ["", ","];
  const key = enc(name);
  if (Array.isArray(value)) {
    const list = items(value, enc);
    if (style.name === "matrix") return style.explode ? list.map((v) => `;${key}=${v}`).join("") : `;${key}=${list.join(",")}`;
    return prefix + list.join(sep);
  }
  if (isObject(value)) {
    const pairs = props(value, enc);
    if (style.explode) return prefix + pairs.map(([k, v]) => `${k}=${v}`).join(sep);
    const flat = pairs.map(([k, v]) => `${k},${v}`).join(",");
    return style.name === "matrix" ? `;${key}=${flat}` : prefix + flat;
  }
  const text = enc(atom(value));
  if (style.name === "matrix") return text ? `;${key}=${text}` : `;${key}`;
  return prefix + text;
}

/** A path parameter's text; "." and ".." are encoded so that a value cannot climb the path. */
export function pathParam(name: string, value: unknown, spec = ""): string {
  const style = parseStyle(spec, "path");
  let text = style.mediaType !== null ? pct(mediaText(value, style.mediaType)) : expandSimple(name, value, style, pct);
  if (text === "") throw new TypeError(`Expected a non-empty value for path parameter "${name}".`);
  if (text === "." || text === "..") text = text.replace(/\./g, "%2E");
  return text;
}

function deepObject(prefix: string, value: unknown, enc: Encoder, out: Array<[string, string]>): void {
  if (Array.isArray(value)) for (const item of value) deepObject(`${prefix}[]`, item, enc, out);
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) deepObject(`${prefix}[${k}]`, v, enc, out);
  else if (value !== null && value !== undefined) out.push([enc(prefix), enc(primitive(value))]);
}

function delimiter(style: Style, enc: Encoder): string {
  return style.name === "spaceDelimited" ? enc(" ") : style.name === "pipeDelimited" ? enc("|") : ",";
}

/**
 * A query, cookie or form parameter as encoded (name, value) pairs: `form` (explode: a pair per
 * item or property, else `name=a,b`), `spaceDelimited` / `pipeDelimited`, `deepObject` (`name[k]=v`).
 */
export function serializePairs(name: string, value: unknown, style: Style, enc: Encoder = pct): Array<[string, string]> {
  if (value === null || value === undefined) return [];
  if (style.mediaType !== null) return [[enc(name), enc(mediaText(value, style.mediaType))]];
  const key = enc(name);
  if (isObject(value) && style.name === "deepObject") {
    const out: Array<[string, string]> = [];
    deepObject(name, value, enc, out);
    return out;
  }
  if (Array.isArray(value)) {
    const list = items(value, enc);
    if (!list.length) return [];
    return style.explode ? list.map((v) => [key, v]) : [[key, list.join(delimiter(style, enc))]];
  }
  if (isObject(value)) {
    const pairs = props(value, enc);
    if (!pairs.length) return [];
    if (style.explode) return pairs;
    const sep = delimiter(style, enc);
    return [[key, pairs.map(([k, v]) => `${k}${sep}${v}`).join(sep)]];
  }
  return [[key, enc(atom(value))]];
}

/** Query pairs of one parameter given its style spec. */
export function queryPairs(name: string, value: unknown, spec = ""): Array<[string, string]> {
  const style = parseStyle(spec, "query");
  return serializePairs(name, value, style, style.allowReserved ? pctReserved : pct);
}

/** A header value in its style (`simple` by default; not percent-encoded). */
export function headerValue(value: unknown, spec = ""): string {
  const style = parseStyle(spec, "header");
  return style.mediaType !== null ? mediaText(value, style.mediaType) : expandSimple("", value, style, identity);
}

/** One cookie parameter as `Cookie` header parts: `form` (percent-encoded, `a=1&a=2` when exploded) or `cookie` (one cookie per pair). */
export function cookieParts(name: string, value: unknown, spec = ""): string[] {
  const style = parseStyle(spec, "cookie");
  if (style.name === "cookie") return serializePairs(name, value, style, identity).map(([k, v]) => `${k}=${v}`);
  const pairs = serializePairs(name, value, style, pct);
  return pairs.length ? [joinPairs(pairs)] : [];
}

/** Encoded pairs as a query string (`a=1&b=2`). */
export function joinPairs(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** An `encoding` entry of a form or multipart body property: a style spec or a media type. */
export type Encoding = Record<string, string>;

/**
 * application/x-www-form-urlencoded: a property with a style in its encoding goes like a query
 * parameter; any other by its content type (primitives as text, objects as JSON, arrays as one
 * field per item).
 */
export function formBody(fields: Record<string, unknown>, encoding: Encoding = {}): string {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    const spec = encoding[name] ?? "";
    const style = spec ? parseStyle(spec, "query") : null;
    if (style !== null && style.mediaType === null) {
      pairs.push(...serializePairs(name, value, style, style.allowReserved ? pctReserved : pct));
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === null || item === undefined) continue;
      pairs.push([pct(name), pct(style?.mediaType ? mediaText(item, style.mediaType) : atom(item))]);
    }
  }
  return joinPairs(pairs);
}

async function toBlob(value: Uploadable, type?: string): Promise<Blob> {
  if (value instanceof Blob) return type && !value.type ? new Blob([value], { type }) : value;
  if (value instanceof Uint8Array) return new Blob([value.slice()], type ? { type } : {});
  const blob = await new Response(value).blob();
  return type ? new Blob([blob], { type }) : blob;
}

/**
 * multipart/form-data: files as parts (a `File` keeps its name), arrays repeat the field, objects
 * as JSON; a property's encoding content type becomes its part's type.
 */
export async function multipartBody(fields: Record<string, unknown>, encoding: Encoding = {}): Promise<FormData> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    const type = encoding[key]?.includes("/") ? encoding[key] : undefined;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (isUploadable(item)) {
        const name = typeof File !== "undefined" && item instanceof File ? item.name : key;
        form.append(key, await toBlob(item, type), name);
      } else if (type !== undefined) {
        form.append(key, new Blob([mediaText(item, type)], { type }));
      } else {
        form.append(key, atom(item));
      }
    }
  }
  return form;
}
