import { generateKeyPairSync } from "node:crypto";
import jsonwebtoken from "jsonwebtoken";
import { describe, expect, it } from "vitest";
import { connectRaw, connectReady, JWT_SECRET, mintToken, startTestHub } from "./helpers/hub.js";
import { waitFor } from "./helpers/wait.js";

interface ConnectError extends Error {
  data?: { code?: string };
}

async function refusal(auth: Record<string, unknown>, env: Record<string, string> = {}) {
  const hub = await startTestHub(env);
  const error = (await connectRaw(hub, auth).connectError) as ConnectError;
  return { code: error.data?.code, message: error.message };
}

describe("Socket.IO handshake", () => {
  it("accepts a valid token and answers ready", async () => {
    const hub = await startTestHub();
    const client = await connectReady(hub, { token: mintToken({ uid: 7 }), deviceId: "phone-1" });
    expect(client.ready[0]).toMatchObject({
      tenant: "default",
      uid: 7,
      deviceId: "phone-1",
      recovered: false,
      source: "none",
    });
  });

  it("refuses a missing token", async () => {
    expect(await refusal({ deviceId: "phone-1" })).toEqual({
      code: "token_missing",
      message: "auth.token is required",
    });
  });

  it("refuses a short deviceId, naming it", async () => {
    const { code, message } = await refusal({ token: mintToken(), deviceId: "ab" });
    expect(code).toBe("invalid_handshake");
    expect(message).toContain("auth.deviceId");
  });

  it("refuses an unknown appType, naming it", async () => {
    const { code, message } = await refusal({
      token: mintToken(),
      deviceId: "phone-1",
      appType: "tv_app",
    });
    expect(code).toBe("invalid_handshake");
    expect(message).toContain("auth.appType");
  });

  it("refuses a token signed with another secret", async () => {
    const token = mintToken({}, "another-secret-0123456789-0123456789-xyz");
    expect(await refusal({ token, deviceId: "phone-1" })).toMatchObject({ code: "token_invalid" });
  });

  it("refuses an expired token", async () => {
    const token = mintToken({ expiresIn: -10 });
    expect(await refusal({ token, deviceId: "phone-1" })).toEqual({
      code: "token_expired",
      message: "token expired",
    });
  });

  it("refuses a token without exp", async () => {
    const token = jsonwebtoken.sign({ uid: 2, models: "*" }, JWT_SECRET, { algorithm: "HS256" });
    expect(await refusal({ token, deviceId: "phone-1" })).toEqual({
      code: "token_invalid",
      message: "token has no exp claim",
    });
  });

  it("refuses alg none and other algorithms than the pinned one", async () => {
    const none = jsonwebtoken.sign({ uid: 2, models: "*", exp: Date.now() / 1000 + 60 }, "", {
      algorithm: "none",
    });
    expect(await refusal({ token: none, deviceId: "phone-1" })).toMatchObject({
      code: "token_invalid",
    });
    const hs384 = jsonwebtoken.sign({ uid: 2, models: "*" }, JWT_SECRET, {
      algorithm: "HS384",
      expiresIn: 60,
    });
    const refused = await refusal({ token: hs384, deviceId: "phone-1" });
    expect(refused.code).toBe("token_invalid");
    expect(refused.message).toContain("invalid algorithm");
  });

  it("verifies RS256 tokens with JWT_PUBLIC_KEY and refuses HS256 tokens signed with the key text", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
    const hub = await startTestHub({ JWT_PUBLIC_KEY: pem, JWT_SECRET: "" });
    const token = jsonwebtoken.sign({ uid: 3, models: "*" }, privateKey, {
      algorithm: "RS256",
      expiresIn: 60,
    });
    const ok = await connectReady(hub, { token, deviceId: "phone-1" });
    expect(ok.ready[0]?.uid).toBe(3);
    const confused = jsonwebtoken.sign({ uid: 3, models: "*" }, pem, {
      algorithm: "HS256",
      expiresIn: 60,
    });
    const error = (await connectRaw(hub, { token: confused, deviceId: "phone-1" })
      .connectError) as ConnectError;
    expect(error.data?.code).toBe("token_invalid");
  });

  it("refuses claims that are not the contract's, naming the claim", async () => {
    const token = jsonwebtoken.sign({ uid: "seven", models: "*" }, JWT_SECRET, {
      algorithm: "HS256",
      expiresIn: 60,
    });
    const { code, message } = await refusal({ token, deviceId: "phone-1" });
    expect(code).toBe("token_invalid");
    expect(message).toContain("uid");
  });

  it("refuses a tenant the hub does not serve", async () => {
    const token = mintToken({ tenant: "other" });
    expect(await refusal({ token, deviceId: "phone-1" })).toEqual({
      code: "unknown_tenant",
      message: "unknown tenant: other",
    });
  });

  it("refuses a malformed cursor", async () => {
    expect(
      await refusal({ token: mintToken(), deviceId: "phone-1", cursor: "not a cursor" }),
    ).toMatchObject({
      code: "invalid_cursor",
    });
  });

  it("limits handshakes per address", async () => {
    const hub = await startTestHub({ HUB_CONNECT_RATE_PER_IP: "1", HUB_CONNECT_BURST_PER_IP: "2" });
    await connectReady(hub, { token: mintToken(), deviceId: "phone-1" });
    await connectReady(hub, { token: mintToken(), deviceId: "phone-2" });
    const error = (await connectRaw(hub, { token: mintToken(), deviceId: "phone-3" })
      .connectError) as ConnectError;
    expect(error.data?.code).toBe("rate_limited");
  });
});

describe("handshake limits behind a load balancer", () => {
  const forwardedFrom = (hub: Parameters<typeof connectRaw>[0], ip: string, deviceId: string) =>
    connectRaw(hub, { token: mintToken(), deviceId }, { "x-forwarded-for": `${ip}, 10.0.0.1` });

  it("counts each forwarded client separately with HUB_TRUST_PROXY", async () => {
    const hub = await startTestHub({
      HUB_CONNECT_RATE_PER_IP: "1",
      HUB_CONNECT_BURST_PER_IP: "1",
      HUB_TRUST_PROXY: "true",
    });
    const first = forwardedFrom(hub, "203.0.113.7", "phone-7");
    const second = forwardedFrom(hub, "203.0.113.8", "phone-8");
    await waitFor(() => first.ready.length === 1 && second.ready.length === 1, {
      what: "two clients",
    });
    const again = (await forwardedFrom(hub, "203.0.113.7", "phone-9").connectError) as ConnectError;
    expect(again.data?.code).toBe("rate_limited");
  });

  it("ignores X-Forwarded-For unless trusted", async () => {
    const hub = await startTestHub({ HUB_CONNECT_RATE_PER_IP: "1", HUB_CONNECT_BURST_PER_IP: "1" });
    const first = forwardedFrom(hub, "203.0.113.7", "phone-7");
    await waitFor(() => first.ready.length === 1, { what: "the first client" });
    const spoofed = (await forwardedFrom(hub, "203.0.113.99", "phone-8")
      .connectError) as ConnectError;
    expect(spoofed.data?.code).toBe("rate_limited");
  });
});
