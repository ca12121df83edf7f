import { createHash } from "node:crypto";
import type { Hasher } from "@odoo-live/protocol";

/** The protocol's event hash with node:crypto's SHA-256 (several times the pure-JS default's speed). */
export const nativeHash: Hasher = (text) =>
  createHash("sha256").update(text).digest("hex").slice(0, 32);
