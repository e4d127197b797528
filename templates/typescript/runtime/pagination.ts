/** Pages of list operations, and iteration over their items across pages (`for await`). */

import { APIPromise, type WithResponse } from "./promise.js";

/** How an operation pages; field paths are dotted wire names of the response body. */
export interface PageSpec {
  style: "cursor" | "offset" | "page" | "url";
  /** The request field that selects the page (cursor, offset or page number); "" for url paging. */
  param: string;
  items: string;
  hasMore?: string;
  nextCursor?: string;
  cursorFromLastItem?: string;
  limitParam?: string;
  numPages?: string;
  nextUrl?: string;
}

/** Fetches another page: the same request with some fields changed, or (url paging) another URL. */
export type PageFetcher<Item> = (changes: Record<string, unknown>, url?: string) => Promise<WithResponse<Page<Item>>>;

export function getPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** One page: its items (`data`), the parsed body (`body`) and the way to the next page. */
export class Page<Item> implements AsyncIterable<Item> {
  readonly data: Item[];
  readonly body: unknown;
  private readonly spec: PageSpec;
  private readonly params: Record<string, unknown>;
  private readonly fetcher: PageFetcher<Item>;

  constructor(body: unknown, spec: PageSpec, params: Record<string, unknown>, fetcher: PageFetcher<Item>) {
    const items = getPath(body, spec.items);
    this.data = Array.isArray(items) ? (items as Item[]) : [];
    this.body = body;
    this.spec = spec;
    this.params = params;
    this.fetcher = fetcher;
  }

  /** The request changes (or the URL) that fetch the next page; null on the last page. */
  nextPage(): { changes: Record<string, unknown>; url?: string } | null {
    const s = this.spec;
    if (this.data.length === 0) return null;
    if (s.hasMore !== undefined && getPath(this.body, s.hasMore) === false) return null;
    switch (s.style) {
      case "url": {
        const url = s.nextUrl === undefined ? undefined : getPath(this.body, s.nextUrl);
        return typeof url === "string" && url ? { changes: {}, url } : null;
      }
      case "cursor": {
        const last = this.data[this.data.length - 1];
        const cursor = s.nextCursor !== undefined ? getPath(this.body, s.nextCursor)
          : s.cursorFromLastItem !== undefined ? getPath(last, s.cursorFromLastItem) : undefined;
        if (cursor === undefined || cursor === null || cursor === "") return null;
        return { changes: { [s.param]: cursor } };
      }
      case "offset": {
        const limit = s.limitParam !== undefined ? this.params[s.limitParam] : undefined;
        if (typeof limit === "number" && this.data.length < limit) return null;
        const offset = typeof this.params[s.param] === "number" ? (this.params[s.param] as number) : 0;
        return { changes: { [s.param]: offset + this.data.length } };
      }
      case "page": {
        const page = typeof this.params[s.param] === "number" ? (this.params[s.param] as number) : 1;
        const total = s.numPages !== undefined ? getPath(this.body, s.numPages) : undefined;
        if (typeof total === "number" && page >= total) return null;
        const limit = s.limitParam !== undefined ? this.params[s.limitParam] : undefined;
        if (typeof limit === "number" && this.data.length < limit) return null;
        return { changes: { [s.param]: page + 1 } };
      }
    }
  }

  hasNextPage(): boolean {
    return this.nextPage() !== null;
  }

  /** The next page; throws when there is none (check `hasNextPage()` first). */
  async getNextPage(): Promise<Page<Item>> {
    const next = this.nextPage();
    if (next === null) throw new Error("No next page: check hasNextPage() first.");
    return (await this.fetcher(next.changes, next.url)).data;
  }

  /** This page and every page after it. */
  async *iterPages(): AsyncGenerator<Page<Item>> {
    let page: Page<Item> | null = this;
    while (page !== null) {
      yield page;
      page = page.hasNextPage() ? await page.getNextPage() : null;
    }
  }

  /** Every item of this page and the pages after it. */
  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    for await (const page of this.iterPages()) yield* page.data;
  }
}

/** `await` it for the first page, or `for await` over it for every item of every page. */
export class PagePromise<Item> extends APIPromise<Page<Item>> implements AsyncIterable<Item> {
  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    const first = await this;
    yield* first;
  }
}
