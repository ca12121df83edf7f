import type { AppType } from "@odoo-live/protocol";
import type { z } from "zod";
import type { DeviceKey } from "./device-store.js";

/**
 * Each device's refresh chain: the one refresh token it may use next (stored as a digest, never
 * as the token), bound to the device (tenant, user, device id) it was issued to.
 *
 * **Rotation.** Using the current secret replaces it with the next one; the chain then lives
 * `ttlMs(tenant)` more. **Theft detection.** A secret of the chain that is not the current one
 * (one already used: a copy is in someone else's hands) ends the whole chain, so neither the
 * thief nor the device can refresh again: the device signs in anew. **One chain per device.**
 * Signing in on a device ends the device's earlier chain. Every chain expires `ttlMs` after its
 * last rotation, which is what bounds the store.
 */
export interface RefreshStore {
  /** Starts the device's chain anew with `secret`, ending any earlier one. */
  start(device: DeviceKey, secret: string, appType: AppTypeValue): Promise<void>;
  /** Whether `secret` is the device's current one; any other secret ends the chain (`reused`). */
  check(device: DeviceKey, secret: string): Promise<RefreshCheck>;
  /** As `check`, and when valid, `next` becomes the current secret at once. */
  rotate(device: DeviceKey, secret: string, next: string): Promise<RefreshCheck>;
  /** Ends the device's chain (signed out, or Odoo no longer lets the user in). */
  revoke(device: DeviceKey): Promise<void>;
  close(): Promise<void>;
}

export type AppTypeValue = z.infer<typeof AppType>;

export type RefreshCheck =
  | { status: "valid"; appType: AppTypeValue }
  /** No chain: never started, expired, or ended. */
  | { status: "unknown" }
  /** A secret of the chain that was no longer current: the chain is ended now. */
  | { status: "reused" };

export interface RefreshStoreOptions {
  /** How long a tenant's chains live after their last rotation. */
  ttlMs(tenant: string): number;
}
