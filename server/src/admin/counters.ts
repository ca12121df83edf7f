import type { Counter, Gauge } from "prom-client";

/** A counter's or gauge's samples of one tenant, as `{ "<label values>": value }`. */
export type Samples = Record<string, number>;

/**
 * Reads a metric of the hub's registry and groups its samples by tenant, keyed by the other
 * labels' values joined with `/` (e.g. `push/appended`). Values are totals since start: the page
 * turns them into rates.
 */
export async function byTenant(
  metric: Counter<string> | Gauge<string>,
  keys: readonly string[],
): Promise<Map<string, Samples>> {
  const grouped = new Map<string, Samples>();
  for (const { labels, value } of (await metric.get()).values) {
    const tenant = String(labels["tenant"] ?? "");
    const key = keys.map((k) => String(labels[k] ?? "")).join("/") || "total";
    const samples = grouped.get(tenant) ?? {};
    samples[key] = (samples[key] ?? 0) + value;
    grouped.set(tenant, samples);
  }
  return grouped;
}
