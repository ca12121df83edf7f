/**
 * Redis falling behind (paused with CLIENT PAUSE) while Odoo keeps pushing: a node holds at most
 * 10,000 appends per tenant (10 batches of 1,000 wait behind the one running), answers the pushes
 * past that 503 `unavailable` at once, logged with a rate limit, and stores every push it held
 * once Redis serves again. The hub runs in a process of its own: the test holds 10,300
 * connections open at once, and one process holding both ends of each would pass the machine's
 * limit of open descriptors.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { asEnvelope } from "@odoo-live/protocol/fixtures";
import { afterEach, describe, expect, it } from "vitest";
import { namedWrite } from "./helpers/changes.js";
import { buildHub, startHubProcess } from "./helpers/hub-process.js";
import { parseLogLines } from "./helpers/log-capture.js";
import { metricSum } from "./helpers/metrics.js";
import { redisSkipReason, startRedis, uniquePrefix } from "./helpers/redis.js";
import { waitFor } from "./helpers/wait.js";

/** The log's bound per tenant and node: 10 batches of 1,000 appends wait. */
const HELD = 10_000;
const PUSHES = 10_300;
/** Connections opened at a time, so that the hub's listen backlog is not overrun. */
const WAVE = 500;
const TOKEN = "overload-test-push-token-0123456789";

interface Answer {
  status: number;
  code?: string;
}

/** Rate limits far above the test's pushes: only the log's bound may refuse them. */
function tenantsFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), "odoo-live-overload-")), "tenants.json");
  const push = { token: TOKEN, ratePerSecond: 1_000_000, burst: 1_000_000 };
  writeFileSync(path, JSON.stringify({ tenants: { default: { push } } }));
  return path;
}

/** A connection per push (none is free while Redis is paused): sent, then answered. */
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });

function post(url: string, n: number): { sent: Promise<void>; answered: Promise<Answer> } {
  const body = JSON.stringify(asEnvelope(namedWrite(`P${n}`), 900_000 + n));
  let sent!: () => void;
  const flushed = new Promise<void>((resolve) => (sent = resolve));
  const answered = new Promise<Answer>((resolve, reject) => {
    const req = request(
      `${url}/webhooks/odoo`,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: `Bearer ${TOKEN}`,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          const parsed = JSON.parse(text) as { error?: { code: string } };
          const code = parsed.error?.code;
          resolve(
            code === undefined ? { status: res.statusCode! } : { status: res.statusCode!, code },
          );
        });
      },
    );
    req.on("error", reject);
    req.on("finish", sent);
    req.end(body);
  });
  return { sent: flushed, answered };
}

let admin: Redis | undefined;
afterEach(async () => {
  await admin?.client("UNPAUSE");
  admin?.disconnect();
  admin = undefined;
});

describe.skipIf(redisSkipReason() !== undefined)("pushes while Redis falls behind", () => {
  it("holds 10,000, refuses the rest as unavailable at once, and stores what it held", async () => {
    buildHub();
    const redis = await startRedis();
    const hub = await startHubProcess({
      REDIS_URL: redis.url,
      HUB_REDIS_PREFIX: uniquePrefix(),
      HUB_TENANTS_FILE: tenantsFile(),
      PUSH_TOKEN: "",
    });
    expect(await post(hub.url, 0).answered).toEqual({ status: 200 });

    admin = new Redis(redis.url);
    // WRITE pauses every script call (EVAL, EVALSHA) and leaves CLIENT UNPAUSE through.
    await admin.client("PAUSE", 300_000, "WRITE");
    const answers: Answer[] = [];
    const pending: Promise<void>[] = [];
    for (let first = 1; first <= PUSHES; first += WAVE) {
      const wave = Array.from({ length: Math.min(WAVE, PUSHES + 1 - first) }, (_, i) =>
        post(hub.url, first + i),
      );
      await Promise.all(wave.map((push) => push.sent));
      pending.push(...wave.map((push) => push.answered.then((a) => void answers.push(a))));
    }
    // Past the bound the answers come while Redis is still paused.
    await waitFor(() => answers.length >= PUSHES - HELD - 1, {
      timeoutMs: 30_000,
      what: "the pushes past the bound refused",
    });
    expect(answers.every((a) => a.status === 503 && a.code === "unavailable")).toBe(true);

    await admin.client("UNPAUSE");
    await Promise.all(pending);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused.every((a) => a.status === 503 && a.code === "unavailable")).toBe(true);
    // The one running when Redis paused, and the ones held behind it.
    const held = answers.length - refused.length;
    expect(held).toBeGreaterThanOrEqual(HELD);
    expect(held).toBeLessThanOrEqual(HELD + 1);

    // Every held push is in the log, once; every refusal is counted.
    const appended = { result: "appended" };
    expect(await metricSum(hub, "odoo_live_events_ingested_total", appended)).toBe(held + 1);
    expect(await metricSum(hub, "odoo_live_push_requests_total", { status: "503" })).toBe(
      refused.length,
    );
    // Refusals are warnings, rate limited; a store that falls behind is no error.
    const lines = parseLogLines(hub.output());
    const warned = lines.filter((line) => line.msg === "push refused");
    expect(warned.length).toBeGreaterThanOrEqual(1);
    expect(warned.length).toBeLessThan(refused.length);
    const suppressed = await metricSum(hub, "odoo_live_log_lines_suppressed_total", {
      line: "push refused",
    });
    expect(suppressed + warned.length).toBe(refused.length);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  }, 120_000);
});
