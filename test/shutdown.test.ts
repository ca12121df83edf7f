import { asEnvelope, saleOrderCreate } from "@odoo-live/protocol/fixtures";
import { describe, expect, it } from "vitest";
import { connectReady, mintToken, PUSH_TOKEN, startTestHub } from "./helpers/hub.js";
import { waitFor } from "./helpers/wait.js";

describe("graceful shutdown", () => {
  it("finishes an in-flight push, disconnects sockets and stops accepting", async () => {
    const hub = await startTestHub();
    const client = await connectReady(hub, { token: mintToken(), deviceId: "phone-1" });
    const reasons: string[] = [];
    client.socket.on("disconnect", (reason) => reasons.push(reason));

    const body = new TextEncoder().encode(JSON.stringify(asEnvelope(saleOrderCreate, 1)));
    let sendRest!: () => void;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(body.slice(0, 20));
        sendRest = () => {
          controller.enqueue(body.slice(20));
          controller.close();
        };
      },
    });
    const inFlight = fetch(`${hub.url}/webhooks/odoo`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${PUSH_TOKEN}` },
      body: stream,
      duplex: "half",
    });
    await waitFor(async () => (await fetch(`${hub.url}/healthz`)).ok, { what: "hub up" });

    const closing = hub.close();
    await waitFor(() => reasons.length > 0, { what: "socket disconnect" });
    expect(reasons).toEqual(["io server disconnect"]);
    sendRest();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, seq: 1 });
    await closing;
    await expect(fetch(`${hub.url}/healthz`)).rejects.toThrow();
  });
});
