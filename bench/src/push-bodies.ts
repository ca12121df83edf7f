/** What the load generator pushes: Odoo's cron envelope (`webhook.event`), as the module sends it. */
import { Agent, request } from "node:http";
import type { OdooEnvelope } from "@odoo-live/protocol";
import { nowMs } from "./stats.js";

/** The module's cron envelope, as the protocol package types it. */
export type PushBody = OdooEnvelope;

/** Who an event is for: some users (by the record's `user_id`), or a model's subscribers. */
export type Audience = { uids: number[] } | { model: string };

let counter = 0;

/**
 * A distinct change (its own name, so never a duplicate) stamped with the time it is sent; of
 * record `recordId` (default: a record of its own).
 */
export function pushBody(audience: Audience, stamp = true, recordId?: number): PushBody {
  const n = ++counter;
  const record = recordId ?? n;
  const model = "model" in audience ? audience.model : "bench.routed";
  const users =
    "uids" in audience ? audience.uids.map((id) => ({ id, name: `User ${id}` })) : false;
  return {
    event_id: n,
    model,
    record_id: record,
    event: "write",
    timestamp: new Date().toISOString().slice(0, 19),
    priority: "medium",
    category: "business",
    data: {
      id: record,
      name: `B${process.pid}-${n}`,
      state: "sale",
      partner_id: { id: 7, name: "Azure Interior" },
      user_id: users,
      amount_total: 1234.5,
      write_date: new Date().toISOString().slice(0, 19).replace("T", " "),
      x_sent_at: stamp ? nowMs() : 0,
    },
  };
}

/** The rooms the bare server emits to: the model's and each named user's. */
export function roomsOf(body: PushBody): string[] {
  return roomsOfRecord(body.model, body.data ?? {});
}

/** The same, from a record's values. */
export function roomsOfRecord(model: string, record: Record<string, unknown>): string[] {
  const users = record["user_id"];
  const uids = Array.isArray(users) ? users.map((u: { id: number }) => `u:${u.id}`) : [];
  return [`m:${model}`, ...uids];
}

// node:http with a keep-alive pool: several times cheaper per request than fetch here, so that
// the load generator is less of a bottleneck on a small machine.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** Sends one push (to `tenant`, else the default one); resolves to the HTTP status. */
export function sendPush(
  baseUrl: string,
  token: string,
  body: PushBody,
  tenant?: string,
): Promise<number> {
  const payload = JSON.stringify(body);
  const headers = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
    authorization: `Bearer ${token}`,
  };
  return new Promise((resolve, reject) => {
    const path = tenant === undefined ? "/webhooks/odoo" : `/webhooks/odoo/${tenant}`;
    const req = request(`${baseUrl}${path}`, { method: "POST", agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      // A pooled connection the server closed while idle (its keep-alive timeout) between two
      // bursts: the request never reached it, so send it again (Node's documented pattern).
      if (req.reusedSocket && error.code === "ECONNRESET") {
        sendPush(baseUrl, token, body, tenant).then(resolve, reject);
      } else reject(error);
    });
    req.end(payload);
  });
}

/** Sends `count` pushes built by `make`, `concurrency` at a time; throws on any non-2xx. */
export async function pushAll(
  baseUrl: string,
  token: string,
  count: number,
  make: (i: number) => PushBody,
  concurrency: number,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const status = await sendPush(baseUrl, token, make(next++));
      if (status >= 300) throw new Error(`push answered ${status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

/** Sends `count` pushes at `perSecond`, each stamped when it leaves; throws on any non-2xx. */
export async function pushAtRate(
  baseUrl: string,
  token: string,
  count: number,
  perSecond: number,
  make: (i: number) => PushBody,
): Promise<void> {
  const start = nowMs();
  const sent: Promise<number>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - nowMs();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    sent.push(sendPush(baseUrl, token, make(i)));
  }
  const statuses = await Promise.all(sent);
  const failed = statuses.filter((s) => s >= 300);
  if (failed.length > 0) throw new Error(`${failed.length} pushes failed (${failed[0]})`);
}
