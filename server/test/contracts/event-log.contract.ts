/**
 * What every EventLog implementation must do, written once and run against each (as socket.io's
 * adapter tests): `eventLogContract("Redis", (opts) => RedisEventLog.create(...))`.
 *
 * The factory receives the retention, the dedupe window and its key cap, and a clock; an
 * implementation must take
 * ages (retention by age, dedupe expiry) from that clock. Each test uses tenants of its own, so an
 * implementation backed by shared storage need not be flushed between tests. Retention by count
 * is exact: with `maxCount: n`, the last n events are kept and nothing older.
 */
import { describe, expect, test } from "vitest";
import type { AppendInput, EventLog, LoggedEvent } from "../../src/log/event-log.js";
import { decodeCursor, type Position } from "../../src/log/position.js";
import type { Selector } from "../../src/routing/selector.js";
import { waitFor } from "../../../test/helpers/wait.js";
import { appendManyContract } from "./event-log-append-many.contract.js";
import { readLatestContract } from "./event-log-read-latest.contract.js";
import { stampedContentContract } from "./event-log-stamped.contract.js";
import { freshTenant, input, logOpener, type EventLogFactory } from "./event-log-inputs.js";

export { draft, input, type EventLogFactory } from "./event-log-inputs.js";

function selector(uid: number, models: string[], allowed: "*" | string[] = "*"): Selector {
  return { uid, models: new Set(models), allowed: allowed === "*" ? "*" : new Set(allowed) };
}

const everything = (uid = 1) => selector(uid, ["sale.order", "res.partner", "crm.lead"]);

