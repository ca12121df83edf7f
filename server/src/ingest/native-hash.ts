import { hash } from "node:crypto";
import type { Hasher } from "@odoo-live/protocol";

/**
 * The protocol's event hash with node:crypto's one-shot SHA-256 (several times the pure-JS
 * default's speed; `hash` builds no Hash object: 1.1 µs per kilobyte here, `createHash` 1.8).
 */
export const nativeHash: Hasher = (text) => hash("sha256", text, "hex").slice(0, 32);
