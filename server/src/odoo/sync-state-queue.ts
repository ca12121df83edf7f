import { backoffDelay } from "@odoo-live/protocol";
import type { DeviceState } from "../state/device-store.js";

export interface MirroredDevice {
  uid: number;
  deviceId: string;
  appType: DeviceState["appType"];
}

/** A device's position waiting to be written to Odoo. */
export interface PendingWrite extends MirroredDevice {
  key: string;
  ledgerId: number;
  /** Events acked since the last write (Odoo's `events_synced`). */
  events: number;
  /** Failed tries in a row, and not tried again before `dueAt`. */
  failures: number;
  dueAt: number;
  /** When the tries in a row started failing. */
  failingSince: number | undefined;
}

export interface SyncStateQueueOptions {
  /** Most devices waiting; past it the one that waited longest is dropped. */
  maxDevices: number;
  /** A device whose writes have failed this long is dropped. */
  giveUpAfterMs: number;
  now: () => number;
  random?: () => number;
}

/** Retries of one device: under a second at first, then doubling up to 5 minutes (jittered). */
const RETRY = { minDelayMs: 1000, maxDelayMs: 300_000 };

/**
 * The positions waiting to be written to Odoo, one per device (a newer ack raises it). Each
 * device retries on its own backoff and a failed one goes to the back, so a device that keeps
 * failing never holds up the others. Dropping a position is safe: Odoo's cursor then lags
 * (a deep resume replays more), it never runs ahead of what the device has.
 */
export class SyncStateQueue {
  private readonly pending = new Map<string, PendingWrite>();
  /** Devices dropped by the cap, and given up after failing, since the queue was made. */
  readonly dropped = { full: 0, gaveUp: 0 };

  constructor(private readonly options: SyncStateQueueOptions) {}

  record(device: MirroredDevice, ledgerId: number, events: number): void {
    const key = JSON.stringify([device.uid, device.deviceId]);
    const waiting = this.pending.get(key);
    if (waiting !== undefined) {
      waiting.events += events;
      waiting.ledgerId = Math.max(waiting.ledgerId, ledgerId);
      return;
    }
    const { uid, deviceId, appType } = device;
    const entry = { key, uid, deviceId, appType, ledgerId, events };
    this.pending.set(key, { ...entry, failures: 0, dueAt: 0, failingSince: undefined });
    // Only past the cap: a walk from the Map's start crosses every entry deleted since V8 last
    // rebuilt its table (see ExpiringMap).
    if (this.pending.size <= this.options.maxDevices) return;
    for (const oldest of this.pending.keys()) {
      if (this.pending.size <= this.options.maxDevices) break;
      this.pending.delete(oldest);
      this.dropped.full += 1;
    }
  }

  /** The devices due for a try at `now` (every one with `Infinity`), oldest first. */
  due(now: number): PendingWrite[] {
    return [...this.pending.values()].filter((entry) => entry.dueAt <= now);
  }

  /** Odoo has `ledgerId` (and `events` more); the entry stays only if a newer ack raised it. */
  written(entry: PendingWrite, ledgerId: number, events: number): void {
    if (this.pending.get(entry.key) !== entry) return;
    entry.events -= events;
    if (entry.ledgerId <= ledgerId) this.pending.delete(entry.key);
    else Object.assign(entry, { failures: 0, dueAt: 0, failingSince: undefined });
  }

  /** Backs the device off and sends it to the back, or gives it up after `giveUpAfterMs`. */
  failed(entry: PendingWrite): void {
    if (this.pending.get(entry.key) !== entry) return;
    const now = this.options.now();
    this.pending.delete(entry.key);
    entry.failingSince ??= now;
    if (now - entry.failingSince >= this.options.giveUpAfterMs) {
      this.dropped.gaveUp += 1;
      return;
    }
    const random = (this.options.random ?? Math.random)();
    entry.dueAt = now + backoffDelay(entry.failures++, RETRY, random);
    this.pending.set(entry.key, entry);
  }

  get size(): number {
    return this.pending.size;
  }
}
