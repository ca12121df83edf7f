import {
  AckRequest,
  SubscribeRequest,
  type AckReply,
  type ErrorBody,
  type SubscribeReply,
} from "@odoo-live/protocol";
import { z } from "zod";
import type { EventLog } from "../log/event-log.js";
import { continuity, decodeCursor, decodeLedgerCursor, encodeCursor } from "../log/position.js";
import type { Logger } from "../ops/logger.js";
import { TokenBuckets } from "../ops/token-bucket.js";
import { modelRoom } from "../routing/rooms.js";
import { allows } from "../routing/selector.js";
import type { SyncStateMirror } from "../odoo/sync-state-mirror.js";
import type { DeviceStore } from "../state/device-store.js";
import type { Dispatcher } from "./dispatcher.js";
import { deviceKeyOf, selectorOf } from "./session.js";
import type { HubSocket } from "./types.js";

export interface RequestDeps {
  log: EventLog;
  devices: DeviceStore;
  dispatcher: Dispatcher;
  logger: Logger;
  /** Shared by all sockets of the node, keyed by socket id. */
  buckets: TokenBuckets;
  /** Per tenant whose acks are written to Odoo's `user.sync.state`. */
  mirrors: ReadonlyMap<string, SyncStateMirror>;
}

type Reply<T> = (reply: T) => void;
type Handler<T> = (socket: HubSocket, deps: RequestDeps, request: unknown) => Promise<T>;
type SubscribeOk = Extract<SubscribeReply, { ok: true }>;
type AckOk = Extract<AckReply, { ok: true }>;

/** `subscribe`, `unsubscribe` and `ack`, each answered through its acknowledgement. */
export function handleRequests(socket: HubSocket, deps: RequestDeps): void {
  socket.on("subscribe", (request, reply) =>
    answer(socket, deps, reply, () => subscribe(socket, deps, request)),
  );
  socket.on("unsubscribe", (request, reply) =>
    answer(socket, deps, reply, () => unsubscribe(socket, deps, request)),
  );
  socket.on("ack", (request, reply) =>
    answer(socket, deps, reply, () => ack(socket, deps, request)),
  );
}

class RequestError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
  }
}

function answer<T extends { ok: true }>(
  socket: HubSocket,
  deps: RequestDeps,
  reply: Reply<T | { ok: false; error: ErrorBody }> | undefined,
  work: () => Promise<T>,
): void {
  const send = typeof reply === "function" ? reply : () => undefined;
  if (!deps.buckets.take(socket.id)) {
    send({
      ok: false,
      error: { code: "rate_limited", message: "too many requests on this socket" },
    });
    return;
  }
  work().then(send, (error: unknown) => {
    if (error instanceof RequestError) return send({ ok: false, error: error.body });
    deps.logger.error({ err: error, socket: socket.id }, "request failed");
    send({ ok: false, error: { code: "internal", message: "request failed; retry" } });
  });
}

function parse<T>(schema: z.core.$ZodType<T>, value: unknown): T {
  const parsed = z.safeParse(schema, value);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .map((i) => `${i.path.map(String).join(".") || "(request)"}: ${i.message}`)
    .join("; ");
  throw new RequestError({ code: "invalid_request", message: detail });
}

const subscribe: Handler<SubscribeOk> = async (socket, deps, request) => {
  const { models } = parse(SubscribeRequest, request);
  const session = socket.data;
  const forbidden = models.filter((m) => !allows(selectorOf(session).allowed, m));
  if (forbidden.length > 0) {
    throw new RequestError({
      code: "model_forbidden",
      message: `token does not allow: ${forbidden.join(", ")}`,
    });
  }
  await deps.devices.addModels(deviceKeyOf(session), models);
  session.models = [...new Set([...session.models, ...models])];
  // A replaying socket joins its rooms when the replay ends, so live order is kept.
  if (!deps.dispatcher.isReplaying(socket.id))
    void socket.join(models.map((m) => modelRoom(session.tenant, m)));
  return { ok: true, models: session.models };
};

const unsubscribe: Handler<SubscribeOk> = async (socket, deps, request) => {
  const { models } = parse(SubscribeRequest, request);
  const session = socket.data;
  await deps.devices.removeModels(deviceKeyOf(session), models);
  session.models = session.models.filter((m) => !models.includes(m));
  for (const model of models) void socket.leave(modelRoom(session.tenant, model));
  return { ok: true, models: session.models };
};

const ack: Handler<AckOk> = async (socket, deps, request) => {
  const { cursor, events = 0 } = parse(AckRequest, request);
  const session = socket.data;
  const ledgerId = decodeLedgerCursor(cursor);
  // An event replayed from Odoo: its ledger row is the position, the hub's log has no seq for it.
  if (ledgerId !== undefined) {
    deps.mirrors.get(session.tenant)?.record(session, ledgerId, events);
    return { ok: true, cursor };
  }
  const position = await currentPosition(cursor, session.tenant, deps.log);
  const result = await deps.devices.ack(deviceKeyOf(session), { position, events, at: new Date() });
  if (result.moved) await mirror(session, deps, position.seq, events);
  return { ok: true, cursor: encodeCursor(result.state.acked ?? position) };
};

/** A cursor of the log's current epoch, at or below its head. */
async function currentPosition(cursor: string, tenant: string, log: EventLog) {
  const position = decodeCursor(cursor);
  if (position === undefined) {
    throw new RequestError({ code: "invalid_cursor", message: "not a cursor this hub issued" });
  }
  const state = continuity(position, await log.head(tenant), 0);
  if (state === "ok") return position;
  const why = state === "epoch_changed" ? "is from an earlier log epoch" : "is ahead of the log";
  throw new RequestError({ code: "invalid_cursor", message: `cursor ${why}` });
}

/** The ledger rows an ack covers: every row up to the watermark marked at or before it. */
async function mirror(session: HubSocket["data"], deps: RequestDeps, seq: number, events: number) {
  const target = deps.mirrors.get(session.tenant);
  if (target === undefined) return;
  const ledgerId = await deps.log.ledgerAt(session.tenant, seq);
  if (ledgerId !== null) target.record(session, ledgerId, events);
}
