import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** One metric family of a scrape: its type and the label names of each of its samples. */
export interface Family {
  type: string;
  /** Label names (sorted, without a histogram's `le`) of every sample; empty when it has none. */
  labelSets: string[][];
}

const SUFFIXES = ["_bucket", "_sum", "_count"];

/** Families of Prometheus text by name (a histogram's series are folded into their family). */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  for (const line of text.split("\n")) {
    const typed = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (typed?.[1] !== undefined && typed[2] !== undefined)
      families.set(typed[1], { type: typed[2], labelSets: [] });
    const series = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? \S+$/.exec(line);
    if (series?.[1] === undefined) continue;
    const family = families.get(series[1]) ?? families.get(withoutSuffix(series[1]));
    const names = [...(series[2] ?? "").matchAll(/([a-zA-Z_]\w*)="/g)].map((m) => m[1] ?? "");
    family?.labelSets.push(names.filter((n) => n !== "le").sort());
  }
  return families;
}

function withoutSuffix(name: string): string {
  const suffix = SUFFIXES.find((s) => name.endsWith(s));
  return suffix === undefined ? name : name.slice(0, -suffix.length);
}

/** Whether `name` (as a query writes it: a family, or a histogram's series) exists in `families`. */
export function queried(families: Map<string, Family>, name: string): boolean {
  if (families.has(name)) return true;
  return families.get(withoutSuffix(name))?.type === "histogram";
}

/** The metric names a PromQL expression reads (`odoo_live_*`, `process_*`, `nodejs_*`, `up`). */
export function metricsIn(expr: string): string[] {
  const names = expr.match(/\b(?:odoo_live|process|nodejs)_[a-zA-Z0-9_]+\b|\bup\b/g) ?? [];
  return [...new Set(names)];
}

export function readRepoFile(path: string): string {
  return readFileSync(join(ROOT, path), "utf8");
}

/** README's metric table: `| \`name\` | type | \`label\`, … | … |` rows. */
export function documentedMetrics(readme: string): Map<string, { type: string; labels: string[] }> {
  const rows = new Map<string, { type: string; labels: string[] }>();
  for (const line of readme.split("\n")) {
    const row = /^\| `(odoo_live_\w+)` \| (\w+) \|([^|]*)\|/.exec(line);
    if (row?.[1] === undefined || row[2] === undefined) continue;
    const labels = [...(row[3] ?? "").matchAll(/`(\w+)`/g)].map((m) => m[1] ?? "").sort();
    rows.set(row[1], { type: row[2], labels });
  }
  return rows;
}

/** README's paragraph naming Node's default metrics. */
export function documentedNodeMetrics(readme: string): string[] {
  const start = readme.indexOf("Node.js and process metrics keep");
  const paragraph = readme.slice(start, readme.indexOf("\n\n", start));
  return [
    ...new Set([...paragraph.matchAll(/`((?:process|nodejs)_\w+)`/g)].map((m) => m[1] ?? "")),
  ];
}
