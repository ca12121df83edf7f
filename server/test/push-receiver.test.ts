/**
 * The push receiver over real HTTP: a hub listening on a loopback port, requests made with fetch.
 * Every rejected request is also checked to have left the log untouched.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { PushReply, normalizeEnvelope, type HttpErrorResponse } from "@odoo-live/protocol";
import {
  type FixtureChange,
  asEnvelope,
  asRawPush,
  configTestBody,
  partnerWrite,
  saleOrderCreate,
  saleOrderWrite,
  subscriberTestBody,
} from "@odoo-live/protocol/fixtures";
import type { Hub } from "@odoo-live/server";
import { pino } from "pino";
import { afterAll, describe, expect, test, vi } from "vitest";
import { connect } from "node:net";
import type { IncomingMessage } from "node:http";
import { JWT_SECRET, PUSH_TOKEN, push, startTestHub } from "../../test/helpers/hub.js";
import { metricSum } from "../../test/helpers/metrics.js";
import { waitFor } from "../../test/helpers/wait.js";
import { pushTenantOf } from "../src/http/push-receiver.js";

// Tenants files for the multi-tenant tests, written once per run.
const dir = mkdtempSync(join(tmpdir(), "odoo-live-push-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** A hub configured by a tenants file (which excludes the PUSH_* shortcuts). */
function startTenantsHub(tenants: unknown): Promise<Hub> {
  const path = join(dir, `tenants-${++files}.json`);
  writeFileSync(path, JSON.stringify(tenants));
  return startTestHub({ PUSH_TOKEN: "", HUB_TENANTS_FILE: path });
}

async function headSeq(hub: Hub, tenant = "default"): Promise<number> {
  return (await hub.log.head(tenant)).seq;
}

async function errorOf(response: Response): Promise<HttpErrorResponse["error"]> {
  const body = (await response.json()) as HttpErrorResponse;
  return body.error;
}

const envelope = asEnvelope(saleOrderWrite, 5531);
const basic = (s: string) => Buffer.from(s, "utf8").toString("base64");

describe("push authentication", () => {
  test("Bearer with the push token is accepted", async () => {
    const hub = await startTestHub();
    const response = await push(hub, envelope);
    expect(response.status).toBe(200);
    expect(await headSeq(hub)).toBe(1);
  });

  test("Basic whose value is the raw token (Odoo inserts auth_token verbatim) is accepted", async () => {
    const hub = await startTestHub();
    const response = await push(hub, envelope, {
      headers: { Authorization: `Basic ${PUSH_TOKEN}` },
    });
    expect(response.status).toBe(200);
  });

  test("Basic with base64(user:token) is accepted", async () => {
    const hub = await startTestHub();
    const response = await push(hub, envelope, {
      headers: { Authorization: `Basic ${basic(`odoo:${PUSH_TOKEN}`)}` },
    });
    expect(response.status).toBe(200);
  });

  test("Basic with base64(user:wrong) is rejected", async () => {
    const hub = await startTestHub();
    const response = await push(hub, envelope, {
      headers: { Authorization: `Basic ${basic("odoo:wrong-password-0123456789")}` },
    });
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe("unauthorized");
  });

  test("X-API-Key with the token is accepted", async () => {
    const hub = await startTestHub();
    const response = await push(hub, envelope, {
      headers: { Authorization: "", "X-API-Key": PUSH_TOKEN },
    });
    expect(response.status).toBe(200);
  });

  test("X-API-Key is accepted next to Odoo's `Bearer False`", async () => {
    const hub = await startTestHub();
    const response = await push(hub, envelope, {
      headers: { Authorization: "Bearer False", "X-API-Key": PUSH_TOKEN },
    });
    expect(response.status).toBe(200);
  });

  test("a custom PUSH_HEADER is accepted and X-API-Key is then ignored", async () => {
    const hub = await startTestHub({ PUSH_HEADER: "X-Odoo-Secret" });
    const custom = await push(hub, envelope, {
      headers: { Authorization: "", "X-Odoo-Secret": PUSH_TOKEN },
    });
    expect(custom.status).toBe(200);
    const apiKey = await push(hub, asEnvelope(partnerWrite, 5540), {
      headers: { Authorization: "", "X-API-Key": PUSH_TOKEN },
    });
    expect(apiKey.status).toBe(401);
    expect(await headSeq(hub)).toBe(1);
  });

  test("a wrong secret is 401 unauthorized and nothing is appended", async () => {
    const hub = await startTestHub();
    const response = await push(hub, envelope, {
      headers: { Authorization: "Bearer not-the-push-token-0000" },
    });
    expect(response.status).toBe(401);
    const error = await errorOf(response);
    expect(error.code).toBe("unauthorized");
    expect(error.message).toMatch(/rejected/);
    expect(await headSeq(hub)).toBe(0);
  });

  test("no credentials at all is 401", async () => {
    const hub = await startTestHub();
    const response = await push(hub, envelope, { headers: { Authorization: "" } });
    expect(response.status).toBe(401);
    const error = await errorOf(response);
    expect(error.code).toBe("unauthorized");
    expect(error.message).toMatch(/missing/);
    expect(await headSeq(hub)).toBe(0);
  });

  test("`Bearer False` (Odoo's empty token) counts as missing credentials", async () => {
    const hub = await startTestHub();
    const response = await push(hub, envelope, { headers: { Authorization: "Bearer False" } });
    expect(response.status).toBe(401);
    const error = await errorOf(response);
    expect(error.code).toBe("unauthorized");
    expect(error.message).toMatch(/credentials missing/);
    expect(await headSeq(hub)).toBe(0);
  });

  test("with PUSH_ALLOW_UNAUTHENTICATED and no token, `Bearer False` is accepted", async () => {
    const hub = await startTestHub({ PUSH_TOKEN: "", PUSH_ALLOW_UNAUTHENTICATED: "true" });
    const response = await push(hub, envelope, { headers: { Authorization: "Bearer False" } });
    expect(response.status).toBe(200);
    expect(await headSeq(hub)).toBe(1);
  });
});

