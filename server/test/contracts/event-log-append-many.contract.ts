/**
 * `appendMany`, run by eventLogContract against every EventLog: a batch behaves exactly as its
 * inputs appended one by one, in order (the pull path logs a page this way).
 */
import { describe, expect, test } from "vitest";
import type { AppendInput, AppendResult, EventLog, LoggedEvent } from "../../src/log/event-log.js";
import { decodeCursor } from "../../src/log/position.js";
import type { Selector } from "../../src/routing/selector.js";
import { waitFor } from "../../../test/helpers/wait.js";
import { freshTenant, input, logOpener, type EventLogFactory } from "./event-log-inputs.js";

const everything: Selector = {
  uid: 1,
  models: new Set(["sale.order", "res.partner", "crm.lead"]),
  allowed: "*",
};

/** A pulled row: its ledger id, and the keys the ingest path would give it. */
function pulled(tenant: string, ledgerId: number, keys = [`uw:${ledgerId}`]): AppendInput {
  const base = input(tenant, "sale.order", [], keys);
  return { ...base, draft: { ...base.draft, origin: { updateWebhookId: ledgerId } } };
}

function seqsOf(results: AppendResult[]): (number | string)[] {
  return results.map((r) => (r.status === "appended" ? r.event.seq : r.key));
}

