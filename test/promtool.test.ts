/**
 * The alert rules in deploy/prometheus: valid for Prometheus (`promtool check rules`), and each
 * one fires, or stays quiet, as its unit tests say (`promtool test rules`). Without promtool
 * (Debian: `apt-get install prometheus`) these are skipped loudly, unless REQUIRE_PROMTOOL=1
 * (CI), where they fail.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRepoFile, ROOT } from "./helpers/prometheus.js";

const RULES = join(ROOT, "deploy", "prometheus");

function skipReason(): string | undefined {
  if (spawnSync("promtool", ["--version"]).status === 0) return undefined;
  const reason = "promtool is not installed on this machine: the alert rule checks are SKIPPED";
  if (process.env["REQUIRE_PROMTOOL"] === "1")
    throw new Error(`${reason} (REQUIRE_PROMTOOL=1 forbids it)`);
  process.stderr.write(`\n*** ${reason} ***\n\n`);
  return reason;
}

function promtool(...args: string[]): string {
  const run = spawnSync("promtool", args, { cwd: RULES, encoding: "utf8" });
  expect(run.status, `promtool ${args.join(" ")}:\n${run.stdout}${run.stderr}`).toBe(0);
  return run.stdout;
}

describe.skipIf(skipReason() !== undefined)("alert rules", () => {
  it("pass promtool check rules", () => {
    expect(promtool("check", "rules", "alerts.yml")).toMatch(/SUCCESS: \d+ rules found/);
  });

  it("pass their unit tests, and every alert has one", () => {
    expect(promtool("test", "rules", "alerts.test.yml")).toMatch(/SUCCESS/);
    const alerts = [...readRepoFile("deploy/prometheus/alerts.yml").matchAll(/- alert: (\w+)/g)];
    const tests = readRepoFile("deploy/prometheus/alerts.test.yml");
    const untested = alerts
      .map((m) => m[1] ?? "")
      .filter((a) => !tests.includes(`alertname: ${a}`));
    expect(alerts.length).toBeGreaterThan(5);
    expect(untested).toEqual([]);
  });
});
