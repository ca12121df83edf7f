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
