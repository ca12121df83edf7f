/**
 * The metrics an operator runs on: a hub on Redis, pulling from a simulated Odoo, with
 * `/metrics` on a port of its own, under traffic that touches every metric. The README's table
 * and the scrape name the same metrics with the same labels, both ways; the Grafana dashboard and
 * the alert rules query only metrics the hub has.
 */
import type { Hub } from "@odoo-live/server";
import { describe, expect, it } from "vitest";
import { connectRaw, connectReady, mintToken, push, startTestHub } from "./helpers/hub.js";
import {
  documentedMetrics,
  documentedNodeMetrics,
  metricsIn,
  parseExposition,
  queried,
  readRepoFile,
  type Family,
} from "./helpers/prometheus.js";
import { redisSkipReason, startRedis, uniquePrefix } from "./helpers/redis.js";
import { pullFrom, saleChange, startSim } from "./helpers/sim.js";
import { waitFor } from "./helpers/wait.js";

async function scrape(hub: Hub): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${hub.metricsPort}/metrics`);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  return response.text();
}

const valueOf = (text: string, series: string) =>
  Number(
    text
      .split("\n")
      .find((l) => l.startsWith(`${series} `))
      ?.slice(series.length + 1) ?? NaN,
  );

function pushBody(recordId: number) {
  const { payload } = saleChange(`M${recordId}`);
  return {
    event_id: recordId,
    model: "sale.order",
    record_id: recordId,
    event: "write",
    timestamp: "2025-11-29T10:15:02",
    data: { ...payload, id: recordId },
  };
}

/** Every `expr` in a Grafana dashboard, however deeply nested. */
function dashboardExprs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(dashboardExprs);
  if (typeof node !== "object" || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === "expr" && typeof value === "string" ? [value] : dashboardExprs(value),
  );
}

/** A hub under traffic that gives every metric at least one sample. */
async function hubUnderTraffic(): Promise<{ hub: Hub; text: string }> {
  const [redis, sim] = await Promise.all([startRedis(), startSim()]);
  const hub = await startTestHub({
    REDIS_URL: redis.url,
    HUB_REDIS_PREFIX: uniquePrefix(),
    HUB_METRICS_PORT: "0",
    ...pullFrom(sim, { ODOO_LATE_COMMIT_WINDOW_MS: "100" }),
  });
  const live = await connectReady(hub, {
    token: mintToken({ uid: 2 }),
    deviceId: "tablet-m",
    models: ["sale.order"],
  });
  for (let id = 1; id <= 3; id++) expect((await push(hub, pushBody(id))).status).toBe(200);
  const bad = { headers: { Authorization: "Bearer not-the-push-token-at-all" } };
  for (let i = 0; i < 7; i++) expect((await push(hub, pushBody(9), bad)).status).toBe(401);
  sim.change(saleChange("pulled"));
  await waitFor(() => live.events.length === 4, { what: "3 pushed and 1 pulled event" });
  // An id gap above the first row read: the watermark passes it once the window is over.
  sim.change({ ...saleChange("rolled back"), rollback: true });
  sim.change(saleChange("pulled after a gap"));
  await waitFor(() => live.events.length === 5, { what: "the row after the gap" });
  // A refused handshake, a resync, an expired session, a device that leaves.
  await connectRaw(hub, { token: mintToken({}, "x".repeat(40)), deviceId: "bad-1" }).connectError;
  const stale = await connectReady(hub, {
    token: mintToken({ uid: 3 }),
    deviceId: "stale-1",
    cursor: "0123456789abcdef-5",
  });
  stale.socket.disconnect();
  // A sign-in request (the tenant does not enable it: 404).
  const signin = await fetch(`${hub.url}/auth/refresh`, { method: "POST", body: "{}" });
  expect(signin.status).toBe(404);
  const brief = connectRaw(hub, { token: mintToken({ uid: 4, expiresIn: 1 }), deviceId: "brief" });
  await waitFor(() => brief.log.some(([name]) => name === "expired"), {
    timeoutMs: 3000,
    what: "the session's expiry",
  });
  sim.setFault("down");
  await waitFor(async () => /odoo_live_pull_errors_total\{/.test(await scrape(hub)), {
    what: "a pull error",
  });
  sim.setFault(null);
  await waitFor(
    async () => valueOf(await scrape(hub), 'odoo_live_odoo_up{tenant="default"}') === 1,
    {
      timeoutMs: 10_000,
      what: "Odoo up again",
    },
  );
  await waitFor(async () => /odoo_live_pull_ids_skipped_total\{/.test(await scrape(hub)), {
    what: "the rolled-back id passed",
  });
  expect(live.events).toHaveLength(5);
  return { hub, text: await scrape(hub) };
}

describe.skipIf(redisSkipReason() !== undefined)("metrics", () => {
  it("match the README both ways, on their own port, and cover the dashboard and alerts", async () => {
    const { hub, text } = await hubUnderTraffic();
    const families = parseExposition(text);
    const readme = readRepoFile("README.md");

    const documented = documentedMetrics(readme);
    const ours = [...families].filter(([name]) => name.startsWith("odoo_live_"));
    expect(ours.map(([name]) => name).sort()).toEqual([...documented.keys()].sort());
    const unsampled = ours.filter(([, f]) => f.labelSets.length === 0).map(([name]) => name);
    expect(unsampled, "metrics the traffic left without a sample").toEqual([]);
    for (const [name, family] of ours) {
      const doc = documented.get(name);
      expect(family.type, name).toBe(doc?.type);
      const labelSets = new Set(family.labelSets.map((set: string[]) => set.join(",")));
      expect([...labelSets], name).toEqual([doc?.labels.join(",")]);
    }
    const node = [...families.keys()].filter((name) => !name.startsWith("odoo_live_"));
    expect(node.sort()).toEqual(documentedNodeMetrics(readme).sort());

    // What the numbers mean: one emit per event with a local recipient, its latency observed.
    expect(valueOf(text, 'odoo_live_events_emitted_total{tenant="default"}')).toBe(5);
    expect(valueOf(text, 'odoo_live_emit_latency_seconds_count{tenant="default"}')).toBe(5);
    expect(text).toContain('odoo_live_connections{tenant="default",app_type="mobile_app"} 1');
    expect(text).toMatch(/odoo_live_build_info\{version="\d+\.\d+\.\d+",node_version="v\d+/);
    expect(valueOf(text, 'odoo_live_redis_up{connection="main"}')).toBe(1);

    // Not on the public port.
    expect((await fetch(`${hub.url}/metrics`)).status).toBe(404);

    const dashboard = dashboardExprs(JSON.parse(readRepoFile("deploy/grafana/odoo-live.json")));
    expect(dashboard.length).toBeGreaterThan(10);
    expectQueried(families, dashboard, "the dashboard");
    const alerts = [...readRepoFile("deploy/prometheus/alerts.yml").matchAll(/expr: (.+)/g)];
    expectQueried(
      families,
      alerts.map((m) => m[1] ?? "").filter((e) => !e.startsWith("|")),
      "alerts",
    );
  });
});

/** Every metric the expressions read is on the hub (`up` is Prometheus's own). */
function expectQueried(families: Map<string, Family>, exprs: string[], where: string): void {
  const names = [...new Set(exprs.flatMap(metricsIn))].filter((name) => name !== "up");
  expect(names.length, where).toBeGreaterThan(3);
  expect(
    names.filter((name) => !queried(families, name)),
    `${where}: unknown metrics`,
  ).toEqual([]);
}
