import type { HandshakeAuth, ModelDomains } from "@odoo-live/protocol";
import type { CursorStore } from "./cursor-store.js";
import type { AppType, TokenSource } from "./options.js";

export interface HandshakeParts {
  token: TokenSource;
  deviceId: string;
  appType: AppType | undefined;
  cursors: CursorStore;
  models: string[] | undefined;
  where: ModelDomains | undefined;
  compact: boolean;
}

/**
 * The `auth` of one handshake, built when the socket (re)connects: a token function may refresh
 * the token, and the cursor is the one stored now, not the one at start. Rejects only when the
 * token function fails.
 */
export async function buildHandshake(parts: HandshakeParts): Promise<HandshakeAuth> {
  const token =
    typeof parts.token === "function" ? await parts.token({ reason: "connect" }) : parts.token;
  const cursor = await parts.cursors.load();
  const auth: HandshakeAuth = { token, deviceId: parts.deviceId };
  if (parts.appType !== undefined) auth.appType = parts.appType;
  if (cursor !== null && cursor !== "") auth.cursor = cursor;
  if (parts.models !== undefined) {
    auth.models = parts.models;
    const models = parts.models;
    const where = Object.entries(parts.where ?? {}).filter(([model]) => models.includes(model));
    if (where.length > 0) auth.where = Object.fromEntries(where);
  }
  if (parts.compact) auth.compact = true;
  return auth;
}
