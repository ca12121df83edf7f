import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  AckRequest,
  ClientToServerEvents,
  HandshakeAuth,
  NormalizedEvent,
  Ready,
  ServerToClientEvents,
} from "@odoo-live/protocol";
import { Server, type Socket } from "socket.io";
import { afterEach, describe, expect, it, vi } from "vitest";
import { connect, type OdooLiveClient } from "../src/client.js";
import type { ClientErrorInfo } from "../src/errors.js";
import type { ConnectOptions } from "../src/options.js";
import { cursorKey, memoryStorage, type CursorStorage } from "../src/storage.js";
import { makeEvent } from "./helpers.js";

type BareServer = Server<ClientToServerEvents, ServerToClientEvents>;
type ServerSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/**
 * A bare socket.io server standing in for the hub: it records handshakes and acks, answers
 * subscribe and ack, and lets each test script what a new connection receives.
 */
async function startFakeHub(onConnection: (socket: ServerSocket, index: number) => void) {
  const http = createServer();
  const io: BareServer = new Server(http, { path: "/socket.io" });
  const handshakes: HandshakeAuth[] = [];
  const acks: AckRequest[] = [];
  io.on("connection", (socket) => {
    handshakes.push(socket.handshake.auth as HandshakeAuth);
    socket.on("ack", (request, reply) => {
      acks.push(request);
      reply({ ok: true, cursor: request.cursor });
    });
    socket.on("subscribe", (request, reply) => reply({ ok: true, models: request.models }));
    onConnection(socket, handshakes.length - 1);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return { io, url: `http://127.0.0.1:${port}`, handshakes, acks };
}

function readyAt(cursor: string, replayed: number): Ready {
  return {
    tenant: "default",
    uid: 2,
    deviceId: "laptop-1",
    cursor,
    recovered: true,
    replayed,
    source: "hub",
    models: ["sale.order"],
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function hub(onConnection: (socket: ServerSocket, index: number) => void) {
  const fake = await startFakeHub(onConnection);
  cleanups.push(() => fake.io.close());
  return fake;
}

function client(options: Partial<ConnectOptions> & { url: string }) {
  const created: OdooLiveClient = connect({
    token: "jwt-1",
    deviceId: "laptop-1",
    reconnect: { minDelayMs: 10, maxDelayMs: 50 },
    ...options,
  });
  cleanups.push(() => created.close());
  const received: NormalizedEvent[] = [];
  const errors: ClientErrorInfo[] = [];
  created.on("event", async (event) => {
    await Promise.resolve();
    received.push(event);
  });
  created.on("error", (error) => {
    errors.push(error);
  });
  return { client: created, received, errors };
}

describe("client against a bare socket.io server", () => {
  it("resumes from the stored cursor, delivers in order once, stores and acks", async () => {
    const [e1, e2, e3] = [makeEvent(1), makeEvent(2), makeEvent(3)];
    const fake = await hub((socket) => {
      for (const event of [e1, e2, e1, e3]) socket.emit("event", event);
      socket.emit("ready", readyAt("c3", 3));
    });
    const storage: CursorStorage = memoryStorage();
    await storage.set(cursorKey(fake.url, "laptop-1"), "c0");
    const readies: Ready[] = [];
    const { client: c, received } = client({
      url: fake.url,
      storage,
      models: ["sale.order"],
      appType: "manager_app",
    });
    c.on("ready", (ready) => {
      readies.push(ready);
    });

    await vi.waitFor(() => expect(fake.acks).toHaveLength(1));
    expect(fake.handshakes).toEqual([
      {
        token: "jwt-1",
        deviceId: "laptop-1",
        appType: "manager_app",
        cursor: "c0",
        models: ["sale.order"],
      },
    ]);
    expect(received.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(readies).toHaveLength(1);
    expect(fake.acks).toEqual([{ cursor: "c3", events: 3 }]);
    expect(c.cursor()).toBe("c3");
    expect(await storage.get(cursorKey(fake.url, "laptop-1"))).toBe("c3");
    expect(c.connected).toBe(true);
  });

  it("reconnects after a server-side disconnect with a fresh token and the new cursor", async () => {
    const fake = await hub((socket, index) => {
      if (index === 0) {
        socket.emit("event", makeEvent(1));
        socket.emit("ready", readyAt("c1", 1));
        // Like a hub node shutting down: socket.io-client does not reconnect by itself.
        socket.on("ack", () => socket.disconnect(true));
      } else {
        socket.emit("ready", readyAt("c1", 0));
      }
    });
    let issued = 0;
    const { client: c } = client({ url: fake.url, token: () => `jwt-${(issued += 1)}` });
    const disconnects: string[] = [];
    c.on("disconnect", (reason) => {
      disconnects.push(reason);
    });

    await vi.waitFor(() => expect(fake.handshakes).toHaveLength(2));
    expect(disconnects).toEqual(["io server disconnect"]);
    expect(fake.handshakes.map((h) => [h.token, h.cursor])).toEqual([
      ["jwt-1", undefined],
      ["jwt-2", "c1"],
    ]);
  });

  it("sends the subscriptions from the last subscribe answer on reconnect", async () => {
    const fake = await hub((socket, index) => {
      socket.emit("ready", readyAt("c0", 0));
      if (index === 0) socket.on("subscribe", () => socket.disconnect(true));
    });
    const { client: c } = client({ url: fake.url, models: ["sale.order"] });
    await vi.waitFor(() => expect(c.connected).toBe(true));

    const models = await c.subscribe(["sale.order", "res.partner"]);
    expect(models).toEqual(["sale.order", "res.partner"]);
    await vi.waitFor(() => expect(fake.handshakes).toHaveLength(2));
    expect(fake.handshakes[1]?.models).toEqual(["sale.order", "res.partner"]);
  });

  it("gives up with a fatal error when a fixed token is refused", async () => {
    const fake = await hub(() => {});
    fake.io.use((_socket, next) => {
      next(
        Object.assign(new Error("token signature is invalid"), { data: { code: "token_invalid" } }),
      );
    });
    const { client: c, errors } = client({ url: fake.url });

    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({
      code: "token_invalid",
      message: "token signature is invalid",
      fatal: true,
    });
    await c.close();
    expect(c.connected).toBe(false);
  });

  it("drops a refused cursor and connects without it", async () => {
    const fake = await hub((socket) => socket.emit("ready", readyAt("c9", 0)));
    const attempts: unknown[] = [];
    fake.io.use((socket, next) => {
      const { cursor } = socket.handshake.auth as HandshakeAuth;
      attempts.push(cursor);
      if (cursor === "stale")
        next(Object.assign(new Error("bad cursor"), { data: { code: "invalid_cursor" } }));
      else next();
    });
    const storage = memoryStorage();
    await storage.set(cursorKey(fake.url, "laptop-1"), "stale");
    const { client: c, errors } = client({ url: fake.url, storage });

    await vi.waitFor(() => expect(c.cursor()).toBe("c9"));
    expect(attempts).toEqual(["stale", undefined]);
    expect(errors).toMatchObject([{ code: "invalid_cursor", fatal: false }]);
  });

  it("retries when the token function fails", async () => {
    const fake = await hub((socket) => socket.emit("ready", readyAt("c0", 0)));
    let calls = 0;
    const token = () => {
      calls += 1;
      if (calls === 1) throw new Error("refresh endpoint down");
      return "jwt-fresh";
    };
    const { client: c, errors } = client({ url: fake.url, token });

    await vi.waitFor(() => expect(c.cursor()).toBe("c0"));
    expect(fake.handshakes.map((h) => h.token)).toEqual(["jwt-fresh"]);
    expect(errors).toMatchObject([
      { code: "token_missing", message: "token function failed: refresh endpoint down" },
    ]);
  });

  it("sends a last ack for unacked events on close", async () => {
    const fake = await hub((socket) => {
      socket.emit("ready", readyAt("c0", 0));
      socket.emit("event", makeEvent(1));
      socket.emit("event", makeEvent(2));
    });
    const { client: c, received } = client({ url: fake.url, ackIntervalMs: 60_000 });
    await vi.waitFor(() => expect(received).toHaveLength(2));
    await vi.waitFor(() => expect(c.cursor()).toBe("c2"));
    expect(fake.acks).toEqual([]);

    await c.close();
    expect(fake.acks).toEqual([{ cursor: "c2", events: 2 }]);
    expect(c.connected).toBe(false);
  });

  it("rejects subscribe while offline", async () => {
    const { client: c } = client({ url: "http://127.0.0.1:9", reconnect: false });
    await expect(c.subscribe(["sale.order"])).rejects.toMatchObject({ code: "disconnected" });
  });
});
