import { afterEach, expect, test } from "vitest";
import { Server } from "socket.io";
import { MemoryEventLog } from "../src/log/event-log-memory.js";
import { createMetrics } from "../src/ops/metrics.js";
import { Dispatcher } from "../src/realtime/dispatcher.js";
import type { HubServer } from "../src/realtime/types.js";
import { input } from "./contracts/event-log-inputs.js";

// Longer than the test's own timeout: a wait that ran into it fails the test.
const NO_GRACE = 3_600_000;

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
  const live = () => log.append("t", input("t", "sale.order"));
  // A row a catch-up from Odoo read: history, never published.
  const history = (ledgerId: number) => {
    const { draft, ...rest } = input("t", "sale.order", [], [`uw:${ledgerId}`]);
    return log.append("t", {
      ...rest,
      draft: { ...draft, origin: { updateWebhookId: ledgerId } },
      history: true,
    });
  };
  return { log, dispatcher, live, history };
}

test("a head whose last events are history is reached at its last live event, not after the grace", async () => {
  const { log, dispatcher, live, history } = started();
  await live();
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
  await live();
  const seen = await log.head("t");
  // A read on another node saw two more live events than this node's feed delivered so far.
  const ahead = { ...seen, seq: seen.seq + 2, live: seen.seq + 2 };
  let done = false;
  const reached = dispatcher.reached("t", ahead, NO_GRACE).then(() => (done = true));
  await live();
  await new Promise((resolve) => setImmediate(resolve));
  expect(done).toBe(false);
  await live();
  await reached;
  expect(done).toBe(true);
});
