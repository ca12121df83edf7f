/**
 * `npm run bench [-- options]`: runs the scenarios, prints one table and appends it to
 * BENCHMARKS.md with the machine, Node version, date and command.
 *
 *   --only fanout,latency   scenarios to run (fanout, latency, resume, memory, ingest, restart, rules, compaction, scale)
 *   --runs 5                measurements per target, alternating (at least 5 to be recorded)
 *   --quick                 a tenth of the sizes, 2 runs, nothing recorded: checks the harness
 *   --profile               write the hub's CPU profiles to bench/results/ and print their top
 *   --ack-linger-ms 20      HUB_ACK_LINGER_MS of the Redis target's hub where devices connect
 *                           (fanout, latency, resume, scale's units); the scale check sets its own
 */
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT, redisAvailable } from "./processes.js";
import { topSelfTime } from "./profile-summary.js";
import { appendResults, machine, table, type Row } from "./report.js";
import type { Context } from "./scenarios/context.js";
import { fanout } from "./scenarios/fanout.js";
import { ingest } from "./scenarios/ingest.js";
import { latency } from "./scenarios/latency.js";
import { memory } from "./scenarios/memory.js";
import { compaction } from "./scenarios/compaction.js";
import { restart } from "./scenarios/restart.js";
import { resumeStorm } from "./scenarios/resume-storm.js";
import { rules } from "./scenarios/rules.js";
import { scale } from "./scenarios/scale.js";
import type { TargetName } from "./targets.js";

const SCENARIOS: Record<string, (context: Context) => Promise<Row[]>> = {
  fanout,
  latency,
  resume: resumeStorm,
  memory,
  ingest,
  restart,
  rules,
  compaction,
  scale,
};

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    runs: { type: "string" },
    quick: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    "ack-linger-ms": { type: "string" },
  },
});

const chosen = values.only?.split(",") ?? Object.keys(SCENARIOS);
const unknown = chosen.filter((name) => !(name in SCENARIOS));
if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(", ")}`);
const runs = Number(values.runs ?? (values.quick ? 2 : 5));
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer`);
const lingerOption = values["ack-linger-ms"];
const ackLingerMs = lingerOption === undefined ? undefined : Number(lingerOption);
if (ackLingerMs !== undefined && !(Number.isInteger(ackLingerMs) && ackLingerMs >= 0))
  throw new Error(`--ack-linger-ms must be a non-negative integer`);

const targets: TargetName[] = ["bare", "embedded"];
if (redisAvailable) targets.push("redis");
else
  process.stderr.write(
    "\n*** redis-server is not installed: the Redis figures are SKIPPED ***\n\n",
  );

const cpuProfDir = values.profile
  ? join(ROOT, "bench", "results", `profile-${Date.now()}`)
  : undefined;
if (cpuProfDir !== undefined) mkdirSync(cpuProfDir, { recursive: true });
const context: Context = {
  runs,
  scale: values.quick ? 0.1 : 1,
  targets,
  cpuProfDir,
  ackLingerMs,
};

console.log(`odoo-live benchmarks on ${machine()}; ${runs} alternating runs per target`);
const rows: Row[] = [];
for (const name of chosen) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const produced = await SCENARIOS[name]!(context);
  rows.push(...produced);
  console.log(table(produced));
  console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
console.log(`\n${table(rows)}`);

if (cpuProfDir !== undefined) {
  for (const file of readdirSync(cpuProfDir).filter((f) => f.endsWith(".cpuprofile"))) {
    console.log(`\nCPU profile ${join(cpuProfDir, file)}, top self time:`);
    for (const line of topSelfTime(join(cpuProfDir, file))) console.log(line);
  }
}

if (values.quick || runs < 5) {
  console.log("\nNot recorded in BENCHMARKS.md (--quick, or fewer than 5 runs).");
} else {
  const linger = ackLingerMs === undefined ? "" : `; HUB_ACK_LINGER_MS=${ackLingerMs} on Redis`;
  const settings = `scenarios ${chosen.join(", ")}; ${runs} runs per target; targets ${targets.join(", ")}${linger}`;
  appendResults(
    `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
    rows,
    settings,
  );
  console.log("\nAppended to BENCHMARKS.md.");
}
