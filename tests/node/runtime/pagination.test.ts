import assert from "node:assert/strict";
import { test } from "node:test";

import type { OperationSpec } from "../../../templates/typescript/runtime/core.js";
import type { PageSpec } from "../../../templates/typescript/runtime/pagination.js";
import { client, json, scripted } from "./helpers.js";

const list: OperationSpec = { method: "get", path: "/items", params: [["after", "query"], ["offset", "query"], ["page", "query"], ["limit", "query"]], response: "json" };

test("cursor pages: for await walks every item across pages, sending the cursor", async () => {
  const spec: PageSpec = { style: "cursor", param: "after", items: "data", hasMore: "has_more", nextCursor: "last_id" };
  const { fetch, seen } = scripted([
    json(200, { data: [{ id: 1 }, { id: 2 }], has_more: true, last_id: "2" }),
    json(200, { data: [{ id: 3 }], has_more: false, last_id: "3" }),
  ]);
  const ids: number[] = [];
  for await (const item of client(fetch).paginate<{ id: number }>(list, spec, { limit: 2 })) ids.push(item.id);
  assert.deepEqual(ids, [1, 2, 3]);
  assert.deepEqual(seen.map((s) => s.url.split("?")[1]), ["limit=2", "after=2&limit=2"]);
});

test("awaiting gives the first page with hasNextPage/getNextPage; cursor from the last item", async () => {
  const spec: PageSpec = { style: "cursor", param: "after", items: "data", cursorFromLastItem: "id" };
  const { fetch } = scripted([json(200, { data: [{ id: "a" }] }), json(200, { data: [] })]);
  const page = await client(fetch).paginate<{ id: string }>(list, spec, {});
  assert.deepEqual(page.data, [{ id: "a" }]);
  assert.equal(page.hasNextPage(), true);
  const next = await page.getNextPage();
  assert.equal(next.hasNextPage(), false);
});

test("offset and page-number paging stop at a short page", async () => {
  const offset: PageSpec = { style: "offset", param: "offset", items: "items", limitParam: "limit" };
  const a = scripted([json(200, { items: [1, 2] }), json(200, { items: [3] })]);
  const got: number[] = [];
  for await (const n of client(a.fetch).paginate<number>(list, offset, { limit: 2 })) got.push(n);
  assert.deepEqual(got, [1, 2, 3]);
  assert.equal(a.seen[1]!.url.split("?")[1], "offset=2&limit=2");
  const pages: PageSpec = { style: "page", param: "page", items: "items", numPages: "pages" };
  const b = scripted([json(200, { items: [1], pages: 2 }), json(200, { items: [2], pages: 2 })]);
  const all: number[] = [];
  for await (const n of client(b.fetch).paginate<number>(list, pages, {})) all.push(n);
  assert.deepEqual(all, [1, 2]);
  assert.equal(b.seen[1]!.url.split("?")[1], "page=2");
});

test("url paging follows the next URL", async () => {
  const spec: PageSpec = { style: "url", param: "", items: "results", nextUrl: "next" };
  const { fetch, seen } = scripted([json(200, { results: [1], next: "https://api.example.test/v1/items?cursor=z" }), json(200, { results: [2], next: null })]);
  const all: number[] = [];
  for await (const n of client(fetch).paginate<number>(list, spec, {})) all.push(n);
  assert.deepEqual(all, [1, 2]);
  assert.equal(seen[1]!.url, "https://api.example.test/v1/items?cursor=z");
});
