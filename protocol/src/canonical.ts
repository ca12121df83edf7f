import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/**
 * JSON with object keys sorted at every depth. Odoo sends one stored payload dict three ways
 * (jsonb reorders keys on the pull path), so identity must not depend on key order.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    return known.get(value) ?? canonicalObject(canonicalEntries(value as Record<string, unknown>));
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Canonical forms already built, by object: normalization builds a record's once for the event
 * id, and the hub's content key reuses it. Weak, so it holds nothing an event does not; only
 * for objects nobody mutates afterwards (a draft's record).
 */
const known = new WeakMap<object, string>();

/** Remembers `text` as the canonical form of `object` (which must not change afterwards). */
export function rememberCanonical(object: object, text: string): void {
  known.set(object, text);
}

/** An object's entries as sorted `"key":canonical` strings, undefined values left out. */
export function canonicalEntries(object: Record<string, unknown>): [string, string][] {
  return Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => [key, `${JSON.stringify(key)}:${canonicalJson(object[key])}`]);
}

/** The canonical form of an object from its (sorted) canonicalEntries. */
export function canonicalObject(entries: readonly (readonly [string, string])[]): string {
  return `{${entries.map(([, text]) => text).join(",")}}`;
}

/**
 * SHA-256 of a text, first 128 bits as 32 hex digits. The default is pure JS (so that this
 * package runs in browsers); a server passes its native one (node:crypto), several times faster.
 */
export type Hasher = (text: string) => string;

export const portableHash: Hasher = (text) => bytesToHex(sha256(utf8ToBytes(text))).slice(0, 32);

/** 128 bits of SHA-256 over the canonical form, as 32 hex digits. */
export function digest(value: unknown, hash: Hasher = portableHash): string {
  return hash(canonicalJson(value));
}
