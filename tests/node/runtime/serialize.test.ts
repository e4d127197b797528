import assert from "node:assert/strict";
import { test } from "node:test";

import * as ser from "../../../generator/languages/typescript/runtime/serialize.js";

test("path styles: simple, label, matrix; values percent-encoded", () => {
  assert.equal(ser.pathParam("id", "a b/c"), "a%20b%2Fc");
  assert.equal(ser.pathParam("id", [1, 2], "simple"), "1,2");
  assert.equal(ser.pathParam("id", [1, 2], "label"), ".1,2");
  assert.equal(ser.pathParam("id", [1, 2], "label", true), ".1.2");
  assert.equal(ser.pathParam("id", 5, "matrix"), ";id=5");
  assert.equal(ser.pathParam("id", [1, 2], "matrix", true), ";id=1;id=2");
  assert.equal(ser.pathParam("id", { a: 1, b: "x" }, "simple"), "a,1,b,x");
  assert.equal(ser.pathParam("id", { a: 1, b: "x" }, "simple", true), "a=1,b=x");
});

test("query styles: form exploded by default, no-explode, space/pipe delimited, deepObject", () => {
  assert.deepEqual(ser.queryPairs("tag", ["a", "b"]), [["tag", "a"], ["tag", "b"]]);
  assert.deepEqual(ser.queryPairs("tag", ["a", "b"], "form-noexplode"), [["tag", "a,b"]]);
  assert.deepEqual(ser.queryPairs("tag", ["a", "b"], "spaceDelimited"), [["tag", "a b"]]);
  assert.deepEqual(ser.queryPairs("tag", ["a", "b"], "pipeDelimited"), [["tag", "a|b"]]);
  assert.deepEqual(ser.queryPairs("m", { k: "v", n: { x: 1 } }, "deepObject"), [["m[k]", "v"], ["m[n][x]", "1"]]);
  assert.deepEqual(ser.queryPairs("m", { k: "v" }), [["k", "v"]]);
  assert.deepEqual(ser.queryPairs("m", { k: "v", j: 2 }, "form-noexplode"), [["m", "k,v,j,2"]]);
  assert.deepEqual(ser.queryPairs("flag", true), [["flag", "true"]]);
  assert.deepEqual(ser.queryPairs("gone", undefined), []);
  assert.equal(ser.queryString([["a b", "c&d"], ["e", "ü"]]), "a%20b=c%26d&e=%C3%BC");
});

test("header values: arrays comma-joined, objects as k,v pairs", () => {
  assert.equal(ser.headerValue(["a", "b"]), "a,b");
  assert.equal(ser.headerValue({ a: 1 }), "a,1");
  assert.equal(ser.headerValue(7), "7");
});

test("form bodies: exploded arrays, objects as deepObject keys", () => {
  const body = ser.formBody({ name: "x", tags: ["a", "b"], meta: { k: "v" }, skip: undefined });
  assert.equal(body.toString(), "name=x&tags=a&tags=b&meta%5Bk%5D=v");
});

test("multipart bodies: files as parts with their names, arrays repeat, objects as JSON", async () => {
  const form = await ser.multipartBody({
    file: new File(["hello"], "greeting.txt", { type: "text/plain" }),
    bytes: new Uint8Array([1, 2, 3]),
    purpose: "fine-tune",
    ids: ["a", "b"],
    meta: { k: "v" },
    nothing: null,
  });
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
  assert.equal(form.has("nothing"), false);
});
