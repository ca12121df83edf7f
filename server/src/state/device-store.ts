import type { AppType, ModelDomains } from "@odoo-live/protocol";
import type { z } from "zod";
import type { Position } from "../log/position.js";

export interface DeviceKey {
  tenant: string;
  uid: number;
  deviceId: string;
}

/**
 * One device's sync state, shaped like Odoo's `user.sync.state` (user, device, app type, cursor,
 * last sync time, counts), plus the subscriptions it keeps while offline.
 */
export interface DeviceState extends DeviceKey {
  appType: z.infer<typeof AppType>;
  models: string[];
  /** Per subscribed model, the domain the device narrowed it with (none: the whole model). */
  where: ModelDomains;
  /** The last position the device acked; null until its first ack. */
  acked: Position | null;
  lastSyncTime: string | null;
  syncCount: number;
  lastEventCount: number;
  totalEventsSynced: number;
}

export interface ConnectInput {
  appType: DeviceState["appType"];
  /** Replaces the stored subscriptions when given (with `where`, their narrowing). */
  models?: readonly string[] | undefined;
  where?: ModelDomains | undefined;
}

export interface AckInput {
  position: Position;
  events: number;
  at: Date;
}

/**
 * What an ack did: whether it moved the device's position, the position stored afterwards (its
 * own if it moved, else the one ahead of it), and the syncs recorded so far, this one included
 * if it moved. Not the whole device: on Redis, reading it back and parsing it for every ack cost
 * Redis about a fifth of its CPU per ack, and the hub a tenth (BENCHMARKS.md, Profile, "Sixth
 * round").
 */
export interface AckResult {
  moved: boolean;
  acked: Position;
  syncCount: number;
}

export interface DeviceStore {
  get(key: DeviceKey): Promise<DeviceState | null>;
  /** Creates the device on first sight; updates its app type and, if given, its models. */
  connect(key: DeviceKey, input: ConnectInput): Promise<DeviceState>;
  /**
   * Subscribes to `models`; each takes its domain from `where`, or none (the whole model) when
   * `where` does not name it.
   */
  addModels(key: DeviceKey, models: readonly string[], where?: ModelDomains): Promise<DeviceState>;
  /** Unsubscribes from `models`, with their narrowing. */
  removeModels(key: DeviceKey, models: readonly string[]): Promise<DeviceState>;
  /**
   * Moves the acked position forward only: a position of the same epoch at or below the stored
   * one changes nothing (a late or repeated ack); another epoch replaces it.
   */
  ack(key: DeviceKey, input: AckInput): Promise<AckResult>;
  close(): Promise<void>;
}

export function isAhead(next: Position, stored: Position | null): boolean {
  return stored === null || next.epoch !== stored.epoch || next.seq > stored.seq;
}
