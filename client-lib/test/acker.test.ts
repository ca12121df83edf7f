import type { AckRequest } from "@odoo-live/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Acker } from "../src/acker.js";
import { deferred } from "./helpers.js";

/** Fake timers drive only the acker's own interval timer here. */
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function recorder(answer: () => boolean | Promise<boolean> = () => true) {
  const sent: AckRequest[] = [];
  const send = async (request: AckRequest) => {
    sent.push(request);
    return answer();
  };
  return { sent, send };
}

describe("Acker", () => {
  it("acks once `every` events were processed", async () => {
    const { sent, send } = recorder();
    const acker = new Acker(send, { every: 3, intervalMs: 1000 });
    acker.processed("c1");
    acker.processed("c2");
    expect(sent).toEqual([]);
    acker.processed("c3");
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([{ cursor: "c3", events: 3 }]);
    expect(acker.unacked).toBe(0);
  });

  it("acks `intervalMs` after the first unacked event", async () => {
    const { sent, send } = recorder();
    const acker = new Acker(send, { every: 50, intervalMs: 1000 });
    acker.processed("c1");
    await vi.advanceTimersByTimeAsync(600);
    acker.processed("c2");
    await vi.advanceTimersByTimeAsync(399);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([{ cursor: "c2", events: 2 }]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toHaveLength(1);
  });

  it("keeps a failed ack pending and sends it with the next batch", async () => {
    let ok = false;
    const { sent, send } = recorder(() => ok);
    const acker = new Acker(send, { every: 50, intervalMs: 1000 });
    acker.processed("c1");
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([{ cursor: "c1", events: 1 }]);
    expect(acker.unacked).toBe(1);
    // No retry loop of its own: nothing goes out until the next event.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toHaveLength(1);
    ok = true;
    acker.processed("c2");
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.at(-1)).toEqual({ cursor: "c2", events: 2 });
    expect(acker.unacked).toBe(0);
  });

  it("counts a throwing send as a failure", async () => {
    const acker = new Acker(() => Promise.reject(new Error("boom")), {
      every: 1,
      intervalMs: 1000,
    });
    acker.processed("c1");
    await vi.advanceTimersByTimeAsync(0);
    expect(acker.unacked).toBe(1);
  });

  it("sends one ack at a time; events during the flight form the next batch", async () => {
    const answer = deferred<boolean>();
    const sent: AckRequest[] = [];
    const acker = new Acker(
      async (request) => {
        sent.push(request);
        return sent.length === 1 ? answer.promise : true;
      },
      { every: 2, intervalMs: 1000 },
    );
    acker.processed("c1");
    acker.processed("c2");
    await vi.advanceTimersByTimeAsync(0);
    acker.processed("c3");
    acker.processed("c4");
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(1);
    answer.resolve(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([
      { cursor: "c2", events: 2 },
      { cursor: "c4", events: 2 },
    ]);
    expect(acker.unacked).toBe(0);
  });

  it("acks at once when the cursor moves with events unacked, and not otherwise", async () => {
    const { sent, send } = recorder();
    const acker = new Acker(send, { every: 50, intervalMs: 1000 });
    acker.moved("r0");
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([]);
    acker.processed("c1");
    acker.moved("r1");
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([{ cursor: "r1", events: 1 }]);
  });

  it("stops its timer on stop() but still flushes on request", async () => {
    const { sent, send } = recorder();
    const acker = new Acker(send, { every: 50, intervalMs: 1000 });
    acker.processed("c1");
    acker.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual([]);
    acker.processed("c2");
    await acker.flush();
    expect(sent).toEqual([{ cursor: "c1", events: 1 }]);
  });
});