describe("both push shapes, de-duplicated", () => {
  test("an envelope is appended and answered with its id and seq", async () => {
    const hub = await startTestHub();
    const response = await push(hub, envelope);
    expect(response.status).toBe(200);
    const expectedId = normalizeEnvelope("default", envelope).id;
    expect(await response.json()).toEqual({ ok: true, id: expectedId, seq: 1, duplicate: false });
    const head = await hub.log.head("default");
    const read = await hub.log.readSince(
      "default",
      { epoch: head.epoch, seq: 0 },
      {
        uid: 999,
        models: new Set(["sale.order"]),
        allowed: "*",
      },
    );
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.events).toHaveLength(1);
    expect(read.events[0]).toMatchObject({
      id: expectedId,
      seq: 1,
      tenant: "default",
      model: "sale.order",
      recordId: 42,
      op: "write",
      at: "2025-11-29T10:15:02.000Z",
      changedFields: ["state"],
      origin: { webhookEventId: 5531 },
    });
  });

  test("the same change as a raw push with another webhook.event id is a duplicate with the same id", async () => {
    const hub = await startTestHub();
    const first = (await (await push(hub, envelope)).json()) as { id: string };
    const second = await push(hub, asRawPush(saleOrderWrite, 9001));
    expect(second.status).toBe(200);
    expect(PushReply.parse(await second.json())).toEqual({
      ok: true,
      id: first.id,
      duplicate: true,
      reason: "same_content",
      message: expect.stringMatching(/same model, record, operation and values/),
    });
    expect(await headSeq(hub)).toBe(1);
  });

  test("one webhook.event id sent in both shapes (instant raw, then cron envelope) is one event", async () => {
    const hub = await startTestHub();
    const raw = await push(hub, asRawPush(saleOrderCreate, 5530));
    expect(raw.status).toBe(200);
    const rawBody = (await raw.json()) as { id: string; seq: number; duplicate: boolean };
    expect(rawBody).toMatchObject({ seq: 1, duplicate: false });
    const cron = await push(hub, asEnvelope(saleOrderCreate, 5530));
    expect(cron.status).toBe(200);
    expect(PushReply.parse(await cron.json())).toEqual({
      ok: true,
      id: rawBody.id,
      duplicate: true,
      reason: "same_webhook_event",
      message: expect.stringMatching(/^webhook\.event 5530 is already in the log/),
    });
    const again = await push(hub, asEnvelope(saleOrderCreate, 5530));
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    expect(await headSeq(hub)).toBe(1);
  });

  test("distinct changes get consecutive seqs", async () => {
    const hub = await startTestHub();
    const seqs = [];
    for (const [i, change] of [saleOrderCreate, saleOrderWrite, partnerWrite].entries()) {
      const response = await push(hub, asEnvelope(change, 6000 + i));
      seqs.push(((await response.json()) as { seq: number }).seq);
    }
    expect(seqs).toEqual([1, 2, 3]);
  });

  test("a later write whose payload repeats an earlier one is a new event (rule with tracked_fields)", async () => {
    // A rule with tracked_fields = "state" stores only that field plus _metadata and
    // _changed_fields (reference §3.5): no id, no write_date. Confirm, reset to draft, confirm
    // again: the two confirmations are different webhook.event rows at different times with
    // byte-identical payloads. Dropping the second one leaves every client showing "draft".
    const tracked = (state: string, timestamp: string): FixtureChange => ({
      ...saleOrderWrite,
      timestamp,
      payload: {
        state,
        _metadata: saleOrderWrite.payload["_metadata"],
        _changed_fields: ["state"],
      },
    });
    const hub = await startTestHub();
    const writes = [
      asEnvelope(tracked("sale", "2025-11-29T10:15:02"), 8001),
      asEnvelope(tracked("draft", "2025-11-29T10:40:00"), 8002),
      asEnvelope(tracked("sale", "2025-11-29T11:20:00"), 8003),
    ];
    const answers: { duplicate: boolean }[] = [];
    for (const body of writes) {
      const answer = (await (await push(hub, body)).json()) as { duplicate: boolean };
      answers.push(answer);
    }
    expect(answers.map((a) => a.duplicate)).toEqual([false, false, false]);
    expect(await headSeq(hub)).toBe(3);
  });
});

