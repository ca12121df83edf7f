/**
 * Odoo failures are states: a hub pulling from a simulated Odoo that refuses its key, lacks the
 * module, answers errors or cannot be reached logs each change once (and the recovery), reports
 * the tenant in /readyz (still 200) and in its gauges, and retries refused credentials slowly.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hub } from "@odoo-live/server";
import { describe, expect, it } from "vitest";
import { startTestHub } from "./helpers/hub.js";
import { captureLogger, type LogLine } from "./helpers/log-capture.js";
import { pullFrom, startSim } from "./helpers/sim.js";
import { waitFor } from "./helpers/wait.js";

async function readyz(hub: Hub): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${hub.url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The value of one sample in /metrics (`name{labels}` exactly as printed), or undefined. */
async function sample(hub: Hub, series: string): Promise<number | undefined> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function tenantsFile(odoo: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), "odoo-live-state-")), "tenants.json");
  const tenant = { push: { token: "state-test-push-token-0123" }, odoo };
  writeFileSync(path, JSON.stringify({ tenants: { default: tenant } }));
  return path;
}

const count = (lines: () => LogLine[], msg: string) => lines().filter((l) => l.msg === msg).length;

describe("Odoo's state", () => {
  it("refused credentials: one error, degraded in /readyz (200), gauges, and a slow retry", async () => {
    const sim = await startSim();
    const { logger, lines } = captureLogger("info");
    const file = tenantsFile({
      url: sim.url,
      apiKey: "not-the-api-key",
      pull: { intervalMs: 20, authRetryMs: 500, start: "earliest" },
      syncState: { mirror: false },
    });
    const hub = await startTestHub({ HUB_TENANTS_FILE: file, PUSH_TOKEN: "" }, { logger });
    const errors = 'odoo_live_pull_errors_total{tenant="default",kind="auth"}';
    await waitFor(async () => (await sample(hub, errors)) === 1, { what: "the first refusal" });
    const first = Date.now();
    await waitFor(async () => ((await sample(hub, errors)) ?? 0) >= 3, { what: "two retries" });
    // Two retries 500 ms apart, where an unrefused failure would back off from 250 ms.
    expect(Date.now() - first).toBeGreaterThanOrEqual(950);
    expect(sim.requests().filter((r) => r.path === "/api/webhooks/pull").length).toBeLessThan(5);
    expect(lines().filter((l) => l.level === 50)).toEqual([
      expect.objectContaining({
        msg: "Odoo refuses the hub's credentials (API key)",
        tenant: "default",
        odoo: "unauthorized",
        status: 401,
      }),
    ]);
    const ready = await readyz(hub);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: "degraded",
      degraded: [
        {
          tenant: "default",
          odoo: "unauthorized",
          error: expect.stringMatching(/Authentication required/),
        },
      ],
    });
    expect(await sample(hub, 'odoo_live_odoo_up{tenant="default"}')).toBe(0);
    expect(await sample(hub, 'odoo_live_odoo_state{tenant="default",state="unauthorized"}')).toBe(
      1,
    );
    expect(await sample(hub, 'odoo_live_odoo_state{tenant="default",state="up"}')).toBe(0);
  });

  it("failing, unreachable, then back: one line per change; a missing module is not_found", async () => {
    const sim = await startSim();
    const { logger, lines } = captureLogger("info");
    const hub = await startTestHub(pullFrom(sim), { logger });
    // The module's routes under another database: 404 over REST, an error over JSON-RPC.
    const elsewhere = await startSim({ db: "odoo" });
    const noModule = await startTestHub(pullFrom(elsewhere, { ODOO_DB: "other" }));
    const rpc = { ODOO_DB: "other", ODOO_RPC_UID: "2", ODOO_RPC_KEY: "sim-rpc-key" };
    const noDatabase = await startTestHub(pullFrom(elsewhere, rpc));
    const up = 'odoo_live_odoo_up{tenant="default"}';
    await waitFor(async () => (await sample(hub, up)) === 1, { what: "Odoo up" });
    expect(await readyz(hub)).toEqual({ status: 200, body: { status: "ready", degraded: [] } });

    sim.setFault("down");
    await waitFor(() => count(lines, "Odoo answers with errors") === 1, { what: "failing" });
    expect((await readyz(hub)).body).toMatchObject({ degraded: [{ odoo: "failing" }] });
    sim.setFault("refuse");
    await waitFor(() => count(lines, "Odoo cannot be reached") === 1, { what: "unreachable" });
    const failures = sim.requests().length;
    await waitFor(() => sim.requests().length >= failures + 1, { what: "one more refused pull" });
    sim.setFault(null);
    await waitFor(() => count(lines, "Odoo is up again") === 1, {
      timeoutMs: 10_000,
      what: "recovered",
    });
    expect(lines().find((l) => l.msg === "Odoo is up again")).toMatchObject({ was: "unreachable" });
    expect(count(lines, "Odoo answers with errors")).toBe(1);
    expect(count(lines, "Odoo cannot be reached")).toBe(1);
    expect(await sample(hub, up)).toBe(1);
    expect((await readyz(hub)).body).toEqual({ status: "ready", degraded: [] });

    await waitFor(async () => (await readyz(noModule)).body["status"] === "degraded", {
      what: "the hub without the module degraded",
    });
    expect((await readyz(noModule)).body).toMatchObject({ degraded: [{ odoo: "not_found" }] });
    expect(await sample(noModule, 'odoo_live_odoo_state{tenant="default",state="not_found"}')).toBe(
      1,
    );
    await waitFor(async () => (await readyz(noDatabase)).body["status"] === "degraded", {
      what: "the JSON-RPC hub degraded",
    });
    expect((await readyz(noDatabase)).body).toMatchObject({
      degraded: [{ odoo: "not_found", error: expect.stringMatching(/does not exist/) }],
    });
  });
});
