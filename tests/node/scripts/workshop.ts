// Drives the SDK generated from tests/specs/typescript_features.yaml through a recording fetch
// (copied next to that SDK by tests/test_typescript.py); prints what it saw as JSON.
import { APIError, Client, NotFoundError, MissingCredentialsError, type models } from "../sdk/src/index.js";

const seen: Array<{ method: string; url: string; headers: Record<string, string>; body: string }> = [];
const answers: Response[] = [];
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
async function record(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((v, k) => { headers[k] = v; });
  let body = "";
  if (init?.body instanceof FormData) {
    const parts: string[] = [];
    for (const [k, v] of init.body.entries()) parts.push(`${k}=${typeof v === "string" ? v : "<file " + (v as File).name + " " + (await (v as Blob).text()) + ">"}`);
    body = parts.join("&");
  } else if (init?.body instanceof Blob) body = "<blob " + (await init.body.text()) + ">";
  else if (init?.body !== undefined && init?.body !== null) body = String(init.body);
  seen.push({ method: init?.method ?? "GET", url: String(input), headers, body });
  return answers.shift() ?? json(500, { title: "no answer" });
}

const client = new Client({ bearerToken: "tok", basicAuthUsername: "u", basicAuthPassword: "p", maxRetries: 1, fetch: record });
const out: Record<string, unknown> = {};

answers.push(json(200, { items: [{ id: "1", name: "a", kind: "saw", "created-at": "x" }, { id: "2", name: "b", kind: "saw", "created-at": "x" }] }),
             json(200, { items: [{ id: "3", name: "c", kind: "drill", "created-at": "x" }] }));
const names: string[] = [];
for await (const tool of client.tools.listTools({ limit: 2, kind: ["saw", "drill"], filter: { color: "red" }, "X-Request-Tag": "t" })) names.push(tool.name);
out["names"] = names;

answers.push(json(201, { id: "9", name: "Claw", kind: "hammer", "created-at": "x" }));
const created = await client.tools.createTool({ name: "Claw", kind: "hammer" }).withResponse();
out["created"] = [created.status, "id" in created.data ? created.data.id : created.data.ticket];
answers.push(json(202, { ticket: "t-1" }));
const queued = await client.tools.createTool({ name: "Claw", kind: "hammer" });
out["queued"] = "ticket" in queued ? queued.ticket : queued.id;

answers.push(json(503, { title: "busy" }), json(404, { title: "gone" }));  // the spec's policy retries 503 only
try { await client.tools.getTool({ "tool-id": "a/b" }); } catch (e) {
  out["notFound"] = e instanceof NotFoundError && e instanceof APIError ? [e.status, (e.body as models.Problem).title] : String(e);
}
answers.push(new Response(null, { status: 204 }));
await client.tools.deleteTool({ "tool-id": "7" });

answers.push(new Response('data: {"type":"moved","shelf":"A"}\n\ndata: {"type":"broken"}\n\n', { headers: { "content-type": "text/event-stream" } }));
const kinds: string[] = [];
for await (const event of await client.tools.watchTool({ "tool-id": "7" })) {
  kinds.push(event.type === "moved" ? "moved to " + event.shelf : "broken");
}
out["events"] = kinds;

answers.push(json(200, [{ sku: "s1" }]));
out["parts"] = (await client.tools.parts.listParts({ "tool-id": "7" })).map((p) => p.sku);

answers.push(json(200, { id: "u1" }));
await client.uploads.uploadManual({ file: new File(["pdf!"], "manual.pdf"), tool_id: "7", labels: ["x", "y"] });
answers.push(new Response(null, { status: 204 }));
await client.uploads.submitForm({ name: "n m", count: 2 });
answers.push(new Response(new Uint8Array([37, 80, 68, 70])));
const download = await client.uploads.downloadManual({ upload_id: "u1" });
out["download"] = await download.text();
answers.push(new Response(null, { status: 204 }));
await client.uploads.replaceManual({ upload_id: "u1", body: new Uint8Array([1, 2]) });

const anonymous = new Client({ maxRetries: 0, fetch: record });
try { await anonymous.tools.createTool({ name: "x", kind: "saw" }); } catch (e) { out["missing"] = e instanceof MissingCredentialsError; }
answers.push(json(200, { id: "1", name: "a", kind: "saw", "created-at": "x" }));
await anonymous.tools.getTool({ "tool-id": "1" });

out["servers"] = [
  new Client({ server: "regional", serverVariables: { region: "us" } }).baseURL,
  new Client({ server: 1 }).baseURL,
  new Client().baseURL,
];
try { new Client({ server: 1, serverVariables: { region: "mars" } }); } catch (e) { out["badRegion"] = String(e); }

out["seen"] = seen;
console.log(JSON.stringify(out));
