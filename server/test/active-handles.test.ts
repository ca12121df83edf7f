import { createServer, connect, type Socket } from "node:net";
import { collectDefaultMetrics, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { listHandlesOncePerScrape } from "../src/ops/active-handles.js";
import { waitFor } from "../../test/helpers/wait.js";

/** Each sample of the scrape as `name{labels}` → value. */
async function scrape(registry: Registry): Promise<Map<string, number>> {
  const samples = new Map<string, number>();
  for (const line of (await registry.metrics()).split("\n")) {
    if (line.startsWith("#") || line === "") continue;
    const at = line.lastIndexOf(" ");
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** Counts the calls of `process`'s own two listings while `body` runs. */
async function counting<T>(body: () => Promise<T>): Promise<[T, Record<string, number>]> {
  const target = process as unknown as Record<string, (...args: unknown[]) => unknown>;
  const names = ["_getActiveHandles", "getActiveResourcesInfo"];
  const originals = names.map((name) => target[name]!);
  const calls: Record<string, number> = {};
  names.forEach((name, i) => {
    calls[name] = 0;
    target[name] = function (this: unknown, ...args: unknown[]) {
      calls[name]!++;
      return originals[i]!.apply(this, args);
    };
  });
  try {
    return [await body(), calls];
  } finally {
    names.forEach((name, i) => (target[name] = originals[i]!));
  }
}

describe("nodejs_active_handles and nodejs_active_resources", () => {
  it("keep prom-client's names and labels, follow the sockets, and list once per scrape", async () => {
    const stock = new Registry();
    collectDefaultMetrics({ register: stock });
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    listHandlesOncePerScrape(registry);
    const names = (r: Registry) =>
      r
        .getMetricsAsArray()
        .map((m) => `${m.name} ${m.help}`)
        .sort();
    expect(names(registry)).toEqual(names(stock));

    let accepted = 0;
    const server = createServer(() => void accepted++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const before = await scrape(registry);
    const sockets: Socket[] = [];
    for (let i = 0; i < 50; i++) sockets.push(connect(port, "127.0.0.1"));
    await Promise.all(sockets.map((s) => new Promise((resolve) => s.once("connect", resolve))));
    await waitFor(() => accepted === 50, { what: "the server to accept the 50 connections" });
    try {
      const [after, calls] = await counting(() => scrape(registry));
      expect(calls).toEqual({ _getActiveHandles: 1, getActiveResourcesInfo: 1 });
      // 50 client sockets and the 50 the server accepted.
      const grew = (key: string) => after.get(key)! - (before.get(key) ?? 0);
      expect(grew('nodejs_active_handles{type="Socket"}')).toBeGreaterThanOrEqual(100);
      expect(grew("nodejs_active_handles_total")).toBeGreaterThanOrEqual(100);
      expect(grew('nodejs_active_resources{type="TCPSocketWrap"}')).toBeGreaterThanOrEqual(100);
      const byType = [...after].filter(([key]) => key.startsWith("nodejs_active_handles{"));
      expect(byType.reduce((sum, [, n]) => sum + n, 0)).toBe(
        after.get("nodejs_active_handles_total"),
      );
      const stocked = await scrape(stock);
      expect(stocked.get('nodejs_active_handles{type="Socket"}')).toBe(
        after.get('nodejs_active_handles{type="Socket"}'),
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