describe("Odoo's test bodies and connection test", () => {
  test("the subscriber test body is acknowledged and not logged", async () => {
    const hub = await startTestHub();
    const response = await push(hub, subscriberTestBody);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, test: "subscriber" });
    expect(await headSeq(hub)).toBe(0);
  });

  test("the config test envelope (record_id -1) is acknowledged and not logged", async () => {
    const hub = await startTestHub();
    const response = await push(hub, configTestBody);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, test: "config" });
    expect(await headSeq(hub)).toBe(0);
  });

  test("the test bodies still require credentials", async () => {
    const hub = await startTestHub();
    const response = await push(hub, subscriberTestBody, {
      headers: { Authorization: "Bearer False" },
    });
    expect(response.status).toBe(401);
  });

  test("HEAD on the receiver answers 200, HEAD on an unknown tenant 404", async () => {
    const hub = await startTestHub();
    const ok = await fetch(`${hub.url}/webhooks/odoo`, { method: "HEAD" });
    expect(ok.status).toBe(200);
    const unknown = await fetch(`${hub.url}/webhooks/odoo/nope`, { method: "HEAD" });
    expect(unknown.status).toBe(404);
  });
});

describe("bad bodies are 4xx naming the problem, and nothing is appended", () => {
  async function rejected(
    body: unknown,
    status: number,
    code: string,
    env: Record<string, string> = {},
  ): Promise<HttpErrorResponse["error"]> {
    const hub = await startTestHub(env);
    const response = await push(hub, body);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const error = await errorOf(response);
    expect(error.code).toBe(code);
    expect(await headSeq(hub)).toBe(0);
    return error;
  }

  test("not JSON → 400 invalid_json", async () => {
    const error = await rejected("{not json", 400, "invalid_json");
    expect(error.message).toMatch(/not JSON/);
  });

  test("a JSON array → 400 invalid_body", async () => {
    await rejected(JSON.stringify([envelope]), 400, "invalid_body");
  });

  test("record_id as a string → 400 with an issue at record_id", async () => {
    const error = await rejected({ ...envelope, record_id: "42" }, 400, "invalid_body");
    // The protocol's schemas are zod/mini (no locale of their own): the hub's messages must
    // still say what was expected, not zod/mini's bare "Invalid input".
    expect(error.issues).toContainEqual({
      path: "record_id",
      message: "Invalid input: expected number, received string",
    });
    expect(error.message).toMatch(/record_id: Invalid input: expected number/);
  });

  test("an unknown event → 400 with an issue at event", async () => {
    const error = await rejected({ ...envelope, event: "update" }, 400, "invalid_body");
    expect(error.issues?.map((i) => i.path)).toContain("event");
  });

  test("a missing model → 400 naming model", async () => {
    const { model: _model, ...withoutModel } = envelope;
    const error = await rejected(withoutModel, 400, "invalid_body");
    expect(error.issues?.map((i) => i.path)).toContain("model");
  });

  test("a raw push with a broken _webhook_metadata → 400 naming the nested path", async () => {
    const raw = asRawPush(saleOrderWrite, 5531);
    const error = await rejected(
      { ...raw, _webhook_metadata: { ...raw._webhook_metadata, record_id: "x" } },
      400,
      "invalid_body",
    );
    expect(error.issues?.map((i) => i.path)).toContain("_webhook_metadata.record_id");
  });

  test("an unknown shape → 400 invalid_body", async () => {
    const error = await rejected({ foo: 1 }, 400, "invalid_body");
    expect(error.message).toMatch(/not an Odoo webhook/);
  });

  const big = { ...envelope, data: { ...envelope.data, note: "x".repeat(4096) } };

  test("a body over HUB_MAX_BODY_BYTES (with Content-Length) → 413 payload_too_large", async () => {
    const error = await rejected(big, 413, "payload_too_large", { HUB_MAX_BODY_BYTES: "2048" });
    expect(error.message).toMatch(/2048/);
  });

  test("a chunked body over HUB_MAX_BODY_BYTES (no Content-Length) → 413, and the hub keeps serving", async () => {
    const hub = await startTestHub({ HUB_MAX_BODY_BYTES: "2048" });
    const response = await pushChunked(hub, big, 512);
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe("payload_too_large");
    expect(await headSeq(hub)).toBe(0);
    const next = await push(hub, envelope);
    expect(next.status).toBe(200);
    expect(await headSeq(hub)).toBe(1);
  });

  test("a chunked body under the limit is accepted", async () => {
    const hub = await startTestHub({ HUB_MAX_BODY_BYTES: "2048" });
    const response = await pushChunked(hub, envelope, 100);
    expect(response.status).toBe(200);
    expect(await headSeq(hub)).toBe(1);
  });
});

