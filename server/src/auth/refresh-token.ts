import { createHash, randomBytes } from "node:crypto";
import type { DeviceKey } from "../state/device-store.js";

/**
 * A refresh token names the chain it belongs to and carries a secret:
 * `<tenant>.<uid>.<base64url device id>.<secret>`. The store keeps only the secret's digest, so
 * neither a Redis dump nor a memory snapshot holds a usable token. Clients treat it as opaque.
 */
export interface RefreshToken {
  device: DeviceKey;
  secret: string;
}

/** 256 random bits. */
export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function secretDigest(secret: string): string {
  return createHash("sha256").update(secret).digest("base64url");
}

export function formatRefreshToken({ device, secret }: RefreshToken): string {
  const deviceId = Buffer.from(device.deviceId, "utf8").toString("base64url");
  return `${device.tenant}.${device.uid}.${deviceId}.${secret}`;
}

/** Undefined for anything this hub could not have issued. */
export function parseRefreshToken(token: string): RefreshToken | undefined {
  const match = /^([a-z0-9][a-z0-9_-]{0,63})\.([1-9]\d{0,15})\.([\w-]{1,400})\.([\w-]{43})$/.exec(
    token,
  );
  if (match === null) return undefined;
  const [, tenant = "", uid = "", deviceId = "", secret = ""] = match;
  const device = {
    tenant,
    uid: Number(uid),
    deviceId: Buffer.from(deviceId, "base64url").toString("utf8"),
  };
  return Number.isSafeInteger(device.uid) ? { device, secret } : undefined;
}
