import { isWireMessage, type TokenPair } from "@odoo-live/protocol";
import type { CursorStorage } from "./storage.js";

/** What an OdooSession keeps between app starts: the hub's last pair, and when it came. */
export interface SessionRecord {
  deviceId: string;
  /** Local clock (ms): expiries count from here, so the device's clock skew does not matter. */
  receivedAt: number;
  pair: TokenPair;
}

/** One stored session per hub and tenant. */
export function sessionKey(url: string, tenant: string | undefined): string {
  return `odoo-live:session:${url}:${tenant ?? "default"}`;
}

/** The stored record, or null when there is none or it is not one (a foreign or older value). */
export async function loadRecord(
  storage: CursorStorage,
  key: string,
): Promise<SessionRecord | null> {
  try {
    const value = JSON.parse((await storage.get(key)) ?? "null") as Partial<SessionRecord> | null;
    const ok =
      typeof value?.deviceId === "string" &&
      Number.isFinite(value.receivedAt) &&
      isWireMessage("TokenPair", value.pair);
    return ok ? (value as SessionRecord) : null;
  } catch {
    return null;
  }
}

export async function dropRecord(storage: CursorStorage, key: string): Promise<void> {
  if (storage.delete !== undefined) await storage.delete(key);
  else await storage.set(key, "");
}
