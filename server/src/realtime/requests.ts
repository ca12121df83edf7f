import {
  AckRequest,
  issuesText,
  RefreshRequest,
  SubscribeRequest,
  type ErrorBody,
} from "@odoo-live/protocol";
import { z } from "zod";
import { Overloaded } from "../ops/group-commit.js";
import type { ThrottledLog } from "../ops/throttled-log.js";
import type { TokenBuckets } from "../ops/token-bucket.js";
import type { DeviceSession } from "./device-session.js";
import { RequestError } from "./request-error.js";
import type { HubSocket } from "./types.js";

export interface RequestDeps {
  /** Refusals and failures that come in floods (a store overloaded or away), rate limited. */
  notices: ThrottledLog;
  /** Shared by all sockets of the node, keyed by socket id. */
  buckets: TokenBuckets;
  /** The session of a connected socket. */
  sessionOf: (socket: HubSocket) => DeviceSession | undefined;
}

type Reply = (reply: { ok: true } | { ok: false; error: ErrorBody }) => void;

/** A request listener: Socket.IO calls it with the socket as `this`. */
export type RequestListener = (this: HubSocket, ...args: unknown[]) => void;

/**
 * `subscribe`, `unsubscribe`, `ack` and `refresh`, each answered through its acknowledgement
 * and carried out by the device's session. Built once per node and added to every socket: a
 * listener finds its session from `this`, so a connection costs no closures of its own.
 */
export function requestListeners(deps: RequestDeps): [string, RequestListener][] {
  const on = <T>(
    name: string,
    schema: z.core.$ZodType<T>,
    work: (session: DeviceSession, request: T) => Promise<object>,
  ): [string, RequestListener] => [
    name,
    function (this: HubSocket, ...args: unknown[]) {
      // A frame with only an acknowledgement id has no body: the callback comes first.
      const [body, reply] = typeof args[0] === "function" ? [undefined, args[0]] : args;
      const session = deps.sessionOf(this);
      answer(this, deps, { name, tenant: session?.tenant }, reply, async () => {
        // io.ts adds the listeners once the session exists: none here is a bug, answered and logged.
        if (session === undefined) throw new Error(`${name} on a socket with no session`);
        return work(session, parse(schema, body));
      });
    },
  ];
  return [
    on("subscribe", SubscribeRequest, async (session, { models, where }) => ({
      models: await session.subscribe(models, where),
    })),
    on("unsubscribe", SubscribeRequest, async (session, { models }) => ({
      models: await session.unsubscribe(models),
    })),
    on("ack", AckRequest, async (session, { cursor, events = 0 }) => ({
      cursor: await session.ack(cursor, events),
    })),
    on("refresh", RefreshRequest, (session, { token }) => session.refresh(token)),
  ];
}

/** Which request, of which tenant: the key its failures are rate limited by. */
interface Asked {
  name: string;
  tenant: string | undefined;
}

function answer(
  socket: HubSocket,
  deps: RequestDeps,
  asked: Asked,
  reply: unknown,
  work: () => Promise<object>,
) {
  const send: Reply = typeof reply === "function" ? (reply as Reply) : () => undefined;
  if (!deps.buckets.take(socket.id)) {
    const error = { code: "rate_limited", message: "too many requests on this socket" } as const;
    return send({ ok: false, error });
  }
  work().then(
    (result) => send({ ok: true, ...result }),
    (error: unknown) => {
      if (error instanceof RequestError) return send({ ok: false, error: error.body });
      if (error instanceof Overloaded) {
        // The store falling behind: one line a second at most (the rest counted), not one each.
        deps.notices.warn(
          "request-overloaded",
          { err: error.message },
          "request refused: store overloaded",
        );
        const message = "the hub's store is overloaded; retry";
        return send({ ok: false, error: { code: "unavailable", message } });
      }
      // A failing store (Redis away) fails every request alike, and a merged ack call fails
      // many at once: one line a second per request and tenant, not one each.
      const key = `${asked.tenant ?? "?"}:${asked.name}`;
      const fields = { err: error, tenant: asked.tenant, request: asked.name, socket: socket.id };
      deps.notices.error(key, fields, "request failed");
      send({ ok: false, error: { code: "internal", message: "request failed; retry" } });
    },
  );
}

function parse<T>(schema: z.core.$ZodType<T>, value: unknown): T {
  const parsed = z.safeParse(schema, value);
  if (parsed.success) return parsed.data;
  throw new RequestError({ code: "invalid_request", message: issuesText(parsed.error, "request") });
}