describe("a pusher that hangs up", () => {
  test("mid-body: counted as 499, never a 5xx, and the hub serves on", async () => {
    const hub = await startTestHub();
    const { port } = new URL(hub.url);
    const socket = connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    const head =
      "POST /webhooks/odoo HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n" +
      `Authorization: Bearer ${PUSH_TOKEN}\r\nContent-Length: 1000\r\n\r\n{"event_id": 1,`;
    // TCP delivers the headers and the partial body before the hang-up that follows them.
    await new Promise((resolve) => socket.write(head, resolve));
    socket.destroy();
    const pushes = (status: string) => metricSum(hub, "odoo_live_push_requests_total", { status });
    await waitFor(async () => (await pushes("499")) === 1, { what: "the abandoned push counted" });
    expect(await pushes("500")).toBe(0);
    expect((await push(hub, envelope)).status).toBe(200);
  });
});

describe("pushTenantOf", () => {
  test.each([
    ["POST", "/webhooks/odoo", "default"],
    ["POST", "/webhooks/odoo/", "default"],
    ["POST", "/webhooks/odoo?x=1", "default"],
    ["POST", "/webhooks/odoo/acme", "acme"],
    ["POST", "/webhooks/odoo/acme/", "acme"],
    ["POST", "/webhooks/odoo/acme?db=1", "acme"],
    ["POST", "/webhooks/odoo/a%20b", "a b"],
    ["POST", "/webhooks/odoo/%E0%A4%A", "%E0%A4%A"],
    ["POST", "/webhooks/odooX", undefined],
    ["POST", "/webhooks/odoo/a/b", undefined],
    ["POST", "/webhooks/odoo//", undefined],
    ["POST", "/webhooks", undefined],
    ["GET", "/webhooks/odoo", undefined],
    ["HEAD", "/webhooks/odoo/acme", undefined],
  ])("%s %s → %s", (method, url, tenant) => {
    // The receiver reads only these two fields of Node's request.
    expect(pushTenantOf({ method, url } as IncomingMessage)).toBe(tenant);
  });
});