export function appendManyContract(name: string, factory: EventLogFactory): void {
  describe(`EventLog contract, appendMany: ${name}`, () => {
    const open = logOpener(factory);

    async function readAll(log: EventLog, tenant: string) {
      const { epoch } = await log.head(tenant);
      const result = await log.readSince(tenant, { epoch, seq: 0 }, everything);
      if (!result.ok) expect.fail(`expected events, got ${JSON.stringify(result)}`);
      return result.events;
    }

    test("gives seqs in input order, and stores the events the results name", async () => {
      const log = await open();
      const tenant = freshTenant();
      const first = await log.append(tenant, input(tenant, "crm.lead"));
      expect(first.status).toBe("appended");
      const inputs = [
        input(tenant, "sale.order", [2]),
        input(tenant, "res.partner"),
        input(tenant, "sale.order", [2, 3]),
      ];
      const results = await log.appendMany(tenant, inputs);
      expect(seqsOf(results)).toEqual([2, 3, 4]);
      const head = await log.head(tenant);
      expect(head.seq).toBe(4);
      const events = results.map((r) => (r.status === "appended" ? r.event : undefined));
      for (const [i, event] of events.entries()) {
        expect(event).toEqual({ ...inputs[i]!.draft, seq: i + 2, cursor: event?.cursor });
        expect(decodeCursor(event?.cursor ?? "")).toEqual({ epoch: head.epoch, seq: i + 2 });
      }
      expect((await readAll(log, tenant)).slice(1)).toEqual(events);
    });

    test("an empty batch appends nothing", async () => {
      const log = await open();
      const tenant = freshTenant();
      expect(await log.appendMany(tenant, [])).toEqual([]);
      expect((await log.head(tenant)).seq).toBe(0);
    });

    test("an input is a duplicate of an earlier input of the same batch", async () => {
      const log = await open();
      const tenant = freshTenant();
      const results = await log.appendMany(tenant, [
        input(tenant, "sale.order", [], ["id:a", "whe:1"]),
        input(tenant, "sale.order", [], ["id:b", "whe:1"]),
        input(tenant, "sale.order", [], ["id:c"]),
        input(tenant, "sale.order", [], ["id:c"]),
      ]);
      expect(seqsOf(results)).toEqual([1, "whe:1", 2, "id:c"]);
      expect((await readAll(log, tenant)).map((e) => e.seq)).toEqual([1, 2]);
    });

    test("concurrent calls each get their own results, in call order, deduped across calls", async () => {
      const log = await open();
      const tenant = freshTenant();
      const calls = [
        [input(tenant, "sale.order", [], ["id:a"])],
        [input(tenant, "sale.order", [], ["id:b"]), input(tenant, "sale.order", [], ["id:a"])],
        [input(tenant, "res.partner", [], ["id:c"])],
      ];
      const results = await Promise.all(calls.map((inputs) => log.appendMany(tenant, inputs)));
      expect(results.map(seqsOf)).toEqual([[1], [2, "id:a"], [3]]);
      expect((await readAll(log, tenant)).map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    test("an input is a duplicate of an event logged before the batch, consuming no seq", async () => {
      const log = await open();
      const tenant = freshTenant();
      await log.append(tenant, input(tenant, "sale.order", [], ["id:x"]));
      const results = await log.appendMany(tenant, [
        input(tenant, "sale.order", [], ["id:y"]),
        input(tenant, "sale.order", [], ["id:x"]),
        input(tenant, "sale.order", [], ["id:z"]),
      ]);
      expect(seqsOf(results)).toEqual([2, "id:x", 3]);
      expect((await log.head(tenant)).seq).toBe(3);
    });

    test("a pull copy later in the batch teaches an earlier event its ledger row", async () => {
      const log = await open();
      const tenant = freshTenant();
      const results = await log.appendMany(tenant, [
        input(tenant, "sale.order", [], ["c:same"]),
        pulled(tenant, 777, ["c:same", "uw:777"]),
      ]);
      expect(seqsOf(results)).toEqual([1, "c:same"]);
      const [stored] = await readAll(log, tenant);
      expect(stored?.origin.updateWebhookId).toBe(777);
    });

    test("each input's coverage marks its own event, never lower than an earlier mark", async () => {
      const log = await open();
      const tenant = freshTenant();
      await log.markLedger(tenant, 10);
      // Rows 11 and 12 are covered; 14 is read above the gap at 13; a later row covers 15.
      const results = await log.appendMany(tenant, [
        { ...pulled(tenant, 11), coverage: 11 },
        { ...pulled(tenant, 12), coverage: 12 },
        pulled(tenant, 14),
        { ...pulled(tenant, 15), coverage: 15 },
        { ...pulled(tenant, 9), coverage: 9 },
      ]);
      const ledgers = results.map((r) =>
        r.status === "appended" ? decodeCursor(r.event.cursor)?.ledger : r.key,
      );
      expect(ledgers).toEqual([11, 12, 12, 15, 15]);
      expect(await log.ledgerAt(tenant, 3)).toBe(12);
      expect(await log.ledgerAt(tenant, 4)).toBe(15);
      expect(await log.head(tenant)).toMatchObject({ seq: 5, ledger: 15 });
      expect(await log.ledgerFloor(tenant)).toBe(10);
    });

    test("a record's older version later in the batch is logged stale", async () => {
      const log = await open();
      const tenant = freshTenant();
      const version = (recordId: number, second: number): AppendInput => {
        const base = input(tenant, "sale.order");
        const v = `2026-11-29T21:48:${second}.000000Z`;
        return { ...base, draft: { ...base.draft, recordId, version: v } };
      };
      const results = await log.appendMany(tenant, [version(7, 54), version(7, 53)]);
      const stale = results.map((r) => (r.status === "appended" ? r.event.stale : r.key));
      expect(stale).toEqual([undefined, true]);
    });

    test("retention applies as the batch appends: the last maxCount events are kept", async () => {
      const log = await open({ retention: { maxCount: 2, maxAgeMs: 3_600_000 } });
      const tenant = freshTenant();
      await log.markLedger(tenant, 0);
      const results = await log.appendMany(
        tenant,
        [1, 2, 3, 4, 5].map((id) => pulled(tenant, id)),
      );
      expect(seqsOf(results)).toEqual([1, 2, 3, 4, 5]);
      expect(await log.oldest(tenant)).toMatchObject({ seq: 3 });
      expect(await log.ledgerFloor(tenant)).toBe(3);
      const { epoch } = await log.head(tenant);
      const tail = await log.readSince(tenant, { epoch, seq: 3 }, everything);
      expect(tail.ok && tail.events.map((e) => e.seq)).toEqual([4, 5]);
    });

    test("publishes the batch's events live in seq order, duplicates and history not at all", async () => {
      const log = await open();
      const tenant = freshTenant();
      const seen: LoggedEvent[] = [];
      log.subscribe(tenant, (logged) => void seen.push(logged));
      const history: AppendInput = { ...pulled(tenant, 5), history: true };
      const results = await log.appendMany(tenant, [
        input(tenant, "sale.order", [4], ["id:a"]),
        input(tenant, "res.partner", [], ["id:a"]),
        history,
        input(tenant, "crm.lead", [5, 6]),
        ...Array.from({ length: 5 }, () => input(tenant, "sale.order")),
      ]);
      const appended = results.flatMap((r) => (r.status === "appended" ? [r.event] : []));
      expect(appended.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      // One more append as a barrier: anything the batch published arrives before it.
      await log.append(tenant, input(tenant, "sale.order"));
      await waitFor(() => seen.length >= 8, { what: "the batch and the barrier, live" });
      expect(seen.map((l) => l.event.seq)).toEqual([1, 3, 4, 5, 6, 7, 8, 9]);
      // Each names the live event before it: the history event's seq (2) is no gap.
      expect(seen.map((l) => l.previous)).toEqual([0, 1, 3, 4, 5, 6, 7, 8]);
      expect(seen.slice(0, 7).map((l) => l.event)).toEqual(appended.filter((e) => e.seq !== 2));
      expect(seen[1]?.uids).toEqual([5, 6]);
    });

    test("a batch larger than a store's single call keeps order and loses nothing", async () => {
      const log = await open({ retention: { maxCount: 5000, maxAgeMs: 3_600_000 } });
      const tenant = freshTenant();
      const inputs = Array.from({ length: 2500 }, (_, i) => pulled(tenant, i + 1));
      const results = await log.appendMany(tenant, inputs);
      expect(seqsOf(results)).toEqual(inputs.map((_, i) => i + 1));
      const events = await readAll(log, tenant);
      expect(events.map((e) => e.origin.updateWebhookId)).toEqual(inputs.map((_, i) => i + 1));
    });
  });
}
