import assert from "node:assert/strict";
import { test } from "node:test";

import * as ser from "../../../templates/typescript/runtime/serialize.js";

test("path styles: simple, label, matrix, explode; values percent-encoded, dot segments defused", () => {
  assert.equal(ser.pathParam("id", "a b/c"), "a%20b%2Fc");
  assert.equal(ser.pathParam("id", [1, 2]), "1,2");
  assert.equal(ser.pathParam("id", [1, 2], "label"), ".1,2");
  assert.equal(ser.pathParam("id", [1, 2], "label;explode=true"), ".1.2");
  assert.equal(ser.pathParam("id", 5, "matrix"), ";id=5");
  assert.equal(ser.pathParam("id", [1, 2], "matrix;explode=true"), ";id=1;id=2");
  assert.equal(ser.pathParam("id", { a: 1, b: "x" }), "a,1,b,x");
  assert.equal(ser.pathParam("id", { a: 1, b: "x" }, ";explode=true"), "a=1,b=x");
  assert.equal(ser.pathParam("id", ".."), "%2E%2E");
  assert.equal(ser.pathParam("id", { k: 1 }, "application/json"), "%7B%22k%22%3A1%7D");
  assert.throws(() => ser.pathParam("id", ""), /non-empty/);
});

test("query styles: form exploded by default, explode=false, space/pipe delimited, deepObject, allowReserved, media types", () => {
  assert.deepEqual(ser.queryPairs("tag", ["a", "b"]), [["tag", "a"], ["tag", "b"]]);
  assert.deepEqual(ser.queryPairs("tag", ["a", "b"], ";explode=false"), [["tag", "a,b"]]);
  assert.deepEqual(ser.queryPairs("tag", ["a", "b"], "spaceDelimited"), [["tag", "a%20b"]]);
  assert.deepEqual(ser.queryPairs("tag", ["a", "b"], "pipeDelimited"), [["tag", "a%7Cb"]]);
  assert.deepEqual(ser.queryPairs("m", { k: "v", n: { x: 1 } }, "deepObject"), [["m%5Bk%5D", "v"], ["m%5Bn%5D%5Bx%5D", "1"]]);
  assert.deepEqual(ser.queryPairs("m", { k: "v" }), [["k", "v"]]);
  assert.deepEqual(ser.queryPairs("m", { k: "v", j: 2 }, "form;explode=false"), [["m", "k,v,j,2"]]);
  assert.deepEqual(ser.queryPairs("flag", true), [["flag", "true"]]);
  assert.deepEqual(ser.queryPairs("gone", undefined), []);
  assert.deepEqual(ser.queryPairs("q", "a/b?c&d", ";allowReserved"), [["q", "a/b?c%26d"]]);
  assert.deepEqual(ser.queryPairs("f", { a: [1] }, "application/json"), [["f", "%7B%22a%22%3A%5B1%5D%7D"]]);
  assert.deepEqual(ser.queryPairs("rows", [{ a: 1 }]), [["rows", "%7B%22a%22%3A1%7D"]]);  // deeper than form: JSON
  assert.equal(ser.joinPairs([["a%20b", "c%26d"], ["e", ser.pct("ü!")]]), "a%20b=c%26d&e=%C3%BC%21");
  assert.throws(() => ser.parseStyle("form;bogus"), /Unknown style option/);
});

test("header and cookie values", () => {
  assert.equal(ser.headerValue(["a", "b"]), "a,b");
  assert.equal(ser.headerValue({ a: 1 }), "a,1");
  assert.equal(ser.headerValue({ a: 1 }, ";explode=true"), "a=1");
  assert.equal(ser.headerValue(7), "7");
  assert.equal(ser.headerValue("a b"), "a b");
  assert.deepEqual(ser.cookieParts("c", ["a", "b"], ";explode=false"), ["c=a,b"]);
  assert.deepEqual(ser.cookieParts("c", ["a", "b"]), ["c=a&c=b"]);
  assert.deepEqual(ser.cookieParts("c", ["a", "b"], "cookie"), ["c=a", "c=b"]);
  assert.deepEqual(ser.cookieParts("c", "x y"), ["c=x%20y"]);
});

test("form bodies: primitives as text, objects as JSON, arrays one field per item; encoding styles", () => {
  const body = ser.formBody({ name: "x y", tags: ["a", "b"], meta: { k: "v" }, skip: undefined });
  assert.equal(body, "name=x%20y&tags=a&tags=b&meta=%7B%22k%22%3A%22v%22%7D");
  assert.equal(ser.formBody({ meta: { k: "v" }, ids: [1, 2] }, { meta: "deepObject", ids: "form;explode=false" }),
    "meta%5Bk%5D=v&ids=1,2");
});

test("multipart bodies: files as parts with their names, arrays repeat, objects as JSON", async () => {
  const form = await ser.multipartBody({
    file: new File(["hello"], "greeting.txt", { type: "text/plain" }),
    bytes: new Uint8Array([1, 2, 3]),
    purpose: "fine-tune",
    ids: ["a", "b"],
    meta: { k: "v" },
    doc: { a: 1 },
    nothing: null,
  }, { doc: "application/json" });
  const file = form.get("file");
  assert.ok(file instanceof File);
  assert.equal(file.name, "greeting.txt");
  assert.equal(await file.text(), "hello");
  const bytes = form.get("bytes");
  assert.ok(bytes instanceof Blob);
  assert.equal(bytes.size, 3);
  assert.equal(form.get("purpose"), "fine-tune");
  assert.deepEqual(form.getAll("ids"), ["a", "b"]);
  assert.equal(form.get("meta"), '{"k":"v"}');
  const doc = form.get("doc");
  assert.ok(doc instanceof Blob);
  assert.equal(doc.type, "application/json");
  assert.equal(await doc.text(), '{"a":1}');
  assert.equal(form.has("nothing"), false);
});
