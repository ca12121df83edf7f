import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { ClientGone, readBody } from "../src/http/read-body.js";

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A real server whose handler waits for the request to close before reading its body. */
async function readAfterClose() {
  let settle!: (outcome: unknown) => void;
  const read = new Promise<unknown>((resolve) => (settle = resolve));
  let arrived!: () => void;
  const handled = new Promise<void>((resolve) => (arrived = resolve));
  const server = createServer((req: IncomingMessage) => {
    arrived();
    // As a push does while the address check waits on Redis: the body is read later.
    req.once("close", () => {
      readBody(req, 1024).then(
        (text) => settle(text),
        (error: unknown) => settle(error),
      );
    });
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { port: (server.address() as AddressInfo).port, read, handled };
}

describe("readBody", () => {
  test("a request its client abandoned before the body was read is ClientGone, not left pending", async () => {
    const { port, read, handled } = await readAfterClose();
    const socket = connect(port, "127.0.0.1");
    await once(socket, "connect");
    socket.write('POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n{"partial":');
    // Hang up once the handler has run (it waits for `close` before reading the body).
    await handled;
    socket.destroy();
    const outcome = await read;
    expect(outcome).toBeInstanceOf(ClientGone);
  });
});
