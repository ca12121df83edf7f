/**
 * The dedupe window's stamped content, run by eventLogContract against every EventLog: the same
 * content stamped `within` seconds apart is one change (an instant push and the pulled row of
 * it), further apart a change of its own (Odoo wrote the same values again).
 */
import { describe, expect, test } from "vitest";
import { MAX_STAMPS } from "../../src/log/dedupe-window.js";
import type { AppendInput, EventLog } from "../../src/log/event-log.js";
import type { Selector } from "../../src/routing/selector.js";
import { freshTenant, input, logOpener, type EventLogFactory } from "./event-log-inputs.js";

const everything: Selector = { uid: 1, models: new Set(["sale.order"]), allowed: "*" };

/** A change whose content is `key`, stamped at `second`, carried by the Odoo rows `rows`. */
function stamped(tenant: string, key: string, second: number, rows: string[] = []): AppendInput {
  const base = input(tenant, "sale.order");
  return { ...base, dedupe: { rows, content: { key, second, within: 2 } } };
}

function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function statuses(log: EventLog, tenant: string, inputs: AppendInput[]) {
  const results = [];
  for (const appendInput of inputs) {
    const result = await log.append(tenant, appendInput);
    results.push(result.status === "appended" ? result.event.seq : result.key);
  }
  return results;
}

export function stampedContentContract(name: string, factory: EventLogFactory): void {
  describe(`EventLog contract, stamped content: ${name}`, () => {
    const open = logOpener(factory);

    test("the same content stamped within 2 s is a duplicate, 3 s apart a change of its own", async () => {
      const log = await open();
      const tenant = freshTenant();
      const at = (second: number) => stamped(tenant, "c:a", second);
      expect(await statuses(log, tenant, [at(100), at(98), at(102), at(103), at(97)])).toEqual([
        1,
        "c:a",
        "c:a",
        2,
        3,
      ]);
      // Every stamp is remembered: 105 is within 2 s of 103, 95 of 97; 'c:b' is other content.
      expect(await statuses(log, tenant, [at(105), at(95), stamped(tenant, "c:b", 100)])).toEqual([
        "c:a",
        "c:a",
        4,
      ]);
    });

    test("a row key matches before the content, and a duplicate names it", async () => {
      const log = await open();
      const tenant = freshTenant();
      const results = await statuses(log, tenant, [
        stamped(tenant, "c:a", 100, ["whe:1"]),
        stamped(tenant, "c:a", 100, ["whe:1"]),
        stamped(tenant, "c:a", 101, ["whe:2"]),
      ]);
      expect(results).toEqual([1, "whe:1", "c:a"]);
    });

    test("a pull copy teaches its own stamp's event the ledger row, not a later repeat's", async () => {
      const log = await open();
      const tenant = freshTenant();
      await statuses(log, tenant, [stamped(tenant, "c:a", 100), stamped(tenant, "c:a", 106)]);
      const copy = stamped(tenant, "c:a", 101, ["uw:555"]);
      const pulled = { ...copy, draft: { ...copy.draft, origin: { updateWebhookId: 555 } } };
      expect(await log.append(tenant, pulled)).toEqual({ status: "duplicate", key: "c:a" });
      const { epoch } = await log.head(tenant);
      const read = await log.readSince(tenant, { epoch, seq: 0 }, everything);
      if (!read.ok) expect.fail(JSON.stringify(read));
      expect(read.events.map((e) => e.origin.updateWebhookId)).toEqual([555, undefined]);
    });

    test("each stamp has its own window, though later stamps keep the content key", async () => {
      const c = clock();
      const log = await open({ dedupeMs: 1000, now: c.now });
      const tenant = freshTenant();
      expect(await statuses(log, tenant, [stamped(tenant, "c:a", 100)])).toEqual([1]);
      c.advance(600);
      expect(await statuses(log, tenant, [stamped(tenant, "c:a", 110)])).toEqual([2]);
      c.advance(500);
      // Stamp 100 was remembered 1,100 ms ago: gone. Stamp 110, 500 ms ago: still there.
      const again = [stamped(tenant, "c:a", 101), stamped(tenant, "c:a", 111)];
      expect(await statuses(log, tenant, again)).toEqual([3, "c:a"]);
      c.advance(1001);
      expect(await statuses(log, tenant, [stamped(tenant, "c:a", 111)])).toEqual([4]);
    });

    test(`a content key keeps its latest ${MAX_STAMPS} stamps`, async () => {
      const log = await open();
      const tenant = freshTenant();
      const seconds = Array.from({ length: MAX_STAMPS + 1 }, (_, i) => i * 3);
      const appended = await log.appendMany(
        tenant,
        seconds.map((second) => stamped(tenant, "c:a", second)),
      );
      expect(appended.every((r) => r.status === "appended")).toBe(true);
      // Stamp 3 is still remembered; stamp 0, the oldest of MAX_STAMPS + 1, is forgotten.
      expect(
        await statuses(log, tenant, [stamped(tenant, "c:a", 3), stamped(tenant, "c:a", 0)]),
      ).toEqual(["c:a", MAX_STAMPS + 2]);
    });
  });
}
