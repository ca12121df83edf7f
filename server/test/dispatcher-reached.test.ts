import { afterEach, expect, test } from "vitest";
import { Server } from "socket.io";
import type { EventDraft } from "@odoo-live/protocol";
import { MemoryEventLog } from "../src/log/event-log-memory.js";
import { createMetrics } from "../src/ops/metrics.js";
import { Dispatcher } from "../src/realtime/dispatcher.js";
import type { HubServer } from "../src/realtime/types.js";

// Longer than the test's own timeout: a wait that ran into it fails the test.
const NO_GRACE = 3_600_000;

const draft = (recordId: number, ledgerId?: number): EventDraft => ({
  id: `${recordId}`.padStart(32, "0"),
  tenant: "t",
  model: "sale.order",
  recordId,
  op: "write",
  at: "2026-11-30T10:15:02.000Z",
  version: null,
  priority: null,
  category: null,
  actorUid: null,
  changedFields: [],
  record: {},
  origin: ledgerId === undefined ? {} : { updateWebhookId: ledgerId },
});

// Never attached to an HTTP server: the dispatcher only looks up its rooms.
const io: HubServer = new Server();
const dispatchers: Dispatcher[] = [];
afterEach(() => dispatchers.splice(0).forEach((d) => d.stop()));

function started() {
  const log = new MemoryEventLog({
    retention: { maxCount: 100, maxAgeMs: 60_000 },
    dedupeMs: 1000,
  });
  const dispatcher = new Dispatcher(io, log, createMetrics());
  dispatcher.start(["t"]);
  dispatchers.push(dispatcher);
  const live = (recordId: number) =>
    log.append("t", { draft: draft(recordId), uids: [], dedupe: { rows: [`id:${recordId}`] } });
  const history = (ledgerId: number) =>
    log.append("t", {
      draft: draft(1000 + ledgerId, ledgerId),
      uids: [],
      dedupe: { rows: [`uw:${ledgerId}`] },
      history: true,
    });
  return { log, dispatcher, live, history };
}

test("a head whose last events are history is reached at its last live event, not after the grace", async () => {
  const { log, dispatcher, live, history } = started();
  await live(1);
  await history(50);
  await history(51);
  const head = await log.head("t");
  expect([head.seq, head.live]).toEqual([3, 1]);
  await dispatcher.reached("t", head, NO_GRACE);
});

test("a head with only history (no live event yet) needs no wait", async () => {
  const { log, dispatcher, history } = started();
  await history(50);
  await dispatcher.reached("t", await log.head("t"), NO_GRACE);
});

test("a head ahead of the feed is reached when the feed delivers its last live event", async () => {
  const { log, dispatcher, live } = started();
  await live(1);
  const seen = await log.head("t");
  // A read on another node saw two more live events than this node's feed delivered so far.
  const ahead = { ...seen, seq: seen.seq + 2, live: seen.seq + 2 };
  let done = false;
  const reached = dispatcher.reached("t", ahead, NO_GRACE).then(() => (done = true));
  await live(2);
  await new Promise((resolve) => setImmediate(resolve));
  expect(done).toBe(false);
  await live(3);
  await reached;
  expect(done).toBe(true);
});
