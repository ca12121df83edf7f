/** The table the benchmark prints, and the record it appends to BENCHMARKS.md. */
import { appendFileSync, existsSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { ROOT } from "./processes.js";
import { median } from "./stats.js";
import type { TargetName } from "./targets.js";

export interface Row {
  scenario: string;
  metric: string;
  /** Medians per target. */
  values: Partial<Record<TargetName, number>>;
  /** Which way is better: "higher" (throughput) or "lower" (latency, time, bytes); ↑ or ↓ in the table. */
  better: "higher" | "lower";
  target?: string;
  note?: string;
}

export function row(
  scenario: string,
  metric: string,
  results: Map<TargetName, number[]>,
  better: Row["better"],
  extra: Pick<Row, "target" | "note"> = {},
): Row {
  const values: Row["values"] = {};
  for (const [name, list] of results) values[name] = median(list);
  return { scenario, metric, values, better, note: spread(results), ...extra };
}

/** Each target's lowest and highest run, so that a reader sees how much the machine wandered. */
function spread(results: Map<TargetName, number[]>): string {
  const parts = [...results]
    .filter(([, list]) => list.length > 1)
    .map(([name, list]) => `${name} ${format(Math.min(...list))}–${format(Math.max(...list))}`);
  return parts.length === 0 ? "" : `runs: ${parts.join(", ")}`;
}

export function format(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "–";
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toFixed(2);
}

function ratio(row: Row, name: TargetName): string {
  const bare = row.values.bare;
  const value = row.values[name];
  if (bare === undefined || value === undefined || bare === 0) return "–";
  return (value / bare).toFixed(2);
}

export function table(rows: readonly Row[]): string {
  const header =
    "| scenario | metric | bare | embedded | redis | embedded/bare | redis/bare | target | note |";
  const lines = rows.map((r) =>
    [
      r.scenario,
      `${r.metric} ${r.better === "higher" ? "↑" : "↓"}`,
      format(r.values.bare),
      format(r.values.embedded),
      format(r.values.redis),
      ratio(r, "embedded"),
      ratio(r, "redis"),
      r.target ?? "",
      r.note ?? "",
    ].join(" | "),
  );
  return [
    header,
    "|---|---|---:|---:|---:|---:|---:|---|---|",
    ...lines.map((l) => `| ${l} |`),
  ].join("\n");
}

export function machine(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

export function appendResults(command: string, rows: readonly Row[], settings: string): void {
  const file = join(ROOT, "BENCHMARKS.md");
  const heading = existsSync(file) ? "" : "# Benchmarks\n\n## Recorded runs\n";
  const text = [
    heading,
    `### ${new Date().toISOString()}`,
    "",
    `- machine: ${machine()}`,
    `- command: \`${command}\``,
    `- settings: ${settings}`,
    "",
    table(rows),
    "",
  ].join("\n");
  appendFileSync(file, text);
}
