import type { Hub } from "@odoo-live/server";
import { expect } from "vitest";
import { pushNamed } from "./changes.js";
import { connectReady, mintToken, type RecordingSocket } from "./hub.js";
import { waitFor } from "./wait.js";

const DEVICE = { token: mintToken({ uid: 2 }), deviceId: "tablet-1", models: ["sale.order"] };
const names = (client: RecordingSocket) => client.events.map((e) => e.record["name"]);

/**
 * Two nodes sharing one store: a device on `a` gets what was pushed to `b`, leaves, and on `b`
 * gets exactly what it missed, then live events pushed to `a`.
 */
export async function expectCrossNodeResume(a: Hub, b: Hub): Promise<void> {
  const onA = await connectReady(a, DEVICE);
  expect(await pushNamed(b, ["S1", "S2"])).toEqual([200, 200]);
  await waitFor(() => onA.events.length === 2, { what: "events pushed to the other node" });
  const cursor = onA.events[1]?.cursor;
  onA.socket.disconnect();
  await pushNamed(a, ["S3", "S4", "S5"]);
  const onB = await connectReady(b, { ...DEVICE, cursor });
  expect(names(onB)).toEqual(["S3", "S4", "S5"]);
  expect(onB.ready[0]).toMatchObject({ source: "hub", recovered: true, replayed: 3 });
  await pushNamed(a, ["S6"]);
  await waitFor(() => onB.events.length === 4, { what: "a live event from the other node" });
  expect(names(onB)).toEqual(["S3", "S4", "S5", "S6"]);
}

/**
 * A second connection of one device, on `b`, replaces the first, on `a` (the same node or
 * another): the first gets `replaced` and is closed; another device of the same user keeps its
 * session; the new session gets live events.
 */
export async function expectSessionReplaced(a: Hub, b: Hub): Promise<void> {
  const first = await connectReady(a, DEVICE);
  const sibling = await connectReady(a, { ...DEVICE, deviceId: "phone-1" });
  const closed = new Promise<string>((resolve) => first.socket.once("disconnect", resolve));
  const second = await connectReady(b, DEVICE);
  expect(await closed).toBe("io server disconnect");
  expect(first.log.at(-1)).toEqual([
    "replaced",
    { code: "session_replaced", message: expect.any(String) as string },
  ]);
  await pushNamed(a, ["R1"]);
  await waitFor(() => second.events.length === 1 && sibling.events.length === 1, {
    what: "the live event on the new session and on the other device",
  });
  expect(second.socket.connected && sibling.socket.connected).toBe(true);
  expect(first.events).toEqual([]);
}
