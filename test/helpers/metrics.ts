import type { Hub } from "@odoo-live/server";

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** The samples of one metric in the hub's `/metrics` (Prometheus text format). */
export async function metricSamples(hub: Pick<Hub, "url">, name: string): Promise<Sample[]> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const labels = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    samples.push({ labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of a metric's samples whose labels include `labels`. */
export async function metricSum(
  hub: Pick<Hub, "url">,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const samples = await metricSamples(hub, name);
  return samples
    .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