/** A push with no Content-Length: the body arrives in chunks of `size` bytes. */
function pushChunked(hub: Hub, body: unknown, size: number): Promise<Response> {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += size) controller.enqueue(bytes.slice(i, i + size));
      controller.close();
    },
  });
  return fetch(`${hub.url}/webhooks/odoo`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${PUSH_TOKEN}` },
    body: stream,
    duplex: "half",
  });
}

describe("tenants and rate limits", () => {
  test("an unknown tenant → 404 unknown_tenant", async () => {
    const hub = await startTestHub();
    const response = await push(hub, envelope, { tenant: "nope" });
    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error.code).toBe("unknown_tenant");
    expect(error.message).toMatch(/nope/);
  });

  test("each tenant checks its own token and gets its own log", async () => {
    const hub = await startTenantsHub({
      tenants: {
        acme: { push: { token: "acme-push-token-0123456789" } },
        globex: { push: { token: "globex-push-token-0123456789" } },
      },
    });
    const wrong = await push(hub, envelope, {
      tenant: "acme",
      headers: { Authorization: "Bearer globex-push-token-0123456789" },
    });
    expect(wrong.status).toBe(401);
    const right = await push(hub, envelope, {
      tenant: "globex",
      headers: { Authorization: "Bearer globex-push-token-0123456789" },
    });
    expect(right.status).toBe(200);
    expect(await headSeq(hub, "acme")).toBe(0);
    expect(await headSeq(hub, "globex")).toBe(1);
    // No `default` tenant in this file: the bare path is an unknown tenant.
    const bare = await push(hub, envelope, {
      headers: { Authorization: "Bearer globex-push-token-0123456789" },
    });
    expect(bare.status).toBe(404);
  });

  test("the third rapid push over burst 2 → 429 rate_limited with Retry-After; the first two were appended", async () => {
    const token = "acme-push-token-0123456789";
    const hub = await startTenantsHub({
      tenants: { acme: { push: { token, ratePerSecond: 1, burst: 2 } } },
    });
    const headers = { Authorization: `Bearer ${token}` };
    const statuses = [];
    for (const [i, change] of [saleOrderCreate, saleOrderWrite, partnerWrite].entries()) {
      const response = await push(hub, asEnvelope(change, 7000 + i), { tenant: "acme", headers });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get("retry-after")).toBe("1");
        expect((await errorOf(response)).code).toBe("rate_limited");
      } else {
        await response.body?.cancel();
      }
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(await headSeq(hub, "acme")).toBe(2);
  });
});

describe("operations endpoints", () => {
  test("/healthz and /readyz answer 200", async () => {
    const hub = await startTestHub();
    const health = await fetch(`${hub.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${hub.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", degraded: [] });
  });

  test("/metrics counts push requests and ingested events", async () => {
    const hub = await startTestHub();
    expect((await push(hub, envelope)).status).toBe(200);
    expect((await push(hub, asRawPush(saleOrderWrite, 5531))).status).toBe(200);
    expect((await push(hub, envelope, { headers: { Authorization: "Bearer False" } })).status).toBe(
      401,
    );
    // Odoo's Test connection (HEAD) is a request to the receiver too; an unknown tenant's is not.
    expect((await fetch(`${hub.url}/webhooks/odoo`, { method: "HEAD" })).status).toBe(200);
    expect((await fetch(`${hub.url}/webhooks/odoo/nope`, { method: "HEAD" })).status).toBe(404);
    const response = await fetch(`${hub.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await response.text();
    expect(text).toContain("odoo_live_push_requests_total");
    expect(text).toContain(
      'odoo_live_events_ingested_total{tenant="default",source="push",result="appended"} 1',
    );
    expect(text).toContain(
      'odoo_live_events_ingested_total{tenant="default",source="push",result="duplicate"} 1',
    );
    expect(text).toContain('odoo_live_push_requests_total{tenant="default",status="200"} 3');
    expect(text).toContain('odoo_live_push_requests_total{tenant="default",status="401"} 1');
  });

  test("an unknown route → 404 JSON not_found", async () => {
    const hub = await startTestHub();
    const response = await fetch(`${hub.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "not_found", message: expect.any(String) },
    });
  });
});

describe("failures and secrets", () => {
  test("a log that cannot be written → 503 unavailable (never a 2xx), logged without secrets", async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    const logger = pino({ level: "trace" }, stream);
    const hub = await startTestHub({}, { logger });

    // Good and bad credentials in every form Odoo sends.
    expect((await push(hub, envelope)).status).toBe(200);
    const attempts: Record<string, string>[] = [
      { Authorization: "Bearer wrong-token-for-the-log-test" },
      { Authorization: `Basic ${basic(`odoo:${PUSH_TOKEN}`)}` },
      { Authorization: "", "X-API-Key": PUSH_TOKEN },
      { Authorization: `Bearer ${JWT_SECRET}` },
    ];
    for (const headers of attempts)
      await (await push(hub, subscriberTestBody, { headers })).body?.cancel();

    // Force the error path, which is where request context tends to end up in logs. Ingest
    // appends through appendMany (a push is a batch of one).
    vi.spyOn(hub.log, "appendMany").mockRejectedValueOnce(new Error("disk full"));
    const failed = await push(hub, asEnvelope(partnerWrite, 5540));
    expect(failed.status).toBe(503);
    expect((await errorOf(failed)).code).toBe("unavailable");
    expect(await headSeq(hub)).toBe(1);

    const output = lines.join("");
    expect(output).toContain("event log append failed");
    expect(output).not.toContain(PUSH_TOKEN);
    expect(output).not.toContain(basic(`odoo:${PUSH_TOKEN}`));
    expect(output).not.toContain(JWT_SECRET);
  });
});
