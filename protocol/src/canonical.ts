import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/**
 * JSON with object keys sorted at every depth. Odoo sends one stored payload dict three ways
 * (jsonb reorders keys on the pull path), so identity must not depend on key order.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    // Loops and concatenation: this runs on every change, and map/join builds arrays to drop.
    let text = "[";
    for (let i = 0; i < value.length; i++) text += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return `${text}]`;
  }
  return known.get(value) ?? canonicalObject(canonicalEntries(value as Record<string, unknown>));
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
  // The default sort compares UTF-16 code units, as `<` does: the order every hub agrees on.
  const keys = Object.keys(object).sort();
  const entries: [string, string][] = [];
  for (const key of keys) {
    const value = object[key];
    if (value !== undefined) entries.push([key, `${JSON.stringify(key)}:${canonicalJson(value)}`]);
  }
  return entries;
}

/** The canonical form of an object from its (sorted) canonicalEntries. */
export function canonicalObject(entries: readonly (readonly [string, string])[]): string {
  let text = "{";
  for (let i = 0; i < entries.length; i++) text += (i === 0 ? "" : ",") + entries[i]![1];
  return `${text}}`;
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
