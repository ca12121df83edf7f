import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { AppendInput, EventLog, LoggedEvent } from "../src/log/event-log.js";
import { RedisEventLog, type RedisEventLogOptions } from "../src/log/event-log-redis.js";
import { RedisLiveFeed } from "../src/log/event-log-redis-feed.js";
import { tenantKeys } from "../src/ops/redis-keys.js";
import type { Selector } from "../src/routing/selector.js";
import { redisSkipReason, startRedis, type TestRedis } from "../../test/helpers/redis.js";
import { waitFor } from "../../test/helpers/wait.js";
import { eventLogContract, input as contractInput } from "./contracts/event-log.contract.js";

/**
 * A client whose connection errors are expected here (Redis is stopped on purpose): the tests
 * assert the commands' rejections, and the event only reports the reconnection attempts.
 */
function connection(url: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, options);
  client.on("error", () => undefined);
  return client;
}

/** Every log gets keys and channels of its own, so tests never see each other's data. */
function uniquePrefix(): string {
  return `test-${randomBytes(6).toString("hex")}:`;
}

describe.skipIf(redisSkipReason() !== undefined)("RedisEventLog", () => {
  let server: TestRedis;
  beforeAll(async () => {
    server = await startRedis();
  });

  eventLogContract(
    "RedisEventLog",
    async (options) =>
      new RedisEventLog(connection(server.url), { ...options, prefix: uniquePrefix() }),
  );

  describe("Redis specifics", () => {
    const opened: EventLog[] = [];
    afterEach(async () => {
      for (const log of opened.splice(0)) await log.close();
    });

    function open(
      redisOptions: RedisOptions = {},
      options: Partial<RedisEventLogOptions> = {},
    ): RedisEventLog {
      const log = new RedisEventLog(connection(server.url, redisOptions), {
        retention: { maxCount: 100, maxAgeMs: 3_600_000 },
        dedupeMs: 3_600_000,
        prefix: uniquePrefix(),
        ...options,
      });
      opened.push(log);
      return log;
    }

    /** A change whose record holds what Lua's JSON would mangle (a long float, `[]`, `{}`). */
    function input(model = "sale.order", uids: number[] = []): AppendInput {
      const base = contractInput("t", model, uids);
      const record = { ...base.draft.record, amount: 1234.5678901234567, tags: [], partner_id: {} };
      return { ...base, draft: { ...base.draft, record } };
    }

    const all: Selector = { uid: 1, models: new Set(["sale.order", "res.partner"]), allowed: "*" };

    async function appended(log: EventLog, tenant: string, appendInput = input()) {
      const result = await log.append(tenant, appendInput);
      if (result.status !== "appended")
        expect.fail(`expected an append: ${JSON.stringify(result)}`);
      return result.event;
    }

    /** Shuts the server down the way a crash would look to clients, keeping its data on disk. */
    function shutDown(): void {
      spawnSync("redis-cli", ["-p", String(server.port), "shutdown", "nosave"]);
    }

    test("a payload round-trips exactly: numbers, empty arrays and objects", async () => {
      const log = open();
      const sent = input();
      const event = await appended(log, "t", sent);
      const { epoch } = await log.head("t");
      const read = await log.readSince("t", { epoch, seq: 0 }, all);
      expect(read).toMatchObject({ ok: true, events: [event] });
      expect(event.record).toEqual(sent.draft.record);
    });

    test("every key and the channel carry the tenant's hash tag (one Cluster slot)", async () => {
      const prefix = uniquePrefix();
      const log = open({}, { prefix, retention: { maxCount: 1, maxAgeMs: 3_600_000 } });
      for (const tenant of ["a", "b"]) {
        await appended(log, tenant, input("sale.order", [7, 8]));
        await appended(log, tenant, input("res.partner", [7]));
        await log.markLedger(tenant, 3);
      }
      const admin = connection(server.url);
      const keys = await admin.keys(`${prefix}*`);
      admin.disconnect();
      expect(keys.length).toBeGreaterThan(10);
      for (const key of keys) expect(key).toMatch(new RegExp(`^${prefix}\\{[ab]\\}:`));
    });

    test("the per-record indexes hold only records with a retained event", async () => {
      const prefix = uniquePrefix();
      const log = open({}, { prefix, retention: { maxCount: 10, maxAgeMs: 3_600_000 } });
      for (let i = 0; i < 40; i++) await appended(log, "t", input("sale.order", [7]));
      const keys = tenantKeys(prefix, "t");
      const admin = connection(server.url);
      const sizes = [
        await admin.zcard(keys.latestOfModel("sale.order")),
        await admin.zcard(keys.latestOfUser(7)),
      ];
      admin.disconnect();
      expect(sizes).toEqual([10, 10]);
    });

    test("trimming by age drops thousands of events in one call, with all they left behind", async () => {
      const prefix = uniquePrefix();
      let now = 1_700_000_000_000;
      const retention = { maxCount: 100_000, maxAgeMs: 60_000 };
      const log = open({}, { prefix, retention, now: () => now });
      // Each with a ledger mark, as contiguous pulled rows have: thousands of marks collapse too.
      const inputs = Array.from({ length: 9000 }, (_, i) => ({
        ...input(i % 2 ? "sale.order" : "res.partner", [7]),
        coverage: i + 1,
      }));
      await log.appendMany("t", inputs);
      now += 61_000;
      const kept = await appended(log, "t", input("sale.order", [7]));
      expect(await log.oldest("t")).toMatchObject({ seq: 9000 });
      const keys = tenantKeys(prefix, "t");
      const admin = connection(server.url);
      const sizes = await Promise.all([
        admin.hlen(keys.events),
        admin.hlen(keys.entries),
        admin.zcard(keys.model("sale.order")),
        admin.zcard(keys.model("res.partner")),
        admin.zcard(keys.user(7)),
        admin.zcard(keys.latestOfModel("sale.order")),
        admin.zcard(keys.latestOfModel("res.partner")),
        admin.zcard(keys.latestOfUser(7)),
        admin.zcard(keys.marks),
      ]);
      admin.disconnect();
      // The 9,000 marks of the dropped events collapse into the last of them.
      expect(sizes).toEqual([1, 1, 1, 0, 1, 1, 0, 1, 1]);
      expect(await log.ledgerAt("t", 9000)).toBe(9000);
      const read = await log.readSince("t", { epoch: kept.cursor.split("-")[0]!, seq: 9000 }, all);
      expect(read).toMatchObject({ ok: true, events: [{ seq: 9001 }] });
    });

    test("a log older than the per-record indexes is compacted from every event", async () => {
      const prefix = uniquePrefix();
      const log = open({}, { prefix });
      const record = (n: number) => {
        const base = input("sale.order");
        return { ...base, draft: { ...base.draft, recordId: 1 + (n % 3) } };
      };
      for (let i = 0; i < 9; i++) await appended(log, "t", record(i));
      // As a log written before the indexes were kept: no mark of where they begin.
      const admin = connection(server.url);
      await admin.hdel(tenantKeys(prefix, "t").meta, "latestFrom");
      await admin.del(tenantKeys(prefix, "t").latestOfModel("sale.order"));
      admin.disconnect();
      const from = { ...(await log.head("t")), seq: 2 };
      const read = await log.readLatestSince("t", from, all);
      expect(read).toMatchObject({ ok: true, left: 4 });
      expect(read.ok && read.events.map((e) => e.seq)).toEqual([7, 8, 9]);
    });

    test("a log written before live events named the one before them takes seq - 1", async () => {
      const prefix = uniquePrefix();
      const log = open({}, { prefix });
      const live: LoggedEvent[] = [];
      log.subscribe("t", (logged) => void live.push(logged));
      for (let i = 0; i < 3; i++) await appended(log, "t");
      const admin = connection(server.url);
      await admin.hdel(tenantKeys(prefix, "t").meta, "live");
      admin.disconnect();
      // Its head does not know its last live event (a reader waits for the head's seq).
      expect((await log.head("t")).live).toBeUndefined();
      await log.appendMany("t", [input(), input()]);
      await waitFor(() => live.length === 5, { what: "5 live events" });
      expect(live.map((l) => l.previous)).toEqual([0, 1, 2, 3, 4]);
    });

    test("a flushed Redis starts a new epoch: older cursors are epoch_changed", async () => {
      const log = open();
      await appended(log, "t");
      const before = await log.head("t");
      const admin = connection(server.url);
      await admin.flushall();
      admin.disconnect();
      const result = await log.readSince("t", before, all);
      expect(result).toMatchObject({ ok: false, reason: "epoch_changed", head: { seq: 0 } });
      expect(result.head.epoch).not.toBe(before.epoch);
      expect((await appended(log, "t")).cursor).toBe(`${result.head.epoch}-1`);
    });

    test("a crash-restart with data keeps the epoch, the events and the live feed", async () => {
      const log = open();
      const events = [await appended(log, "t"), await appended(log, "t")];
      const before = await log.head("t");
      const live: LoggedEvent[] = [];
      log.subscribe("t", (logged) => void live.push(logged));
      await server.restart({ keepData: true });
      expect(await log.head("t")).toEqual(before);
      expect(await log.readSince("t", { epoch: before.epoch, seq: 0 }, all)).toEqual({
        ok: true,
        events,
        head: before,
      });
      expect((await appended(log, "t")).seq).toBe(3);
      // The subscriber reconnects and subscribes again on its own; events published before it
      // did are not replayed by Pub/Sub, so append until one arrives.
      await waitFor(
        async () => {
          await appended(log, "t");
          return live.length > 0;
        },
        { what: "a live event after the restart" },
      );
      expect(live.at(-1)?.event.cursor).toMatch(new RegExp(`^${before.epoch}-`));
    });

    test("append rejects while Redis is down, and works again once it is back", async () => {
      const log = open({ maxRetriesPerRequest: 1 });
      await appended(log, "t");
      shutDown();
      await expect(log.append("t", input())).rejects.toThrow();
      await server.restart({ keepData: true });
      expect((await appended(log, "t")).seq).toBe(2);
    });

    test("a throwing listener is reported through onListenerError", async () => {
      const errors: unknown[] = [];
      const log = open({}, { onListenerError: (error) => errors.push(error) });
      const healthy: number[] = [];
      log.subscribe("t", () => {
        throw new Error("listener bug");
      });
      log.subscribe("t", (logged) => void healthy.push(logged.event.seq));
      await appended(log, "t");
      await waitFor(() => healthy.length === 1, { what: "the live event" });
      expect(errors).toHaveLength(1);
      expect((errors[0] as Error).message).toBe("listener bug");
    });

    test("a batch is published as one message; a single event (an older node's) is taken too", async () => {
      const prefix = uniquePrefix();
      const log = open({}, { prefix });
      const live: number[] = [];
      log.subscribe("t", (logged) => void live.push(logged.event.seq));
      const watcher = connection(server.url);
      const messages: string[] = [];
      watcher.on("message", (_channel: string, message: string) => void messages.push(message));
      await watcher.subscribe(tenantKeys(prefix, "t").channel);
      await log.appendMany("t", [input(), input("res.partner"), input()]);
      await waitFor(() => live.length === 3, { what: "the batch's live events" });
      // The watcher is another connection: its copy may come a moment after the log's.
      await waitFor(() => messages.length > 0, { what: "the watcher's message" });
      expect(messages).toHaveLength(1);
      expect((JSON.parse(messages[0]!) as unknown[]).length).toBe(3);
      const fourth = await appended(log, "t");
      const older = {
        storedAt: Date.now(),
        uids: [],
        event: { ...fourth, seq: 99, cursor: fourth.cursor.replace(/-4$/, "-99") },
      };
      const publisher = connection(server.url);
      await publisher.publish(tenantKeys(prefix, "t").channel, JSON.stringify(older));
      publisher.disconnect();
      await waitFor(() => live.includes(99), { what: "the single event" });
      expect(live).toEqual([1, 2, 3, 4, 99]);
      watcher.disconnect();
    });

    /**
     * A log, its live listener's seqs and its reported errors, after a first live event: that one
     * comes by Pub/Sub (the feed has nothing yet that it follows), the next ones need not.
     */
    async function following() {
      const prefix = uniquePrefix();
      const errors: unknown[] = [];
      const log = open({}, { prefix, onListenerError: (error) => errors.push(error) });
      const live: number[] = [];
      log.subscribe("t", (logged) => void live.push(logged.event.seq));
      await appended(log, "t");
      await waitFor(() => live.length === 1, { what: "the first live event" });
      return { prefix, log, errors, live };
    }

    test("a node's own events reach its listeners as its append resolves, once", async () => {
      const { prefix, log, live } = await following();
      for (let seq = 2; seq <= 20; seq++) {
        await appended(log, "t");
        // No wait: handed on from the script's answer, before its message arrives.
        expect(live.at(-1)).toBe(seq);
      }
      const batch = await log.appendMany("t", [input(), input("res.partner"), input()]);
      expect(batch.map((result) => result.status)).toEqual(["appended", "appended", "appended"]);
      expect(live.slice(-3)).toEqual([21, 22, 23]);
      // Their messages are not passed on again. Another node's event comes by Pub/Sub after
      // them all: once it is here, every earlier message was read.
      await appended(open({}, { prefix }), "t");
      await waitFor(() => live.includes(24), { what: "the other node's event" });
      expect(live).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    });

    test("a message of events handed on is skipped unparsed; any other one is read", async () => {
      // The feed alone, on a real subscriber: the test decides what was handed on.
      const errors: unknown[] = [];
      const subscriber = connection(server.url);
      const feed = new RedisLiveFeed(subscriber, (error) => errors.push(error));
      const seen: number[] = [];
      const channel = `${uniquePrefix()}live`;
      feed.subscribe(channel, (logged) => void seen.push(logged.event.seq));
      await feed.live(channel);
      const publisher = connection(server.url);
      const published = (seq: number, previous: number) => ({
        storedAt: 0,
        uids: [],
        previous,
        event: { seq, cursor: `epoch001-${seq}` },
      });
      const at = (seq: number) => published(seq, seq - 1) as unknown as LoggedEvent;
      await publisher.publish(channel, JSON.stringify([published(1, 0)]));
      await waitFor(() => seen.length === 1, { what: "the first event" });
      feed.passOwn(channel, [at(2), at(3)]);
      expect(seen).toEqual([1, 2, 3]);
      // Not JSON, so reading it would report an error; it ends at an event handed on: skipped.
      await publisher.publish(channel, `[{"event":{"cursor":"epoch001-3"}} not json`);
      // The same again: 3 is settled now, so this one is read, and its error reported.
      await publisher.publish(channel, `[{"event":{"cursor":"epoch001-3"}} not json`);
      // A seq given again (a Redis that lost writes) that this node did not hand on is passed on.
      await publisher.publish(channel, JSON.stringify([published(2, 1)]));
      await waitFor(() => seen.length === 4, { what: "the repeated seq" });
      expect(errors).toHaveLength(1);
      expect((errors[0] as Error).name).toBe("SyntaxError");
      expect(seen).toEqual([1, 2, 3, 2]);
      publisher.disconnect();
      feed.close();
      subscriber.disconnect();
    });

    test("two nodes appending at once: each node's listeners get every event once, in order", async () => {
      const prefix = uniquePrefix();
      const [a, b] = [open({}, { prefix }), open({}, { prefix })];
      const seen = { a: [] as number[], b: [] as number[] };
      a.subscribe("t", (logged) => void seen.a.push(logged.event.seq));
      b.subscribe("t", (logged) => void seen.b.push(logged.event.seq));
      // An append waits for its own node's subscription: after these two, both are live.
      await appended(b, "t");
      await appended(a, "t");
      await waitFor(() => seen.a.includes(2) && seen.b.includes(2), { what: "the second event" });
      // A node's own event often follows one of the other's whose message has not arrived yet:
      // it must wait for it, not overtake it.
      for (let i = 0; i < 150; i++) await Promise.all([appended(a, "t"), appended(b, "t")]);
      const all = Array.from({ length: 301 }, (_, i) => i + 2);
      await waitFor(() => seen.a.at(-1) === 302 && seen.b.at(-1) === 302, {
        what: "every event at both nodes",
      });
      expect(seen.a.filter((seq) => seq >= 2)).toEqual(all);
      expect(seen.b.filter((seq) => seq >= 2)).toEqual(all);
    });

    test("a message on the live channel that is not JSON is reported, and the feed goes on", async () => {
      const { prefix, log, errors, live } = await following();
      const publisher = connection(server.url);
      await publisher.publish(tenantKeys(prefix, "t").channel, "{not json");
      publisher.disconnect();
      await waitFor(() => errors.length === 1, { what: "the report" });
      expect(errors[0]).toBeInstanceOf(SyntaxError);
      await appended(log, "t");
      await waitFor(() => live.length === 2, { what: "the next live event" });
      expect(live).toEqual([1, 2]);
    });

    test("close() ends both connections", async () => {
      const redis = connection(server.url);
      const log = new RedisEventLog(redis, {
        retention: { maxCount: 10, maxAgeMs: 60_000 },
        dedupeMs: 1000,
        prefix: uniquePrefix(),
      });
      log.subscribe("t", () => undefined);
      await appended(log, "t");
      await log.close();
      expect(redis.status).toBe("end");
    });

    test("a prefix with braces is refused: the tenant alone is the hash tag", () => {
      const redis = connection(server.url, { lazyConnect: true });
      expect(
        () =>
          new RedisEventLog(redis, {
            retention: { maxCount: 10, maxAgeMs: 60_000 },
            dedupeMs: 1000,
            prefix: "{x}:",
          }),
      ).toThrow(/braces/);
      redis.disconnect();
    });
  });
});