export function eventLogContract(name: string, factory: EventLogFactory): void {
  describe(`EventLog contract: ${name}`, () => {
    const open = logOpener(factory);

    function clock(start = 1_700_000_000_000) {
      let now = start;
      return { now: () => now, advance: (ms: number) => (now += ms) };
    }

    async function append(log: EventLog, tenant: string, appendInput: AppendInput) {
      const result = await log.append(tenant, appendInput);
      if (result.status !== "appended")
        expect.fail(`expected an append, got ${JSON.stringify(result)}`);
      return result.event;
    }

    async function read(log: EventLog, tenant: string, from: Position, sel: Selector) {
      const result = await log.readSince(tenant, from, sel);
      if (!result.ok) expect.fail(`expected events, got ${JSON.stringify(result)}`);
      return result;
    }

    async function seqsSince(
      log: EventLog,
      tenant: string,
      seq: number,
      sel: Selector,
    ): Promise<number[]> {
      const { epoch } = await log.head(tenant);
      return (await read(log, tenant, { epoch, seq }, sel)).events.map((e) => e.seq);
    }

    function otherEpoch(epoch: string): string {
      return epoch === "aaaaaaaaaaaaaaaa" ? "bbbbbbbbbbbbbbbb" : "aaaaaaaaaaaaaaaa";
    }

    describe("append", () => {
      test("a new tenant starts empty at seq 0", async () => {
        const log = await open();
        const tenant = freshTenant();
        const head = await log.head(tenant);
        expect(head.seq).toBe(0);
        expect(head.epoch).toMatch(/^[a-z0-9]{8,32}$/);
        const result = await read(log, tenant, head, everything());
        expect(result.events).toEqual([]);
        expect(result.head).toEqual(head);
      });

      test("assigns seq 1, 2, 3 and cursors that decode to (epoch, seq)", async () => {
        const log = await open();
        const tenant = freshTenant();
        const inputs = [
          input(tenant, "sale.order"),
          input(tenant, "res.partner"),
          input(tenant, "sale.order"),
        ];
        const events = [];
        for (const i of inputs) events.push(await append(log, tenant, i));
        const head = await log.head(tenant);
        expect(head.seq).toBe(3);
        expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
        for (const [index, event] of events.entries()) {
          expect(decodeCursor(event.cursor)).toEqual({ epoch: head.epoch, seq: index + 1 });
          expect(event).toEqual({ ...inputs[index]!.draft, seq: index + 1, cursor: event.cursor });
        }
        const stored = await read(log, tenant, { epoch: head.epoch, seq: 0 }, everything());
        expect(stored.events).toEqual(events);
        expect(stored.head).toEqual(head);
      });

      test("concurrent appends get distinct consecutive seqs", async () => {
        const log = await open();
        const tenant = freshTenant();
        const results = await Promise.all(
          Array.from({ length: 20 }, () => log.append(tenant, input(tenant, "sale.order"))),
        );
        const seqs = results.map((r) => (r.status === "appended" ? r.event.seq : -1));
        expect([...seqs].sort((a, b) => a - b)).toEqual(
          Array.from({ length: 20 }, (_, i) => i + 1),
        );
        expect(await seqsSince(log, tenant, 0, everything())).toEqual(
          Array.from({ length: 20 }, (_, i) => i + 1),
        );
      });
    });

    describe("de-duplication", () => {
      test("any key already seen makes a duplicate, naming that key, and consumes no seq", async () => {
        const log = await open();
        const tenant = freshTenant();
        await append(log, tenant, input(tenant, "sale.order", [], ["id:a", "whe:1"]));
        const duplicate = await log.append(
          tenant,
          input(tenant, "sale.order", [], ["id:b", "whe:1"]),
        );
        expect(duplicate).toEqual({ status: "duplicate", key: "whe:1" });
        const again = await log.append(tenant, input(tenant, "sale.order", [], ["id:a"]));
        expect(again).toEqual({ status: "duplicate", key: "id:a" });
        const next = await append(log, tenant, input(tenant, "sale.order", [], ["id:c", "whe:2"]));
        expect(next.seq).toBe(2);
        expect((await log.head(tenant)).seq).toBe(2);
        expect(await seqsSince(log, tenant, 0, everything())).toEqual([1, 2]);
      });

      test("keys are per tenant: the same keys in another tenant are a new event", async () => {
        const log = await open();
        const [a, b] = [freshTenant("a"), freshTenant("b")];
        await append(log, a, input(a, "sale.order", [], ["id:same", "whe:7"]));
        const other = await append(log, b, input(b, "sale.order", [], ["id:same", "whe:7"]));
        expect(other.seq).toBe(1);
      });

      test("a key is forgotten once the dedupe window has passed (injected clock)", async () => {
        const c = clock();
        const log = await open({ dedupeMs: 1000, now: c.now });
        const tenant = freshTenant();
        await append(log, tenant, input(tenant, "sale.order", [], ["id:x"]));
        c.advance(999);
        expect(await log.append(tenant, input(tenant, "sale.order", [], ["id:x"]))).toEqual({
          status: "duplicate",
          key: "id:x",
        });
        c.advance(2);
        const later = await append(log, tenant, input(tenant, "sale.order", [], ["id:x"]));
        expect(later.seq).toBe(2);
      });

      test("past the key cap, the keys remembered longest ago are forgotten first", async () => {
        const c = clock();
        const log = await open({ dedupeMaxKeys: 4, now: c.now });
        const tenant = freshTenant();
        const offer = (...keys: string[]) => {
          c.advance(1);
          return log.append(tenant, input(tenant, "sale.order", [], keys));
        };
        // The cap counts keys, not events: two per event, as the ingest path remembers them.
        for (const n of [1, 2, 3])
          expect((await offer(`c:${n}`, `whe:${n}`)).status).toBe("appended");
        // Six keys over a cap of four: event 1's are gone, event 2's and 3's still dedupe.
        expect(await offer("whe:2")).toEqual({ status: "duplicate", key: "whe:2" });
        expect((await offer("c:1")).status).toBe("appended");
        expect((await offer("whe:1")).status).toBe("appended");
        // Those two new keys pushed out event 2's; event 3's remain.
        expect(await offer("c:3", "whe:3")).toEqual({ status: "duplicate", key: "c:3" });
        expect((await offer("whe:2")).status).toBe("appended");
        expect((await log.head(tenant)).seq).toBe(6);
      });

      test("de-duplication outlives retention: a trimmed event's keys still dedupe", async () => {
        const log = await open({ retention: { maxCount: 1, maxAgeMs: 3_600_000 } });
        const tenant = freshTenant();
        await append(log, tenant, input(tenant, "sale.order", [], ["id:first"]));
        await append(log, tenant, input(tenant, "sale.order", [], ["id:second"]));
        expect(
          (await log.append(tenant, input(tenant, "sale.order", [], ["id:first"]))).status,
        ).toBe("duplicate");
        expect((await log.head(tenant)).seq).toBe(2);
      });
    });

    describe("readSince selection", () => {
      /**
       * e1 sale.order →[]   e2 res.partner →[]   e3 sale.order →[2]   e4 res.partner →[2]
       * e5 crm.lead →[2]    e6 crm.lead →[3]     e7 res.partner →[2,3]
       */
      async function seeded() {
        const log = await open();
        const tenant = freshTenant();
        const other = freshTenant("other");
        const plan: [string, number[]][] = [
          ["sale.order", []],
          ["res.partner", []],
          ["sale.order", [2]],
          ["res.partner", [2]],
          ["crm.lead", [2]],
          ["crm.lead", [3]],
          ["res.partner", [2, 3]],
        ];
        for (const [model, uids] of plan) {
          await append(log, tenant, input(tenant, model, uids));
          // Another tenant with the same models and users, interleaved.
          await append(log, other, input(other, model, uids));
        }
        return { log, tenant, other };
      }

      test("subscribed models plus events routed to the uid, once each, in seq order", async () => {
        const { log, tenant } = await seeded();
        expect(await seqsSince(log, tenant, 0, selector(2, ["sale.order"]))).toEqual([
          1, 3, 4, 5, 7,
        ]);
        expect(await seqsSince(log, tenant, 0, selector(3, ["res.partner", "crm.lead"]))).toEqual([
          2, 4, 5, 6, 7,
        ]);
      });

      test("only events after the position", async () => {
        const { log, tenant } = await seeded();
        expect(await seqsSince(log, tenant, 3, selector(2, ["sale.order"]))).toEqual([4, 5, 7]);
        expect(await seqsSince(log, tenant, 7, selector(2, ["sale.order"]))).toEqual([]);
      });

      test("subscribed models only, for a user nothing is routed to", async () => {
        const { log, tenant } = await seeded();
        expect(await seqsSince(log, tenant, 0, selector(9, ["crm.lead"]))).toEqual([5, 6]);
        expect(await seqsSince(log, tenant, 0, selector(9, []))).toEqual([]);
      });

      test("routed events of a model the token does not allow are withheld", async () => {
        const { log, tenant } = await seeded();
        const limited = selector(2, ["sale.order"], ["sale.order", "res.partner"]);
        expect(await seqsSince(log, tenant, 0, limited)).toEqual([1, 3, 4, 7]);
        expect(await seqsSince(log, tenant, 0, selector(2, [], ["crm.lead"]))).toEqual([5]);
      });

      test("another tenant's events never appear", async () => {
        const { log, tenant, other } = await seeded();
        const { epoch } = await log.head(tenant);
        const events = (
          await read(
            log,
            tenant,
            { epoch, seq: 0 },
            selector(2, ["sale.order", "res.partner", "crm.lead"]),
          )
        ).events;
        expect(events).toHaveLength(7);
        expect(events.every((e) => e.tenant === tenant)).toBe(true);
        const otherEvents = (
          await read(log, other, { epoch: (await log.head(other)).epoch, seq: 0 }, everything(2))
        ).events;
        expect(otherEvents.every((e) => e.tenant === other)).toBe(true);
        expect(new Set(otherEvents.map((e) => e.id)).size).toBe(7);
        expect(otherEvents.some((e) => events.some((mine) => mine.id === e.id))).toBe(false);
      });
    });

    describe("continuity", () => {
      test("cursor_expired once retention by count has dropped the next event", async () => {
        const log = await open({ retention: { maxCount: 3, maxAgeMs: 3_600_000 } });
        const tenant = freshTenant();
        for (let i = 0; i < 5; i++) await append(log, tenant, input(tenant, "sale.order"));
        const head = await log.head(tenant);
        for (const seq of [0, 1]) {
          expect(await log.readSince(tenant, { epoch: head.epoch, seq }, everything())).toEqual({
            ok: false,
            reason: "cursor_expired",
            head,
          });
        }
        expect(await seqsSince(log, tenant, 2, everything())).toEqual([3, 4, 5]);
        expect(await seqsSince(log, tenant, 5, everything())).toEqual([]);
      });

      test("cursor_expired once retention by age has dropped the next event (injected clock)", async () => {
        const c = clock();
        const log = await open({ retention: { maxCount: 1000, maxAgeMs: 1000 }, now: c.now });
        const tenant = freshTenant();
        await append(log, tenant, input(tenant, "sale.order"));
        await append(log, tenant, input(tenant, "sale.order"));
        c.advance(600);
        await append(log, tenant, input(tenant, "sale.order"));
        expect(await seqsSince(log, tenant, 0, everything())).toEqual([1, 2, 3]);
        c.advance(500); // events 1 and 2 are 1100 ms old, event 3 is 500 ms old
        const head = await log.head(tenant);
        expect(
          await log.readSince(tenant, { epoch: head.epoch, seq: 0 }, everything()),
        ).toMatchObject({
          ok: false,
          reason: "cursor_expired",
        });
        expect(await seqsSince(log, tenant, 2, everything())).toEqual([3]);
        c.advance(600); // now event 3 is too old as well, with no append in between
        expect(
          await log.readSince(tenant, { epoch: head.epoch, seq: 2 }, everything()),
        ).toMatchObject({
          ok: false,
          reason: "cursor_expired",
          head: { epoch: head.epoch, seq: 3 },
        });
        expect(await seqsSince(log, tenant, 3, everything())).toEqual([]);
      });

      test("epoch_changed for a position of another epoch", async () => {
        const log = await open();
        const tenant = freshTenant();
        await append(log, tenant, input(tenant, "sale.order"));
        const head = await log.head(tenant);
        for (const seq of [0, 1, 5]) {
          expect(
            await log.readSince(tenant, { epoch: otherEpoch(head.epoch), seq }, everything()),
          ).toEqual({
            ok: false,
            reason: "epoch_changed",
            head,
          });
        }
      });

      test("cursor_unknown for a seq beyond the head", async () => {
        const log = await open();
        const tenant = freshTenant();
        await append(log, tenant, input(tenant, "sale.order"));
        await append(log, tenant, input(tenant, "sale.order"));
        const head = await log.head(tenant);
        expect(await log.readSince(tenant, { epoch: head.epoch, seq: 3 }, everything())).toEqual({
          ok: false,
          reason: "cursor_unknown",
          head,
        });
      });

      test("each tenant has its own sequence", async () => {
        const log = await open();
        const [a, b] = [freshTenant("a"), freshTenant("b")];
        await append(log, a, input(a, "sale.order"));
        await append(log, a, input(a, "sale.order"));
        expect((await append(log, b, input(b, "sale.order"))).seq).toBe(1);
        expect((await log.head(a)).seq).toBe(2);
        expect((await log.head(b)).seq).toBe(1);
      });
    });

    describe("Odoo ledger positions", () => {
      function pulled(tenant: string, ledgerId: number, keys: string[]): AppendInput {
        const base = input(tenant, "sale.order", [], keys);
        return { ...base, draft: { ...base.draft, origin: { updateWebhookId: ledgerId } } };
      }

      test("without marks there is no ledger coverage", async () => {
        const log = await open();
        const tenant = freshTenant();
        await append(log, tenant, input(tenant, "sale.order"));
        expect(await log.ledgerFloor(tenant)).toBeNull();
        expect(await log.ledgerAt(tenant, 1)).toBeNull();
      });

      test("marks map seqs to the ledger watermark and never go back", async () => {
        const log = await open();
        const tenant = freshTenant();
        await log.markLedger(tenant, 100);
        await append(log, tenant, input(tenant, "sale.order"));
        await append(log, tenant, input(tenant, "sale.order"));
        await log.markLedger(tenant, 105);
        await log.markLedger(tenant, 103);
        await append(log, tenant, input(tenant, "sale.order"));
        expect(await log.ledgerAt(tenant, 0)).toBe(100);
        expect(await log.ledgerAt(tenant, 1)).toBe(100);
        expect(await log.ledgerAt(tenant, 2)).toBe(105);
        expect(await log.ledgerAt(tenant, 3)).toBe(105);
        expect(await log.ledgerFloor(tenant)).toBe(100);
      });

      test("a pull copy of a pushed change teaches the logged event its ledger row", async () => {
        const log = await open();
        const tenant = freshTenant();
        const pushed = await append(log, tenant, input(tenant, "sale.order", [], ["c:same"]));
        expect(pushed.origin.updateWebhookId).toBeUndefined();
        const again = await log.append(tenant, pulled(tenant, 777, ["c:same", "uw:777"]));
        expect(again.status).toBe("duplicate");
        const { epoch } = await log.head(tenant);
        const [stored] = (await read(log, tenant, { epoch, seq: 0 }, everything())).events;
        expect(stored?.origin).toEqual({
          webhookEventId: pushed.origin.webhookEventId,
          updateWebhookId: 777,
        });
      });

      test("the floor rises with the ledger rows of trimmed events, to Infinity for unknown ones", async () => {
        const log = await open({ retention: { maxCount: 2, maxAgeMs: 3_600_000 } });
        const tenant = freshTenant();
        await log.markLedger(tenant, 10);
        await append(log, tenant, pulled(tenant, 11, ["uw:11"]));
        await append(log, tenant, pulled(tenant, 15, ["uw:15"]));
        await append(log, tenant, pulled(tenant, 12, ["uw:12"]));
        expect(await log.ledgerFloor(tenant)).toBe(11);
        expect(await log.oldest(tenant)).toMatchObject({ seq: 1 });
        await append(log, tenant, input(tenant, "sale.order"));
        expect(await log.ledgerFloor(tenant)).toBe(15);
        await append(log, tenant, input(tenant, "sale.order"));
        await append(log, tenant, input(tenant, "sale.order"));
        expect(await log.ledgerFloor(tenant)).toBe(Infinity);
      });

      test("a cursor carries the ledger watermark the log held when its event was appended", async () => {
        const log = await open();
        const tenant = freshTenant();
        const before = await append(log, tenant, input(tenant, "sale.order"));
        expect(decodeCursor(before.cursor)?.ledger).toBeUndefined();
        await log.markLedger(tenant, 90_001);
        const after = await append(log, tenant, input(tenant, "sale.order"));
        expect(decodeCursor(after.cursor)).toMatchObject({ seq: 2, ledger: 90_001 });
        expect(await log.head(tenant)).toMatchObject({ seq: 2, ledger: 90_001 });
      });

      test("an append with coverage marks it: its cursor and ledgerAt name it, never lower", async () => {
        const log = await open();
        const tenant = freshTenant();
        await log.markLedger(tenant, 10);
        const first = await append(log, tenant, { ...pulled(tenant, 11, ["uw:11"]), coverage: 11 });
        expect(decodeCursor(first.cursor)?.ledger).toBe(11);
        expect(await log.ledgerAt(tenant, first.seq)).toBe(11);
        const lower = await append(log, tenant, { ...pulled(tenant, 9, ["uw:9"]), coverage: 9 });
        expect(decodeCursor(lower.cursor)?.ledger).toBe(11);
        expect(await log.head(tenant)).toMatchObject({ ledger: 11 });
        expect(await log.ledgerFloor(tenant)).toBe(10);
      });

      test("marks before the oldest retained event collapse, and still answer for later seqs", async () => {
        const log = await open({ retention: { maxCount: 2, maxAgeMs: 3_600_000 } });
        const tenant = freshTenant();
        await log.markLedger(tenant, 10);
        await append(log, tenant, pulled(tenant, 11, ["uw:11"]));
        await log.markLedger(tenant, 20);
        for (const id of [21, 22, 23]) await append(log, tenant, pulled(tenant, id, [`uw:${id}`]));
        expect(await log.oldest(tenant)).toMatchObject({ seq: 2 });
        expect(await log.ledgerAt(tenant, 3)).toBe(20);
        expect(await log.ledgerAt(tenant, 4)).toBe(20);
        expect(await log.ledgerFloor(tenant)).toBe(21);
      });
    });

    describe("record versions", () => {
      function versioned(tenant: string, recordId: number, version: string | null, op = "write") {
        const base = input(tenant, "sale.order");
        const draft = { ...base.draft, recordId, version, op: op as "write" | "unlink" };
        return { ...base, draft };
      }
      const v = (second: number, micros = "000000") =>
        `2026-11-29T21:48:${String(second).padStart(2, "0")}.${micros}Z`;

      test("a change reaching the log after a newer version of its record is logged, marked stale", async () => {
        const log = await open();
        const tenant = freshTenant();
        const newer = await append(log, tenant, versioned(tenant, 7, v(54, "212265")));
        const older = await append(log, tenant, versioned(tenant, 7, v(54, "212264")));
        const later = await append(log, tenant, versioned(tenant, 7, v(55)));
        expect(newer.stale).toBeUndefined();
        expect(older.stale).toBe(true);
        expect(later.stale).toBeUndefined();
        const { epoch } = await log.head(tenant);
        const replayed = (await read(log, tenant, { epoch, seq: 0 }, everything())).events;
        expect(replayed.map((e) => e.stale ?? false)).toEqual([false, true, false]);
      });

      test("an unlink wins a tie; other records and unknown versions are never stale", async () => {
        const log = await open();
        const tenant = freshTenant();
        await append(log, tenant, versioned(tenant, 8, v(10), "unlink"));
        expect((await append(log, tenant, versioned(tenant, 8, v(10)))).stale).toBe(true);
        expect((await append(log, tenant, versioned(tenant, 9, v(1)))).stale).toBeUndefined();
        expect((await append(log, tenant, versioned(tenant, 8, null))).stale).toBeUndefined();
        const other = freshTenant();
        expect((await append(log, other, versioned(other, 8, v(9)))).stale).toBeUndefined();
      });
    });

    describe("history (ledger rows read for a catch-up)", () => {
      function row(tenant: string, ledgerId: number, model = "sale.order", uids: number[] = []) {
        const base = input(tenant, model, uids, [`uw:${ledgerId}`]);
        const draft = { ...base.draft, origin: { updateWebhookId: ledgerId } };
        return { ...base, draft, history: true };
      }

      test("is stored and de-duplicated, never published, never in readSince", async () => {
        const log = await open();
        const tenant = freshTenant();
        const heard: LoggedEvent[] = [];
        log.subscribe(tenant, (logged) => heard.push(logged));
        await log.markLedger(tenant, 100);
        const first = await append(log, tenant, input(tenant, "sale.order"));
        for (const id of [51, 52]) await append(log, tenant, row(tenant, id));
        const live = await append(log, tenant, input(tenant, "sale.order"));
        await waitFor(() => heard.length === 2, { what: "the two live events" });
        expect(heard.map((h) => h.event.seq)).toEqual([first.seq, live.seq]);
        // The live event after the history names the one before it: its feed missed nothing.
        expect(heard.map((h) => h.previous)).toEqual([0, first.seq]);
        expect(await seqsSince(log, tenant, 0, everything())).toEqual([first.seq, live.seq]);
        // The head names its last live event: as far as the live feed reaches.
        expect((await log.head(tenant)).live).toBe(live.seq);
        await append(log, tenant, row(tenant, 53));
        const head = await log.head(tenant);
        expect([head.seq, head.live]).toEqual([live.seq + 1, live.seq]);
        const again = await log.append(tenant, { ...row(tenant, 52), history: false });
        expect(again).toEqual({ status: "duplicate", key: "uw:52" });
      });

      test("a live event after history alone names no live event before it", async () => {
        const log = await open();
        const tenant = freshTenant();
        const heard: LoggedEvent[] = [];
        log.subscribe(tenant, (logged) => heard.push(logged));
        await log.markLedger(tenant, 100);
        for (const id of [51, 52]) await append(log, tenant, row(tenant, id));
        expect((await log.head(tenant)).live).toBe(0);
        const live = await append(log, tenant, input(tenant, "sale.order"));
        await waitFor(() => heard.length === 1, { what: "the live event" });
        expect(heard.map((h) => [h.event.seq, h.previous])).toEqual([[live.seq, 0]]);
      });

      test("is read by ledger range, in ledger order, as the selector allows", async () => {
        const log = await open();
        const tenant = freshTenant();
        await log.markLedger(tenant, 100);
        await append(log, tenant, row(tenant, 60));
        await append(log, tenant, row(tenant, 61, "res.partner"));
        await append(log, tenant, row(tenant, 62, "crm.lead", [7]));
        await append(log, tenant, row(tenant, 41));
        await append(log, tenant, row(tenant, 42, "crm.lead"));
        const ids = async (after: number, through: number, sel: Selector) =>
          (await log.readHistory(tenant, after, through, sel)).map((e) => e.origin.updateWebhookId);
        expect(await ids(0, 100, everything())).toEqual([41, 42, 60, 61, 62]);
        expect(await ids(41, 61, everything())).toEqual([42, 60, 61]);
        expect(await ids(0, 100, selector(7, ["sale.order"]))).toEqual([41, 60, 62]);
        expect(await ids(0, 100, selector(7, ["sale.order"], ["sale.order"]))).toEqual([41, 60]);
      });

      test("markHistory lowers the ledger floor, never raises it, and needs a first mark", async () => {
        const log = await open();
        const tenant = freshTenant();
        await log.markHistory(tenant, 5);
        expect(await log.ledgerFloor(tenant)).toBeNull();
        await log.markLedger(tenant, 100);
        await log.markHistory(tenant, 50);
        expect(await log.ledgerFloor(tenant)).toBe(50);
        await log.markHistory(tenant, 70);
        expect(await log.ledgerFloor(tenant)).toBe(50);
        await log.markLedger(tenant, 120);
        expect(await log.ledgerFloor(tenant)).toBe(50);
      });

      test("a trimmed history event raises the floor to its row and leaves the range reads", async () => {
        const log = await open({ retention: { maxCount: 2, maxAgeMs: 3_600_000 } });
        const tenant = freshTenant();
        await log.markLedger(tenant, 100);
        for (const id of [51, 52, 53]) await append(log, tenant, row(tenant, id));
        await log.markHistory(tenant, 50);
        expect(await log.ledgerFloor(tenant)).toBe(51);
        const read = await log.readHistory(tenant, 50, 100, everything());
        expect(read.map((e) => e.origin.updateWebhookId)).toEqual([52, 53]);
      });
    });

    describe("live feed", () => {
      function recorder() {
        const seen: LoggedEvent[] = [];
        return { seen, listener: (logged: LoggedEvent) => void seen.push(logged) };
      }

      test("a subscriber receives its tenant's appends in order, with their uids, and no duplicates", async () => {
        const log = await open();
        const [tenant, other] = [freshTenant(), freshTenant("other")];
        const mine = recorder();
        const theirs = recorder();
        log.subscribe(tenant, mine.listener);
        log.subscribe(other, theirs.listener);
        const first = await append(log, tenant, input(tenant, "sale.order", [2, 5], ["id:first"]));
        await append(log, other, input(other, "sale.order", [2]));
        expect(
          (await log.append(tenant, input(tenant, "sale.order", [], ["id:first"]))).status,
        ).toBe("duplicate");
        await append(log, tenant, input(tenant, "res.partner"));
        await waitFor(() => mine.seen.length >= 2 && theirs.seen.length >= 1, {
          what: "live events",
        });
        // One more append as a barrier: had the duplicate been published, it would arrive before it.
        await append(log, tenant, input(tenant, "crm.lead"));
        await waitFor(() => mine.seen.length >= 3, { what: "barrier event" });
        expect(mine.seen.map((l) => l.event.seq)).toEqual([1, 2, 3]);
        expect(mine.seen[0]!.event).toEqual(first);
        expect([...mine.seen[0]!.uids].sort()).toEqual([2, 5]);
        expect(mine.seen.every((l) => l.event.tenant === tenant)).toBe(true);
        expect(theirs.seen.map((l) => l.event.tenant)).toEqual([other]);
      });

      test("concurrent appends are published in seq order", async () => {
        const log = await open();
        const tenant = freshTenant();
        const live = recorder();
        log.subscribe(tenant, live.listener);
        await Promise.all(
          Array.from({ length: 20 }, () => log.append(tenant, input(tenant, "sale.order"))),
        );
        await waitFor(() => live.seen.length >= 20, { what: "20 live events" });
        expect(live.seen.map((l) => l.event.seq)).toEqual(
          Array.from({ length: 20 }, (_, i) => i + 1),
        );
      });

      test("only appends made after subscribing are delivered", async () => {
        const log = await open();
        const tenant = freshTenant();
        await append(log, tenant, input(tenant, "sale.order"));
        const live = recorder();
        log.subscribe(tenant, live.listener);
        await append(log, tenant, input(tenant, "sale.order"));
        await waitFor(() => live.seen.length >= 1, { what: "live event" });
        expect(live.seen.map((l) => l.event.seq)).toEqual([2]);
      });

      test("a live event carries when it was stored (the log's clock), and clients never see it", async () => {
        const c = clock();
        const log = await open({ now: c.now });
        const tenant = freshTenant();
        const live = recorder();
        log.subscribe(tenant, live.listener);
        const stored = await append(log, tenant, input(tenant, "sale.order"));
        c.advance(5000);
        await append(log, tenant, input(tenant, "sale.order"));
        await waitFor(() => live.seen.length === 2, { what: "2 live events" });
        expect(live.seen.map((l) => l.storedAt)).toEqual([1_700_000_000_000, 1_700_000_005_000]);
        expect(stored).not.toHaveProperty("storedAt");
        expect(live.seen[0]!.event).not.toHaveProperty("storedAt");
      });

      test("unsubscribing stops delivery to that listener only", async () => {
        const log = await open();
        const tenant = freshTenant();
        const leaving = recorder();
        const staying = recorder();
        const unsubscribe = log.subscribe(tenant, leaving.listener);
        log.subscribe(tenant, staying.listener);
        await append(log, tenant, input(tenant, "sale.order"));
        await waitFor(() => leaving.seen.length === 1 && staying.seen.length === 1, {
          what: "first event",
        });
        unsubscribe();
        await append(log, tenant, input(tenant, "sale.order"));
        await waitFor(() => staying.seen.length === 2, { what: "second event" });
        expect(leaving.seen.map((l) => l.event.seq)).toEqual([1]);
      });

      test("a listener that throws neither fails the append nor starves other listeners", async () => {
        const log = await open();
        const tenant = freshTenant();
        const healthy = recorder();
        log.subscribe(tenant, () => {
          throw new Error("listener bug");
        });
        log.subscribe(tenant, healthy.listener);
        const event = await append(log, tenant, input(tenant, "sale.order"));
        expect(event.seq).toBe(1);
        await waitFor(() => healthy.seen.length === 1, { what: "event at the healthy listener" });
        expect((await append(log, tenant, input(tenant, "sale.order"))).seq).toBe(2);
      });

      test("a subscriber that reads history after subscribing misses nothing at the seam", async () => {
        const log = await open();
        const tenant = freshTenant();
        for (let i = 0; i < 3; i++) await append(log, tenant, input(tenant, "sale.order"));
        const live = recorder();
        log.subscribe(tenant, live.listener);
        const racing = Promise.all(
          Array.from({ length: 5 }, () => log.append(tenant, input(tenant, "sale.order"))),
        );
        const { epoch } = await log.head(tenant);
        const history = (await read(log, tenant, { epoch, seq: 0 }, everything())).events.map(
          (e) => e.seq,
        );
        await racing;
        await waitFor(() => live.seen.length >= 5, { what: "live events" });
        const merged = [...new Set([...history, ...live.seen.map((l) => l.event.seq)])].sort(
          (a, b) => a - b,
        );
        expect(merged).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      });
    });
  });
  appendManyContract(name, factory);
  readLatestContract(name, factory);
  stampedContentContract(name, factory);
}
