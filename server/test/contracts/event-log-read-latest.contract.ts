/**
 * `readLatestSince`, run by eventLogContract against every EventLog: a compacted read answers
 * exactly what compacting `readSince` would (compact.ts), however the log finds it.
 */
import { describe, expect, test } from "vitest";
import type { AppendInput, EventLog } from "../../src/log/event-log.js";
import { compact } from "../../src/log/compact.js";
import type { Position } from "../../src/log/position.js";
import type { Selector } from "../../src/routing/selector.js";
import { freshTenant, input, logOpener, type EventLogFactory } from "./event-log-inputs.js";

const MODELS = ["sale.order", "res.partner", "crm.lead"];

function selector(uid: number, models: string[], allowed: "*" | string[] = "*"): Selector {
  return { uid, models: new Set(models), allowed: allowed === "*" ? "*" : new Set(allowed) };
}

/** Subscribed, routed, withheld and mixed: the selections readSince's contract names. */
const SELECTORS = [
  selector(1, MODELS),
  selector(2, ["sale.order"]),
  selector(3, ["res.partner", "crm.lead"]),
  selector(2, ["sale.order"], ["sale.order", "res.partner"]),
  selector(2, [], ["crm.lead"]),
  selector(9, ["crm.lead"]),
  selector(3, []),
];

/** A small deterministic generator, so that a failure names a plan that can be replayed. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    // The high bits: an LCG's low bits repeat with a short period.
    return Math.floor((state / 2 ** 31) * n);
  };
}

/**
 * `count` changes of few records (ids shared across models), routed to users 2 and 3 or not,
 * with versions that now and then go back (stale) and some unlinks.
 */
function plan(tenant: string, count: number, seed: number): AppendInput[] {
  const pick = random(seed);
  const routes = [[], [2], [3], [2, 3]];
  return Array.from({ length: count }, (_, i) => {
    const base = input(tenant, MODELS[pick(MODELS.length)]!, routes[pick(routes.length)]);
    // One change in six carries a version half a minute old: stale if its record moved since.
    const seconds = i - (pick(6) === 0 ? 30 : 0);
    const version = new Date(Date.UTC(2026, 10, 30, 6) + seconds * 1000)
      .toISOString()
      .replace("Z", "000Z");
    const op = pick(8) === 0 ? ("unlink" as const) : ("write" as const);
    return { ...base, draft: { ...base.draft, recordId: 1 + pick(4), version, op } };
  });
}

export function readLatestContract(name: string, factory: EventLogFactory): void {
  describe(`EventLog contract, readLatestSince: ${name}`, () => {
    const open = logOpener(factory);

    async function expectSameAsCompacted(log: EventLog, tenant: string, from: Position) {
      for (const sel of SELECTORS) {
        const whole = await log.readSince(tenant, from, sel);
        const latest = await log.readLatestSince(tenant, from, sel);
        if (!whole.ok) {
          expect(latest).toEqual(whole);
          continue;
        }
        const expected = compact(whole.events);
        const what = `from ${from.seq}, ${JSON.stringify({ ...sel, models: [...sel.models] })}`;
        expect(latest.ok, what).toBe(true);
        if (!latest.ok) continue;
        expect(latest.events, what).toEqual(expected.events);
        expect(latest.left, what).toBe(expected.left);
        expect(latest.head, what).toEqual(whole.head);
      }
    }

    test("answers what compacting readSince answers, from every position", async () => {
      const log = await open();
      const tenant = freshTenant();
      const inputs = plan(tenant, 80, 7);
      await log.appendMany(tenant, inputs.slice(0, 40));
      for (const one of inputs.slice(40)) await log.append(tenant, one);
      const head = await log.head(tenant);
      expect(head.seq).toBe(80);
      for (const seq of [0, 1, 17, 40, 63, 79, 80]) {
        await expectSameAsCompacted(log, tenant, { epoch: head.epoch, seq });
      }
    });

    test("the plan has stale events, unlinks and records repeated across models", async () => {
      const tenant = freshTenant();
      const inputs = plan(tenant, 80, 7);
      const log = await open();
      const results = await log.appendMany(tenant, inputs);
      const events = results.flatMap((r) => (r.status === "appended" ? [r.event] : []));
      expect(events.filter((e) => e.stale === true).length).toBeGreaterThan(3);
      expect(events.filter((e) => e.op === "unlink").length).toBeGreaterThan(3);
      const compacted = compact(events);
      expect(compacted.left).toBeGreaterThan(40);
      expect(new Set(compacted.events.map((e) => e.recordId)).size).toBeLessThan(
        compacted.events.length,
      );
    });

    test("stays right while retention trims, and refuses what was trimmed", async () => {
      const log = await open({ retention: { maxCount: 25, maxAgeMs: 3_600_000 } });
      const tenant = freshTenant();
      const inputs = plan(tenant, 90, 11);
      for (let i = 0; i < inputs.length; i += 15) {
        await log.appendMany(tenant, inputs.slice(i, i + 15));
        const head = await log.head(tenant);
        for (const back of [0, 5, 24, 25, 40]) {
          await expectSameAsCompacted(log, tenant, { ...head, seq: Math.max(0, head.seq - back) });
        }
      }
      const head = await log.head(tenant);
      const expired = await log.readLatestSince(tenant, { ...head, seq: 10 }, SELECTORS[0]!);
      expect(expired).toMatchObject({ ok: false, reason: "cursor_expired" });
    });

    test("another epoch's cursor is refused", async () => {
      const log = await open();
      const tenant = freshTenant();
      await log.appendMany(tenant, plan(tenant, 5, 3));
      const head = await log.head(tenant);
      const epoch = head.epoch === "aaaaaaaaaaaaaaaa" ? "bbbbbbbbbbbbbbbb" : "aaaaaaaaaaaaaaaa";
      const read = await log.readLatestSince(tenant, { epoch, seq: 1 }, SELECTORS[0]!);
      expect(read).toMatchObject({ ok: false, reason: "epoch_changed" });
    });
  });
}
