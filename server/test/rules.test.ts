import type { NormalizedEvent } from "@odoo-live/protocol";
import { describe, expect, test } from "vitest";
import { LiveRules } from "../src/realtime/live-rules.js";
import { NO_RULES, ruleSet } from "../src/routing/rules.js";

const event = (record: Record<string, unknown>, model = "sale.order") =>
  ({ model, record }) as Pick<NormalizedEvent, "model" | "record">;

describe("ruleSet", () => {
  test("companies: a record of another company is withheld, one without a company passes", () => {
    const rules = ruleSet({ companies: [1, 3] });
    expect(rules.passes(event({ company_id: { id: 1, name: "A" } }))).toBe(true);
    expect(rules.passes(event({ company_id: { id: 2, name: "B" } }))).toBe(false);
    expect(rules.passes(event({ company_id: 3 }))).toBe(true);
    expect(rules.passes(event({ company_id: false }))).toBe(true);
    expect(rules.passes(event({}))).toBe(true);
  });

  test("a subscription's where narrows the token's domain, never widens it", () => {
    const rules = ruleSet({
      domains: { "sale.order": [["state", "=", "sale"]] },
      where: { "sale.order": [["state", "in", ["sale", "draft"]]] },
    });
    expect(rules.passes(event({ state: "sale" }))).toBe(true);
    expect(rules.passes(event({ state: "draft" }))).toBe(false);
    expect(rules.passes(event({ state: "draft" }, "res.partner"))).toBe(true);
  });

  test("the same rules, the same id; none at all is NO_RULES", () => {
    const a = ruleSet({ companies: [1], domains: { "sale.order": [["state", "=", "sale"]] } });
    const b = ruleSet({ companies: [1], domains: { "sale.order": [["state", "=", "sale"]] } });
    expect(a.id).toBe(b.id);
    expect(ruleSet({ companies: [2] }).id).not.toBe(a.id);
    expect(ruleSet({})).toBe(NO_RULES);
    expect(ruleSet({ where: {} })).toBe(NO_RULES);
  });
});

describe("LiveRules", () => {
  test("evaluates each distinct rule set once per event, however many sessions share it", () => {
    const live = new LiveRules();
    let evaluations = 0;
    const counted = { id: "c", passes: () => (evaluations++, true) };
    for (let i = 0; i < 500; i++) live.add("t", counted);
    live.add("t", NO_RULES);
    expect(live.passing("t", event({}) as NormalizedEvent)).toEqual(["c", ""]);
    expect(evaluations).toBe(1);
    for (let i = 0; i < 500; i++) live.remove("t", counted);
    expect(live.passing("t", event({}) as NormalizedEvent)).toEqual([""]);
    live.remove("t", NO_RULES);
    expect(live.passing("t", event({}) as NormalizedEvent)).toEqual([]);
  });
});
